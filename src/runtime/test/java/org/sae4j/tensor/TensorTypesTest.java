package org.sae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

final class TensorTypesTest {

    @Test
    void shouldAllocateAlignedZeroedSegmentsAndCountTheirBytes() {
        try (TensorArena arena = new TensorArena("test")) {
            MemorySegment a = arena.allocateFloats(3);
            MemorySegment b = arena.allocateBf16(5);
            assertEquals(0, a.address() % Layouts.ALIGNMENT_BYTES);
            assertEquals(0, b.address() % Layouts.ALIGNMENT_BYTES);
            assertEquals(0f, a.getAtIndex(Layouts.F32, 2));
            assertEquals(22, arena.allocatedBytes());
        }
    }

    @Test
    void shouldFailCleanlyWhenASegmentIsUsedAfterItsArenaCloses() {
        MemorySegment segment;
        try (TensorArena arena = new TensorArena("closed")) {
            segment = arena.allocateFloats(4);
        }
        assertThrowsExactly(IllegalStateException.class, () -> segment.getAtIndex(Layouts.F32, 0));
    }

    @Test
    void shouldAddressElementsThroughRowStrideAndOffset() {
        try (TensorArena arena = new TensorArena("views")) {
            DenseMatrix m = new DenseMatrix(arena.allocateFloats(20), DType.F32, 2, 3, 4, 6);
            m.set(2, 3, 7f);
            assertEquals(7f, m.segment().getAtIndex(Layouts.F32, 2 + 2 * 6 + 3));
            assertEquals(7f, m.rows(1, 3).get(1, 3));
            assertEquals(7f, m.row(2).get(0, 3));
        }
    }

    @Test
    void shouldRejectAViewLargerThanItsSegment() {
        try (TensorArena arena = new TensorArena("views")) {
            MemorySegment segment = arena.allocateFloats(10);
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    () -> new DenseMatrix(segment, DType.F32, 0, 3, 4, 4));
            assertEquals("view 3x4 (stride 4, offset 0) exceeds a segment of 40 bytes", e.getMessage());
        }
    }

    @Test
    void shouldRoundBf16ToNearestEvenAndKeepNanQuiet() {
        assertEquals((short) 0x3f80, Layouts.floatToBf16(1f));
        // 1 + 2^-8 is exactly halfway between two bf16 values: ties go to the even mantissa (1.0).
        assertEquals((short) 0x3f80, Layouts.floatToBf16(Float.intBitsToFloat(0x3f808000)));
        assertEquals((short) 0x3f82, Layouts.floatToBf16(Float.intBitsToFloat(0x3f818000)));
        assertTrue(Float.isNaN(Layouts.bf16ToFloat(Layouts.floatToBf16(Float.intBitsToFloat(0x7f800001)))));
        assertEquals(Float.POSITIVE_INFINITY, Layouts.bf16ToFloat(Layouts.floatToBf16(Float.MAX_VALUE)));
        assertEquals(-0f, Layouts.bf16ToFloat(Layouts.floatToBf16(-0f)));
    }

    @Test
    void shouldExposeFixedWidthRowsOfASparseCode() {
        SparseCode code = SparseCode.withCapacity(3, 10, 6);
        code.resetFixed(3, 2);
        code.indices()[2] = 4;
        code.indices()[3] = 9;
        code.values()[2] = 1.5f;
        code.values()[3] = -2f;
        assertEquals(6, code.nnz());
        assertEquals(2, code.nnz(1));
        assertArrayEquals(new int[] {4, 9}, code.rowIndices(1));
        float[] dense = code.denseRow(1);
        assertEquals(1.5f, dense[4]);
        assertEquals(-2f, dense[9]);
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class, () -> code.resetFixed(4, 1));
        assertEquals("rows 4 outside [0, 3]", e.getMessage());
    }
}
