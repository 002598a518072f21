package org.sae4j.lab.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Checks ∂L/∂log S and ∂L/∂D of {@link LogCodes} against central finite differences of the double-precision loss
 * (B = 5, N = 6, M = 4, λ = 0.05); the tolerance is derived in {@link LogCodesReference}.
 */
final class LogCodesGradientTest {

    private static final int B = 5;
    private static final int N = 6;
    private static final int M = 4;
    private static final float LAMBDA = 0.05f;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11L, 12L, 13L})
    void shouldMatchCentralFiniteDifferencesWhenCodesAreLogParameterised(long seed) {
        LogCodesReference reference = LogCodesReference.random(seed, B, N, M, LAMBDA);
        try (TensorArena arena = new TensorArena("log-codes-gradient-test")) {
            LogCodes codes = new LogCodes(arena, B, N, M);
            codes.logCodes().set(reference.logCodes());
            MemorySegment x = segment(arena, reference.x());
            MemorySegment atoms = segment(arena, reference.atoms());
            MemorySegment atomGrad = arena.allocateFloats((long) N * M);
            codes.forward(x, atoms);
            double loss = codes.loss(LAMBDA);
            codes.backward(atoms, LAMBDA, atomGrad);
            reference.assertGradients(loss, codes.logCodes().gradientToArray(), atomGrad.toArray(Layouts.F32),
                    "LogCodes, seed " + seed);
        }
    }

    @Test
    void shouldGiveSameLogCodeGradientWhenAtomGradientIsNotRequested() {
        LogCodesReference reference = LogCodesReference.random(21L, B, N, M, LAMBDA);
        try (TensorArena arena = new TensorArena("log-codes-gradient-test")) {
            LogCodes codes = new LogCodes(arena, B, N, M);
            codes.logCodes().set(reference.logCodes());
            MemorySegment x = segment(arena, reference.x());
            MemorySegment atoms = segment(arena, reference.atoms());
            codes.forward(x, atoms);
            codes.backward(atoms, LAMBDA, arena.allocateFloats((long) N * M));
            float[] withAtoms = codes.logCodes().gradientToArray();
            codes.backward(atoms, LAMBDA, null);
            assertArrayEquals(withAtoms, codes.logCodes().gradientToArray());
        }
    }

    private static MemorySegment segment(TensorArena arena, float[] values) {
        MemorySegment segment = arena.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }
}
