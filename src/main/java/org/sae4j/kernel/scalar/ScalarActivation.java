package org.sae4j.kernel.scalar;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/** Scalar reference for the element-wise activations and proximal steps; see {@code KernelProvider}. */
public final class ScalarActivation {

    private ScalarActivation() {
    }

    /** {@code y = max(x + b, 0)}; NaN propagates (Math.max semantics). */
    public static void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y,
                                long yOff) {
        for (int i = 0; i < n; i++) {
            float p = x.getAtIndex(F32, xOff + i) + b.getAtIndex(F32, bOff + i);
            y.setAtIndex(F32, yOff + i, Math.max(p, 0f));
        }
    }

    /** {@code y = (x + b > theta) ? x + b : 0}, strict comparison (a NaN pre-activation gives 0). */
    public static void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff,
                                    MemorySegment theta, long thetaOff, MemorySegment y, long yOff) {
        for (int i = 0; i < n; i++) {
            float p = x.getAtIndex(F32, xOff + i) + b.getAtIndex(F32, bOff + i);
            y.setAtIndex(F32, yOff + i, p > theta.getAtIndex(F32, thetaOff + i) ? p : 0f);
        }
    }

    /** {@code y = sign(x)·max(|x| − lambda, 0)}, computed as {@code max(x − lambda, 0) + min(x + lambda, 0)}. */
    public static void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        for (int i = 0; i < n; i++) {
            float v = x.getAtIndex(F32, xOff + i);
            y.setAtIndex(F32, yOff + i, softThreshold(v, lambda));
        }
    }

    /** One element of {@link #softThreshold(int, float, MemorySegment, long, MemorySegment, long)}. */
    public static float softThreshold(float v, float lambda) {
        // max(v - λ, 0) + min(v + λ, 0): exact for finite inputs, NaN stays NaN, ±0 inside the band gives +0.
        return Math.max(v - lambda, 0f) + Math.min(v + lambda, 0f);
    }

    /** {@code y = max(x − lambda, 0)}. */
    public static void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y,
                                                long yOff) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(F32, yOff + i, Math.max(x.getAtIndex(F32, xOff + i) - lambda, 0f));
        }
    }

    /** {@code y[i] = (float) Math.exp(x[i])}: the exponential in double, rounded once to fp32. */
    public static void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(F32, yOff + i, (float) Math.exp(x.getAtIndex(F32, xOff + i)));
        }
    }
}
