package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.sae4j.kernel.scalar.ScalarAdam;

/**
 * Vector API Adam update; semantics in {@code KernelProvider#adam}.
 *
 * <p>Bit-exact against {@link ScalarAdam}: the same unfused multiplies and adds in the same order, and a square root
 * that is correctly rounded in both ({@code (float) Math.sqrt(double)} of a float equals the rounded float root).
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdAdam {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdAdam() {
    }

    /**
     * One Adam step: {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
     * {@code p = p − stepSize·(m / (sqrt(v)/bc2Sqrt + eps))}.
     *
     * @param n        parameter count
     * @param p        parameters, modified
     * @param pOff     element offset of p[0]
     * @param g        gradients, not modified
     * @param gOff     element offset of g[0]
     * @param m        first moments, modified
     * @param mOff     element offset of m[0]
     * @param v        second moments, modified
     * @param vOff     element offset of v[0]
     * @param beta1    first-moment decay
     * @param beta2    second-moment decay
     * @param eps      denominator guard
     * @param stepSize {@code lr / (1 − β1^t)}
     * @param bc2Sqrt  {@code sqrt(1 − β2^t)}
     */
    public static void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m,
                            long mOff, MemorySegment v, long vOff, float beta1, float beta2, float eps,
                            float stepSize, float bc2Sqrt) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        long pb = pOff * Float.BYTES;
        long gb = gOff * Float.BYTES;
        long mb = mOff * Float.BYTES;
        long vb = vOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector grad = FloatVector.fromMemorySegment(F, g, gb + o, LE);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, mb + o, LE).mul(beta1).add(grad.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromMemorySegment(F, v, vb + o, LE).mul(beta2)
                    .add(grad.mul(grad).mul(oneMinusBeta2));
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            mi.intoMemorySegment(m, mb + o, LE);
            vi.intoMemorySegment(v, vb + o, LE);
            FloatVector.fromMemorySegment(F, p, pb + o, LE).sub(mi.div(denom).mul(stepSize))
                    .intoMemorySegment(p, pb + o, LE);
        }
        ScalarAdam.adam(n - i, p, pOff + i, g, gOff + i, m, mOff + i, v, vOff + i, beta1, beta2, eps, stepSize,
                bc2Sqrt);
    }
}
