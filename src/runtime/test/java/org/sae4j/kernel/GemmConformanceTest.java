package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;
import org.sae4j.tensor.Layouts;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * The four GEMM orientations of every provider against a double-precision reference, within the fp32 error bound of
 * a k-term dot product, over shapes around the register tile (6 rows, 16/32/64 columns) and the cache blocks (96 rows,
 * 256 columns, k blocks of 384), padded leading dimensions, unaligned offsets and several alpha/beta pairs. Also pins
 * that {@code beta == 0} never reads C, that padding between rows is never written, and that splitting C into halves
 * gives bit-identical results (the determinism contract of multi-threaded callers).
 */
@Tag("kernel")
final class GemmConformanceTest {

    /** Transposition variants: A m×k or k×m, B k×n or n×k (fp32 or bf16). */
    enum Op { NN, NT, TN, NT_BF16 }

    private static final long[] SEEDS = {11L, 424242L};

    /** (m, n, k): empty and unit dimensions, register-tile and cache-block edges, primes, several k blocks. */
    private static final int[][] SHAPES = {
        {0, 5, 7}, {5, 0, 7}, {5, 7, 0}, {1, 1, 1}, {1, 17, 2}, {6, 16, 8}, {7, 65, 3}, {5, 33, 9}, {12, 64, 1},
        {13, 31, 383}, {6, 64, 384}, {11, 63, 385}, {37, 71, 53}, {97, 257, 20}, {3, 20, 769}, {131, 300, 257}
    };

    /** (alpha, beta): beta = 0 runs over a NaN-filled C. */
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {-0.75f, 0f}, {1.5f, 1f}, {0.5f, -2f}, {2f, 0.25f}};

    /** Extra elements between rows of every matrix (filled with NaN so that reading them would show). */
    private static final int[] PADS = {0, 5};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (Op op : Op.values()) {
                for (int s = 0; s < SHAPES.length; s++) {
                    for (int variant = 0; variant < 2; variant++) {
                        int[] shape = SHAPES[s];
                        float[] ab = ALPHA_BETA[(2 * s + variant + op.ordinal()) % ALPHA_BETA.length];
                        cases.add(Arguments.of(provider, op, shape[0], shape[1], shape[2],
                                TestData.OFFSETS[(s + variant) % TestData.OFFSETS.length], PADS[variant], ab[0], ab[1],
                                SEEDS[(s + variant) % SEEDS.length]));
                    }
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> splitCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (Op op : Op.values()) {
                for (float beta : new float[] {0f, 0.5f}) {
                    cases.add(Arguments.of(provider, op, beta));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} m={2} n={3} k={4} off={5} pad={6} alpha={7} beta={8} seed={9}")
    @MethodSource("cases")
    void shouldStayWithinDotBoundWhenComparedWithDoubleReference(ProviderCase pc, Op op, int m, int n, int k,
                                                                 int offset, int pad, float alpha, float beta,
                                                                 long seed) {
        Problem p = new Problem(op, m, n, k, pad, seed, false);
        String context = pc + " " + op + " m=" + m + " n=" + n + " k=" + k + " off=" + offset + " pad=" + pad
                + " alpha=" + alpha + " beta=" + beta + " seed=" + seed;
        check(pc, p, offset, alpha, beta, seed, context);
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("cornerCases")
    void shouldPropagateNaNAndInfinityWhenInputsHoldCornerValues(ProviderCase pc, Op op, long seed) {
        Problem p = new Problem(op, 9, 70, 41, 3, seed, true);
        check(pc, p, 1, -0.75f, 0f, seed, pc + " " + op + " corners seed=" + seed);
    }

    static Stream<Arguments> cornerCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (Op op : Op.values()) {
                for (long seed : SEEDS) {
                    cases.add(Arguments.of(provider, op, seed));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} beta={2}")
    @MethodSource("splitCases")
    void shouldGiveIdenticalBitsWhenCIsSplitIntoHalves(ProviderCase pc, Op op, float beta) {
        int m = 131;
        int n = 300;
        int k = 800;
        Problem p = new Problem(op, m, n, k, 2, 99L, false);
        float[] c0 = TestData.gaussian(5L, m * p.ldc);
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment a = p.aSegment(arena, 0);
            MemorySegment b = p.bSegment(arena, 0);
            MemorySegment whole = TestData.floats(arena, c0, 0);
            MemorySegment columns = TestData.floats(arena, c0, 0);
            MemorySegment rows = TestData.floats(arena, c0, 0);
            run(pc.provider(), op, m, n, k, 1.5f, a, 0, p.lda, b, 0, p.ldb, beta, whole, 0, p.ldc, ws);
            int j0 = 147;
            run(pc.provider(), op, m, j0, k, 1.5f, a, 0, p.lda, b, 0, p.ldb, beta, columns, 0, p.ldc, ws);
            run(pc.provider(), op, m, n - j0, k, 1.5f, a, 0, p.lda, b, p.bColumnOffset(j0), p.ldb, beta, columns, j0,
                    p.ldc, ws);
            int i0 = 61;
            run(pc.provider(), op, i0, n, k, 1.5f, a, 0, p.lda, b, 0, p.ldb, beta, rows, 0, p.ldc, ws);
            run(pc.provider(), op, m - i0, n, k, 1.5f, a, p.aRowOffset(i0), p.lda, b, 0, p.ldb, beta, rows,
                    (long) i0 * p.ldc, p.ldc, ws);
            for (int i = 0; i < m * p.ldc; i++) {
                float expected = whole.getAtIndex(F32, i);
                String at = pc + " " + op + " beta=" + beta + " element " + i / p.ldc + "," + i % p.ldc;
                Tolerance.assertBitExact(expected, columns.getAtIndex(F32, i), at + " (column split at " + j0 + ")");
                Tolerance.assertBitExact(expected, rows.getAtIndex(F32, i), at + " (row split at " + i0 + ")");
            }
        }
    }

    /**
     * Column chunks narrower than the wide tile take the narrow micro-kernel while the whole product takes the wide
     * one (at 512 bits the wide tile is 64 columns); both must give the same bits, or results would depend on how a
     * product is split over threads.
     */
    @ParameterizedTest(name = "{0} {1} beta={2}")
    @MethodSource("splitCases")
    void shouldGiveIdenticalBitsWhenNarrowAndWideColumnChunksMix(ProviderCase pc, Op op, float beta) {
        int m = 70;
        int n = 100;
        int k = 800;
        int[] chunks = {13, 27, 37, 23};
        Problem p = new Problem(op, m, n, k, 1, 17L, false);
        float[] c0 = TestData.gaussian(6L, m * p.ldc);
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment a = p.aSegment(arena, 0);
            MemorySegment b = p.bSegment(arena, 0);
            MemorySegment whole = TestData.floats(arena, c0, 0);
            MemorySegment pieces = TestData.floats(arena, c0, 0);
            run(pc.provider(), op, m, n, k, 1.5f, a, 0, p.lda, b, 0, p.ldb, beta, whole, 0, p.ldc, ws);
            int j0 = 0;
            for (int width : chunks) {
                run(pc.provider(), op, m, width, k, 1.5f, a, 0, p.lda, b, p.bColumnOffset(j0), p.ldb, beta, pieces,
                        j0, p.ldc, ws);
                j0 += width;
            }
            for (int i = 0; i < m * p.ldc; i++) {
                Tolerance.assertBitExact(whole.getAtIndex(F32, i), pieces.getAtIndex(F32, i),
                        pc + " " + op + " beta=" + beta + " element " + i / p.ldc + "," + i % p.ldc);
            }
        }
    }

    private static void check(ProviderCase pc, Problem p, int offset, float alpha, float beta, long seed,
                              String context) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        float[] c0 = TestData.gaussian(seed + 3, m * p.ldc);
        for (int i = 0; i < c0.length; i++) {
            if (beta == 0f || i % p.ldc >= n) {
                c0[i] = Float.NaN;
            }
        }
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment a = p.aSegment(arena, offset);
            MemorySegment b = p.bSegment(arena, 2 * offset);
            MemorySegment c = TestData.floats(arena, c0, offset);
            run(pc.provider(), p.op, m, n, k, alpha, a, offset, p.lda, b, 2 * offset, p.ldb, beta, c, offset, p.ldc,
                    ws);
            // A provider may round the running sum once per k block (blocks hold at least 256 products) besides
            // the alpha scaling and the final combine with beta·C.
            int blocks = 1 + (k + 255) / 256;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < p.ldc; j++) {
                    float actual = c.getAtIndex(F32, offset + (long) i * p.ldc + j);
                    String at = context + " C[" + i + "," + j + "]";
                    if (j >= n) {
                        Tolerance.assertBitExact(Float.NaN, actual, at + " (row padding written)");
                        continue;
                    }
                    double dot = 0;
                    double sumAbs = 0;
                    for (int q = 0; q < k; q++) {
                        double prod = (double) p.a(i, q) * p.b(q, j);
                        dot += prod;
                        sumAbs += Math.abs(prod);
                    }
                    double old = beta == 0f ? 0 : (double) beta * c0[i * p.ldc + j];
                    double expected = alpha * dot + old;
                    double bound = Tolerance.dotBound(k + 2, Math.abs(alpha) * sumAbs)
                            + 2 * blocks * Tolerance.EPS * Math.abs(old);
                    Tolerance.assertWithin(expected, actual, bound, at);
                }
            }
        }
    }

    private static void run(KernelProvider provider, Op op, int m, int n, int k, float alpha, MemorySegment a,
                            long aOff, int lda, MemorySegment b, long bOff, int ldb, float beta, MemorySegment c,
                            long cOff, int ldc, Workspace ws) {
        switch (op) {
            case NN -> provider.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
            case NT -> provider.gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
            case TN -> provider.gemmTN(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
            case NT_BF16 -> provider.gemmNTBf16(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
        }
    }

    /** Operands of one product in their stored layout, with NaN in every padding element. */
    private static final class Problem {
        final Op op;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final float[] aValues;
        final float[] bValues;
        final short[] bBits;

        Problem(Op op, int m, int n, int k, int pad, long seed, boolean corners) {
            this.op = op;
            this.m = m;
            this.n = n;
            this.k = k;
            int aRows = op == Op.TN ? k : m;
            int aCols = op == Op.TN ? m : k;
            int bRows = op == Op.NN || op == Op.TN ? k : n;
            int bCols = op == Op.NN || op == Op.TN ? n : k;
            lda = aCols + pad;
            ldb = bCols + pad;
            ldc = n + pad;
            aValues = padded(TestData.gaussian(seed, aRows * lda), lda, aCols);
            if (corners) {
                sprinkleCorners(aValues, lda, aCols, seed);
            }
            bValues = padded(TestData.gaussian(seed + 1, bRows * ldb), ldb, bCols);
            bBits = TestData.toBf16(bValues);
            if (op == Op.NT_BF16) {
                for (int i = 0; i < bValues.length; i++) {
                    bValues[i] = Layouts.bf16ToFloat(bBits[i]);
                }
            }
        }

        float a(int i, int p) {
            return op == Op.TN ? aValues[p * lda + i] : aValues[i * lda + p];
        }

        float b(int p, int j) {
            return op == Op.NN || op == Op.TN ? bValues[p * ldb + j] : bValues[j * ldb + p];
        }

        long aRowOffset(int i0) {
            return op == Op.TN ? i0 : (long) i0 * lda;
        }

        long bColumnOffset(int j0) {
            return op == Op.NN || op == Op.TN ? j0 : (long) j0 * ldb;
        }

        MemorySegment aSegment(Arena arena, int offset) {
            return TestData.floats(arena, aValues, offset);
        }

        MemorySegment bSegment(Arena arena, int offset) {
            return op == Op.NT_BF16 ? TestData.bf16(arena, bBits, offset) : TestData.floats(arena, bValues, offset);
        }

        private static float[] padded(float[] values, int ld, int cols) {
            for (int i = 0; i < values.length; i++) {
                if (i % ld >= cols) {
                    values[i] = Float.NaN;
                }
            }
            return values;
        }

        /** NaN, ±Inf, ±0 and subnormals in about one element in eight (no overflowing magnitudes). */
        private static void sprinkleCorners(float[] values, int ld, int cols, long seed) {
            float[] corners = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
                Float.MIN_VALUE, -1.0e-40f, Float.MIN_NORMAL};
            SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            int placed = 0;
            for (int i = 0; i < values.length; i++) {
                if (i % ld < cols && random.nextInt(8) == 0) {
                    values[i] = corners[placed++ % corners.length];
                }
            }
            assertEquals(true, placed > corners.length, "corner values placed");
        }
    }

    /**
     * With k = 16400 the packed A of 200 rows exceeds the packing cap, so A is packed in two row chunks (192 + 8) and B
     * once per chunk; with beta = 0 every element is still the scalar reference's fused multiply-add chain, bit for
     * bit, for both A layouts and both encoder drivers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("simdProviders")
    void shouldMatchScalarBitsWhenAIsPackedInRowChunks(ProviderCase pc) {
        int m = 200;
        int n = 70;
        int k = 16400;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = TestData.floats(arena, TestData.gaussian(91, m * k), 0);
            MemorySegment b = TestData.floats(arena, TestData.gaussian(92, n * k), 0);
            MemorySegment bias = TestData.floats(arena, TestData.gaussian(93, n), 0);
            MemorySegment expected = arena.allocate((long) m * n * Float.BYTES, 64);
            MemorySegment actual = arena.allocate((long) m * n * Float.BYTES, 64);
            Workspace ws = new Workspace("chunk-test");
            SCALAR_CHUNK_RESULTS.computeIfAbsent("nt", key -> {
                Providers.scalar().gemmNT(m, n, k, 1.25f, a, 0, k, b, 0, k, 0f, expected, 0, n, ws);
                return TestData.read(expected, 0, m * n);
            });
            pc.provider().gemmNT(m, n, k, 1.25f, a, 0, k, b, 0, k, 0f, actual, 0, n, ws);
            assertBitsEqual(SCALAR_CHUNK_RESULTS.get("nt"), TestData.read(actual, 0, m * n), pc + " gemmNT");
            // The same buffer read as A stored k×m (gemmTN packs A by columns).
            SCALAR_CHUNK_RESULTS.computeIfAbsent("tn", key -> {
                Providers.scalar().gemmTN(m, n, k, 1f, a, 0, m, b, 0, n, 0f, expected, 0, n, ws);
                return TestData.read(expected, 0, m * n);
            });
            pc.provider().gemmTN(m, n, k, 1f, a, 0, m, b, 0, n, 0f, actual, 0, n, ws);
            assertBitsEqual(SCALAR_CHUNK_RESULTS.get("tn"), TestData.read(actual, 0, m * n), pc + " gemmTN");
            SCALAR_CHUNK_RESULTS.computeIfAbsent("relu", key -> {
                Providers.scalar().encodeRelu(m, n, k, a, 0, k, b, 0, k, bias, 0, expected, 0, n, ws);
                return TestData.read(expected, 0, m * n);
            });
            pc.provider().encodeRelu(m, n, k, a, 0, k, b, 0, k, bias, 0, actual, 0, n, ws);
            assertBitsEqual(SCALAR_CHUNK_RESULTS.get("relu"), TestData.read(actual, 0, m * n), pc + " encodeRelu");
            int kept = 5;
            int[] expectedIndices = new int[m * kept];
            float[] expectedValues = new float[m * kept];
            Providers.scalar().encodeTopK(m, n, k, a, 0, k, b, 0, k, bias, 0, kept, expectedIndices, expectedValues,
                    0, ws);
            int[] indices = new int[m * kept];
            float[] values = new float[m * kept];
            pc.provider().encodeTopK(m, n, k, a, 0, k, b, 0, k, bias, 0, kept, indices, values, 0, ws);
            assertEquals(java.util.Arrays.toString(expectedIndices), java.util.Arrays.toString(indices),
                    pc + " encodeTopK indices");
            assertBitsEqual(expectedValues, values, pc + " encodeTopK values");
            ws.close();
        }
    }

    /** Scalar results of the chunked-packing test, computed once for all SIMD widths. */
    private static final java.util.Map<String, float[]> SCALAR_CHUNK_RESULTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    static Stream<ProviderCase> simdProviders() {
        return Providers.simd().stream();
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String context) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], context + ": element " + i);
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        context + ": bits of element " + i);
            }
        }
    }
}
