package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/** Scalar reference for the Adam update; see {@code KernelProvider#adam}. */
public final class ScalarAdam {

    private ScalarAdam() {
    }

    /** One Adam step over {@code n} parameters (PyTorch's formulation, no weight decay). */
    public static void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m,
                            long mOff, MemorySegment v, long vOff, float beta1, float beta2, float eps,
                            float stepSize, float bc2Sqrt) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float grad = g.getAtIndex(F32, gOff + i);
            float mi = beta1 * m.getAtIndex(F32, mOff + i) + oneMinusBeta1 * grad;
            float vi = beta2 * v.getAtIndex(F32, vOff + i) + oneMinusBeta2 * (grad * grad);
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            m.setAtIndex(F32, mOff + i, mi);
            v.setAtIndex(F32, vOff + i, vi);
            p.setAtIndex(F32, pOff + i, p.getAtIndex(F32, pOff + i) - stepSize * (mi / denom));
        }
    }
}
