package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarGemv;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdGemv {

    private SimdGemv() {
    }

    public static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    public static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    public static void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    public static void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvTransposedBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }
}
