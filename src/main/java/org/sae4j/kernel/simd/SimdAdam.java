package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarAdam;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdAdam {

    private SimdAdam() {
    }

    public static void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m, long mOff,
            MemorySegment v, long vOff, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
        ScalarAdam.adam(n, p, pOff, g, gOff, m, mOff, v, vOff, beta1, beta2, eps, stepSize, bc2Sqrt);
    }
}
