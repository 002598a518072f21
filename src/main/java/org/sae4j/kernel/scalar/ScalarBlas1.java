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

    /** {@code out[j] = Σ_i a[i,j]²}, rows accumulated in order with fused multiply-adds. */
    public static void columnSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out,
                                        long outOff) {
        for (int j = 0; j < n; j++) {
            out.setAtIndex(F32, outOff + j, 0f);
        }
        for (int i = 0; i < m; i++) {
            long row = aOff + (long) i * lda;
            for (int j = 0; j < n; j++) {
                float v = a.getAtIndex(F32, row + j);
                out.setAtIndex(F32, outOff + j, Math.fma(v, v, out.getAtIndex(F32, outOff + j)));
            }
        }
    }

    /** {@code a[i,j] = a[i,j]·f[i]}. */
    public static void scaleRows(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        for (int i = 0; i < m; i++) {
            scale(n, f.getAtIndex(F32, fOff + i), a, aOff + (long) i * lda);
        }
    }

    /** {@code a[i,j] = a[i,j]·f[j]}. */
    public static void scaleColumns(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        for (int i = 0; i < m; i++) {
            long row = aOff + (long) i * lda;
            for (int j = 0; j < n; j++) {
                a.setAtIndex(F32, row + j, a.getAtIndex(F32, row + j) * f.getAtIndex(F32, fOff + j));
            }
        }
    }
}
