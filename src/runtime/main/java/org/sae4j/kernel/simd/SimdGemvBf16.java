package org.sae4j.kernel.simd;

import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;
import static org.sae4j.kernel.simd.SimdGemv.L;
import static org.sae4j.kernel.simd.SimdGemv.LE;
import static org.sae4j.kernel.simd.SimdGemv.WIDE_BLOCKS;
import static org.sae4j.kernel.simd.SimdGemv.store;
import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_1;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_2;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_4;
import static org.sae4j.kernel.simd.SimdSpecies.FOLD_8;
import static org.sae4j.kernel.simd.SimdSpecies.I;
import static org.sae4j.kernel.simd.SimdSpecies.LANES;
import static org.sae4j.kernel.simd.SimdSpecies.S_HALF;
import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import org.sae4j.kernel.scalar.ScalarGemv;
import org.sae4j.tensor.Layouts;

/**
 * Matrix-vector products with bf16 weights, widened in registers: a half-width {@link ShortVector} of raw bf16 bits
 * is sign-extended to ints, shifted left by 16 and reinterpreted as floats, which is exactly the fp32 value the bits
 * encode. Nothing is widened into a buffer, so the weights cost half the memory traffic of fp32. {@code A·x} runs
 * blocks of 8 rows × 1 vector at every width (16384×768, median of 60 rounds: 1.04 ms, against 1.03 ms for 12 rows,
 * 1.12 ms for 16 rows and 1.25 ms for 8 rows × 2 vectors); {@code Aᵀ·x} and the epilogue follow {@link SimdGemv}.
 *
 * <p>The de-interleaving int-pair load (one int vector gives the even elements by a shift and the odd ones by a mask,
 * against x permuted in registers) ran within 5 % of this form in 4-row blocks at 16384×768 and not faster at
 * 16384×16384, so the plain widening is kept: it needs no permutation of x at all.
 */
final class SimdGemvBf16 {

    private static final long FLOAT_BYTES = Float.BYTES;

    private static final long BF16_BYTES = Short.BYTES;

    private SimdGemvBf16() {
    }

    /** {@code y = alpha·A·x + beta·y}, A m×n bf16 row-major; see {@link SimdGemv#gemvBf16}. */
    static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            rows8(n, alpha, a, aOff + (long) i * lda, lda, x, xOff, beta, y, yOff + i);
        }
        for (; i < m; i++) {
            store(alpha, dot(n, a, aOff + (long) i * lda, x, xOff), beta, y, yOff + i);
        }
    }

    /** {@code y = alpha·Aᵀ·x + beta·y}, A m×n bf16 row-major; see {@link SimdGemv#gemvTransposedBf16}. */
    static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        int j = 0;
        if (WIDE_BLOCKS) {
            for (; j + 16 * L <= n; j += 16 * L) {
                panel16(m, alpha, a, aOff + j, lda, x, xOff, beta, y, yOff + j);
            }
        } else {
            for (; j + 8 * L <= n; j += 8 * L) {
                panel8(m, alpha, a, aOff + j, lda, x, xOff, beta, y, yOff + j);
            }
        }
        for (; j + L <= n; j += L) {
            panel1(m, alpha, a, aOff + j, lda, x, xOff, beta, y, yOff + j);
        }
        if (j < n) {
            ScalarGemv.gemvTransposedBf16(m, n - j, alpha, a, aOff + j, lda, x, xOff, beta, y, yOff + j);
        }
    }

    /**
     * Rows {@code row .. row+7} of A (bf16 offset of the first) into {@code y[yIdx .. yIdx+7]}: one vector per row and
     * step, 8 accumulators.
     */
    private static void rows8(int n, float alpha, MemorySegment a, long row, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * BF16_BYTES;
        long a0 = row * BF16_BYTES;
        long a1 = a0 + stride;
        long a2 = a1 + stride;
        long a3 = a2 + stride;
        long a4 = a3 + stride;
        long a5 = a4 + stride;
        long a6 = a5 + stride;
        long a7 = a6 + stride;
        long xb = xOff * FLOAT_BYTES;
        int bound = F.loopBound(n);
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int j = 0; j < bound; j += L) {
            long w = j * BF16_BYTES;
            FloatVector xj = FloatVector.fromMemorySegment(F, x, xb + j * FLOAT_BYTES, LE);
            c0 = ShortVector.fromMemorySegment(S_HALF, a, a0 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c0);
            c1 = ShortVector.fromMemorySegment(S_HALF, a, a1 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c1);
            c2 = ShortVector.fromMemorySegment(S_HALF, a, a2 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c2);
            c3 = ShortVector.fromMemorySegment(S_HALF, a, a3 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c3);
            c4 = ShortVector.fromMemorySegment(S_HALF, a, a4 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c4);
            c5 = ShortVector.fromMemorySegment(S_HALF, a, a5 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c5);
            c6 = ShortVector.fromMemorySegment(S_HALF, a, a6 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c6);
            c7 = ShortVector.fromMemorySegment(S_HALF, a, a7 + w, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xj, c7);
        }
        FloatVector f0 = c0;
        if (LANES >= 16) {
            f0 = f0.add(f0.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f0 = f0.add(f0.rearrange(FOLD_4));
        }
        f0 = f0.add(f0.rearrange(FOLD_2));
        f0 = f0.add(f0.rearrange(FOLD_1));
        float s0 = f0.lane(0);
        FloatVector f1 = c1;
        if (LANES >= 16) {
            f1 = f1.add(f1.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f1 = f1.add(f1.rearrange(FOLD_4));
        }
        f1 = f1.add(f1.rearrange(FOLD_2));
        f1 = f1.add(f1.rearrange(FOLD_1));
        float s1 = f1.lane(0);
        FloatVector f2 = c2;
        if (LANES >= 16) {
            f2 = f2.add(f2.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f2 = f2.add(f2.rearrange(FOLD_4));
        }
        f2 = f2.add(f2.rearrange(FOLD_2));
        f2 = f2.add(f2.rearrange(FOLD_1));
        float s2 = f2.lane(0);
        FloatVector f3 = c3;
        if (LANES >= 16) {
            f3 = f3.add(f3.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f3 = f3.add(f3.rearrange(FOLD_4));
        }
        f3 = f3.add(f3.rearrange(FOLD_2));
        f3 = f3.add(f3.rearrange(FOLD_1));
        float s3 = f3.lane(0);
        FloatVector f4 = c4;
        if (LANES >= 16) {
            f4 = f4.add(f4.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f4 = f4.add(f4.rearrange(FOLD_4));
        }
        f4 = f4.add(f4.rearrange(FOLD_2));
        f4 = f4.add(f4.rearrange(FOLD_1));
        float s4 = f4.lane(0);
        FloatVector f5 = c5;
        if (LANES >= 16) {
            f5 = f5.add(f5.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f5 = f5.add(f5.rearrange(FOLD_4));
        }
        f5 = f5.add(f5.rearrange(FOLD_2));
        f5 = f5.add(f5.rearrange(FOLD_1));
        float s5 = f5.lane(0);
        FloatVector f6 = c6;
        if (LANES >= 16) {
            f6 = f6.add(f6.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f6 = f6.add(f6.rearrange(FOLD_4));
        }
        f6 = f6.add(f6.rearrange(FOLD_2));
        f6 = f6.add(f6.rearrange(FOLD_1));
        float s6 = f6.lane(0);
        FloatVector f7 = c7;
        if (LANES >= 16) {
            f7 = f7.add(f7.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f7 = f7.add(f7.rearrange(FOLD_4));
        }
        f7 = f7.add(f7.rearrange(FOLD_2));
        f7 = f7.add(f7.rearrange(FOLD_1));
        float s7 = f7.lane(0);
        if (bound < n) {
            int rest = n - bound;
            long e = row + bound;
            long xe = xOff + bound;
            s0 += tailDot(rest, a, e, x, xe);
            s1 += tailDot(rest, a, e + lda, x, xe);
            s2 += tailDot(rest, a, e + 2L * lda, x, xe);
            s3 += tailDot(rest, a, e + 3L * lda, x, xe);
            s4 += tailDot(rest, a, e + 4L * lda, x, xe);
            s5 += tailDot(rest, a, e + 5L * lda, x, xe);
            s6 += tailDot(rest, a, e + 6L * lda, x, xe);
            s7 += tailDot(rest, a, e + 7L * lda, x, xe);
        }
        store(alpha, s0, beta, y, yIdx);
        store(alpha, s1, beta, y, yIdx + 1);
        store(alpha, s2, beta, y, yIdx + 2);
        store(alpha, s3, beta, y, yIdx + 3);
        store(alpha, s4, beta, y, yIdx + 4);
        store(alpha, s5, beta, y, yIdx + 5);
        store(alpha, s6, beta, y, yIdx + 6);
        store(alpha, s7, beta, y, yIdx + 7);
    }

    /** One bf16 row of A dotted with x with a single accumulator, in the order of each row of {@link #rows8}. */
    private static float dot(int n, MemorySegment a, long row, MemorySegment x, long xOff) {
        long ab = row * BF16_BYTES;
        long xb = xOff * FLOAT_BYTES;
        int bound = F.loopBound(n);
        FloatVector c0 = FloatVector.zero(F);
        for (int j = 0; j < bound; j += L) {
            c0 = ShortVector.fromMemorySegment(S_HALF, a, ab + j * BF16_BYTES, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats()
                    .fma(FloatVector.fromMemorySegment(F, x, xb + j * FLOAT_BYTES, LE), c0);
        }
        FloatVector sLanes = c0;
        if (LANES >= 16) {
            sLanes = sLanes.add(sLanes.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            sLanes = sLanes.add(sLanes.rearrange(FOLD_4));
        }
        sLanes = sLanes.add(sLanes.rearrange(FOLD_2));
        sLanes = sLanes.add(sLanes.rearrange(FOLD_1));
        float s = sLanes.lane(0);
        if (bound < n) {
            s += tailDot(n - bound, a, row + bound, x, xOff + bound);
        }
        return s;
    }

    /** The scalar reference's fused multiply-add chain over a row remainder shorter than one vector. */
    private static float tailDot(int n, MemorySegment a, long aIdx, MemorySegment x, long xIdx) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s = Math.fma(Layouts.bf16ToFloat(a.getAtIndex(BF16, aIdx + j)), x.getAtIndex(F32, xIdx + j), s);
        }
        return s;
    }

    /** Columns {@code col .. col+16L−1} of Aᵀ·x into {@code y[yIdx ..]}: one accumulator per vector of the panel. */
    private static void panel16(int m, float alpha, MemorySegment a, long col, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * BF16_BYTES;
        long wb = L * BF16_BYTES;
        long vb = L * FLOAT_BYTES;
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        FloatVector c12 = c0;
        FloatVector c13 = c0;
        FloatVector c14 = c0;
        FloatVector c15 = c0;
        long p = col * BF16_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            FloatVector xi = FloatVector.broadcast(F, x.getAtIndex(F32, xOff + i));
            c0 = ShortVector.fromMemorySegment(S_HALF, a, p, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c0);
            c1 = ShortVector.fromMemorySegment(S_HALF, a, p + wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c1);
            c2 = ShortVector.fromMemorySegment(S_HALF, a, p + 2 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c2);
            c3 = ShortVector.fromMemorySegment(S_HALF, a, p + 3 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c3);
            c4 = ShortVector.fromMemorySegment(S_HALF, a, p + 4 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c4);
            c5 = ShortVector.fromMemorySegment(S_HALF, a, p + 5 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c5);
            c6 = ShortVector.fromMemorySegment(S_HALF, a, p + 6 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c6);
            c7 = ShortVector.fromMemorySegment(S_HALF, a, p + 7 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c7);
            c8 = ShortVector.fromMemorySegment(S_HALF, a, p + 8 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c8);
            c9 = ShortVector.fromMemorySegment(S_HALF, a, p + 9 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c9);
            c10 = ShortVector.fromMemorySegment(S_HALF, a, p + 10 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c10);
            c11 = ShortVector.fromMemorySegment(S_HALF, a, p + 11 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c11);
            c12 = ShortVector.fromMemorySegment(S_HALF, a, p + 12 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c12);
            c13 = ShortVector.fromMemorySegment(S_HALF, a, p + 13 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c13);
            c14 = ShortVector.fromMemorySegment(S_HALF, a, p + 14 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c14);
            c15 = ShortVector.fromMemorySegment(S_HALF, a, p + 15 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c15);
        }
        long yb = yIdx * FLOAT_BYTES;
        if (beta == 0f) {
            c0.mul(alpha).intoMemorySegment(y, yb, LE);
            c1.mul(alpha).intoMemorySegment(y, yb + vb, LE);
            c2.mul(alpha).intoMemorySegment(y, yb + 2 * vb, LE);
            c3.mul(alpha).intoMemorySegment(y, yb + 3 * vb, LE);
            c4.mul(alpha).intoMemorySegment(y, yb + 4 * vb, LE);
            c5.mul(alpha).intoMemorySegment(y, yb + 5 * vb, LE);
            c6.mul(alpha).intoMemorySegment(y, yb + 6 * vb, LE);
            c7.mul(alpha).intoMemorySegment(y, yb + 7 * vb, LE);
            c8.mul(alpha).intoMemorySegment(y, yb + 8 * vb, LE);
            c9.mul(alpha).intoMemorySegment(y, yb + 9 * vb, LE);
            c10.mul(alpha).intoMemorySegment(y, yb + 10 * vb, LE);
            c11.mul(alpha).intoMemorySegment(y, yb + 11 * vb, LE);
            c12.mul(alpha).intoMemorySegment(y, yb + 12 * vb, LE);
            c13.mul(alpha).intoMemorySegment(y, yb + 13 * vb, LE);
            c14.mul(alpha).intoMemorySegment(y, yb + 14 * vb, LE);
            c15.mul(alpha).intoMemorySegment(y, yb + 15 * vb, LE);
        } else {
            FloatVector b = FloatVector.broadcast(F, beta);
            long q = yb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c0.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c1.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c2.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c3.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c4.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c5.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c6.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c7.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c8.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c9.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c10.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c11.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c12.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c13.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c14.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c15.mul(alpha)).intoMemorySegment(y, q, LE);
        }
    }

    /** Columns {@code col .. col+8L−1} of Aᵀ·x into {@code y[yIdx ..]}: 8 accumulators, for 16-register CPUs. */
    private static void panel8(int m, float alpha, MemorySegment a, long col, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * BF16_BYTES;
        long wb = L * BF16_BYTES;
        long vb = L * FLOAT_BYTES;
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        long p = col * BF16_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            FloatVector xi = FloatVector.broadcast(F, x.getAtIndex(F32, xOff + i));
            c0 = ShortVector.fromMemorySegment(S_HALF, a, p, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c0);
            c1 = ShortVector.fromMemorySegment(S_HALF, a, p + wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c1);
            c2 = ShortVector.fromMemorySegment(S_HALF, a, p + 2 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c2);
            c3 = ShortVector.fromMemorySegment(S_HALF, a, p + 3 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c3);
            c4 = ShortVector.fromMemorySegment(S_HALF, a, p + 4 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c4);
            c5 = ShortVector.fromMemorySegment(S_HALF, a, p + 5 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c5);
            c6 = ShortVector.fromMemorySegment(S_HALF, a, p + 6 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c6);
            c7 = ShortVector.fromMemorySegment(S_HALF, a, p + 7 * wb, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats().fma(xi, c7);
        }
        long yb = yIdx * FLOAT_BYTES;
        if (beta == 0f) {
            c0.mul(alpha).intoMemorySegment(y, yb, LE);
            c1.mul(alpha).intoMemorySegment(y, yb + vb, LE);
            c2.mul(alpha).intoMemorySegment(y, yb + 2 * vb, LE);
            c3.mul(alpha).intoMemorySegment(y, yb + 3 * vb, LE);
            c4.mul(alpha).intoMemorySegment(y, yb + 4 * vb, LE);
            c5.mul(alpha).intoMemorySegment(y, yb + 5 * vb, LE);
            c6.mul(alpha).intoMemorySegment(y, yb + 6 * vb, LE);
            c7.mul(alpha).intoMemorySegment(y, yb + 7 * vb, LE);
        } else {
            FloatVector b = FloatVector.broadcast(F, beta);
            long q = yb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c0.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c1.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c2.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c3.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c4.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c5.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c6.mul(alpha)).intoMemorySegment(y, q, LE);
            q += vb;
            FloatVector.fromMemorySegment(F, y, q, LE).fma(b, c7.mul(alpha)).intoMemorySegment(y, q, LE);
        }
    }

    /**
     * One vector of columns of Aᵀ·x into {@code y[yIdx ..]} with a single accumulator, the same chain per column as
     * the wide panels and the scalar tail.
     */
    private static void panel1(int m, float alpha, MemorySegment a, long col, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * BF16_BYTES;
        FloatVector c0 = FloatVector.zero(F);
        long p = col * BF16_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            c0 = ShortVector.fromMemorySegment(S_HALF, a, p, LE)
                    .convertShape(S2I, I, 0).lanewise(LSHL, 16).reinterpretAsFloats()
                    .fma(FloatVector.broadcast(F, x.getAtIndex(F32, xOff + i)), c0);
        }
        FloatVector s = c0.mul(alpha);
        long yb = yIdx * FLOAT_BYTES;
        if (beta == 0f) {
            s.intoMemorySegment(y, yb, LE);
        } else {
            FloatVector.fromMemorySegment(F, y, yb, LE).fma(FloatVector.broadcast(F, beta), s)
                    .intoMemorySegment(y, yb, LE);
        }
    }
}
