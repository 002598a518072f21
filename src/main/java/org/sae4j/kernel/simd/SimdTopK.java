package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarTopK;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdTopK {

    private SimdTopK() {
    }

    public static int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        return ScalarTopK.topK(n, x, xOff, k, indices, values, off);
    }

    public static int topKMerge(int n, MemorySegment x, long xOff, int column0, int k, int[] heapIndices, float[] heapValues,
            int heapOff, int size) {
        return ScalarTopK.topKMerge(n, x, xOff, column0, k, heapIndices, heapValues, heapOff, size);
    }
}
