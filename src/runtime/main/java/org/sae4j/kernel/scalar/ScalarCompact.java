package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/**
 * Scalar reference for counting and compacting the non-zero elements of a dense row; see {@code KernelProvider}.
 *
 * <p>An element is non-zero when {@code x != 0f}: both zeros (+0 and −0) count as zero, NaN counts as non-zero.
 */
public final class ScalarCompact {

    /** What {@link #compactNonZero} returns when the row holds more non-zero elements than its limit. */
    public static final int OVER_LIMIT = -1;

    private ScalarCompact() {
    }

    /** Returns the number of elements of {@code x[0:n]} that are {@code != 0f}. */
    public static int countNonZero(int n, MemorySegment x, long xOff) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (x.getAtIndex(F32, xOff + j) != 0f) {
                count++;
            }
        }
        return count;
    }

    /**
     * Writes the non-zero elements of {@code x[0:n]} in ascending order, {@code indices[off+t] = column0 + j} and
     * {@code values[off+t] = x[j]}, and returns their count, or {@link #OVER_LIMIT} as soon as a write would pass
     * {@code limit} entries (the first {@code limit} entries are then written).
     */
    public static int compactNonZero(int n, MemorySegment x, long xOff, int column0, int[] indices, float[] values,
                                     int off, int limit) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            float value = x.getAtIndex(F32, xOff + j);
            if (value != 0f) {
                if (count == limit) {
                    return OVER_LIMIT;
                }
                indices[off + count] = column0 + j;
                values[off + count] = value;
                count++;
            }
        }
        return count;
    }
}
