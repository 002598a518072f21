package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sae4j.kernel.scalar.ScalarTopK;
import org.sae4j.kernel.spi.TopKHeap;

/**
 * Vector API top-k selection; the ranking rule and the heap live in {@link TopKHeap}.
 *
 * <p>Once the heap is full, an element that does not rank above the root cannot enter it, and since elements arrive
 * in increasing column order that means {@code value <= root} (or NaN) when the root is a number. The scan therefore
 * compares whole vectors against the broadcast root value and skips every block with no lane above it; the few
 * surviving lanes go through {@link TopKHeap#offer} in column order, exactly as the scalar reference offers them, so
 * the heap (contents and layout) is identical to the scalar one after every call. A NaN root (NaN kept while the heap
 * was filling) admits every number, so vectors are then offered lane by lane until the root becomes a number.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdTopK {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdTopK() {
    }

    /**
     * Selects the {@code k} highest-ranked of {@code x[0:n]} and writes their indices in ascending order, with their
     * values, from {@code off}; returns {@code min(k, n)}.
     *
     * @param n       element count
     * @param x       scores, not modified
     * @param xOff    element offset of x[0]
     * @param k       number to select
     * @param indices selected indices, modified at {@code [off, off + min(k, n))}
     * @param values  selected values, modified at {@code [off, off + min(k, n))}
     * @param off     first output position
     * @return the number selected, {@code min(k, n)}
     */
    public static int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        int size = topKMerge(n, x, xOff, 0, k, indices, values, off, 0);
        TopKHeap.sortByIndex(indices, values, off, size);
        return size;
    }

    /**
     * Streams {@code x[0:n]} (columns {@code column0 .. column0+n−1}) into the running min-heap of capacity {@code k}
     * held in {@code heapIndices/heapValues[heapOff .. heapOff+size)}; returns the new size.
     *
     * @param n           element count
     * @param x           scores, not modified
     * @param xOff        element offset of x[0]
     * @param column0     column number of x[0]; larger than every column already in the heap
     * @param k           heap capacity
     * @param heapIndices heap columns, modified
     * @param heapValues  heap values, modified
     * @param heapOff     position of the heap root
     * @param size        current heap size
     * @return the new heap size
     */
    public static int topKMerge(int n, MemorySegment x, long xOff, int column0, int k, int[] heapIndices,
                                float[] heapValues, int heapOff, int size) {
        int i = 0;
        // Filling: every element enters until the heap is full.
        for (; i < n && size < k; i++) {
            size = TopKHeap.offer(x.getAtIndex(F32, xOff + i), column0 + i, k, heapIndices, heapValues, heapOff,
                    size);
        }
        if (k == 0 || i == n) {
            return size;
        }
        int lanes = F.length();
        int block = 4 * lanes;
        long step = (long) lanes * Float.BYTES;
        long xb = xOff * Float.BYTES;
        float root = heapValues[heapOff];
        // Blocks of four vectors with one branch per block keep the common path (no survivor) short. The lane masks
        // are combined rather than the values: max() would let a NaN lane hide a number above the root.
        while (n - i >= block) {
            if (root != root) {
                int end = i + block;
                for (; i < end; i++) {
                    size = TopKHeap.offer(x.getAtIndex(F32, xOff + i), column0 + i, k, heapIndices, heapValues,
                            heapOff, size);
                }
                root = heapValues[heapOff];
                continue;
            }
            FloatVector threshold = FloatVector.broadcast(F, root);
            int last = n - block;
            for (; i <= last; i += block) {
                long o = xb + (long) i * Float.BYTES;
                VectorMask<Float> above = FloatVector.fromMemorySegment(F, x, o, LE)
                        .compare(VectorOperators.GT, threshold)
                        .or(FloatVector.fromMemorySegment(F, x, o + step, LE).compare(VectorOperators.GT, threshold))
                        .or(FloatVector.fromMemorySegment(F, x, o + 2 * step, LE)
                                .compare(VectorOperators.GT, threshold))
                        .or(FloatVector.fromMemorySegment(F, x, o + 3 * step, LE)
                                .compare(VectorOperators.GT, threshold));
                if (above.anyTrue()) {
                    break;
                }
            }
            if (i > last) {
                break;
            }
            // Within the block, only lanes above the current root are read back and offered, in column order; the
            // root only rises, so the mask is refreshed per vector and each candidate re-checked after an insert.
            for (int end = i + block; i < end; i += lanes) {
                long above = FloatVector.fromMemorySegment(F, x, xb + (long) i * Float.BYTES, LE)
                        .compare(VectorOperators.GT, root).toLong();
                while (above != 0) {
                    int lane = Long.numberOfTrailingZeros(above);
                    above &= above - 1;
                    float value = x.getAtIndex(F32, xOff + i + lane);
                    if (value > root) {
                        size = TopKHeap.offer(value, column0 + i + lane, k, heapIndices, heapValues, heapOff, size);
                        root = heapValues[heapOff];
                    }
                }
            }
        }
        // Whole vectors left after the last block (short segments from a tiled caller end up here).
        if (root == root) {
            int bound = i + F.loopBound(n - i);
            for (; i < bound; i += lanes) {
                long above = FloatVector.fromMemorySegment(F, x, xb + (long) i * Float.BYTES, LE)
                        .compare(VectorOperators.GT, root).toLong();
                while (above != 0) {
                    int lane = Long.numberOfTrailingZeros(above);
                    above &= above - 1;
                    float value = x.getAtIndex(F32, xOff + i + lane);
                    if (value > root) {
                        size = TopKHeap.offer(value, column0 + i + lane, k, heapIndices, heapValues, heapOff, size);
                        root = heapValues[heapOff];
                    }
                }
            }
        }
        return ScalarTopK.topKMerge(n - i, x, xOff + i, column0 + i, k, heapIndices, heapValues, heapOff, size);
    }
}
