package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.Layouts;

/**
 * Scalar reference for matrix-vector products. Every output element is one sequential fused multiply-add chain over
 * the reduction index, then {@code alpha·s + beta·y} (or {@code alpha·s} when {@code beta == 0}).
 */
public final class ScalarGemv {

    private ScalarGemv() {
    }

    /** {@code y = alpha·A·x + beta·y}, A m×n fp32. */
    public static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                            long xOff, float beta, MemorySegment y, long yOff) {
        for (int i = 0; i < m; i++) {
            float s = ScalarBlas1.dot(n, a, aOff + (long) i * lda, x, xOff);
            y.setAtIndex(F32, yOff + i, combine(alpha, s, beta, y, yOff + i));
        }
    }

    /** {@code y = alpha·Aᵀ·x + beta·y}, A m×n fp32; y has n elements. */
    public static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                      MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        for (int j = 0; j < n; j++) {
            float s = 0f;
            for (int i = 0; i < m; i++) {
                s = Math.fma(a.getAtIndex(F32, aOff + (long) i * lda + j), x.getAtIndex(F32, xOff + i), s);
            }
            y.setAtIndex(F32, yOff + j, combine(alpha, s, beta, y, yOff + j));
        }
    }

    /** {@code y = alpha·A·x + beta·y}, A m×n bf16. */
    public static void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                                long xOff, float beta, MemorySegment y, long yOff) {
        for (int i = 0; i < m; i++) {
            long row = aOff + (long) i * lda;
            float s = 0f;
            for (int j = 0; j < n; j++) {
                s = Math.fma(Layouts.bf16ToFloat(a.getAtIndex(BF16, row + j)), x.getAtIndex(F32, xOff + j), s);
            }
            y.setAtIndex(F32, yOff + i, combine(alpha, s, beta, y, yOff + i));
        }
    }

    /** {@code y = alpha·Aᵀ·x + beta·y}, A m×n bf16; y has n elements. */
    public static void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                          MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        for (int j = 0; j < n; j++) {
            float s = 0f;
            for (int i = 0; i < m; i++) {
                float aij = Layouts.bf16ToFloat(a.getAtIndex(BF16, aOff + (long) i * lda + j));
                s = Math.fma(aij, x.getAtIndex(F32, xOff + i), s);
            }
            y.setAtIndex(F32, yOff + j, combine(alpha, s, beta, y, yOff + j));
        }
    }

    /** {@code alpha·s + beta·y[i]}, not reading y when beta is zero (BLAS semantics). */
    static float combine(float alpha, float s, float beta, MemorySegment y, long yIndex) {
        return beta == 0f ? alpha * s : Math.fma(beta, y.getAtIndex(F32, yIndex), alpha * s);
    }
}
