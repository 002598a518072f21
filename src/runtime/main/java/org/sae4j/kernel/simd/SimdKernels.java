package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;

/**
 * The Vector API provider. Its species is fixed once per class loader by {@link SimdSpecies}; it is loaded
 * reflectively by {@code KernelSelector} so that the scalar path never links incubator classes.
 *
 * <p><b>Note:</b> stateless and thread-safe; allocates nothing (GEMM uses the caller's workspace).
 */
public final class SimdKernels implements KernelProvider {

    /** Public no-argument constructor for reflective loading. */
    public SimdKernels() {
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int vectorBitSize() {
        return SimdSpecies.F.vectorBitSize();
    }

    @Override
    public float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        return SimdBlas1.dot(n, x, xOff, y, yOff);
    }

    @Override
    public float sumSquares(int n, MemorySegment x, long xOff) {
        return SimdBlas1.sumSquares(n, x, xOff);
    }

    @Override
    public void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        SimdBlas1.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, float alpha, MemorySegment x, long xOff) {
        SimdBlas1.scale(n, alpha, x, xOff);
    }

    @Override
    public void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out, long outOff) {
        SimdBlas1.rowSumSquares(m, n, a, aOff, lda, out, outOff);
    }

    @Override
    public void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y, long yOff) {
        SimdActivation.biasRelu(n, x, xOff, b, bOff, y, yOff);
    }

    @Override
    public void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment theta,
            long thetaOff, MemorySegment y, long yOff) {
        SimdActivation.biasJumpRelu(n, x, xOff, b, bOff, theta, thetaOff, y, yOff);
    }

    @Override
    public void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff,
            MemorySegment magnitudeScale, long sOff, MemorySegment magnitudeBias, long bOff) {
        SimdActivation.gatedRelu(n, z, zOff, gateBias, gOff, magnitudeScale, sOff, magnitudeBias, bOff);
    }

    @Override
    public void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        SimdActivation.softThreshold(n, lambda, x, xOff, y, yOff);
    }

    @Override
    public void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        SimdActivation.softThresholdNonNegative(n, lambda, x, xOff, y, yOff);
    }

    @Override
    public void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        SimdGradient.reluGradient(n, a, aOff, g, gOff, shift);
    }

    @Override
    public void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        SimdGradient.scaleShifted(n, z, zOff, g, gOff, shift);
    }

    @Override
    public void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        SimdActivation.exp(n, x, xOff, y, yOff);
    }

    @Override
    public void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        SimdWiden.widenBf16(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        SimdWiden.narrowToBf16(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m, long mOff,
            MemorySegment v, long vOff, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
        SimdAdam.adam(n, p, pOff, g, gOff, m, mOff, v, vOff, beta1, beta2, eps, stepSize, bc2Sqrt);
    }

    @Override
    public void gatherAxpy(int nnz, int[] indices, float[] values, int off, MemorySegment w, long wOff, int ldw, int d,
            MemorySegment y, long yOff) {
        SimdSparse.gatherAxpy(nnz, indices, values, off, w, wOff, ldw, d, y, yOff);
    }

    @Override
    public int countNonZero(int n, MemorySegment x, long xOff) {
        return SimdCompact.countNonZero(n, x, xOff);
    }

    @Override
    public int compactNonZero(int n, MemorySegment x, long xOff, int column0, int[] indices, float[] values, int off,
            int limit) {
        return SimdCompact.compactNonZero(n, x, xOff, column0, indices, values, off, limit);
    }

    @Override
    public int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        return SimdTopK.topK(n, x, xOff, k, indices, values, off);
    }

    @Override
    public void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values, int off) {
        SimdGroupMax.groupMax(n, groups, x, xOff, indices, values, off);
    }

    @Override
    public int topKMerge(int n, MemorySegment x, long xOff, int column0, int k, int[] heapIndices, float[] heapValues,
            int heapOff, int size) {
        return SimdTopK.topKMerge(n, x, xOff, column0, k, heapIndices, heapValues, heapOff, size);
    }

    @Override
    public void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        SimdGemv.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        SimdGemv.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        SimdGemv.gemvBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        SimdGemv.gemvTransposedBf16(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        SimdGemm.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    @Override
    public void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        SimdGemm.gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    @Override
    public void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        SimdGemm.gemmTN(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    @Override
    public void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        SimdGemm.gemmNTBf16(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    @Override
    public void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        SimdGemm.encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz, ws);
    }

    @Override
    public void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        SimdGemm.encodeRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz, ws);
    }

    @Override
    public void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
            int ldw, MemorySegment bias, long biasOff, MemorySegment theta, long thetaOff, MemorySegment z, long zOff,
            int ldz, Workspace ws) {
        SimdGemm.encodeJumpRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z, zOff, ldz, ws);
    }

    @Override
    public void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
            int ldw, MemorySegment bias, long biasOff, int topK, int[] indices, float[] values, int off,
            Workspace ws) {
        SimdGemm.encodeTopK(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, topK, indices, values, off, ws);
    }
}
