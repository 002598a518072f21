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
 * <p>The element-wise kernels ({@code axpy}, {@code scale}, {@code scaleRows}, {@code scaleColumns},
 * {@code columnSumSquares}) are bit-exact against {@link ScalarBlas1}: every element sees the same correctly rounded
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

    /**
     * {@code out[j] = Σ_i a[i,j]²}, rows accumulated in order i = 0..m−1 with fused multiply-adds (bit-exact against
     * the scalar reference).
     *
     * @param m      row count
     * @param n      column count
     * @param a      matrix, not modified
     * @param aOff   element offset of a[0,0]
     * @param lda    elements between row starts
     * @param out    per-column sums (length n), modified
     * @param outOff element offset of out[0]
     */
    public static void columnSumSquares(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment out,
                                        long outOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long ob = outOff * Float.BYTES;
        FloatVector zero = FloatVector.zero(F);
        for (int j = 0; j < bound; j += lanes) {
            zero.intoMemorySegment(out, ob + (long) j * Float.BYTES, LE);
        }
        // Four rows per pass over out: each element still receives its FMAs in row order, so the result is
        // bit-exact, while out is loaded and stored once per four rows instead of once per row.
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            long r0 = (aOff + (long) i * lda) * Float.BYTES;
            long r1 = r0 + (long) lda * Float.BYTES;
            long r2 = r1 + (long) lda * Float.BYTES;
            long r3 = r2 + (long) lda * Float.BYTES;
            for (int j = 0; j < bound; j += lanes) {
                long jb = (long) j * Float.BYTES;
                FloatVector v0 = FloatVector.fromMemorySegment(F, a, r0 + jb, LE);
                FloatVector v1 = FloatVector.fromMemorySegment(F, a, r1 + jb, LE);
                FloatVector v2 = FloatVector.fromMemorySegment(F, a, r2 + jb, LE);
                FloatVector v3 = FloatVector.fromMemorySegment(F, a, r3 + jb, LE);
                FloatVector o = FloatVector.fromMemorySegment(F, out, ob + jb, LE);
                o = v0.fma(v0, o);
                o = v1.fma(v1, o);
                o = v2.fma(v2, o);
                o = v3.fma(v3, o);
                o.intoMemorySegment(out, ob + jb, LE);
            }
        }
        for (; i < m; i++) {
            long r0 = (aOff + (long) i * lda) * Float.BYTES;
            for (int j = 0; j < bound; j += lanes) {
                long jb = (long) j * Float.BYTES;
                FloatVector v0 = FloatVector.fromMemorySegment(F, a, r0 + jb, LE);
                v0.fma(v0, FloatVector.fromMemorySegment(F, out, ob + jb, LE)).intoMemorySegment(out, ob + jb, LE);
            }
        }
        ScalarBlas1.columnSumSquares(m, n - bound, a, aOff + bound, lda, out, outOff + bound);
    }

    /**
     * {@code a[i,j] = a[i,j]·f[i]} (bit-exact against the scalar reference).
     *
     * @param m    row count
     * @param n    column count
     * @param a    matrix, modified
     * @param aOff element offset of a[0,0]
     * @param lda  elements between row starts
     * @param f    row factors (length m), not modified
     * @param fOff element offset of f[0]
     */
    public static void scaleRows(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        for (int i = 0; i < m; i++) {
            scale(n, f.getAtIndex(F32, fOff + i), a, aOff + (long) i * lda);
        }
    }

    /**
     * {@code a[i,j] = a[i,j]·f[j]} (bit-exact against the scalar reference).
     *
     * @param m    row count
     * @param n    column count
     * @param a    matrix, modified
     * @param aOff element offset of a[0,0]
     * @param lda  elements between row starts
     * @param f    column factors (length n), not modified
     * @param fOff element offset of f[0]
     */
    public static void scaleColumns(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment f, long fOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        long fb = fOff * Float.BYTES;
        for (int i = 0; i < m; i++) {
            long row = aOff + (long) i * lda;
            long rb = row * Float.BYTES;
            for (int j = 0; j < bound; j += lanes) {
                long jb = (long) j * Float.BYTES;
                FloatVector.fromMemorySegment(F, a, rb + jb, LE)
                        .mul(FloatVector.fromMemorySegment(F, f, fb + jb, LE))
                        .intoMemorySegment(a, rb + jb, LE);
            }
        }
        ScalarBlas1.scaleColumns(m, n - bound, a, aOff + bound, lda, f, fOff + bound);
    }
}
