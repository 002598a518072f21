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

    /**
     * {@code z = (z + gateBias > 0) ? max(z·magnitudeScale + magnitudeBias, 0) : 0} in place: the gated epilogue
     * over the shared projection z. The magnitude is a multiply, then an add (two roundings, never an FMA), so that
     * the SIMD kernel can repeat it bit for bit. NaN: a NaN gate ({@code z + gateBias}) closes it (0); an open gate
     * with a NaN magnitude gives NaN; a magnitude of −0 gives +0.
     */
    public static void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff,
                                 MemorySegment magnitudeScale, long sOff, MemorySegment magnitudeBias, long bOff) {
        for (int i = 0; i < n; i++) {
            float p = z.getAtIndex(F32, zOff + i);
            float magnitude = Math.max(p * magnitudeScale.getAtIndex(F32, sOff + i)
                    + magnitudeBias.getAtIndex(F32, bOff + i), 0f);
            z.setAtIndex(F32, zOff + i, p + gateBias.getAtIndex(F32, gOff + i) > 0f ? magnitude : 0f);
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

    /** Inputs are clamped to [EXP_LOW, EXP_HIGH]: beyond them exp is +0 or +∞ in fp32 (NaN passes through). */
    public static final float EXP_LOW = -104f;
    /** Upper clamp of {@link #exp}; exp(89) overflows fp32. */
    public static final float EXP_HIGH = 89f;
    /** log₂e. */
    public static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to the nearest integer (even). */
    public static final float ROUND_MAGIC = 12582912f;
    /** ln 2 split so that n·LN2_HIGH is exact for |n| ≤ 2⁹ (Cody–Waite). */
    public static final float LN2_HIGH = 0.693359375f;
    /** ln 2 − LN2_HIGH. */
    public static final float LN2_LOW = -2.12194440e-4f;
    /** Taylor coefficients 1/k! of exp on the reduced range |r| ≤ ln2/2, highest degree (7) first. */
    public static final float[] EXP_COEFFICIENTS = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    /**
     * {@code y[i] = exp(x[i])} by a fixed sequence of fp32 operations, so that the SIMD kernel reproduces it bit for
     * bit however it is compiled: clamp x to [−104, 89]; n = rint(x·log₂e); r = x − n·ln2 (two FMAs, Cody–Waite);
     * p = Σ r^k/k! for k ≤ 7 by Horner with FMA; y = (p·2^⌊n/2⌋)·2^(n−⌊n/2⌋) (two scalings, so that subnormal results
     * and overflow to +∞ come out of ordinary multiplication). Within 3 ulp of exp for normal results.
     */
    public static void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(F32, yOff + i, exp(x.getAtIndex(F32, xOff + i)));
        }
    }

    /** One element of {@link #exp}. */
    public static float exp(float value) {
        float x = Math.min(Math.max(value, EXP_LOW), EXP_HIGH);
        float rounded = (x * LOG2E + ROUND_MAGIC) - ROUND_MAGIC;
        float r = Math.fma(-rounded, LN2_HIGH, x);
        r = Math.fma(-rounded, LN2_LOW, r);
        float p = EXP_COEFFICIENTS[0];
        for (int k = 1; k < EXP_COEFFICIENTS.length; k++) {
            p = Math.fma(p, r, EXP_COEFFICIENTS[k]);
        }
        int power = (int) rounded;
        int half = power >> 1;
        float first = Float.intBitsToFloat((half + 127) << 23);
        float second = Float.intBitsToFloat((power - half + 127) << 23);
        return p * first * second;
    }
}
