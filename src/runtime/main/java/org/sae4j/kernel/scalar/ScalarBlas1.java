package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/** Scalar reference for level-1 operations and row/column reductions; see {@code KernelProvider}. */
public final class ScalarBlas1 {

    private ScalarBlas1() {
    }

    /** Returns {@code Σ x[i]·y[i]}, accumulated in index order with fused multiply-adds. */
    public static float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum = Math.fma(x.getAtIndex(F32, xOff + i), y.getAtIndex(F32, yOff + i), sum);
        }
        return sum;
    }

    /** Returns {@code Σ x[i]²}, accumulated in index order with fused multiply-adds. */
    public static float sumSquares(int n, MemorySegment x, long xOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float v = x.getAtIndex(F32, xOff + i);
            sum = Math.fma(v, v, sum);
        }
        return sum;
    }

    /** {@code y = alpha·x + y}, one fused multiply-add per element. */
    public static void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(F32, yOff + i, Math.fma(alpha, x.getAtIndex(F32, xOff + i), y.getAtIndex(F32, yOff + i)));
        }
    }

    /** {@code x = alpha·x}. */
    public static void scale(int n, float alpha, MemorySegment x, long xOff) {
        for (int i = 0; i < n; i++) {
            x.setAtIndex(F32, xOff + i, alpha * x.getAtIndex(F32, xOff + i));
        }
    }

    /** {@code out[i] = Σ_j a[i,j]²}. */
    public static void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out,
                                     long outOff) {
        for (int i = 0; i < m; i++) {
            out.setAtIndex(F32, outOff + i, sumSquares(n, a, aOff + (long) i * lda));
        }
    }

}
