package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.Layouts;

/** Scalar reference for bf16 ↔ fp32 conversion; see {@code KernelProvider}. */
public final class ScalarWiden {

    private ScalarWiden() {
    }

    /** {@code dst = (float) src} for bf16 src (exact). */
    public static void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(F32, dstOff + i, Layouts.bf16ToFloat(src.getAtIndex(BF16, srcOff + i)));
        }
    }

    /** {@code dst = bf16(src)}, round to nearest even. */
    public static void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(BF16, dstOff + i, Layouts.floatToBf16(src.getAtIndex(F32, srcOff + i)));
        }
    }
}
