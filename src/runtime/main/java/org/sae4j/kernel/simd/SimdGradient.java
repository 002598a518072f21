package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sae4j.kernel.scalar.ScalarGradient;

/**
 * Vector API backward epilogues of training; semantics in {@code KernelProvider}. Bit-exact against
 * {@link ScalarGradient}: each element sees the same single add, multiply or select (no FMA).
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdGradient {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdGradient() {
    }

    /** {@code g = a > 0 ? g + shift : 0}; a NaN activation gives 0, as in the scalar comparison. */
    public static void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long ab = aOff * Float.BYTES;
        long gb = gOff * Float.BYTES;
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector active = FloatVector.fromMemorySegment(F, a, ab + o, LE);
            FloatVector grad = FloatVector.fromMemorySegment(F, g, gb + o, LE).add(shift);
            zero.blend(grad, active.compare(VectorOperators.GT, 0f)).intoMemorySegment(g, gb + o, LE);
        }
        ScalarGradient.reluGradient(n - i, a, aOff + i, g, gOff + i, shift);
    }

    /** {@code g = z·(g + shift)}. */
    public static void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long zb = zOff * Float.BYTES;
        long gb = gOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector grad = FloatVector.fromMemorySegment(F, g, gb + o, LE).add(shift);
            FloatVector.fromMemorySegment(F, z, zb + o, LE).mul(grad).intoMemorySegment(g, gb + o, LE);
        }
        ScalarGradient.scaleShifted(n - i, z, zOff + i, g, gOff + i, shift);
    }
}
