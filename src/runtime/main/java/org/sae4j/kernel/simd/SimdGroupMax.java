package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_1;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_2;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_4;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_8;
import static org.sae4j.kernel.simd.SimdSpecies.LANES;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sae4j.kernel.scalar.ScalarGroupMax;

/**
 * Vector API group maximum; the rule (strictly greater moves the best index, ties to the lower index) is
 * {@link ScalarGroupMax}'s.
 *
 * <p>Same indices and values as the scalar reference on every input. Per group whose first element is a number:
 * a lane-wise running maximum over the whole vectors of the group, seeded with the first element and updated by
 * compare-greater-and-blend (never {@code max()}, which would let a NaN in; GT is ordered, so no lane ever holds
 * NaN), folded across lanes by the same rule, gives the group's largest number M over those vectors. The scalar scan
 * ends on the first index whose value equals M (an earlier equal value would have stopped it moving), and EQ treats
 * −0 and +0 as equal just as the scan's strict comparison does, so the first index with {@code x == M} is the scalar
 * answer; its value is read back from x, so the sign of a zero is the element's own. The group's tail continues
 * with the scalar scan from that index. A NaN first element (which the scalar scan never leaves), a group narrower
 * than a vector, or no equal element found (not reachable for a number M; kept as a guard) run the scalar reference.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdGroupMax {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdGroupMax() {
    }

    /**
     * For each of the {@code groups} contiguous groups of {@code width = n / groups} elements of {@code x[0:n]},
     * writes the index (from x[0]) of the group's maximum to {@code indices[off+g]} and its value to
     * {@code values[off+g]}.
     *
     * @param n       element count, a multiple of groups
     * @param groups  number of groups
     * @param x       activations, not modified
     * @param xOff    element offset of x[0]
     * @param indices group maxima's indices, modified at {@code [off, off + groups)}
     * @param values  group maxima, modified at {@code [off, off + groups)}
     * @param off     first output position
     */
    public static void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values,
                                int off) {
        if (groups == 0) {
            return;
        }
        int width = n / groups;
        if (width < LANES) {
            ScalarGroupMax.groupMax(n, groups, x, xOff, indices, values, off);
            return;
        }
        int lanes = F.length();
        int bound = F.loopBound(width);
        long xb = xOff * Float.BYTES;
        for (int g = 0; g < groups; g++) {
            int first = g * width;
            long gb = xb + (long) first * Float.BYTES;
            float seed = x.getAtIndex(F32, xOff + first);
            int best = -1;
            if (seed == seed) {
                FloatVector m = FloatVector.broadcast(F, seed);
                for (int j = 0; j < bound; j += lanes) {
                    FloatVector v = FloatVector.fromMemorySegment(F, x, gb + (long) j * Float.BYTES, LE);
                    m = m.blend(v, v.compare(VectorOperators.GT, m));
                }
                // Fold lane i with lane i + s for s = 8, 4, 2, 1 by the same strictly-greater rule: lane 0 ends
                // with the largest lane value (which zero it holds does not matter, the search below uses EQ).
                FloatVector r;
                if (LANES >= 16) {
                    r = m.rearrange(FOLD_8);
                    m = m.blend(r, r.compare(VectorOperators.GT, m));
                }
                if (LANES >= 8) {
                    r = m.rearrange(FOLD_4);
                    m = m.blend(r, r.compare(VectorOperators.GT, m));
                }
                r = m.rearrange(FOLD_2);
                m = m.blend(r, r.compare(VectorOperators.GT, m));
                r = m.rearrange(FOLD_1);
                m = m.blend(r, r.compare(VectorOperators.GT, m));
                FloatVector maximum = FloatVector.broadcast(F, m.lane(0));
                for (int j = 0; j < bound; j += lanes) {
                    VectorMask<Float> equal = FloatVector.fromMemorySegment(F, x, gb + (long) j * Float.BYTES, LE)
                            .compare(VectorOperators.EQ, maximum);
                    if (equal.anyTrue()) {
                        best = first + j + equal.firstTrue();
                        break;
                    }
                }
            }
            if (best < 0) {
                best = ScalarGroupMax.argMax(x, xOff, first, first + 1, first + width);
            } else {
                best = ScalarGroupMax.argMax(x, xOff, best, first + bound, first + width);
            }
            indices[off + g] = best;
            values[off + g] = x.getAtIndex(F32, xOff + best);
        }
    }
}
