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
import org.sae4j.kernel.scalar.ScalarGemv;

/**
 * Vector API matrix-vector products, fp32 and bf16 weights. The semantics are those of {@link ScalarGemv}: each output
 * is a sum of products {@code s}, then {@code alpha·s} when {@code beta == 0} (y is then not read) and
 * {@code fma(beta, y, alpha·s)} otherwise. Only the summation order of {@code s} differs from the scalar reference,
 * which keeps every result within the usual dot-product error bound.
 *
 * <p>Both orientations are bound by memory bandwidth, so the blocking aims at keeping many independent load streams
 * in flight rather than at saving arithmetic:
 * <ul>
 *   <li>{@code A·x} (rows are contiguous dot products): blocks of 16 rows × 1 vector when the species has 16 lanes
 *       (16 accumulators need the 32 vector registers such CPUs have), then blocks of 8 rows × 1 vector, then single
 *       rows.</li>
 *   <li>{@code Aᵀ·x}: column panels of 16 vectors (8 below 16 lanes); every row of A adds {@code x[i]} times its
 *       panel segment into register accumulators, so y is written once per panel and never used as scratch.</li>
 * </ul>
 * The bf16 variants ({@link SimdGemvBf16}) share this structure and widen the weights in registers.
 */
public final class SimdGemv {

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Lanes per fp32 vector. */
    static final int L = F.length();

    /**
     * Whether the 16-accumulator blocks are used. One thread, 16384×768, median of 60 interleaved rounds at 16 lanes:
     * 16 rows × 1 vector 1.58 ms, 8 rows × 1 vector 1.60 ms, 8 rows × 2 vectors 1.67 ms, 4 rows × 2 vectors 2.0 ms;
     * 768×16384 transposed: 16-vector panels 1.65 ms against 1.88 ms for 8-vector panels (best of 41). Narrower
     * species keep 8 accumulators, which fit the 16 registers of AVX2.
     */
    static final boolean WIDE_BLOCKS = L >= 16;

    private static final long FLOAT_BYTES = Float.BYTES;

    private SimdGemv() {
    }

    /**
     * {@code y = alpha·A·x + beta·y} with A m×n fp32 row-major.
     *
     * @param m     rows of A and length of y
     * @param n     columns of A and length of x
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of {@code A[0][0]}
     * @param lda   elements between the starts of consecutive rows of A
     * @param x     x, not modified
     * @param xOff  element offset of {@code x[0]}
     * @param beta  scale of the previous y; 0 means y is overwritten without being read
     * @param y     y, modified
     * @param yOff  element offset of {@code y[0]}
     */
    public static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yOff) {
        int i = 0;
        if (WIDE_BLOCKS) {
            for (; i + 16 <= m; i += 16) {
                rows16(n, alpha, a, aOff + (long) i * lda, lda, x, xOff, beta, y, yOff + i);
            }
        }
        for (; i + 8 <= m; i += 8) {
            rows8(n, alpha, a, aOff + (long) i * lda, lda, x, xOff, beta, y, yOff + i);
        }
        for (; i < m; i++) {
            store(alpha, dot(n, a, aOff + (long) i * lda, x, xOff), beta, y, yOff + i);
        }
    }

    /**
     * {@code y = alpha·Aᵀ·x + beta·y} with A m×n fp32 row-major; x has m elements, y has n.
     *
     * @param m     rows of A and length of x
     * @param n     columns of A and length of y
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of {@code A[0][0]}
     * @param lda   elements between the starts of consecutive rows of A
     * @param x     x, not modified
     * @param xOff  element offset of {@code x[0]}
     * @param beta  scale of the previous y; 0 means y is overwritten without being read
     * @param y     y, modified
     * @param yOff  element offset of {@code y[0]}
     */
    public static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
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
            ScalarGemv.gemvTransposed(m, n - j, alpha, a, aOff + j, lda, x, xOff, beta, y, yOff + j);
        }
    }

    /**
     * {@code y = alpha·A·x + beta·y} with A m×n stored as bf16 (offsets and lda in bf16 elements), x and y fp32.
     *
     * @param m     rows of A and length of y
     * @param n     columns of A and length of x
     * @param alpha scale of the product
     * @param a     A as raw bf16, not modified
     * @param aOff  element offset of {@code A[0][0]}
     * @param lda   bf16 elements between the starts of consecutive rows of A
     * @param x     x, not modified
     * @param xOff  element offset of {@code x[0]}
     * @param beta  scale of the previous y; 0 means y is overwritten without being read
     * @param y     y, modified
     * @param yOff  element offset of {@code y[0]}
     */
    public static void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
            long xOff, float beta, MemorySegment y, long yOff) {
        SimdGemvBf16.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /**
     * {@code y = alpha·Aᵀ·x + beta·y} with A m×n stored as bf16 (offsets and lda in bf16 elements); x has m elements,
     * y has n.
     *
     * @param m     rows of A and length of x
     * @param n     columns of A and length of y
     * @param alpha scale of the product
     * @param a     A as raw bf16, not modified
     * @param aOff  element offset of {@code A[0][0]}
     * @param lda   bf16 elements between the starts of consecutive rows of A
     * @param x     x, not modified
     * @param xOff  element offset of {@code x[0]}
     * @param beta  scale of the previous y; 0 means y is overwritten without being read
     * @param y     y, modified
     * @param yOff  element offset of {@code y[0]}
     */
    public static void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
            MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        SimdGemvBf16.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** Writes {@code alpha·s + beta·y[yIdx]} exactly as the scalar reference does, not reading y when beta is 0. */
    static void store(float alpha, float s, float beta, MemorySegment y, long yIdx) {
        float r = beta == 0f ? alpha * s : Math.fma(beta, y.getAtIndex(F32, yIdx), alpha * s);
        y.setAtIndex(F32, yIdx, r);
    }

    /**
     * Rows {@code row .. row+15} of A (element offset of the first) into {@code y[yIdx .. yIdx+15]}: one vector per row
     * and step, 16 accumulators, 16 concurrent row streams.
     */
    private static void rows16(int n, float alpha, MemorySegment a, long row, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * FLOAT_BYTES;
        long a0 = row * FLOAT_BYTES;
        long a1 = a0 + stride;
        long a2 = a1 + stride;
        long a3 = a2 + stride;
        long a4 = a3 + stride;
        long a5 = a4 + stride;
        long a6 = a5 + stride;
        long a7 = a6 + stride;
        long a8 = a7 + stride;
        long a9 = a8 + stride;
        long a10 = a9 + stride;
        long a11 = a10 + stride;
        long a12 = a11 + stride;
        long a13 = a12 + stride;
        long a14 = a13 + stride;
        long a15 = a14 + stride;
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
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        FloatVector c12 = c0;
        FloatVector c13 = c0;
        FloatVector c14 = c0;
        FloatVector c15 = c0;
        for (int j = 0; j < bound; j += L) {
            long w = j * FLOAT_BYTES;
            FloatVector xj = FloatVector.fromMemorySegment(F, x, xb + j * FLOAT_BYTES, LE);
            c0 = FloatVector.fromMemorySegment(F, a, a0 + w, LE).fma(xj, c0);
            c1 = FloatVector.fromMemorySegment(F, a, a1 + w, LE).fma(xj, c1);
            c2 = FloatVector.fromMemorySegment(F, a, a2 + w, LE).fma(xj, c2);
            c3 = FloatVector.fromMemorySegment(F, a, a3 + w, LE).fma(xj, c3);
            c4 = FloatVector.fromMemorySegment(F, a, a4 + w, LE).fma(xj, c4);
            c5 = FloatVector.fromMemorySegment(F, a, a5 + w, LE).fma(xj, c5);
            c6 = FloatVector.fromMemorySegment(F, a, a6 + w, LE).fma(xj, c6);
            c7 = FloatVector.fromMemorySegment(F, a, a7 + w, LE).fma(xj, c7);
            c8 = FloatVector.fromMemorySegment(F, a, a8 + w, LE).fma(xj, c8);
            c9 = FloatVector.fromMemorySegment(F, a, a9 + w, LE).fma(xj, c9);
            c10 = FloatVector.fromMemorySegment(F, a, a10 + w, LE).fma(xj, c10);
            c11 = FloatVector.fromMemorySegment(F, a, a11 + w, LE).fma(xj, c11);
            c12 = FloatVector.fromMemorySegment(F, a, a12 + w, LE).fma(xj, c12);
            c13 = FloatVector.fromMemorySegment(F, a, a13 + w, LE).fma(xj, c13);
            c14 = FloatVector.fromMemorySegment(F, a, a14 + w, LE).fma(xj, c14);
            c15 = FloatVector.fromMemorySegment(F, a, a15 + w, LE).fma(xj, c15);
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
        FloatVector f8 = c8;
        if (LANES >= 16) {
            f8 = f8.add(f8.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f8 = f8.add(f8.rearrange(FOLD_4));
        }
        f8 = f8.add(f8.rearrange(FOLD_2));
        f8 = f8.add(f8.rearrange(FOLD_1));
        float s8 = f8.lane(0);
        FloatVector f9 = c9;
        if (LANES >= 16) {
            f9 = f9.add(f9.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f9 = f9.add(f9.rearrange(FOLD_4));
        }
        f9 = f9.add(f9.rearrange(FOLD_2));
        f9 = f9.add(f9.rearrange(FOLD_1));
        float s9 = f9.lane(0);
        FloatVector f10 = c10;
        if (LANES >= 16) {
            f10 = f10.add(f10.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f10 = f10.add(f10.rearrange(FOLD_4));
        }
        f10 = f10.add(f10.rearrange(FOLD_2));
        f10 = f10.add(f10.rearrange(FOLD_1));
        float s10 = f10.lane(0);
        FloatVector f11 = c11;
        if (LANES >= 16) {
            f11 = f11.add(f11.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f11 = f11.add(f11.rearrange(FOLD_4));
        }
        f11 = f11.add(f11.rearrange(FOLD_2));
        f11 = f11.add(f11.rearrange(FOLD_1));
        float s11 = f11.lane(0);
        FloatVector f12 = c12;
        if (LANES >= 16) {
            f12 = f12.add(f12.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f12 = f12.add(f12.rearrange(FOLD_4));
        }
        f12 = f12.add(f12.rearrange(FOLD_2));
        f12 = f12.add(f12.rearrange(FOLD_1));
        float s12 = f12.lane(0);
        FloatVector f13 = c13;
        if (LANES >= 16) {
            f13 = f13.add(f13.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f13 = f13.add(f13.rearrange(FOLD_4));
        }
        f13 = f13.add(f13.rearrange(FOLD_2));
        f13 = f13.add(f13.rearrange(FOLD_1));
        float s13 = f13.lane(0);
        FloatVector f14 = c14;
        if (LANES >= 16) {
            f14 = f14.add(f14.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f14 = f14.add(f14.rearrange(FOLD_4));
        }
        f14 = f14.add(f14.rearrange(FOLD_2));
        f14 = f14.add(f14.rearrange(FOLD_1));
        float s14 = f14.lane(0);
        FloatVector f15 = c15;
        if (LANES >= 16) {
            f15 = f15.add(f15.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            f15 = f15.add(f15.rearrange(FOLD_4));
        }
        f15 = f15.add(f15.rearrange(FOLD_2));
        f15 = f15.add(f15.rearrange(FOLD_1));
        float s15 = f15.lane(0);
        if (bound < n) {
            int rest = n - bound;
            long e = row + bound;
            long xe = xOff + bound;
            s0 += ScalarBlas1.dot(rest, a, e, x, xe);
            s1 += ScalarBlas1.dot(rest, a, e + lda, x, xe);
            s2 += ScalarBlas1.dot(rest, a, e + 2L * lda, x, xe);
            s3 += ScalarBlas1.dot(rest, a, e + 3L * lda, x, xe);
            s4 += ScalarBlas1.dot(rest, a, e + 4L * lda, x, xe);
            s5 += ScalarBlas1.dot(rest, a, e + 5L * lda, x, xe);
            s6 += ScalarBlas1.dot(rest, a, e + 6L * lda, x, xe);
            s7 += ScalarBlas1.dot(rest, a, e + 7L * lda, x, xe);
            s8 += ScalarBlas1.dot(rest, a, e + 8L * lda, x, xe);
            s9 += ScalarBlas1.dot(rest, a, e + 9L * lda, x, xe);
            s10 += ScalarBlas1.dot(rest, a, e + 10L * lda, x, xe);
            s11 += ScalarBlas1.dot(rest, a, e + 11L * lda, x, xe);
            s12 += ScalarBlas1.dot(rest, a, e + 12L * lda, x, xe);
            s13 += ScalarBlas1.dot(rest, a, e + 13L * lda, x, xe);
            s14 += ScalarBlas1.dot(rest, a, e + 14L * lda, x, xe);
            s15 += ScalarBlas1.dot(rest, a, e + 15L * lda, x, xe);
        }
        store(alpha, s0, beta, y, yIdx);
        store(alpha, s1, beta, y, yIdx + 1);
        store(alpha, s2, beta, y, yIdx + 2);
        store(alpha, s3, beta, y, yIdx + 3);
        store(alpha, s4, beta, y, yIdx + 4);
        store(alpha, s5, beta, y, yIdx + 5);
        store(alpha, s6, beta, y, yIdx + 6);
        store(alpha, s7, beta, y, yIdx + 7);
        store(alpha, s8, beta, y, yIdx + 8);
        store(alpha, s9, beta, y, yIdx + 9);
        store(alpha, s10, beta, y, yIdx + 10);
        store(alpha, s11, beta, y, yIdx + 11);
        store(alpha, s12, beta, y, yIdx + 12);
        store(alpha, s13, beta, y, yIdx + 13);
        store(alpha, s14, beta, y, yIdx + 14);
        store(alpha, s15, beta, y, yIdx + 15);
    }

    /**
     * Rows {@code row .. row+7} of A into {@code y[yIdx .. yIdx+7]}: one vector per row and step, 8 accumulators.
     */
    private static void rows8(int n, float alpha, MemorySegment a, long row, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * FLOAT_BYTES;
        long a0 = row * FLOAT_BYTES;
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
            long w = j * FLOAT_BYTES;
            FloatVector xj = FloatVector.fromMemorySegment(F, x, xb + j * FLOAT_BYTES, LE);
            c0 = FloatVector.fromMemorySegment(F, a, a0 + w, LE).fma(xj, c0);
            c1 = FloatVector.fromMemorySegment(F, a, a1 + w, LE).fma(xj, c1);
            c2 = FloatVector.fromMemorySegment(F, a, a2 + w, LE).fma(xj, c2);
            c3 = FloatVector.fromMemorySegment(F, a, a3 + w, LE).fma(xj, c3);
            c4 = FloatVector.fromMemorySegment(F, a, a4 + w, LE).fma(xj, c4);
            c5 = FloatVector.fromMemorySegment(F, a, a5 + w, LE).fma(xj, c5);
            c6 = FloatVector.fromMemorySegment(F, a, a6 + w, LE).fma(xj, c6);
            c7 = FloatVector.fromMemorySegment(F, a, a7 + w, LE).fma(xj, c7);
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
            s0 += ScalarBlas1.dot(rest, a, e, x, xe);
            s1 += ScalarBlas1.dot(rest, a, e + lda, x, xe);
            s2 += ScalarBlas1.dot(rest, a, e + 2L * lda, x, xe);
            s3 += ScalarBlas1.dot(rest, a, e + 3L * lda, x, xe);
            s4 += ScalarBlas1.dot(rest, a, e + 4L * lda, x, xe);
            s5 += ScalarBlas1.dot(rest, a, e + 5L * lda, x, xe);
            s6 += ScalarBlas1.dot(rest, a, e + 6L * lda, x, xe);
            s7 += ScalarBlas1.dot(rest, a, e + 7L * lda, x, xe);
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

    /**
     * One row of A (element offset {@code row}) dotted with x with a single accumulator: the same operation order as
     * each row of {@link #rows16} and {@link #rows8}, so a row's result does not depend on which block computed it
     * (the facade's row chunks move rows between blocks).
     */
    private static float dot(int n, MemorySegment a, long row, MemorySegment x, long xOff) {
        long ab = row * FLOAT_BYTES;
        long xb = xOff * FLOAT_BYTES;
        int bound = F.loopBound(n);
        FloatVector c0 = FloatVector.zero(F);
        for (int j = 0; j < bound; j += L) {
            long o = j * FLOAT_BYTES;
            c0 = FloatVector.fromMemorySegment(F, a, ab + o, LE)
                    .fma(FloatVector.fromMemorySegment(F, x, xb + o, LE), c0);
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
            s += ScalarBlas1.dot(n - bound, a, row + bound, x, xOff + bound);
        }
        return s;
    }

    /**
     * Columns {@code col .. col+16L−1} of Aᵀ·x ({@code col} is the element offset of {@code A[0][j]}) into
     * {@code y[yIdx ..]}: 16 independent accumulators, one per vector of the panel, so the FMA latency is hidden
     * without splitting the rows.
     */
    private static void panel16(int m, float alpha, MemorySegment a, long col, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * FLOAT_BYTES;
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
        long p = col * FLOAT_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            FloatVector xi = FloatVector.broadcast(F, x.getAtIndex(F32, xOff + i));
            c0 = FloatVector.fromMemorySegment(F, a, p, LE).fma(xi, c0);
            c1 = FloatVector.fromMemorySegment(F, a, p + vb, LE).fma(xi, c1);
            c2 = FloatVector.fromMemorySegment(F, a, p + 2 * vb, LE).fma(xi, c2);
            c3 = FloatVector.fromMemorySegment(F, a, p + 3 * vb, LE).fma(xi, c3);
            c4 = FloatVector.fromMemorySegment(F, a, p + 4 * vb, LE).fma(xi, c4);
            c5 = FloatVector.fromMemorySegment(F, a, p + 5 * vb, LE).fma(xi, c5);
            c6 = FloatVector.fromMemorySegment(F, a, p + 6 * vb, LE).fma(xi, c6);
            c7 = FloatVector.fromMemorySegment(F, a, p + 7 * vb, LE).fma(xi, c7);
            c8 = FloatVector.fromMemorySegment(F, a, p + 8 * vb, LE).fma(xi, c8);
            c9 = FloatVector.fromMemorySegment(F, a, p + 9 * vb, LE).fma(xi, c9);
            c10 = FloatVector.fromMemorySegment(F, a, p + 10 * vb, LE).fma(xi, c10);
            c11 = FloatVector.fromMemorySegment(F, a, p + 11 * vb, LE).fma(xi, c11);
            c12 = FloatVector.fromMemorySegment(F, a, p + 12 * vb, LE).fma(xi, c12);
            c13 = FloatVector.fromMemorySegment(F, a, p + 13 * vb, LE).fma(xi, c13);
            c14 = FloatVector.fromMemorySegment(F, a, p + 14 * vb, LE).fma(xi, c14);
            c15 = FloatVector.fromMemorySegment(F, a, p + 15 * vb, LE).fma(xi, c15);
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
        long stride = lda * FLOAT_BYTES;
        long vb = L * FLOAT_BYTES;
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        long p = col * FLOAT_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            FloatVector xi = FloatVector.broadcast(F, x.getAtIndex(F32, xOff + i));
            c0 = FloatVector.fromMemorySegment(F, a, p, LE).fma(xi, c0);
            c1 = FloatVector.fromMemorySegment(F, a, p + vb, LE).fma(xi, c1);
            c2 = FloatVector.fromMemorySegment(F, a, p + 2 * vb, LE).fma(xi, c2);
            c3 = FloatVector.fromMemorySegment(F, a, p + 3 * vb, LE).fma(xi, c3);
            c4 = FloatVector.fromMemorySegment(F, a, p + 4 * vb, LE).fma(xi, c4);
            c5 = FloatVector.fromMemorySegment(F, a, p + 5 * vb, LE).fma(xi, c5);
            c6 = FloatVector.fromMemorySegment(F, a, p + 6 * vb, LE).fma(xi, c6);
            c7 = FloatVector.fromMemorySegment(F, a, p + 7 * vb, LE).fma(xi, c7);
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
     * One vector of columns of Aᵀ·x into {@code y[yIdx ..]} with a single accumulator: each column is the same
     * sequential fused multiply-add chain over the rows as in the wide panels and the scalar tail, so results do not
     * depend on where the facade's column chunks start.
     */
    private static void panel1(int m, float alpha, MemorySegment a, long col, int lda, MemorySegment x, long xOff,
            float beta, MemorySegment y, long yIdx) {
        long stride = lda * FLOAT_BYTES;
        FloatVector c0 = FloatVector.zero(F);
        long p = col * FLOAT_BYTES;
        for (int i = 0; i < m; i++, p += stride) {
            c0 = FloatVector.fromMemorySegment(F, a, p, LE)
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
