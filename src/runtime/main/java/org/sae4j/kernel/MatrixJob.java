package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;
import org.sae4j.tensor.Layouts;

/**
 * One matrix operation split into row or column chunks of C (or y). The instance is reused under its own monitor,
 * so dispatching a job allocates nothing; each task calls the provider on its own sub-block.
 *
 * <p>Splitting never changes results: every provider computes an element of C from the same operands in the same
 * order whatever sub-block it sits in (the GEMM conformance suite pins this).
 */
final class MatrixJob implements KernelPool.Task {

    enum Op {
        GEMM, GEMM_NT, GEMM_TN, GEMM_NT_BF16, ENCODE_BIAS, ENCODE_RELU, ENCODE_JUMP_RELU, ENCODE_TOPK,
        GEMV, GEMV_T, GEMV_BF16, GEMV_T_BF16, DECODE
    }

    KernelProvider impl;
    Op op;
    int m;
    int n;
    int k;
    float alpha;
    float beta;
    MemorySegment a;
    long aOff;
    int lda;
    MemorySegment b;
    long bOff;
    int ldb;
    MemorySegment c;
    long cOff;
    int ldc;
    MemorySegment bias;
    long biasOff;
    MemorySegment theta;
    long thetaOff;
    int topK;
    int[] indices;
    float[] values;
    int[] rowPointers;
    boolean splitColumns;
    int chunk;

    /** Number of tasks for the current split. */
    int taskCount() {
        int extent = splitColumns ? n : m;
        return extent == 0 ? 0 : (extent + chunk - 1) / chunk;
    }

    /** Whether every segment of the job may be read and written by the pool's worker threads. */
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

    /** Rows of {@code out = codes·W + bias}: the bias row copied, then one gather-axpy per code row. */
    private void decodeRows(int r0, int rows) {
        for (int r = r0; r < r0 + rows; r++) {
            long outRow = cOff + (long) r * ldc;
            MemorySegment.copy(bias, Layouts.F32, biasOff * Float.BYTES, c, Layouts.F32, outRow * Float.BYTES, n);
            int start = rowPointers[r];
            impl.gatherAxpy(rowPointers[r + 1] - start, indices, values, start, b, bOff, ldb, n, c, outRow);
        }
    }
}
