package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarGemm;
import org.sae4j.kernel.Workspace;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdGemm {

    private SimdGemm() {
    }

    public static void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public static void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public static void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
            int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmTN(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public static void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        ScalarGemm.gemmNTBf16(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public static void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        ScalarGemm.encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
    }

    public static void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
            MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        ScalarGemm.encodeRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
    }

    public static void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
            int ldw, MemorySegment bias, long biasOff, MemorySegment theta, long thetaOff, MemorySegment z, long zOff,
            int ldz, Workspace ws) {
        ScalarGemm.encodeJumpRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z, zOff, ldz);
    }

    public static void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
            long wOff, int ldw, MemorySegment bias, long biasOff, int topK, int[] indices, float[] values, int off,
            Workspace ws) {
        ScalarGemm.encodeTopK(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, topK, indices, values, off);
    }
}
