package org.sae4j.kernel.spi;

import java.lang.foreign.MemorySegment;

/**
 * The kernel SPI: one method per primitive, implemented once as a clear scalar reference and once with the
 * Vector API. Exactly one implementation is loaded per JVM (see {@code Kernels}), so call sites stay monomorphic.
 *
 * <p>Conventions shared by every method:
 * <ul>
 *   <li>Offsets ({@code xOff}, {@code aOff}, ...) and leading dimensions ({@code lda}, ...) count elements of the
 *       segment's storage type (fp32 unless a method says bf16), never bytes. Matrices are row-major.</li>
 *   <li>Implementations are single-threaded and allocate nothing; {@code Kernels} validates arguments and splits
 *       work over threads. Implementations only {@code assert}.</li>
 *   <li>When {@code beta == 0} the output is overwritten without being read (NaN in it does not propagate), as in
 *       BLAS.</li>
 *   <li>Ranking for top-k: larger value first, ties go to the lower index, NaN ranks below every number.</li>
 * </ul>
 */
public interface KernelProvider {

    /** {@code "scalar"} or {@code "simd"}. */
    String name();

    /** Width of the float vectors the provider computes with, in bits (32 for the scalar provider). */
    int vectorBitSize();

    /** Number of fp32 lanes per vector (1 for the scalar provider). */
    default int floatLanes() {
        return vectorBitSize() / Float.SIZE;
    }

    // ---- level 1 and reductions (Blas1) ----

    /** Returns {@code Σ x[i]·y[i]} over {@code n} elements. */
    float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** Returns {@code Σ x[i]²} over {@code n} elements. */
    float sumSquares(int n, MemorySegment x, long xOff);

    /** {@code y = alpha·x + y}; y modified, x not modified. */
    void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** {@code x = alpha·x}; x modified. */
    void scale(int n, float alpha, MemorySegment x, long xOff);

    /** {@code out[i] = Σ_j a[i,j]²} for an m×n matrix; out modified. */
    void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out, long outOff);

    // ---- element-wise activations (Activation) ----

    /** {@code y[i] = max(x[i] + b[i], 0)}; y modified (may alias x exactly). NaN inputs give NaN. */
    void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y, long yOff);

    /**
     * {@code y[i] = (x[i] + b[i] > theta[i]) ? x[i] + b[i] : 0} with a strict comparison; y modified (may alias x
     * exactly).
     */
    void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff,
                      MemorySegment theta, long thetaOff, MemorySegment y, long yOff);

    /**
     * {@code z[i] = (z[i] + gateBias[i] > 0) ? max(z[i]·magnitudeScale[i] + magnitudeBias[i], 0) : 0} in place, the
     * magnitude a multiply then an add (no FMA), a NaN gate closed; z modified, the parameters not modified.
     */
    void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff, MemorySegment magnitudeScale,
                   long sOff, MemorySegment magnitudeBias, long bOff);

    /** {@code y[i] = sign(x[i])·max(|x[i]| − lambda, 0)}; y modified (may alias x exactly). */
    void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** {@code y[i] = max(x[i] − lambda, 0)}, the non-negative proximal step; y modified (may alias x exactly). */
    void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** {@code g[i] = a[i] > 0 ? g[i] + shift : 0} (ReLU's derivative; NaN counts as inactive); g modified. */
    void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift);

    /** {@code g[i] = z[i]·(g[i] + shift)} (the chain rule through z = exp(θ)); g modified. */
    void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift);

    /**
     * {@code y[i] = exp(x[i])} by the scalar kernel's fixed sequence of operations, bit-exact across providers; may
     * alias exactly.
     */
    void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff);

    // ---- reduced precision (Widen) ----

    /** {@code dst[i] = (float) src[i]} for bf16 {@code src} (offset in bf16 elements); dst modified. */
    void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff);

    /** {@code dst[i] = bf16(src[i])}, rounding to nearest even, NaN kept quiet; dst (bf16) modified. */
    void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff);

    // ---- optimiser (Adam) ----

    /**
     * One Adam step in PyTorch's formulation: {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
     * {@code p = p − stepSize·m / (sqrt(v)/bc2Sqrt + eps)} where the caller passes
     * {@code stepSize = lr / (1 − β1^t)} and {@code bc2Sqrt = sqrt(1 − β2^t)}. p, m, v modified; g not modified.
     */
    void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m, long mOff,
              MemorySegment v, long vOff, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt);

    // ---- sparse decode (Sparse) ----

    /**
     * {@code y[0:d] = y[0:d] + Σ_t values[off+t]·w[indices[off+t], 0:d]} for {@code t < nnz}, in order of t; y
     * modified. Rows of w are {@code ldw} elements apart.
     */
    void gatherAxpy(int nnz, int[] indices, float[] values, int off, MemorySegment w, long wOff, int ldw, int d,
                    MemorySegment y, long yOff);

    // ---- compaction of dense codes (Compact); non-zero means != 0f: −0 counts as zero, NaN as non-zero ----

    /**
     * Returns the number of elements of {@code x[0:n]} that are {@code != 0f}.
     */
    int countNonZero(int n, MemorySegment x, long xOff);

    /**
     * Writes the non-zero elements of {@code x[0:n]} in ascending order, {@code indices[off+t] = column0 + j} and
     * {@code values[off+t] = x[j]}, and returns their count; indices and values modified, x not modified. When
     * {@code x} holds more than {@code limit} non-zero elements it returns {@code ScalarCompact.OVER_LIMIT} instead,
     * and {@code [off, off + limit)} holds unspecified entries. Nothing outside {@code [off, off + count)} is written
     * otherwise.
     */
    int compactNonZero(int n, MemorySegment x, long xOff, int column0, int[] indices, float[] values, int off,
                       int limit);

    // ---- selection (TopK) ----

    /**
     * Selects the {@code k} highest-ranked of {@code x[0:n]} (see the ranking rule above) and writes their indices in
     * ascending order, with their values, to {@code indices/values} from {@code off}. Returns the count written,
     * {@code min(k, n)}.
     */
    int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off);

    /**
     * For each of the {@code groups} contiguous groups of {@code n / groups} elements of {@code x[0:n]}, writes the
     * index (from x[0]) of the group's maximum to {@code indices[off+g]} and the value to {@code values[off+g]}: the
     * scan moves only to a strictly greater value, so ties go to the lower index, NaN is never chosen after a group's
     * first element, and a group whose first element is NaN reports that element. x not modified.
     */
    void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values, int off);

    /**
     * Streams {@code x[0:n]}, whose elements carry the column numbers {@code column0 .. column0+n−1}, into a running
     * selection of at most {@code k} elements kept as a binary min-heap (lowest rank at the root) in
     * {@code heapIndices/heapValues[heapOff .. heapOff+size)}. Successive calls for one row must pass increasing
     * columns. Returns the new size. The heap layout after a call is the one {@link TopKHeap} produces.
     */
    int topKMerge(int n, MemorySegment x, long xOff, int column0, int k,
                  int[] heapIndices, float[] heapValues, int heapOff, int size);

    // ---- matrix-vector (Gemv) ----

    /** {@code y = alpha·A·x + beta·y} with A m×n (fp32); y (length m) modified. */
    void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
              float beta, MemorySegment y, long yOff);

    /** {@code y = alpha·Aᵀ·x + beta·y} with A m×n (fp32); y (length n) modified. */
    void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
                        float beta, MemorySegment y, long yOff);

    /** {@code y = alpha·A·x + beta·y} with A m×n stored as bf16 (aOff, lda in bf16 elements); y modified. */
    void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
                  float beta, MemorySegment y, long yOff);

    /** {@code y = alpha·Aᵀ·x + beta·y} with A m×n stored as bf16; y (length n) modified. */
    void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                            long xOff, float beta, MemorySegment y, long yOff);

    // ---- matrix-matrix (Gemm); ws holds reusable packing buffers of the calling thread ----

    /** {@code C = alpha·A·B + beta·C} with A m×k, B k×n, C m×n; C modified. */
    void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
              int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws);

    /** {@code C = alpha·A·Bᵀ + beta·C} with A m×k, B n×k, C m×n; C modified. */
    void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
                int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws);

    /** {@code C = alpha·Aᵀ·B + beta·C} with A k×m, B k×n, C m×n; C modified. */
    void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff,
                int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws);

    /** {@code C = alpha·A·Bᵀ + beta·C} with A m×k fp32 and B n×k stored as bf16 (bOff, ldb in bf16 elements). */
    void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                    long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws);

    // ---- fused SAE encoders: Z = epilogue(X·Wᵀ + bias), X m×k, W n×k (one row per latent), Z m×n ----

    /** {@code Z = X·Wᵀ + bias} (bias broadcast over rows); Z modified. */
    void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
                    MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws);

    /** {@code Z = max(X·Wᵀ + bias, 0)}; Z modified. */
    void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
                    MemorySegment bias, long biasOff, MemorySegment z, long zOff, int ldz, Workspace ws);

    /** {@code Z = (P > theta) ? P : 0} with {@code P = X·Wᵀ + bias} and a strict comparison; Z modified. */
    void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff,
                        int ldw, MemorySegment bias, long biasOff, MemorySegment theta, long thetaOff,
                        MemorySegment z, long zOff, int ldz, Workspace ws);

    /**
     * Streams each row of {@code P = X·Wᵀ + bias} into its top-{@code topK} selection without materialising the
     * dense row: row i's {@code min(topK, n)} indices (ascending) and values are written at
     * {@code off + i·min(topK, n)} of {@code indices/values}. Values are the pre-activations P.
     */
    void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w, long wOff, int ldw,
                    MemorySegment bias, long biasOff, int topK, int[] indices, float[] values, int off, Workspace ws);
}
