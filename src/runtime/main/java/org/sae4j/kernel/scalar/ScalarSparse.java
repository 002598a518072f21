package org.sae4j.kernel.scalar;

import java.lang.foreign.MemorySegment;

/** Scalar reference for sparse decoding (gather-axpy over dictionary rows); see {@code KernelProvider}. */
public final class ScalarSparse {

    private ScalarSparse() {
    }

    /** {@code y[0:d] += Σ_t values[t]·w[indices[t], 0:d]}, terms added in order of t with fused multiply-adds. */
    public static void gatherAxpy(int nnz, int[] indices, float[] values, int off, MemorySegment w, long wOff,
                                  int ldw, int d, MemorySegment y, long yOff) {
        for (int t = 0; t < nnz; t++) {
            ScalarBlas1.axpy(d, values[off + t], w, wOff + (long) indices[off + t] * ldw, y, yOff);
        }
    }
}
