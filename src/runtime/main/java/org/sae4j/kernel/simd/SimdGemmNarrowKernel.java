package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdSpecies.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The narrow GEMM micro-kernels: an {@value SimdGemmMicroKernel#MR} × {@link #L} tile of C, one vector per row, for
 * products whose C has fewer columns than the wide tile of {@link SimdGemmMicroKernel} ({@code NR}, 64 at 512 bits).
 * There the wide kernel would compute up to eight times the useful columns and send every tile through the edge
 * copy; most of the paper lab's GEMMs have 8–32 columns.
 *
 * <p>Same contract as the wide kernels, element for element: the accumulators start from an {@code init} tile, the k
 * loop is one sequential fused multiply-add chain per element and each epilogue is the same lane-wise expression, so
 * an element of C gets the same bits whichever kernel computes it (and so whichever way callers split C). Packed A is
 * the wide kernels' layout (row r of a micro-panel at {@code aBase + r·KC}); packed B has panels of {@link #L}
 * columns, element (p, j) at {@code bBase + p·L + j}. One method per epilogue, as in the wide kernels (style.md §4.1,
 * §4.2); six independent chains per k step keep the FMA units mostly busy on a dependent latency of four cycles.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
final class SimdGemmNarrowKernel {

    /** Columns of the narrow tile: one vector. */
    static final int L = F.length();

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdGemmNarrowKernel() {
    }

    /**
     * Stores the raw accumulators: {@code C = init + A·B} (an intermediate k block).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     */
    static void raw(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c0.intoMemorySegment(c, o0, LE);
        c1.intoMemorySegment(c, o1, LE);
        c2.intoMemorySegment(c, o2, LE);
        c3.intoMemorySegment(c, o3, LE);
        c4.intoMemorySegment(c, o4, LE);
        c5.intoMemorySegment(c, o5, LE);
    }

    /**
     * Stores {@code C = alpha·(init + A·B)} (last k block, {@code beta == 0}: C is not read).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param alpha    scale of the product
     */
    static void alpha(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float alpha) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        FloatVector av = FloatVector.broadcast(F, alpha);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c0.mul(av).intoMemorySegment(c, o0, LE);
        c1.mul(av).intoMemorySegment(c, o1, LE);
        c2.mul(av).intoMemorySegment(c, o2, LE);
        c3.mul(av).intoMemorySegment(c, o3, LE);
        c4.mul(av).intoMemorySegment(c, o4, LE);
        c5.mul(av).intoMemorySegment(c, o5, LE);
    }

    /**
     * Stores {@code C = beta·C + alpha·(init + A·B)} as one fused multiply-add per element.
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param alpha    scale of the product
     * @param beta     scale of the old C
     */
    static void alphaBeta(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float alpha, float beta) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        FloatVector av = FloatVector.broadcast(F, alpha);
        FloatVector bv = FloatVector.broadcast(F, beta);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        FloatVector.fromMemorySegment(F, c, o0, LE).fma(bv, c0.mul(av)).intoMemorySegment(c, o0, LE);
        FloatVector.fromMemorySegment(F, c, o1, LE).fma(bv, c1.mul(av)).intoMemorySegment(c, o1, LE);
        FloatVector.fromMemorySegment(F, c, o2, LE).fma(bv, c2.mul(av)).intoMemorySegment(c, o2, LE);
        FloatVector.fromMemorySegment(F, c, o3, LE).fma(bv, c3.mul(av)).intoMemorySegment(c, o3, LE);
        FloatVector.fromMemorySegment(F, c, o4, LE).fma(bv, c4.mul(av)).intoMemorySegment(c, o4, LE);
        FloatVector.fromMemorySegment(F, c, o5, LE).fma(bv, c5.mul(av)).intoMemorySegment(c, o5, LE);
    }

    /**
     * Stores {@code C = (init + A·B) + bias}.
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param bias     packed bias, not modified
     * @param biasBase index of the bias of the tile's column 0
     */
    static void bias(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float[] bias, int biasBase) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        FloatVector z = FloatVector.fromArray(F, bias, biasBase);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c0.add(z).intoMemorySegment(c, o0, LE);
        c1.add(z).intoMemorySegment(c, o1, LE);
        c2.add(z).intoMemorySegment(c, o2, LE);
        c3.add(z).intoMemorySegment(c, o3, LE);
        c4.add(z).intoMemorySegment(c, o4, LE);
        c5.add(z).intoMemorySegment(c, o5, LE);
    }

    /**
     * Stores {@code C = max((init + A·B) + bias, 0)}.
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param bias     packed bias, not modified
     * @param biasBase index of the bias of the tile's column 0
     */
    static void relu(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float[] bias, int biasBase) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        FloatVector z = FloatVector.fromArray(F, bias, biasBase);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c0.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o0, LE);
        c1.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o1, LE);
        c2.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o2, LE);
        c3.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o3, LE);
        c4.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o4, LE);
        c5.add(z).lanewise(VectorOperators.MAX, 0f).intoMemorySegment(c, o5, LE);
    }

    /**
     * Stores {@code C = P > theta ? P : 0} with {@code P = (init + A·B) + bias} (strict: NaN and ties give +0).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B (panels of {@link #L} columns), not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@code SimdGemmMicroKernel.ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param bias      packed bias and thresholds, not modified
     * @param biasBase  index of the bias of the tile's column 0
     * @param thetaBase index of the threshold of the tile's column 0
     */
    static void jumpRelu(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float[] bias, int biasBase,
            int thetaBase) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c0 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c1 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c2 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c3 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c4 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c5 = FloatVector.fromMemorySegment(F, init, i5, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += L) {
            FloatVector b = FloatVector.fromArray(F, pb, ib);
            c0 = b.fma(FloatVector.broadcast(F, pa[aBase + p]), c0);
            c1 = b.fma(FloatVector.broadcast(F, pa[aBase + KC + p]), c1);
            c2 = b.fma(FloatVector.broadcast(F, pa[aBase + 2 * KC + p]), c2);
            c3 = b.fma(FloatVector.broadcast(F, pa[aBase + 3 * KC + p]), c3);
            c4 = b.fma(FloatVector.broadcast(F, pa[aBase + 4 * KC + p]), c4);
            c5 = b.fma(FloatVector.broadcast(F, pa[aBase + 5 * KC + p]), c5);
        }
        FloatVector z = FloatVector.fromArray(F, bias, biasBase);
        FloatVector t = FloatVector.fromArray(F, bias, thetaBase);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c0 = c0.add(z);
        c0.blend(0f, c0.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o0, LE);
        c1 = c1.add(z);
        c1.blend(0f, c1.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o1, LE);
        c2 = c2.add(z);
        c2.blend(0f, c2.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o2, LE);
        c3 = c3.add(z);
        c3.blend(0f, c3.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o3, LE);
        c4 = c4.add(z);
        c4.blend(0f, c4.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o4, LE);
        c5 = c5.add(z);
        c5.blend(0f, c5.compare(VectorOperators.GT, t).not()).intoMemorySegment(c, o5, LE);
    }
}
