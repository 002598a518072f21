package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * Level-1 kernels and row/column reductions of every provider: reductions within the fp32 error bound of a
 * double-precision reference, element-wise kernels bit-exact against the scalar oracle (corner values included).
 */
@Tag("kernel")
final class Blas1ConformanceTest {

    private static final long[] SEEDS = {7L, 1234567L};

    /** Scale factors: ordinary, negative, zero, subnormal and overflowing. */
    private static final float[] ALPHAS = {1.5f, -0.75f, 0f, -0f, Float.MIN_VALUE, 3.0e38f};

    static Stream<Arguments> vectorCases() {
        return TestData.vectorCases(SEEDS);
    }

    /** Row counts stay small so that 4096-column matrices keep the suite fast; 5 exercises a 4-row group + tail. */
    static Stream<Arguments> matrixCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int n : TestData.sizes()) {
                for (int m : new int[] {1, 4, 5, 9}) {
                    for (int offset : TestData.OFFSETS) {
                        cases.add(Arguments.of(provider, m, n, offset, SEEDS[(m + n) % SEEDS.length]));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("vectorCases")
    void shouldStayWithinErrorBoundWhenDot(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.gaussian(seed, n);
        float[] y = TestData.gaussian(seed + 1, n);
        try (Arena arena = Arena.ofConfined()) {
            float actual = pc.provider().dot(n, TestData.floats(arena, x, offset), offset,
                    TestData.floats(arena, y, 2 * offset), 2 * offset);
            double exact = 0;
            double sumAbs = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) x[i] * y[i];
                sumAbs += Math.abs((double) x[i] * y[i]);
            }
            Tolerance.assertWithin(exact, actual, Tolerance.dotBound(n, sumAbs), context(pc, n, offset, seed));
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("vectorCases")
    void shouldStayWithinErrorBoundWhenSumSquares(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.gaussian(seed, n);
        try (Arena arena = Arena.ofConfined()) {
            float actual = pc.provider().sumSquares(n, TestData.floats(arena, x, offset), offset);
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) x[i] * x[i];
            }
            Tolerance.assertWithin(exact, actual, Tolerance.dotBound(n, exact), context(pc, n, offset, seed));
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("vectorCases")
    void shouldPropagateNaNAndInfinityWhenDot(ProviderCase pc, int n, int offset, long seed) {
        if (n == 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = TestData.gaussian(seed, n);
        float[] y = TestData.gaussian(seed + 1, n);
        int at = random.nextInt(n);
        y[at] = 1f;
        x[at] = Float.POSITIVE_INFINITY;
        try (Arena arena = Arena.ofConfined()) {
            float inf = pc.provider().dot(n, TestData.floats(arena, x, offset), offset,
                    TestData.floats(arena, y, offset), offset);
            Tolerance.assertBitExact(Float.POSITIVE_INFINITY, inf, context(pc, n, offset, seed) + " +Inf at " + at);
            x[random.nextInt(n)] = Float.NaN;
            float nan = pc.provider().dot(n, TestData.floats(arena, x, offset), offset,
                    TestData.floats(arena, y, offset), offset);
            assertTrue(Float.isNaN(nan), context(pc, n, offset, seed) + ": NaN expected, was " + nan);
            float nanSquares = pc.provider().sumSquares(n, TestData.floats(arena, x, offset), offset);
            assertTrue(Float.isNaN(nanSquares), context(pc, n, offset, seed) + ": NaN expected, was " + nanSquares);
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("vectorCases")
    void shouldMatchScalarBitExactWhenAxpy(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        float[] y = TestData.withCorners(seed + 1, n);
        float alpha = ALPHAS[(int) (seed % ALPHAS.length)];
        for (float a : new float[] {alpha, 1.5f}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment expected = TestData.floats(arena, y, offset);
                MemorySegment actual = TestData.floats(arena, y, offset);
                Providers.scalar().axpy(n, a, TestData.floats(arena, x, 1), 1, expected, offset);
                pc.provider().axpy(n, a, TestData.floats(arena, x, 1), 1, actual, offset);
                assertSameFloats(expected, actual, offset, n, context(pc, n, offset, seed) + " alpha=" + a);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("vectorCases")
    void shouldMatchScalarBitExactWhenScale(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        for (float alpha : ALPHAS) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment expected = TestData.floats(arena, x, offset);
                MemorySegment actual = TestData.floats(arena, x, offset);
                Providers.scalar().scale(n, alpha, expected, offset);
                pc.provider().scale(n, alpha, actual, offset);
                assertSameFloats(expected, actual, offset, n, context(pc, n, offset, seed) + " alpha=" + alpha);
            }
        }
    }

    @ParameterizedTest(name = "{0} m={1} n={2} off={3} seed={4}")
    @MethodSource("matrixCases")
    void shouldStayWithinErrorBoundWhenRowSumSquares(ProviderCase pc, int m, int n, int offset, long seed) {
        int lda = n + offset;
        float[] a = TestData.gaussian(seed, m * lda);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = TestData.floats(arena, new float[m], 1);
            pc.provider().rowSumSquares(m, n, TestData.floats(arena, a, offset), offset, lda, out, 1);
            for (int i = 0; i < m; i++) {
                double exact = 0;
                for (int j = 0; j < n; j++) {
                    exact += (double) a[i * lda + j] * a[i * lda + j];
                }
                Tolerance.assertWithin(exact, out.getAtIndex(F32, 1 + i), Tolerance.dotBound(n, exact),
                        context(pc, n, offset, seed) + " m=" + m + " row " + i);
            }
        }
    }

    private static void assertSameFloats(MemorySegment expected, MemorySegment actual, int offset, int n,
                                         String context) {
        for (int i = 0; i < n; i++) {
            Tolerance.assertBitExact(expected.getAtIndex(F32, offset + i), actual.getAtIndex(F32, offset + i),
                    context + " index " + i);
        }
    }

    private static String context(ProviderCase pc, int n, int offset, long seed) {
        return pc.label() + " n=" + n + " off=" + offset + " seed=" + seed;
    }
}
