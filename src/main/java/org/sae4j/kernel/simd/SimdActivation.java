package org.sae4j.kernel.simd;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarActivation;

/** Placeholder delegating to the scalar reference until the vectorised kernels land. */
public final class SimdActivation {

    private SimdActivation() {
    }

    public static void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y, long yOff) {
        ScalarActivation.biasRelu(n, x, xOff, b, bOff, y, yOff);
    }

    public static void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment theta,
            long thetaOff, MemorySegment y, long yOff) {
        ScalarActivation.biasJumpRelu(n, x, xOff, b, bOff, theta, thetaOff, y, yOff);
    }

    public static void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarActivation.softThreshold(n, lambda, x, xOff, y, yOff);
    }

    public static void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        ScalarActivation.softThresholdNonNegative(n, lambda, x, xOff, y, yOff);
    }
}
