package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;
import org.sae4j.tensor.Layouts;

/**
 * One matrix operation split into row or column chunks of C (or y). Each caller thread reuses one instance
 * ({@code Kernels.Holder.JOBS}, a thread-local), so dispatching a job allocates nothing; each task calls the provider
 * on its own sub-block, and the fields are set by the facade before the pool runs the tasks, which publishes them to
 * the workers.
 *
 * <p>Splitting never changes results: every provider computes an element of C from the same operands in the same order
 * whatever sub-block it sits in (the GEMM conformance suite pins this).
 */
final class MatrixJob implements KernelPool.Task {

    /** The operation a job runs; each maps to one provider method. */
    enum Op {
        /** {@code C = alpha·A·B + beta·C}. */
        GEMM,
        /** {@code C = alpha·A·Bᵀ + beta·C}. */
        GEMM_NT,
        /** {@code C = alpha·Aᵀ·B + beta·C}. */
        GEMM_TN,
        /** {@code C = alpha·A·Bᵀ + beta·C}, B bf16. */
        GEMM_NT_BF16,
        /** {@code Z = X·Wᵀ + bias}. */
        ENCODE_BIAS,
        /** {@code Z = max(X·Wᵀ + bias, 0)}. */
        ENCODE_RELU,
        /** {@code Z = (P > theta) ? P : 0}, {@code P = X·Wᵀ + bias}. */
        ENCODE_JUMP_RELU,
        /** Row-wise top-k of {@code X·Wᵀ + bias} into index and value arrays; splits rows only. */
        ENCODE_TOPK,
        /** {@code y = alpha·A·x + beta·y}; splits rows only. */
        GEMV,
        /** {@code y = alpha·Aᵀ·x + beta·y}; splits columns only. */
        GEMV_T,
        /** {@code y = alpha·A·x + beta·y}, A bf16; splits rows only. */
        GEMV_BF16,
        /** {@code y = alpha·Aᵀ·x + beta·y}, A bf16; splits columns only. */
        GEMV_T_BF16,
        /** {@code out = codes·W + bias} from CSR codes; splits rows only. */
        DECODE
    }

    /** The provider the tasks call. */
    KernelProvider impl;
    /** The operation. */
    Op op;
    /** Output rows. */
    int m;
    /** Output columns (the length of y for GEMV). */
    int n;
    /** Inner dimension; 0 for GEMV and decode. */
    int k;
    /** Scale of the product (GEMM, GEMV). */
    float alpha;
    /** Scale of the old output (GEMM, GEMV). */
    float beta;
    /** A, or X for the encoders; null for decode. */
    MemorySegment a;
    /** Element offset of A[0,0]. */
    long aOff;
    /** Leading dimension of A. */
    int lda;
    /** B, W for the encoders and decode, or x for GEMV. */
    MemorySegment b;
    /** Element offset of B[0,0]. */
    long bOff;
    /** Leading dimension of B. */
    int ldb;
    /** C, Z for the encoders, out for decode, or y for GEMV; null for top-k. */
    MemorySegment c;
    /** Element offset of C[0,0]. */
    long cOff;
    /** Leading dimension of C. */
    int ldc;
    /** Encoder or decoder bias, or null. */
    MemorySegment bias;
    /** Element offset of bias[0]. */
    long biasOff;
    /** JumpReLU thresholds, or null. */
    MemorySegment theta;
    /** Element offset of theta[0]. */
    long thetaOff;
    /** Latents kept per row by the top-k encoder. */
    int topK;
    /** Top-k output indices, or decode input indices. */
    int[] indices;
    /** Top-k output values, or decode input values. */
    float[] values;
    /** Decode input row pointers. */
    int[] rowPointers;
    /** Whether tasks are column chunks (else row chunks). */
    boolean splitColumns;
    /** Rows or columns per task. */
    int chunk;

    /** An empty job; {@code Kernels} sets the operation and operands before each dispatch. */
    MatrixJob() {
    }

    /**
     * Number of tasks for the current split.
     *
     * @return {@code ceil(extent / chunk)}, 0 for an empty output
     */
    int taskCount() {
        int extent = splitColumns ? n : m;
        return extent == 0 ? 0 : (extent + chunk - 1) / chunk;
    }

    /**
     * Whether every segment of the job may be read and written by the pool's worker threads.
     *
     * @param pool the pool that would run the tasks
     * @return false when an operand lives in a confined arena
     */
    boolean sharedWith(KernelPool pool) {
        return pool.accessibleByWorkers(a) && pool.accessibleByWorkers(b) && pool.accessibleByWorkers(c)
                && pool.accessibleByWorkers(bias) && pool.accessibleByWorkers(theta);
    }

    /** Drops references to caller memory once the job is done. */
    void clear() {
        a = null;
        b = null;
        c = null;
        bias = null;
        theta = null;
        indices = null;
        values = null;
        rowPointers = null;
    }

    @Override
    public void run(int index, Workspace ws) {
        int from = index * chunk;
        int to = Math.min(from + chunk, splitColumns ? n : m);
        if (splitColumns) {
            runColumns(from, to - from, ws);
        } else {
            runRows(from, to - from, ws);
        }
    }

    /**
     * Runs the operation on output rows {@code [i0, i0 + rows)}.
     *
     * @param i0   first row
     * @param rows rows of this chunk
     * @param ws   the participant's packing scratch
     */
    private void runRows(int i0, int rows, Workspace ws) {
        long aRow = aOff + (long) i0 * lda;
        long cRow = cOff + (long) i0 * ldc;
        switch (op) {
            case GEMM -> impl.gemm(rows, n, k, alpha, a, aRow, lda, b, bOff, ldb, beta, c, cRow, ldc, ws);
            case GEMM_NT -> impl.gemmNT(rows, n, k, alpha, a, aRow, lda, b, bOff, ldb, beta, c, cRow, ldc, ws);
            case GEMM_TN -> impl.gemmTN(rows, n, k, alpha, a, aOff + i0, lda, b, bOff, ldb, beta, c, cRow, ldc, ws);
            case GEMM_NT_BF16 ->
                    impl.gemmNTBf16(rows, n, k, alpha, a, aRow, lda, b, bOff, ldb, beta, c, cRow, ldc, ws);
            case ENCODE_BIAS -> impl.encodeBias(rows, n, k, a, aRow, lda, b, bOff, ldb, bias, biasOff, c, cRow, ldc, ws);
            case ENCODE_RELU -> impl.encodeRelu(rows, n, k, a, aRow, lda, b, bOff, ldb, bias, biasOff, c, cRow, ldc, ws);
            case ENCODE_JUMP_RELU -> impl.encodeJumpRelu(rows, n, k, a, aRow, lda, b, bOff, ldb, bias, biasOff, theta,
                    thetaOff, c, cRow, ldc, ws);
            case ENCODE_TOPK -> impl.encodeTopK(rows, n, k, a, aRow, lda, b, bOff, ldb, bias, biasOff, topK, indices,
                    values, i0 * Math.min(topK, n), ws);
            case GEMV -> impl.gemv(rows, n, alpha, a, aRow, lda, b, bOff, beta, c, cOff + i0);
            case GEMV_BF16 -> impl.gemvBf16(rows, n, alpha, a, aRow, lda, b, bOff, beta, c, cOff + i0);
            case DECODE -> decodeRows(i0, rows);
            default -> throw new IllegalStateException(op + " does not split rows");
        }
    }

    /**
     * Runs the operation on output columns {@code [j0, j0 + cols)}.
     *
     * @param j0   first column
     * @param cols columns of this chunk
     * @param ws   the participant's packing scratch
     */
    private void runColumns(int j0, int cols, Workspace ws) {
        long cCol = cOff + j0;
        switch (op) {
            case GEMM -> impl.gemm(m, cols, k, alpha, a, aOff, lda, b, bOff + j0, ldb, beta, c, cCol, ldc, ws);
            case GEMM_NT ->
                    impl.gemmNT(m, cols, k, alpha, a, aOff, lda, b, bOff + (long) j0 * ldb, ldb, beta, c, cCol, ldc, ws);
            case GEMM_TN -> impl.gemmTN(m, cols, k, alpha, a, aOff, lda, b, bOff + j0, ldb, beta, c, cCol, ldc, ws);
            case GEMM_NT_BF16 -> impl.gemmNTBf16(m, cols, k, alpha, a, aOff, lda, b, bOff + (long) j0 * ldb, ldb, beta,
                    c, cCol, ldc, ws);
            case ENCODE_BIAS -> impl.encodeBias(m, cols, k, a, aOff, lda, b, bOff + (long) j0 * ldb, ldb, bias,
                    biasOff + j0, c, cCol, ldc, ws);
            case ENCODE_RELU -> impl.encodeRelu(m, cols, k, a, aOff, lda, b, bOff + (long) j0 * ldb, ldb, bias,
                    biasOff + j0, c, cCol, ldc, ws);
            case ENCODE_JUMP_RELU -> impl.encodeJumpRelu(m, cols, k, a, aOff, lda, b, bOff + (long) j0 * ldb, ldb,
                    bias, biasOff + j0, theta, thetaOff + j0, c, cCol, ldc, ws);
            case GEMV_T -> impl.gemvTransposed(m, cols, alpha, a, aOff + j0, lda, b, bOff, beta, c, cCol);
            case GEMV_T_BF16 -> impl.gemvTransposedBf16(m, cols, alpha, a, aOff + j0, lda, b, bOff, beta, c, cCol);
            default -> throw new IllegalStateException(op + " does not split columns");
        }
    }

    /**
     * Rows of {@code out = codes·W + bias}: the bias row copied, then one gather-axpy per code row.
     *
     * @param r0   first code row
     * @param rows rows of this chunk
     */
    private void decodeRows(int r0, int rows) {
        for (int r = r0; r < r0 + rows; r++) {
            long outRow = cOff + (long) r * ldc;
            MemorySegment.copy(bias, Layouts.F32, biasOff * Float.BYTES, c, Layouts.F32, outRow * Float.BYTES, n);
            int start = rowPointers[r];
            impl.gatherAxpy(rowPointers[r + 1] - start, indices, values, start, b, bOff, ldb, n, c, outRow);
        }
    }
}
