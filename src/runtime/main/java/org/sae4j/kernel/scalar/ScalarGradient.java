package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/** Scalar reference for the element-wise backward epilogues of training; see {@code KernelProvider}. */
public final class ScalarGradient {

    private ScalarGradient() {
    }

    /** {@code g = a > 0 ? g + shift : 0}: ReLU's derivative (0 at 0 and for NaN) applied to a shifted gradient. */
    public static void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        for (int i = 0; i < n; i++) {
            float value = a.getAtIndex(F32, aOff + i) > 0f ? g.getAtIndex(F32, gOff + i) + shift : 0f;
            g.setAtIndex(F32, gOff + i, value);
        }
    }

    /** {@code g = z·(g + shift)}: the chain rule through z = exp(θ), whose derivative is z. */
    public static void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        for (int i = 0; i < n; i++) {
            g.setAtIndex(F32, gOff + i, z.getAtIndex(F32, zOff + i) * (g.getAtIndex(F32, gOff + i) + shift));
        }
    }
}
