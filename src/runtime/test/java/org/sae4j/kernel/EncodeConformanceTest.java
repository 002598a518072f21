package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * The fused SAE encoders of every provider. {@code encodeBias} is checked against a double-precision reference
 * within the error bound of a (k + 1)-term sum; the ReLU and JumpReLU epilogues bit-exactly against the same
 * provider's {@code encodeBias} output (so only the epilogue is compared, not the rounding of the product); the top-k
 * encoder must select exactly the index set, and values, that the scalar {@code topK} selects from the same provider's
 * {@code encodeBias} row, so that rounding differences between providers cannot flip the set. Ties come from
 * duplicated W rows and biases, thresholds equal to pre-activations, a NaN row and an all-zero row.
 */
@Tag("kernel")
final class EncodeConformanceTest {

    private static final long[] SEEDS = {3L, 777L};

    /** (m, n, k): empty and unit dimensions, register-tile and cache-block edges, several k blocks. */
    private static final int[][] SHAPES = {
        {0, 5, 7}, {4, 0, 7}, {3, 9, 0}, {1, 1, 1}, {2, 17, 3}, {6, 64, 8}, {7, 65, 19}, {13, 33, 385},
        {37, 71, 53}, {97, 257, 24}, {9, 300, 769}
    };

    private static final int[] PADS = {0, 3};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int s = 0; s < SHAPES.length; s++) {
                for (int variant = 0; variant < 2; variant++) {
                    int[] shape = SHAPES[s];
                    cases.add(Arguments.of(provider, shape[0], shape[1], shape[2],
                            TestData.OFFSETS[(s + variant) % TestData.OFFSETS.length], PADS[variant],
                            SEEDS[(s + variant) % SEEDS.length]));
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> providers() {
        return Providers.all().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} off={4} pad={5} seed={6}")
    @MethodSource("cases")
    void shouldMatchBiasOutputAndBoundWhenEncodingDense(ProviderCase pc, int m, int n, int k, int offset, int pad,
                                                        long seed) {
        Problem p = new Problem(m, n, k, pad, seed);
        String context = pc + " m=" + m + " n=" + n + " k=" + k + " off=" + offset + " pad=" + pad + " seed=" + seed;
        KernelProvider kp = pc.provider();
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment x = TestData.floats(arena, p.x, offset);
            MemorySegment w = TestData.floats(arena, p.w, 2 * offset);
            MemorySegment bias = TestData.floats(arena, p.bias, offset);
            MemorySegment zb = p.output(arena, offset);
            kp.encodeBias(m, n, k, x, offset, p.ldx, w, 2 * offset, p.ldw, bias, offset, zb, offset, p.ldz, ws);
            float[] pre = TestData.read(zb, offset, m * p.ldz);
            // Thresholds: a few equal to row 0's pre-activation (strict comparison gives 0), NaN, -Inf.
            float[] theta = TestData.gaussian(seed + 9, n);
            for (int j = 0; j < n; j++) {
                if (m > 0 && j % 3 == 0) {
                    theta[j] = pre[j];
                } else if (j % 7 == 1) {
                    theta[j] = j % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
                }
            }
            MemorySegment th = TestData.floats(arena, theta, offset);
            MemorySegment zr = p.output(arena, offset);
            MemorySegment zj = p.output(arena, offset);
            kp.encodeRelu(m, n, k, x, offset, p.ldx, w, 2 * offset, p.ldw, bias, offset, zr, offset, p.ldz, ws);
            kp.encodeJumpRelu(m, n, k, x, offset, p.ldx, w, 2 * offset, p.ldw, bias, offset, th, offset, zj, offset,
                    p.ldz, ws);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < p.ldz; j++) {
                    int at = i * p.ldz + j;
                    String where = context + " Z[" + i + "," + j + "]";
                    float relu = zr.getAtIndex(F32, offset + at);
                    float jump = zj.getAtIndex(F32, offset + at);
                    if (j >= n) {
                        Tolerance.assertBitExact(Float.NaN, pre[at], where + " bias wrote row padding");
                        Tolerance.assertBitExact(Float.NaN, relu, where + " relu wrote row padding");
                        Tolerance.assertBitExact(Float.NaN, jump, where + " jumpRelu wrote row padding");
                        continue;
                    }
                    double exact = p.bias[j];
                    double sumAbs = Math.abs((double) p.bias[j]);
                    for (int q = 0; q < k; q++) {
                        double prod = (double) p.x[i * p.ldx + q] * p.w[j * p.ldw + q];
                        exact += prod;
                        sumAbs += Math.abs(prod);
                    }
                    Tolerance.assertWithin(exact, pre[at], Tolerance.dotBound(k + 1, sumAbs), where + " bias");
                    Tolerance.assertBitExact(Math.max(pre[at], 0f), relu, where + " relu of " + pre[at]);
                    Tolerance.assertBitExact(pre[at] > theta[j] ? pre[at] : 0f, jump,
                            where + " jumpRelu of " + pre[at] + " theta " + theta[j]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} off={4} pad={5} seed={6}")
    @MethodSource("cases")
    void shouldSelectScalarTopKOfOwnBiasOutputWhenEncodingTopK(ProviderCase pc, int m, int n, int k, int offset,
                                                               int pad, long seed) {
        Problem p = new Problem(m, n, k, pad, seed);
        KernelProvider kp = pc.provider();
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment x = TestData.floats(arena, p.x, offset);
            MemorySegment w = TestData.floats(arena, p.w, 2 * offset);
            MemorySegment bias = TestData.floats(arena, p.bias, offset);
            MemorySegment zb = p.output(arena, 0);
            kp.encodeBias(m, n, k, x, offset, p.ldx, w, 2 * offset, p.ldw, bias, offset, zb, 0, p.ldz, ws);
            for (int topK : new int[] {0, 1, 5, 32, n, n + 3}) {
                String context = pc + " m=" + m + " n=" + n + " k=" + k + " topK=" + topK + " off=" + offset
                        + " seed=" + seed;
                int kept = Math.min(topK, n);
                int start = 2;
                int[] indices = new int[start + m * kept + 1];
                float[] values = new float[indices.length];
                Arrays.fill(indices, -7);
                kp.encodeTopK(m, n, k, x, offset, p.ldx, w, 2 * offset, p.ldw, bias, offset, topK, indices, values,
                        start, ws);
                assertEquals(-7, indices[0], context + " wrote before off");
                assertEquals(-7, indices[indices.length - 1], context + " wrote past the last row");
                int[] expectedIndices = new int[kept];
                float[] expectedValues = new float[kept];
                for (int i = 0; i < m; i++) {
                    int size = Providers.scalar().topK(n, zb, (long) i * p.ldz, topK, expectedIndices,
                            expectedValues, 0);
                    assertEquals(kept, size, context + " row " + i);
                    int rowOff = start + i * kept;
                    assertArrayEquals(expectedIndices, Arrays.copyOfRange(indices, rowOff, rowOff + kept),
                            context + " row " + i + " indices");
                    for (int q = 0; q < kept; q++) {
                        Tolerance.assertBitExact(expectedValues[q], values[rowOff + q],
                                context + " row " + i + " value of latent " + expectedIndices[q]);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void shouldGiveIdenticalBitsWhenOutputIsSplitIntoHalves(ProviderCase pc) {
        int m = 131;
        int n = 300;
        int k = 800;
        Problem p = new Problem(m, n, k, 1, 21L);
        KernelProvider kp = pc.provider();
        try (Arena arena = Arena.ofConfined(); Workspace ws = new Workspace("test")) {
            MemorySegment x = TestData.floats(arena, p.x, 0);
            MemorySegment w = TestData.floats(arena, p.w, 0);
            MemorySegment bias = TestData.floats(arena, p.bias, 0);
            MemorySegment whole = p.output(arena, 0);
            MemorySegment columns = p.output(arena, 0);
            MemorySegment rows = p.output(arena, 0);
            kp.encodeRelu(m, n, k, x, 0, p.ldx, w, 0, p.ldw, bias, 0, whole, 0, p.ldz, ws);
            int j0 = 147;
            kp.encodeRelu(m, j0, k, x, 0, p.ldx, w, 0, p.ldw, bias, 0, columns, 0, p.ldz, ws);
            kp.encodeRelu(m, n - j0, k, x, 0, p.ldx, w, (long) j0 * p.ldw, p.ldw, bias, j0, columns, j0, p.ldz, ws);
            int i0 = 61;
            kp.encodeRelu(i0, n, k, x, 0, p.ldx, w, 0, p.ldw, bias, 0, rows, 0, p.ldz, ws);
            kp.encodeRelu(m - i0, n, k, x, (long) i0 * p.ldx, p.ldx, w, 0, p.ldw, bias, 0, rows, (long) i0 * p.ldz,
                    p.ldz, ws);
            for (int i = 0; i < m * p.ldz; i++) {
                float expected = whole.getAtIndex(F32, i);
                String at = pc + " Z[" + i / p.ldz + "," + i % p.ldz + "]";
                Tolerance.assertBitExact(expected, columns.getAtIndex(F32, i), at + " (column split at " + j0 + ")");
                Tolerance.assertBitExact(expected, rows.getAtIndex(F32, i), at + " (row split at " + i0 + ")");
            }
            int topK = 32;
            int[] wholeIdx = new int[m * topK];
            float[] wholeVal = new float[m * topK];
            int[] splitIdx = new int[m * topK];
            float[] splitVal = new float[m * topK];
            kp.encodeTopK(m, n, k, x, 0, p.ldx, w, 0, p.ldw, bias, 0, topK, wholeIdx, wholeVal, 0, ws);
            kp.encodeTopK(i0, n, k, x, 0, p.ldx, w, 0, p.ldw, bias, 0, topK, splitIdx, splitVal, 0, ws);
            kp.encodeTopK(m - i0, n, k, x, (long) i0 * p.ldx, p.ldx, w, 0, p.ldw, bias, 0, topK, splitIdx, splitVal,
                    i0 * topK, ws);
            assertArrayEquals(wholeIdx, splitIdx, pc + " top-k indices after a row split at " + i0);
            for (int q = 0; q < wholeVal.length; q++) {
                Tolerance.assertBitExact(wholeVal[q], splitVal[q], pc + " top-k value " + q);
            }
        }
    }

    /** Inputs with ties and corner rows; Z is NaN-filled so that reading or over-writing it would show. */
    private static final class Problem {
        final int ldx;
        final int ldw;
        final int ldz;
        final float[] x;
        final float[] w;
        final float[] bias;
        final int m;

        Problem(int m, int n, int k, int pad, long seed) {
            this.m = m;
            ldx = k + pad;
            ldw = k + pad;
            ldz = n + pad;
            x = TestData.gaussian(seed, m * ldx);
            w = TestData.gaussian(seed + 1, n * ldw);
            bias = TestData.gaussian(seed + 2, n);
            // Latent j+4 duplicates latent j for j ≡ 0 (mod 5): equal pre-activations, broken by the lower index.
            for (int j = 0; j + 4 < n; j += 5) {
                System.arraycopy(w, j * ldw, w, (j + 4) * ldw, k);
                bias[j + 4] = bias[j];
            }
            if (m > 2 && k > 0) {
                Arrays.fill(x, ldx, ldx + k, 0f);
                x[2 * ldx + k / 2] = Float.NaN;
            }
            for (int i = 0; i < x.length; i++) {
                if (i % ldx >= k) {
                    x[i] = Float.NaN;
                }
            }
            for (int i = 0; i < w.length; i++) {
                if (i % ldw >= k) {
                    w[i] = Float.NaN;
                }
            }
        }

        MemorySegment output(Arena arena, int offset) {
            float[] z = new float[m * ldz];
            Arrays.fill(z, Float.NaN);
            return TestData.floats(arena, z, offset);
        }
    }
}
