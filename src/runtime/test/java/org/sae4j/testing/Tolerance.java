package org.sae4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Error bounds derived from floating-point analysis, never from the magnitude of the result.
 *
 * <p>For a sum of n products evaluated in any order, |fl(s) − s| ≤ γ_n·Σ|aᵢbᵢ| with γ_n = nε/(1 − nε) and
 * ε = 2⁻²⁴. Two different orders therefore differ by at most 2γ_n·Σ|aᵢbᵢ|; a subnormal floor covers underflow.
 */
public final class Tolerance {

    /** Unit roundoff of fp32. */
    public static final double EPS = 0x1.0p-24;

    /** Absolute floor for sums whose terms underflow. */
    private static final double UNDERFLOW_FLOOR = 1e-37;

    private Tolerance() {
    }

    /** γ_n = nε / (1 − nε). */
    public static double gamma(int n) {
        double ne = n * EPS;
        return ne / (1 - ne);
    }

    /** Largest difference between two evaluations of a dot product of length n with Σ|aᵢbᵢ| = sumAbsProducts. */
    public static double dotBound(int n, double sumAbsProducts) {
        return 2 * gamma(Math.max(n, 1)) * sumAbsProducts + UNDERFLOW_FLOOR;
    }

    /** Asserts identical bits, treating every NaN as equal to every other NaN. */
    public static void assertBitExact(float expected, float actual, String context) {
        if (Float.isNaN(expected) && Float.isNaN(actual)) {
            return;
        }
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(context + ": expected " + expected + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected))
                    + ") but was " + actual + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual)) + ")");
        }
    }

    /** Asserts |expected − actual| ≤ bound, and that NaN and infinities agree in kind. */
    public static void assertWithin(double expected, float actual, double bound, String context) {
        if (Double.isNaN(expected) || Float.isNaN(actual)) {
            if (!(Double.isNaN(expected) && Float.isNaN(actual))) {
                fail(context + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        if (Double.isInfinite(expected) || Float.isInfinite(actual)) {
            if (expected != actual) {
                fail(context + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        double error = Math.abs(expected - actual);
        if (!(error <= bound)) {
            fail(context + ": expected " + expected + " but was " + actual + ", error " + error + " > bound " + bound);
        }
    }
}
