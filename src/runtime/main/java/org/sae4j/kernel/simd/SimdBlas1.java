package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_1;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_2;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_4;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_8;
import static org.sae4j.kernel.simd.SimdSpecies.LANES;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.sae4j.kernel.scalar.ScalarBlas1;

/**
 * Vector API level-1 operations and row/column reductions; semantics in {@code KernelProvider}.
 *
 * <p>The element-wise kernels ({@code axpy}, {@code scale})
 * are bit-exact against {@link ScalarBlas1}: every element sees the same correctly rounded
 * operations in the same order. {@code dot}, {@code sumSquares} and {@code rowSumSquares} reassociate the sum and stay
 * within the usual {@code n·ε·Σ|xᵢyᵢ|} bound of it.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
public final class SimdBlas1 {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdBlas1() {
    }

    /**
     * Returns {@code Σ x[i]·y[i]} over {@code n} elements (reassociated: lane-wise partial sums).
     *
     * @param n    element count
     * @param x    first operand, not modified
     * @param xOff element offset of x[0]
     * @param y    second operand, not modified
     * @param yOff element offset of y[0]
     * @return the dot product
     */
    public static float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        int bound4 = n - n % (4 * lanes);
        // Four independent accumulators hide the 4-cycle FMA latency on two FMA ports; one would serialise the loop.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        long xb = xOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound4; i += 4 * lanes) {
            long xo = xb + (long) i * Float.BYTES;
            long yo = yb + (long) i * Float.BYTES;
            long step = (long) lanes * Float.BYTES;
            acc0 = FloatVector.fromMemorySegment(F, x, xo, LE)
                    .fma(FloatVector.fromMemorySegment(F, y, yo, LE), acc0);
            acc1 = FloatVector.fromMemorySegment(F, x, xo + step, LE)
                    .fma(FloatVector.fromMemorySegment(F, y, yo + step, LE), acc1);
            acc2 = FloatVector.fromMemorySegment(F, x, xo + 2 * step, LE)
                    .fma(FloatVector.fromMemorySegment(F, y, yo + 2 * step, LE), acc2);
            acc3 = FloatVector.fromMemorySegment(F, x, xo + 3 * step, LE)
                    .fma(FloatVector.fromMemorySegment(F, y, yo + 3 * step, LE), acc3);
        }
        for (; i < bound; i += lanes) {
            acc0 = FloatVector.fromMemorySegment(F, x, xb + (long) i * Float.BYTES, LE)
                    .fma(FloatVector.fromMemorySegment(F, y, yb + (long) i * Float.BYTES, LE), acc0);
        }
        FloatVector sumLanes = acc0.add(acc1).add(acc2.add(acc3));
        if (LANES >= 16) {
            sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_4));
        }
        sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_2));
        sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_1));
        float sum = sumLanes.lane(0);
        return sum + ScalarBlas1.dot(n - i, x, xOff + i, y, yOff + i);
    }

    /**
     * Returns {@code Σ x[i]²} over {@code n} elements (reassociated: lane-wise partial sums).
     *
     * @param n    element count
     * @param x    operand, not modified
     * @param xOff element offset of x[0]
     * @return the sum of squares
     */
    public static float sumSquares(int n, MemorySegment x, long xOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        int bound4 = n - n % (4 * lanes);
        // Four independent accumulators hide the FMA latency; see dot.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        long xb = xOff * Float.BYTES;
        int i = 0;
        for (; i < bound4; i += 4 * lanes) {
            long xo = xb + (long) i * Float.BYTES;
            long step = (long) lanes * Float.BYTES;
            FloatVector v0 = FloatVector.fromMemorySegment(F, x, xo, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, x, xo + step, LE);
            FloatVector v2 = FloatVector.fromMemorySegment(F, x, xo + 2 * step, LE);
            FloatVector v3 = FloatVector.fromMemorySegment(F, x, xo + 3 * step, LE);
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
            acc2 = v2.fma(v2, acc2);
            acc3 = v3.fma(v3, acc3);
        }
        for (; i < bound; i += lanes) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, xb + (long) i * Float.BYTES, LE);
            acc0 = v.fma(v, acc0);
        }
        FloatVector sumLanes = acc0.add(acc1).add(acc2.add(acc3));
        if (LANES >= 16) {
            sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_4));
        }
        sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_2));
        sumLanes = sumLanes.add(sumLanes.rearrange(FOLD_1));
        float sum = sumLanes.lane(0);
        return sum + ScalarBlas1.sumSquares(n - i, x, xOff + i);
    }

    /**
     * {@code y = alpha·x + y}, one fused multiply-add per element (bit-exact against the scalar reference).
     *
     * @param n     element count
     * @param alpha scale of x
     * @param x     added vector, not modified
     * @param xOff  element offset of x[0]
     * @param y     accumulated vector, modified
     * @param yOff  element offset of y[0]
     */
    public static void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        FloatVector a = FloatVector.broadcast(F, alpha);
        long xb = xOff * Float.BYTES;
        long yb = yOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long yo = yb + (long) i * Float.BYTES;
            a.fma(FloatVector.fromMemorySegment(F, x, xb + (long) i * Float.BYTES, LE),
                    FloatVector.fromMemorySegment(F, y, yo, LE)).intoMemorySegment(y, yo, LE);
        }
        ScalarBlas1.axpy(n - i, alpha, x, xOff + i, y, yOff + i);
    }

    /**
     * {@code x = alpha·x} (bit-exact against the scalar reference).
     *
     * @param n     element count
     * @param alpha scale factor
     * @param x     scaled vector, modified
     * @param xOff  element offset of x[0]
     */
    public static void scale(int n, float alpha, MemorySegment x, long xOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long xb = xOff * Float.BYTES;
        int i = 0;
        for (; i < bound; i += lanes) {
            long xo = xb + (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(F, x, xo, LE).mul(alpha).intoMemorySegment(x, xo, LE);
        }
        ScalarBlas1.scale(n - i, alpha, x, xOff + i);
    }

    /**
     * {@code out[i] = Σ_j a[i,j]²} for an m×n row-major matrix (each row reassociated as in {@link #sumSquares}).
     *
     * @param m      row count
     * @param n      column count
     * @param a      matrix, not modified
     * @param aOff   element offset of a[0,0]
     * @param lda    elements between row starts
     * @param out    per-row sums (length m), modified
     * @param outOff element offset of out[0]
     */
    public static void rowSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out,
                                     long outOff) {
        for (int i = 0; i < m; i++) {
            out.setAtIndex(F32, outOff + i, sumSquares(n, a, aOff + (long) i * lda));
        }
    }

}
