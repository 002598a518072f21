package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.TopKHeap;
import org.sae4j.tensor.Layouts;

/**
 * Scalar reference for matrix-matrix products and the fused SAE encoders: a plain triple loop, each output element
 * one sequential fused multiply-add chain over p = 0..k−1. Clear rather than fast: it is the oracle and the fallback.
 */
public final class ScalarGemm {

    private ScalarGemm() {
    }

    /** {@code C = alpha·A·B + beta·C}, A m×k, B k×n. */
    public static void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a.getAtIndex(F32, aOff + (long) i * lda + p),
                            b.getAtIndex(F32, bOff + (long) p * ldb + j), s);
                }
                long ci = cOff + (long) i * ldc + j;
                c.setAtIndex(F32, ci, ScalarGemv.combine(alpha, s, beta, c, ci));
            }
        }
    }

    /** {@code C = alpha·A·Bᵀ + beta·C}, A m×k, B n×k. */
    public static void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = ScalarBlas1.dot(k, a, aOff + (long) i * lda, b, bOff + (long) j * ldb);
                long ci = cOff + (long) i * ldc + j;
                c.setAtIndex(F32, ci, ScalarGemv.combine(alpha, s, beta, c, ci));
            }
        }
    }

    /** {@code C = alpha·Aᵀ·B + beta·C}, A k×m, B k×n. */
    public static void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a.getAtIndex(F32, aOff + (long) p * lda + i),
                            b.getAtIndex(F32, bOff + (long) p * ldb + j), s);
                }
                long ci = cOff + (long) i * ldc + j;
                c.setAtIndex(F32, ci, ScalarGemv.combine(alpha, s, beta, c, ci));
            }
        }
    }

    /** {@code C = alpha·A·Bᵀ + beta·C}, A m×k fp32, B n×k bf16. */
    public static void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda,
                                  MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff,
                                  int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float bjp = Layouts.bf16ToFloat(b.getAtIndex(BF16, bOff + (long) j * ldb + p));
                    s = Math.fma(a.getAtIndex(F32, aOff + (long) i * lda + p), bjp, s);
                }
                long ci = cOff + (long) i * ldc + j;
                c.setAtIndex(F32, ci, ScalarGemv.combine(alpha, s, beta, c, ci));
            }
        }
    }

    /** {@code Z = X·Wᵀ + bias}. */
    public static void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = ScalarBlas1.dot(k, x, xOff + (long) i * ldx, w, wOff + (long) j * ldw);
                z.setAtIndex(F32, zOff + (long) i * ldz + j, s + bias.getAtIndex(F32, biasOff + j));
            }
        }
    }

    /** {@code Z = max(X·Wᵀ + bias, 0)}. */
    public static void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
        for (int i = 0; i < m; i++) {
            long row = zOff + (long) i * ldz;
            for (int j = 0; j < n; j++) {
                z.setAtIndex(F32, row + j, Math.max(z.getAtIndex(F32, row + j), 0f));
            }
        }
    }

    /** {@code Z = (P > theta) ? P : 0}, {@code P = X·Wᵀ + bias}. */
    public static void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                      long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment theta,
                                      long thetaOff, MemorySegment z, long zOff, int ldz) {
        encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
        for (int i = 0; i < m; i++) {
            long row = zOff + (long) i * ldz;
            for (int j = 0; j < n; j++) {
                float p = z.getAtIndex(F32, row + j);
                z.setAtIndex(F32, row + j, p > theta.getAtIndex(F32, thetaOff + j) ? p : 0f);
            }
        }
    }

    /** Row-wise top-k of {@code X·Wᵀ + bias}, each pre-activation offered to the row's heap as it is computed. */
    public static void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, int topK, int[] indices,
                                  float[] values, int off) {
        int kept = Math.min(topK, n);
        for (int i = 0; i < m; i++) {
            int rowOff = off + i * kept;
            int size = 0;
            for (int j = 0; j < n; j++) {
                float p = ScalarBlas1.dot(k, x, xOff + (long) i * ldx, w, wOff + (long) j * ldw)
                        + bias.getAtIndex(F32, biasOff + j);
                size = TopKHeap.offer(p, j, kept, indices, values, rowOff, size);
            }
            TopKHeap.sortByIndex(indices, values, rowOff, size);
        }
    }
}
