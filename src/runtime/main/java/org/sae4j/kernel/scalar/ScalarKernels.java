package org.sae4j.kernel.scalar;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;

/**
 * The scalar provider: plain loops written for clarity. It is the oracle every SIMD kernel is tested against and the
 * production fallback when the Vector API is unavailable or C2 is off.
 *
 * <p><b>Note:</b> stateless and thread-safe; allocates nothing. GEMM ignores the workspace.
 */
public final class ScalarKernels implements KernelProvider {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return Float.SIZE;
    }

    @Override
    public float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        return ScalarBlas1.dot(n, x, xOff, y, yOff);
    }

    @Override
    public float sumSquares(int n, MemorySegment x, long xOff) {
        return ScalarBlas1.sumSquares(n, x, xOff);
    }

    @Override
    public void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarBlas1.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, float alpha, MemorySegment x, long xOff) {
        ScalarBlas1.scale(n, alpha, x, xOff);
    }

    @Override
    public void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out, long outOff) {
        ScalarBlas1.rowSumSquares(m, n, a, aOff, lda, out, outOff);
    }

    @Override
    public void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y, long yOff) {
        ScalarActivation.biasRelu(n, x, xOff, b, bOff, y, yOff);
    }

    @Override
    public void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment theta,
            long thetaOff, MemorySegment y, long yOff) {
        ScalarActivation.biasJumpRelu(n, x, xOff, b, bOff, theta, thetaOff, y, yOff);
    }

    @Override
    public void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff,
            MemorySegment magnitudeScale, long sOff, MemorySegment magnitudeBias, long bOff) {
        ScalarActivation.gatedRelu(n, z, zOff, gateBias, gOff, magnitudeScale, sOff, magnitudeBias, bOff);
    }

    @Override
    public void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarActivation.softThreshold(n, lambda, x, xOff, y, yOff);
    }

    @Override
    public void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarActivation.softThresholdNonNegative(n, lambda, x, xOff, y, yOff);
    }

    @Override
    public void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        ScalarGradient.reluGradient(n, a, aOff, g, gOff, shift);
    }

    @Override
    public void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        ScalarGradient.scaleShifted(n, z, zOff, g, gOff, shift);
    }

    @Override
    public void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarActivation.exp(n, x, xOff, y, yOff);
    }

    @Override
    public void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        ScalarWiden.widenBf16(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        ScalarWiden.narrowToBf16(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m, long mOff,
            MemorySegment v, long vOff, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
        ScalarAdam.adam(n, p, pOff, g, gOff, m, mOff, v, vOff, beta1, beta2, eps, stepSize, bc2Sqrt);
    }

    @Override
    public void gatherAxpy(int nnz, int[] indices, float[] values, int off, MemorySegment w, long wOff, int ldw, int d,
            MemorySegment y, long yOff) {
        ScalarSparse.gatherAxpy(nnz, indices, values, off, w, wOff, ldw, d, y, yOff);
    }

    @Override
    public int countNonZero(int n, MemorySegment x, long xOff) {
        return ScalarCompact.countNonZero(n, x, xOff);
    }

    @Override
    public int compactNonZero(int n, MemorySegment x, long xOff, int column0, int[] indices, float[] values, int off,
            int limit) {
        return ScalarCompact.compactNonZero(n, x, xOff, column0, indices, values, off, limit);
    }

    @Override
    public int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        return ScalarTopK.topK(n, x, xOff, k, indices, values, off);
    }

    @Override
    public void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values, int off) {
        ScalarGroupMax.groupMax(n, groups, x, xOff, indices, values, off);
    }

    @Override
    public int topKMerge(int n, MemorySegment x, long xOff, int column0, int k, int[] heapIndices, float[] heapValues,
            int heapOff, int size) {
        return ScalarTopK.topKMerge(n, x, xOff, column0, k, heapIndices, heapValues, heapOff, size);
    }

    @Override
    public void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        ScalarGemv.gemvTransposedBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmTN(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmNTBf16(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        ScalarGemm.encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
    }

    @Override
    public void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        ScalarGemm.encodeRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
    }

    @Override
    public void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
            int ldw, MemorySegment bias, long biasOff, MemorySegment theta, long thetaOff, MemorySegment z, long zOff,
            int ldz, Workspace ws) {
        ScalarGemm.encodeJumpRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z, zOff, ldz);
    }

    @Override
    public void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
            int ldw, MemorySegment bias, long biasOff, int topK, int[] indices, float[] values, int off,
            Workspace ws) {
        ScalarGemm.encodeTopK(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, topK, indices, values, off);
    }
}
