package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarWiden;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdWiden {

    private SimdWiden() {
    }

    public static void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        ScalarWiden.widenBf16(n, src, srcOff, dst, dstOff);
    }

    public static void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        ScalarWiden.narrowToBf16(n, src, srcOff, dst, dstOff);
    }
}
