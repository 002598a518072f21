package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * The training backward epilogues of every provider, bit-exact against the scalar oracle (one add and one select or
 * multiply per element, no FMA) on inputs with ±0, NaN, ±Inf and subnormals.
 */
@Tag("kernel")
final class GradientConformanceTest {

    private static final long[] SEEDS = {5L, 424242L};
    private static final float[] SHIFTS = {0f, 6.1035156e-7f, -0.25f};

    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenReluGradient(ProviderCase pc, int n, int offset, long seed) {
        float[] a = TestData.withCorners(seed, n);
        float[] g = TestData.withCorners(seed + 1, n);
        for (float shift : SHIFTS) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment activations = TestData.floats(arena, a, offset);
                MemorySegment expected = TestData.floats(arena, g, 2);
                Providers.scalar().reluGradient(n, activations, offset, expected, 2, shift);
                MemorySegment actual = TestData.floats(arena, g, offset);
                pc.provider().reluGradient(n, activations, offset, actual, offset, shift);
                for (int i = 0; i < n; i++) {
                    String where = pc.label() + " n=" + n + " shift=" + shift + " index " + i + " a=" + a[i];
                    Tolerance.assertBitExact(expected.getAtIndex(F32, 2 + i), actual.getAtIndex(F32, offset + i),
                            where);
                    if (!(a[i] > 0f)) {
                        Tolerance.assertBitExact(0f, actual.getAtIndex(F32, offset + i), where + " inactive");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenScaleShifted(ProviderCase pc, int n, int offset, long seed) {
        float[] z = TestData.withCorners(seed, n);
        float[] g = TestData.withCorners(seed + 1, n);
        for (float shift : SHIFTS) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment codes = TestData.floats(arena, z, offset);
                MemorySegment expected = TestData.floats(arena, g, 1);
                Providers.scalar().scaleShifted(n, codes, offset, expected, 1, shift);
                MemorySegment actual = TestData.floats(arena, g, offset);
                pc.provider().scaleShifted(n, codes, offset, actual, offset, shift);
                for (int i = 0; i < n; i++) {
                    Tolerance.assertBitExact(expected.getAtIndex(F32, 1 + i), actual.getAtIndex(F32, offset + i),
                            pc.label() + " n=" + n + " shift=" + shift + " index " + i);
                }
            }
        }
    }

    @Test
    void shouldMatchTheDefinitionOnAHandWorkedExample() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = TestData.floats(arena, new float[] {1f, 0f, -0f, -2f, Float.NaN, 3f}, 0);
            MemorySegment g = TestData.floats(arena, new float[] {0.5f, 7f, 7f, 7f, 7f, -1f}, 0);
            Kernels.reluGradient(6, a, 0, g, 0, 0.25f);
            float[] expected = {0.75f, 0f, 0f, 0f, 0f, -0.75f};
            for (int i = 0; i < 6; i++) {
                Tolerance.assertBitExact(expected[i], g.getAtIndex(F32, i), "index " + i);
            }
            MemorySegment z = TestData.floats(arena, new float[] {2f, 0.5f}, 0);
            MemorySegment h = TestData.floats(arena, new float[] {1f, -3f}, 0);
            Kernels.scaleShifted(2, z, 0, h, 0, 1f);
            Tolerance.assertBitExact(4f, h.getAtIndex(F32, 0), "z·(g + 1)");
            Tolerance.assertBitExact(-1f, h.getAtIndex(F32, 1), "z·(g + 1)");
        }
    }

    @Test
    void shouldRejectANonFiniteShiftAndOverlappingOperands() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(64);
            assertThrows(IllegalArgumentException.class,
                    () -> Kernels.reluGradient(4, a, 0, a, 4, Float.NaN));
            assertThrows(IllegalArgumentException.class,
                    () -> Kernels.scaleShifted(8, a, 0, a, 4, 0f));
            assertThrows(IllegalArgumentException.class,
                    () -> Kernels.scaleShifted(17, a, 0, arena.allocate(128), 0, 0f));
        }
    }
}
