package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sae4j.kernel.scalar.ScalarActivation;

/**
 * Vector API element-wise activations and proximal steps; semantics in {@code KernelProvider}.
 *
 * <p>Bit-exact against {@link ScalarActivation}: lane-wise {@code max}/{@code min} follow
 * {@link Math#max(float, float)} and {@link Math#min(float, float)} (NaN propagates, {@code max(−0, +0) = +0}), and
 * every element sees the same operations in the same order. The output may alias the input exactly: each vector is loaded before it is stored.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdActivation {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdActivation() {
    }

    /**
     * {@code y[i] = max(x[i] + b[i], 0)}; NaN stays NaN, −0 becomes +0.
     *
     * @param n    element count
     * @param x    pre-activations, not modified (unless aliased by y)
     * @param xOff element offset of x[0]
     * @param b    bias, not modified
     * @param bOff element offset of b[0]
     * @param y    output, modified (may alias x exactly)
     * @param yOff element offset of y[0]
     */
    public static void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y,
                                long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        long bb = bOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(F, x, xb + o, LE)
                    .add(FloatVector.fromMemorySegment(F, b, bb + o, LE))
                    .max(0f)
                    .intoMemorySegment(y, yb + o, LE);
        }
        ScalarActivation.biasRelu(n - i, x, xOff + i, b, bOff + i, y, yOff + i);
    }

    /**
     * {@code y[i] = (x[i] + b[i] > theta[i]) ? x[i] + b[i] : 0} with a strict comparison (NaN gives 0).
     *
     * @param n        element count
     * @param x        pre-activations, not modified (unless aliased by y)
     * @param xOff     element offset of x[0]
     * @param b        bias, not modified
     * @param bOff     element offset of b[0]
     * @param theta    thresholds, not modified
     * @param thetaOff element offset of theta[0]
     * @param y        output, modified (may alias x exactly)
     * @param yOff     element offset of y[0]
     */
    public static void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff,
                                    MemorySegment theta, long thetaOff, MemorySegment y, long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        long bb = bOff * Float.BYTES;
        long tb = thetaOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector p = FloatVector.fromMemorySegment(F, x, xb + o, LE)
                    .add(FloatVector.fromMemorySegment(F, b, bb + o, LE));
            // GT is an ordered comparison: a NaN pre-activation or threshold leaves the lane at +0.
            VectorMask<Float> keep = p.compare(VectorOperators.GT, FloatVector.fromMemorySegment(F, theta, tb + o, LE));
            zero.blend(p, keep).intoMemorySegment(y, yb + o, LE);
        }
        ScalarActivation.biasJumpRelu(n - i, x, xOff + i, b, bOff + i, theta, thetaOff + i, y, yOff + i);
    }

    /**
     * {@code z[i] = (z[i] + gateBias[i] > 0) ? max(z[i]·magnitudeScale[i] + magnitudeBias[i], 0) : 0} in place.
     *
     * @param n              element count
     * @param z              the shared gate/magnitude projection, modified (overwritten by the codes)
     * @param zOff           element offset of z[0]
     * @param gateBias       gate bias b_gate, not modified
     * @param gOff           element offset of gateBias[0]
     * @param magnitudeScale exp(r_mag), not modified
     * @param sOff           element offset of magnitudeScale[0]
     * @param magnitudeBias  magnitude bias b_mag, not modified
     * @param bOff           element offset of magnitudeBias[0]
     */
    public static void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff,
                                 MemorySegment magnitudeScale, long sOff, MemorySegment magnitudeBias, long bOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long zb = zOff * Float.BYTES;
        long gb = gOff * Float.BYTES;
        long sb = sOff * Float.BYTES;
        long bb = bOff * Float.BYTES;
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector p = FloatVector.fromMemorySegment(F, z, zb + o, LE);
            // mul then add, never fma(): the scalar reference rounds the product and the sum separately, and one
            // rounding fewer would change the low bit of the codes.
            FloatVector magnitude = p.mul(FloatVector.fromMemorySegment(F, magnitudeScale, sb + o, LE))
                    .add(FloatVector.fromMemorySegment(F, magnitudeBias, bb + o, LE))
                    .max(0f);
            // GT is an ordered comparison: a NaN gate closes the lane (+0), as the scalar ternary does.
            VectorMask<Float> open = p.add(FloatVector.fromMemorySegment(F, gateBias, gb + o, LE))
                    .compare(VectorOperators.GT, 0f);
            zero.blend(magnitude, open).intoMemorySegment(z, zb + o, LE);
        }
        ScalarActivation.gatedRelu(n - i, z, zOff + i, gateBias, gOff + i, magnitudeScale, sOff + i, magnitudeBias,
                bOff + i);
    }

    /**
     * {@code y[i] = max(x[i] − lambda, 0) + min(x[i] + lambda, 0)}, i.e. {@code sign(x)·max(|x| − lambda, 0)}.
     *
     * @param n      element count
     * @param lambda threshold (non-negative)
     * @param x      input, not modified (unless aliased by y)
     * @param xOff   element offset of x[0]
     * @param y      output, modified (may alias x exactly)
     * @param yOff   element offset of y[0]
     */
    public static void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(F, x, xb + o, LE);
            v.sub(lambda).max(0f).add(v.add(lambda).min(0f)).intoMemorySegment(y, yb + o, LE);
        }
        ScalarActivation.softThreshold(n - i, lambda, x, xOff + i, y, yOff + i);
    }

    /**
     * {@code y[i] = max(x[i] − lambda, 0)}.
     *
     * @param n      element count
     * @param lambda threshold
     * @param x      input, not modified (unless aliased by y)
     * @param xOff   element offset of x[0]
     * @param y      output, modified (may alias x exactly)
     * @param yOff   element offset of y[0]
     */
    public static void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y,
                                                long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(F, x, xb + o, LE).sub(lambda).max(0f).intoMemorySegment(y, yb + o, LE);
        }
        ScalarActivation.softThresholdNonNegative(n - i, lambda, x, xOff + i, y, yOff + i);
    }

    /**
     * {@code y[i] = exp(x[i])} with exactly the operations of {@link ScalarActivation#exp(float)} in every lane (the
     * Vector API's own EXP is avoided: its compiled and interpreted forms may round differently, which would make runs
     * irreproducible).
     */
    public static void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        float[] c = ScalarActivation.EXP_COEFFICIENTS;
        FloatVector ln2High = FloatVector.broadcast(F, ScalarActivation.LN2_HIGH);
        FloatVector ln2Low = FloatVector.broadcast(F, ScalarActivation.LN2_LOW);
        FloatVector c1 = FloatVector.broadcast(F, c[1]);
        FloatVector c2 = FloatVector.broadcast(F, c[2]);
        FloatVector c3 = FloatVector.broadcast(F, c[3]);
        FloatVector c4 = FloatVector.broadcast(F, c[4]);
        FloatVector c5 = FloatVector.broadcast(F, c[5]);
        FloatVector c6 = FloatVector.broadcast(F, c[6]);
        FloatVector c7 = FloatVector.broadcast(F, c[7]);
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long o = (long) i * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(F, x, xb + o, LE)
                    .max(ScalarActivation.EXP_LOW).min(ScalarActivation.EXP_HIGH);
            FloatVector rounded = v.mul(ScalarActivation.LOG2E).add(ScalarActivation.ROUND_MAGIC)
                    .sub(ScalarActivation.ROUND_MAGIC);
            FloatVector negated = rounded.neg();
            FloatVector r = negated.fma(ln2Low, negated.fma(ln2High, v));
            FloatVector p = FloatVector.broadcast(F, c[0]).fma(r, c1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5)
                    .fma(r, c6).fma(r, c7);
            IntVector power = (IntVector) rounded.convert(VectorOperators.F2I, 0);
            IntVector half = power.lanewise(VectorOperators.ASHR, 1);
            FloatVector first = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector second = power.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(first).mul(second).intoMemorySegment(y, yb + o, LE);
        }
        ScalarActivation.exp(n - i, x, xOff + i, y, yOff + i);
    }
}
