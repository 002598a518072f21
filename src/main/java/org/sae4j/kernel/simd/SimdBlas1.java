package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarBlas1;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdBlas1 {

    private SimdBlas1() {
    }

    public static float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        return ScalarBlas1.dot(n, x, xOff, y, yOff);
    }

    public static float sumSquares(int n, MemorySegment x, long xOff) {
        return ScalarBlas1.sumSquares(n, x, xOff);
    }

    public static void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarBlas1.axpy(n, alpha, x, xOff, y, yOff);
    }

    public static void scale(int n, float alpha, MemorySegment x, long xOff) {
        ScalarBlas1.scale(n, alpha, x, xOff);
    }

    public static void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out, long outOff) {
        ScalarBlas1.rowSumSquares(m, n, a, aOff, lda, out, outOff);
    }

    public static void columnSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out, long outOff) {
        ScalarBlas1.columnSumSquares(m, n, a, aOff, lda, out, outOff);
    }

    public static void scaleRows(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        ScalarBlas1.scaleRows(m, n, a, aOff, lda, f, fOff);
    }

    public static void scaleColumns(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        ScalarBlas1.scaleColumns(m, n, a, aOff, lda, f, fOff);
    }
}
