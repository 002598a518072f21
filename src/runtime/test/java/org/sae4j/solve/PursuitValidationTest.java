package org.sae4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.sae4j.tensor.TensorArena;

final class PursuitValidationTest {

    @Test
    void shouldRefuseBuffersSmallerThanTheirShapeAndBatchesOutsideTheSizedRange() {
        try (TensorArena arena = new TensorArena("pursuit-validation")) {
            MemorySegment decoder = arena.allocateFloats(6 * 4);
            MemorySegment target = arena.allocateFloats(2 * 4);
            MemorySegment codes = arena.allocateFloats(2 * 6);
            MemorySegment residual = arena.allocateFloats(2 * 4);
            assertEquals("codes holds 12 floats, needs 18",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> new Pursuit(decoder, 6, 4, 3, arena.allocateFloats(3 * 4), codes,
                                    arena.allocateFloats(3 * 4))).getMessage());
            assertEquals("pursuit needs d_sae, d_in and maxBatch >= 1, got 6, 4, 0",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> new Pursuit(decoder, 6, 4, 0, target, codes, residual)).getMessage());
            try (Pursuit pursuit = new Pursuit(decoder, 6, 4, 2, target, codes, residual)) {
                assertEquals("batch must be in [1, 2], got 3", assertThrowsExactly(IllegalArgumentException.class,
                        () -> pursuit.run(3, 1, false)).getMessage());
                assertEquals("target L0 must be >= 0, got -1", assertThrowsExactly(IllegalArgumentException.class,
                        () -> pursuit.run(1, -1, true)).getMessage());
            }
        }
    }
}
