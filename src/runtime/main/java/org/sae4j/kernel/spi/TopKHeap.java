package org.sae4j.kernel.spi;

/**
 * The top-k selection rule shared by every provider: a bounded binary min-heap whose root is the lowest-ranked kept
 * element. Rank: larger value first, ties to the lower index, NaN below every number (−∞ included).
 *
 * <p>Elements arrive in increasing index order, so an element that only ties the root never displaces it: once the
 * heap is full, a SIMD filter may skip every lane with {@code value <= root value} (a NaN root skips nothing, and a
 * NaN lane is never skipped but is refused by {@link #offer}).
 *
 * <p><b>Note:</b> stateless; the heap lives in caller-owned arrays. Allocates nothing.
 */
public final class TopKHeap {

    private TopKHeap() {
    }

    /** True when (a, ia) ranks strictly above (b, ib). */
    public static boolean ranksAbove(float a, int ia, float b, int ib) {
        return rankKey(a, ia) > rankKey(b, ib);
    }

    /**
     * A long whose signed order is the rank order: the value's bits made monotonic in the high word (−0 folded onto
     * +0, NaN below −∞), the complemented index in the low word so that ties favour the lower index. One compare per
     * heap step instead of a chain of NaN and tie branches.
     */
    static long rankKey(float value, int index) {
        int bits = Float.floatToRawIntBits(value + 0f);
        int monotonic = value != value ? Integer.MIN_VALUE : bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) monotonic << 32) | (~index & 0xffffffffL);
    }

    /**
     * Offers (value, index) to the heap of current {@code size} and capacity {@code k}; returns the new size.
     */
    public static int offer(float value, int index, int k, int[] heapIndices, float[] heapValues, int heapOff,
                            int size) {
        long key = rankKey(value, index);
        if (size < k) {
            int child = size;
            while (child > 0) {
                int parent = (child - 1) >>> 1;
                float pv = heapValues[heapOff + parent];
                int pi = heapIndices[heapOff + parent];
                if (rankKey(pv, pi) <= key) {
                    break;
                }
                heapValues[heapOff + child] = pv;
                heapIndices[heapOff + child] = pi;
                child = parent;
            }
            heapValues[heapOff + child] = value;
            heapIndices[heapOff + child] = index;
            return size + 1;
        }
        if (k == 0 || key <= rankKey(heapValues[heapOff], heapIndices[heapOff])) {
            return size;
        }
        siftDownFromRoot(value, index, key, heapIndices, heapValues, heapOff, size);
        return size;
    }

    private static void siftDownFromRoot(float value, int index, long key, int[] heapIndices, float[] heapValues,
                                         int heapOff, int size) {
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= size) {
                break;
            }
            long childKey = rankKey(heapValues[heapOff + child], heapIndices[heapOff + child]);
            int right = child + 1;
            if (right < size) {
                long rightKey = rankKey(heapValues[heapOff + right], heapIndices[heapOff + right]);
                if (rightKey < childKey) {
                    child = right;
                    childKey = rightKey;
                }
            }
            if (key <= childKey) {
                break;
            }
            heapValues[heapOff + parent] = heapValues[heapOff + child];
            heapIndices[heapOff + parent] = heapIndices[heapOff + child];
            parent = child;
        }
        heapValues[heapOff + parent] = value;
        heapIndices[heapOff + parent] = index;
    }

    /**
     * Reorders {@code size} (index, value) pairs in place so that indices ascend (heapsort on the index: O(k log k),
     * no allocation).
     */
    public static void sortByIndex(int[] indices, float[] values, int off, int size) {
        for (int start = (size >>> 1) - 1; start >= 0; start--) {
            siftByIndex(indices, values, off, start, size);
        }
        for (int end = size - 1; end > 0; end--) {
            swap(indices, values, off, 0, end);
            siftByIndex(indices, values, off, 0, end);
        }
    }

    /** Max-heap sift on the index, used only by {@link #sortByIndex}. */
    private static void siftByIndex(int[] indices, float[] values, int off, int root, int size) {
        int parent = root;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && indices[off + child + 1] > indices[off + child]) {
                child++;
            }
            if (indices[off + parent] >= indices[off + child]) {
                return;
            }
            swap(indices, values, off, parent, child);
            parent = child;
        }
    }

    private static void swap(int[] indices, float[] values, int off, int i, int j) {
        int ti = indices[off + i];
        indices[off + i] = indices[off + j];
        indices[off + j] = ti;
        float tv = values[off + i];
        values[off + i] = values[off + j];
        values[off + j] = tv;
    }
}
