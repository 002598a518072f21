package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.TopKHeap;

/** Scalar reference for top-k selection; the ranking rule lives in {@link TopKHeap}. */
public final class ScalarTopK {

    private ScalarTopK() {
    }

    /** Selects the top {@code k} of {@code x[0:n]}, written in ascending index order; returns {@code min(k, n)}. */
    public static int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        int size = topKMerge(n, x, xOff, 0, k, indices, values, off, 0);
        TopKHeap.sortByIndex(indices, values, off, size);
        return size;
    }

    /** Streams {@code x[0:n]} (columns {@code column0..}) into the running heap; returns the new size. */
    public static int topKMerge(int n, MemorySegment x, long xOff, int column0, int k, int[] heapIndices,
                                float[] heapValues, int heapOff, int size) {
        for (int i = 0; i < n; i++) {
            size = TopKHeap.offer(x.getAtIndex(F32, xOff + i), column0 + i, k, heapIndices, heapValues, heapOff,
                    size);
        }
        return size;
    }
}
