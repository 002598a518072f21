package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.kernel.simd.SimdSpecies.I;
import static org.sae4j.kernel.simd.SimdSpecies.S_HALF;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sae4j.kernel.scalar.ScalarWiden;

/**
 * Vector API bf16 ↔ fp32 conversion; semantics in {@code KernelProvider}. Bit-exact against {@link ScalarWiden}.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdWiden {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdWiden() {
    }

    /**
     * {@code dst[i] = (float) src[i]} for bf16 {@code src} (exact: the bf16 bits become the high half of the float).
     *
     * @param n      element count
     * @param src    bf16 source, not modified
     * @param srcOff offset of src[0] in bf16 elements
     * @param dst    fp32 destination, modified
     * @param dstOff offset of dst[0] in fp32 elements
     */
    public static void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long sb = srcOff * Short.BYTES;
        long db = dstOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            ShortVector s = ShortVector.fromMemorySegment(S_HALF, src, sb + (long) i * Short.BYTES, LE);
            // Sign extension fills the upper half, which the shift then discards.
            ((IntVector) s.convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats()
                    .intoMemorySegment(dst, db + (long) i * Float.BYTES, LE);
        }
        ScalarWiden.widenBf16(n - i, src, srcOff + i, dst, dstOff + i);
    }

    /**
     * {@code dst[i] = bf16(src[i])}: round to nearest, ties to even; NaN keeps its sign and high payload bits and is
     * made quiet.
     *
     * @param n      element count
     * @param src    fp32 source, not modified
     * @param srcOff offset of src[0] in fp32 elements
     * @param dst    bf16 destination, modified
     * @param dstOff offset of dst[0] in bf16 elements
     */
    public static void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long sb = srcOff * Float.BYTES;
        long db = dstOff * Short.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            IntVector bits = FloatVector.fromMemorySegment(F, src, sb + (long) i * Float.BYTES, LE).reinterpretAsInts();
            IntVector high = bits.lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = bits.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
            // Adding 0x7fff plus the lowest kept bit rounds to nearest with ties to even; a carry into the exponent
            // correctly rounds up to the next binade or to infinity.
            IntVector rounded = bits.add(high.and(1).add(0x7fff)).lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) rounded.blend(high.or(0x0040), nan).convertShape(VectorOperators.I2S, S_HALF, 0))
                    .intoMemorySegment(dst, db + (long) i * Short.BYTES, LE);
        }
        ScalarWiden.narrowToBf16(n - i, src, srcOff + i, dst, dstOff + i);
    }
}
