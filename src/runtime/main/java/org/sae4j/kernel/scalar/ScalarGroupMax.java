package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/**
 * Scalar reference for the group maximum of sparsify's groupmax architecture; see {@code KernelProvider}.
 *
 * <p>The rule is a plain scan per group in which the best index moves only to a strictly greater value: ties go to
 * the lower index ({@code −0} and {@code +0} tie, so the first of them is reported with its own sign), a NaN is
 * never chosen after the first element, and a group whose first element is NaN reports that element.
 */
public final class ScalarGroupMax {

    private ScalarGroupMax() {
    }

    /**
     * For each of the {@code groups} contiguous groups of {@code width = n / groups} elements of {@code x[0:n]},
     * {@code indices[off+g]} = the index (from x[0]) of the group's maximum and {@code values[off+g]} = its value.
     */
    public static void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values,
                                int off) {
        if (groups == 0) {
            return;
        }
        int width = n / groups;
        for (int g = 0; g < groups; g++) {
            int first = g * width;
            int best = argMax(x, xOff, first, first + 1, first + width);
            indices[off + g] = best;
            values[off + g] = x.getAtIndex(F32, xOff + best);
        }
    }

    /**
     * Continues the scan of {@link #groupMax} from the current {@code best} index over {@code [from, to)} and
     * returns where it ends: the scan moves to j only when {@code x[j]} is strictly greater than the value at the
     * current best index.
     */
    public static int argMax(MemorySegment x, long xOff, int best, int from, int to) {
        float bestValue = x.getAtIndex(F32, xOff + best);
        for (int j = from; j < to; j++) {
            float value = x.getAtIndex(F32, xOff + j);
            if (value > bestValue) {
                best = j;
                bestValue = value;
            }
        }
        return best;
    }
}
