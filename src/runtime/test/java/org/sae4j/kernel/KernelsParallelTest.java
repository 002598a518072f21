package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sae4j.tensor.SparseCode;
import org.sae4j.testing.TestData;

/** The facade splits work over threads; results must be bit-identical for every thread count. */
final class KernelsParallelTest {

    private static final int M = 150;
    private static final int N = 700;
    private static final int K = 67;

    /** More threads than this machine may have cores, so that chunks are uneven and workers interleave. */
    private static final int MANY = 3;

    private final Arena arena = Arena.ofShared();
    private final KernelContext one = KernelContext.create("one", 1);
    private final KernelContext many = KernelContext.create("many", MANY);

    @AfterEach
    void close() {
        arena.close();
        one.close();
        many.close();
    }

    @Test
    void shouldGiveBitIdenticalEncodingsForOneAndAllThreads() {
        MemorySegment x = TestData.floats(arena, TestData.gaussian(11, M * K), 0);
        MemorySegment w = TestData.floats(arena, TestData.gaussian(12, N * K), 0);
        MemorySegment b = TestData.floats(arena, TestData.gaussian(13, N), 0);
        float[][] results = new float[2][];
        int[][] topIndices = new int[2][];
        for (int run = 0; run < 2; run++) {
            int r = run;
            (run == 0 ? one : many).run(() -> {
                MemorySegment z = arena.allocate((long) M * N * Float.BYTES, 64);
                Kernels.encodeRelu(M, N, K, x, 0, K, w, 0, K, b, 0, z, 0, N);
                results[r] = TestData.read(z, 0, M * N);
                SparseCode code = SparseCode.withCapacity(M, N, M * 16);
                Kernels.encodeTopK(M, N, K, x, 0, K, w, 0, K, b, 0, 16, code);
                topIndices[r] = java.util.Arrays.copyOf(code.indices(), code.nnz());
            });
        }
        assertArrayEquals(results[0], results[1], "encodeRelu, 1 vs " + MANY + " threads");
        assertArrayEquals(topIndices[0], topIndices[1], "encodeTopK, 1 vs " + MANY + " threads");
    }

    @Test
    void shouldGiveBitIdenticalGemvForOneAndAllThreads() {
        int m = 4099;
        int n = 300;
        MemorySegment a = TestData.floats(arena, TestData.gaussian(21, m * n), 0);
        MemorySegment x = TestData.floats(arena, TestData.gaussian(22, Math.max(m, n)), 0);
        float[][] results = new float[4][];
        for (int run = 0; run < 2; run++) {
            int r = run;
            (run == 0 ? one : many).run(() -> {
                MemorySegment y = arena.allocate((long) m * Float.BYTES, 64);
                Kernels.gemv(m, n, 1f, a, 0, n, x, 0, 0f, y, 0);
                results[r] = TestData.read(y, 0, m);
                MemorySegment yt = arena.allocate((long) n * Float.BYTES, 64);
                Kernels.gemvTransposed(m, n, 1f, a, 0, n, x, 0, 0f, yt, 0);
                results[2 + r] = TestData.read(yt, 0, n);
            });
        }
        assertArrayEquals(results[0], results[1], "gemv");
        assertArrayEquals(results[2], results[3], "gemvTransposed");
        assertEquals(m, results[0].length);
    }

    @Test
    void shouldRunOnTheCallerWhenASegmentIsConfinedToIt() {
        try (Arena confined = Arena.ofConfined()) {
            int m = 512;
            int n = 512;
            MemorySegment a = TestData.floats(confined, TestData.gaussian(41, m * n), 0);
            MemorySegment x = TestData.floats(confined, TestData.gaussian(42, n), 0);
            MemorySegment y = confined.allocate((long) m * Float.BYTES, 64);
            Kernels.gemv(m, n, 1f, a, 0, n, x, 0, 0f, y, 0);
            MemorySegment expected = arena.allocate((long) m * Float.BYTES, 64);
            Kernels.provider().gemv(m, n, 1f, a, 0, n, x, 0, 0f, expected, 0);
            assertArrayEquals(TestData.read(expected, 0, m), TestData.read(y, 0, m));
        }
    }

    @Test
    void shouldDecodeEachRowAsBiasPlusTheGatheredRows() {
        int d = 33;
        int latents = 10;
        MemorySegment w = TestData.floats(arena, TestData.gaussian(31, latents * d), 0);
        MemorySegment bias = TestData.floats(arena, TestData.gaussian(32, d), 0);
        SparseCode code = SparseCode.withCapacity(2, latents, 4);
        code.resetFixed(2, 2);
        code.indices()[0] = 1;
        code.indices()[1] = 7;
        code.indices()[2] = 0;
        code.indices()[3] = 9;
        code.values()[0] = 0.5f;
        code.values()[1] = -2f;
        code.values()[2] = 3f;
        code.values()[3] = 1f;
        MemorySegment out = arena.allocate(2L * d * Float.BYTES, 64);
        Kernels.decode(code, w, 0, d, d, bias, 0, out, 0, d);
        float[] wv = TestData.read(w, 0, latents * d);
        float[] bv = TestData.read(bias, 0, d);
        float[] got = TestData.read(out, 0, 2 * d);
        for (int j = 0; j < d; j++) {
            float row0 = Math.fma(-2f, wv[7 * d + j], Math.fma(0.5f, wv[d + j], bv[j]));
            float row1 = Math.fma(1f, wv[9 * d + j], Math.fma(3f, wv[j], bv[j]));
            assertEquals(row0, got[j], "row 0, column " + j);
            assertEquals(row1, got[d + j], "row 1, column " + j);
        }
    }
}
