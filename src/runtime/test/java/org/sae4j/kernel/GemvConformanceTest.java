package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.tensor.Layouts;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * Matrix-vector products (fp32 and bf16 weights, both orientations) of every provider against a double-precision
 * reference.
 *
 * <p>Bound for one output: the sum s is a dot product of n terms evaluated in some order, then {@code alpha·s} and
 * the final {@code fma(beta, y, alpha·s)} add one rounding each. Hence
 * {@code |Δ| ≤ |alpha|·dotBound(n + 2, Σ|aᵢxᵢ|) + 2ε·|beta·y|}, the two extra terms of the dot bound covering the
 * two roundings of the epilogue. The bf16 reference uses the widened bf16 values, the widening being exact.
 *
 * <p>Every matrix carries NaN in its leading-dimension padding and every x and y NaN before their offset, so a
 * kernel that reads outside its operands yields NaN; {@code beta == 0} runs fill y with NaN, so reading y shows too.
 */
@Tag("kernel")
final class GemvConformanceTest {

    /** Row and column counts: 0, 1, 3, L−1, L, L+1, 2L+3 for L ∈ {4, 8, 16}, and the prime 37. */
    private static final int[] DIMS = {0, 1, 3, 4, 5, 7, 8, 9, 11, 15, 16, 17, 19, 35, 37};

    /**
     * Larger shapes, few because of the scalar oracle's cost. 1021 and 300 pass the 16-vector column panels
     * (256 columns at 512 bits) with vector and scalar remainders; 1021 rows cover 8-row blocks plus 4-row and
     * single-row remainders.
     */
    private static final int[][] LARGE = {{1021, 3}, {3, 1021}, {1021, 37}, {37, 1021}, {300, 1021}, {1021, 300},
        {264, 17}, {17, 264}, {513, 513}};

    /** Padding added to n to form lda. */
    private static final int[] PADS = {0, 1, 5};

    /** (alpha, beta) pairs: beta = 0 (y not read), one, fractional, negative, and alpha = 0. */
    private static final float[][] SCALES = {{1f, 0f}, {-0.75f, 0f}, {1.5f, 1f}, {1f, -0.5f}, {0f, 2f},
        {0.25f, 3f}};

    /** Guard elements after y that no kernel may touch. */
    private static final int GUARD = 17;

    private static final float GUARD_VALUE = 12345.5f;

    /** The four kernels under test. */
    enum Kernel {
        GEMV(false, false), GEMV_T(true, false), GEMV_BF16(false, true), GEMV_T_BF16(true, true);

        final boolean transposed;
        final boolean bf16;

        Kernel(boolean transposed, boolean bf16) {
            this.transposed = transposed;
            this.bf16 = bf16;
        }

        void run(KernelProvider p, int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                 long xOff, float beta, MemorySegment y, long yOff) {
            switch (this) {
                case GEMV -> p.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
                case GEMV_T -> p.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
                case GEMV_BF16 -> p.gemvBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
                case GEMV_T_BF16 -> p.gemvTransposedBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
            }
        }
    }

    /** One matrix-vector problem: A (as the floats the kernel sees), x, the initial y and the scales. */
    private record Problem(int m, int n, int offset, int lda, float alpha, float beta, float[] a, float[] x,
                           float[] y) {
    }

    static Stream<Arguments> shapeCases() {
        List<int[]> shapes = new ArrayList<>();
        for (int m : DIMS) {
            for (int n : DIMS) {
                shapes.add(new int[] {m, n});
            }
        }
        shapes.addAll(List.of(LARGE));
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int[] shape : shapes) {
                int m = shape[0];
                int n = shape[1];
                SplittableRandom pick = new SplittableRandom(1009L * m + n);
                int offset = TestData.OFFSETS[pick.nextInt(TestData.OFFSETS.length)];
                int pad = PADS[pick.nextInt(PADS.length)];
                float[] scales = SCALES[pick.nextInt(SCALES.length)];
                long seed = 31L * m + n + 7;
                cases.add(Arguments.of(provider, m, n, offset, pad, scales[0], scales[1], seed));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> cornerCases() {
        int[][] shapes = {{5, 37}, {37, 5}, {19, 300}, {300, 19}, {9, 17}};
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int[] shape : shapes) {
                for (float beta : new float[] {0f, 1.5f}) {
                    for (long seed : new long[] {11L, 12L, 13L}) {
                        cases.add(Arguments.of(provider, shape[0], shape[1], (int) (seed % 3), beta, seed));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} off={3} pad={4} alpha={5} beta={6} seed={7}")
    @MethodSource("shapeCases")
    void shouldStayWithinErrorBoundWhenGemvShapesVary(ProviderCase pc, int m, int n, int offset, int pad, float alpha,
                                                     float beta, long seed) {
        checkAgainstReference(Kernel.GEMV, pc, gaussianProblem(Kernel.GEMV, m, n, offset, pad, alpha, beta, seed),
                seed);
    }

    @ParameterizedTest(name = "{0} m={1} n={2} off={3} pad={4} alpha={5} beta={6} seed={7}")
    @MethodSource("shapeCases")
    void shouldStayWithinErrorBoundWhenGemvTransposedShapesVary(ProviderCase pc, int m, int n, int offset, int pad,
                                                               float alpha, float beta, long seed) {
        checkAgainstReference(Kernel.GEMV_T, pc, gaussianProblem(Kernel.GEMV_T, m, n, offset, pad, alpha, beta, seed),
                seed);
    }

    @ParameterizedTest(name = "{0} m={1} n={2} off={3} pad={4} alpha={5} beta={6} seed={7}")
    @MethodSource("shapeCases")
    void shouldStayWithinErrorBoundWhenGemvBf16ShapesVary(ProviderCase pc, int m, int n, int offset, int pad,
                                                         float alpha, float beta, long seed) {
        checkAgainstReference(Kernel.GEMV_BF16, pc,
                gaussianProblem(Kernel.GEMV_BF16, m, n, offset, pad, alpha, beta, seed), seed);
    }

    @ParameterizedTest(name = "{0} m={1} n={2} off={3} pad={4} alpha={5} beta={6} seed={7}")
    @MethodSource("shapeCases")
    void shouldStayWithinErrorBoundWhenGemvTransposedBf16ShapesVary(ProviderCase pc, int m, int n, int offset, int pad,
                                                                   float alpha, float beta, long seed) {
        checkAgainstReference(Kernel.GEMV_T_BF16, pc,
                gaussianProblem(Kernel.GEMV_T_BF16, m, n, offset, pad, alpha, beta, seed), seed);
    }

    /**
     * NaN and infinities in A and x: the exact result is NaN exactly when some product is NaN (0·∞, NaN operand) or
     * products of both infinite signs meet, whatever the summation order, so NaN-ness and the sign of an infinite
     * result must match the scalar oracle and the double reference. ±MAX_VALUE corners become infinities, because a
     * finite overflow depends on the summation order.
     */
    @ParameterizedTest(name = "{0} m={1} n={2} off={3} beta={4} seed={5}")
    @MethodSource("cornerCases")
    void shouldMatchScalarNaNAndInfinitiesWhenInputsHoldCorners(ProviderCase pc, int m, int n, int offset, float beta,
                                                                long seed) {
        for (Kernel kernel : Kernel.values()) {
            int xLength = kernel.transposed ? m : n;
            int yLength = kernel.transposed ? n : m;
            float[] a = representable(kernel, noFiniteOverflow(TestData.withCorners(seed, m * n)));
            float[] x = noFiniteOverflow(TestData.withCorners(seed + 1, xLength));
            float[] y = beta == 0f ? nanFilled(yLength) : TestData.gaussian(seed + 2, yLength);
            Problem problem = new Problem(m, n, offset, n, 1f, beta, a, x, y);
            float[] actual = run(kernel, pc.provider(), problem);
            float[] oracle = run(kernel, Providers.scalar(), problem);
            for (int i = 0; i < yLength; i++) {
                String where = context(kernel, pc, problem, seed) + " y[" + i + "]";
                assertEquals(Float.isNaN(oracle[i]), Float.isNaN(actual[i]),
                        where + ": scalar " + oracle[i] + ", actual " + actual[i]);
                if (Float.isInfinite(oracle[i]) || Float.isInfinite(actual[i])) {
                    assertEquals(oracle[i], actual[i], where);
                }
            }
            checkAgainstReference(kernel, pc, problem, seed);
        }
    }

    /**
     * Small integers make every partial sum exact in any order, so the SIMD epilogue ({@code alpha·s}, then
     * {@code fma(beta, y, alpha·s)}, y unread for beta = 0) must reproduce the scalar bits.
     */
    @ParameterizedTest(name = "{0} m={1} n={2} off={3} pad={4} alpha={5} beta={6} seed={7}")
    @MethodSource("shapeCases")
    void shouldMatchScalarBitsWhenSumsAreExact(ProviderCase pc, int m, int n, int offset, int pad, float alpha,
                                               float beta, long seed) {
        if ((long) m * n > 40_000) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (Kernel kernel : Kernel.values()) {
            int lda = n + pad;
            float[] a = new float[m * lda];
            for (int i = 0; i < a.length; i++) {
                a[i] = i % lda < n ? random.nextInt(-8, 9) : Float.NaN;
            }
            float[] x = new float[kernel.transposed ? m : n];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(-8, 9) * 0.5f;
            }
            int yLength = kernel.transposed ? n : m;
            float[] y = beta == 0f ? nanFilled(yLength) : TestData.gaussian(seed + 3, yLength);
            Problem problem = new Problem(m, n, offset, lda, alpha, beta, a, x, y);
            float[] expected = run(kernel, Providers.scalar(), problem);
            float[] actual = run(kernel, pc.provider(), problem);
            for (int i = 0; i < yLength; i++) {
                Tolerance.assertBitExact(expected[i], actual[i], context(kernel, pc, problem, seed) + " y[" + i + "]");
            }
        }
    }

    private static Problem gaussianProblem(Kernel kernel, int m, int n, int offset, int pad, float alpha, float beta,
                                           long seed) {
        int lda = n + pad;
        float[] a = representable(kernel, TestData.gaussian(seed, m * lda));
        for (int i = 0; i < m; i++) {
            for (int j = n; j < lda; j++) {
                a[i * lda + j] = Float.NaN;
            }
        }
        float[] x = TestData.gaussian(seed + 1, kernel.transposed ? m : n);
        int yLength = kernel.transposed ? n : m;
        float[] y = beta == 0f ? nanFilled(yLength) : TestData.gaussian(seed + 2, yLength);
        return new Problem(m, n, offset, lda, alpha, beta, a, x, y);
    }

    /** Runs one kernel on fresh copies of the problem's operands; returns y and checks the guards around it. */
    private static float[] run(Kernel kernel, KernelProvider provider, Problem p) {
        int yLength = kernel.transposed ? p.n() : p.m();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = kernel.bf16 ? TestData.bf16(arena, TestData.toBf16(p.a()), p.offset())
                    : TestData.floats(arena, p.a(), p.offset());
            int xOff = 2 * p.offset();
            MemorySegment x = TestData.floats(arena, p.x(), xOff);
            int yOff = (p.offset() + 1) % 4;
            float[] yWithGuard = new float[yLength + GUARD];
            System.arraycopy(p.y(), 0, yWithGuard, 0, yLength);
            for (int i = yLength; i < yWithGuard.length; i++) {
                yWithGuard[i] = GUARD_VALUE;
            }
            MemorySegment y = TestData.floats(arena, yWithGuard, yOff);
            kernel.run(provider, p.m(), p.n(), p.alpha(), a, p.offset(), p.lda(), x, xOff, p.beta(), y, yOff);
            for (int i = 0; i < yOff; i++) {
                if (Float.floatToRawIntBits(y.getAtIndex(F32, i)) != Float.floatToRawIntBits(Float.NaN)) {
                    fail(kernel + " " + provider + ": wrote before y at element " + i);
                }
            }
            for (int i = yLength; i < yWithGuard.length; i++) {
                assertEquals(GUARD_VALUE, y.getAtIndex(F32, yOff + i), kernel + ": wrote past y at " + i);
            }
            return TestData.read(y, yOff, yLength);
        }
    }

    private static void checkAgainstReference(Kernel kernel, ProviderCase pc, Problem p, long seed) {
        float[] actual = run(kernel, pc.provider(), p);
        int outputs = kernel.transposed ? p.n() : p.m();
        int terms = kernel.transposed ? p.m() : p.n();
        for (int o = 0; o < outputs; o++) {
            double sum = 0;
            double sumAbs = 0;
            for (int t = 0; t < terms; t++) {
                int row = kernel.transposed ? t : o;
                int col = kernel.transposed ? o : t;
                double product = (double) p.a()[row * p.lda() + col] * p.x()[t];
                sum += product;
                sumAbs += Math.abs(product);
            }
            double expected = p.alpha() * sum;
            double bound = Math.abs(p.alpha()) * Tolerance.dotBound(terms + 2, sumAbs);
            if (p.beta() != 0f) {
                double scaledY = (double) p.beta() * p.y()[o];
                expected += scaledY;
                bound += 2 * Tolerance.EPS * Math.abs(scaledY);
            }
            Tolerance.assertWithin(expected, actual[o], bound, context(kernel, pc, p, seed) + " y[" + o + "]");
        }
    }

    /** The floats the kernel computes with: bf16 kernels see each value rounded to bf16 and widened exactly. */
    private static float[] representable(Kernel kernel, float[] values) {
        if (!kernel.bf16) {
            return values;
        }
        short[] bits = TestData.toBf16(values);
        float[] widened = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = Layouts.bf16ToFloat(bits[i]);
        }
        return widened;
    }

    private static float[] noFiniteOverflow(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) == Float.MAX_VALUE) {
                values[i] = Math.copySign(Float.POSITIVE_INFINITY, values[i]);
            }
        }
        return values;
    }

    private static float[] nanFilled(int n) {
        float[] values = new float[n];
        Arrays.fill(values, Float.NaN);
        return values;
    }

    private static String context(Kernel kernel, ProviderCase pc, Problem p, long seed) {
        return kernel + " " + pc.label() + " m=" + p.m() + " n=" + p.n() + " off=" + p.offset() + " lda=" + p.lda()
                + " alpha=" + p.alpha() + " beta=" + p.beta() + " seed=" + seed;
    }

    static Stream<Arguments> splitCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (boolean bf16 : new boolean[] {false, true}) {
                cases.add(Arguments.of(provider, bf16, 77L));
            }
        }
        return cases.stream();
    }

    /**
     * The facade hands each thread a sub-block of rows (gemv) or columns (transposed); an element's value must not
     * depend on where its sub-block starts, or results would change with the thread count.
     */
    @ParameterizedTest(name = "{0} bf16={1} seed={2}")
    @MethodSource("splitCases")
    void shouldGiveBitIdenticalElementsWhenSplitAtAnyBoundary(ProviderCase pc, boolean bf16, long seed) {
        int m = 45;
        int n = 70;
        float[] av = TestData.gaussian(seed, m * n);
        float[] xv = TestData.gaussian(seed + 1, Math.max(m, n));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = bf16 ? TestData.bf16(arena, TestData.toBf16(av), 0) : TestData.floats(arena, av, 0);
            MemorySegment x = TestData.floats(arena, xv, 0);
            MemorySegment whole = arena.allocate((long) Math.max(m, n) * Float.BYTES, 64);
            MemorySegment parts = arena.allocate((long) Math.max(m, n) * Float.BYTES, 64);
            gemv(pc, bf16, false, m, n, a, 0, x, whole, 0);
            gemv(pc, bf16, true, m, n, a, 0, x, parts, 0);
            float[] expectedRows = TestData.read(whole, 0, m);
            float[] expectedColumns = TestData.read(parts, 0, n);
            for (int split = 1; split < Math.max(m, n); split++) {
                if (split < m) {
                    gemv(pc, bf16, false, split, n, a, 0, x, whole, 0);
                    gemv(pc, bf16, false, m - split, n, a, (long) split * n, x, whole, split);
                    assertBitIdentical(expectedRows, TestData.read(whole, 0, m), pc + " rows split at " + split);
                }
                if (split < n) {
                    gemvColumns(pc, bf16, m, split, n, a, 0, x, parts, 0);
                    gemvColumns(pc, bf16, m, n - split, n, a, split, x, parts, split);
                    assertBitIdentical(expectedColumns, TestData.read(parts, 0, n), pc + " columns split at " + split);
                }
            }
        }
    }

    private static void gemv(ProviderCase pc, boolean bf16, boolean transposed, int m, int n, MemorySegment a,
                             long aOff, MemorySegment x, MemorySegment y, long yOff) {
        if (transposed) {
            gemvColumns(pc, bf16, m, n, n, a, aOff, x, y, yOff);
        } else if (bf16) {
            pc.provider().gemvBf16(m, n, 1.5f, a, aOff, n, x, 0, 0f, y, yOff);
        } else {
            pc.provider().gemv(m, n, 1.5f, a, aOff, n, x, 0, 0f, y, yOff);
        }
    }

    private static void gemvColumns(ProviderCase pc, boolean bf16, int m, int cols, int lda, MemorySegment a,
                                    long aOff, MemorySegment x, MemorySegment y, long yOff) {
        if (bf16) {
            pc.provider().gemvTransposedBf16(m, cols, 1.5f, a, aOff, lda, x, 0, 0f, y, yOff);
        } else {
            pc.provider().gemvTransposed(m, cols, 1.5f, a, aOff, lda, x, 0, 0f, y, yOff);
        }
    }

    private static void assertBitIdentical(float[] expected, float[] actual, String context) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(context + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
