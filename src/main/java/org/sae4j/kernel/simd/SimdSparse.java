package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarSparse;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdSparse {

    private SimdSparse() {
    }

    public static void gatherAxpy(int nnz, int[] indices, float[] values, int off, MemorySegment w, long wOff, int ldw, int d,
            MemorySegment y, long yOff) {
        ScalarSparse.gatherAxpy(nnz, indices, values, off, w, wOff, ldw, d, y, yOff);
    }
}
