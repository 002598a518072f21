package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdSpecies.F;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The register-blocked GEMM micro-kernels: an {@value #MR} × {@link #NR} tile of C held in {@value #MR}·{@value #NRV}
 * vector accumulators, updated by one rank-1 step per k index from a packed A micro-panel (broadcast) and a packed B
 * micro-panel (vector loads).
 *
 * <p>Six rows by four vectors is the tile with the fewest loads per FMA that fits the register file: each k step
 * issues 4 vector loads and 6 broadcasts for 24 FMAs, and 24 accumulators + 4 B vectors + 1 broadcast use 29 of the 32
 * vector registers of AVX-512 (AVX-512VL keeps all 32 for 256- and 128-bit species as well).
 *
 * <p>Every kernel starts its accumulators from an {@code init} tile (C itself to continue a partial sum left there by
 * an earlier k block, or {@link #ZERO} with a zero row stride to start from 0) and runs the k loop as one sequential
 * fused multiply-add chain per element, so that the result of an element depends only on its row of A, its column of B
 * and the fixed k blocking, never on where the element sits in the tile or in the caller's partition of C. The kernels
 * differ only in the epilogue applied when the tile is stored; each is its own method because vectors must not cross a
 * call boundary and a mode flag in the loop makes C2 recompile (style.md §4.1, §4.2).
 *
 * <p>Packed layouts (see {@link SimdGemmPack}): A element (r, p) of a micro-panel at {@code aBase + r·KC + p}; B
 * element (p, j) at {@code bBase + p·NR + j}.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
final class SimdGemmMicroKernel {

    /** Rows of the register tile. */
    static final int MR = 6;

    /** Vectors per row of the register tile. */
    static final int NRV = 4;

    /** fp32 lanes per vector. */
    static final int L = F.length();

    /** Columns of the register tile. */
    static final int NR = NRV * L;

    /** Depth of one k block: the stride of a packed A row; 6 rows · 384 floats = 9 KiB stay in L1. */
    static final int KC = 384;

    /** A zero row of {@link #NR} floats: the init tile (row stride 0) of a kernel that starts from 0. */
    static final MemorySegment ZERO = Arena.global().allocate((long) 64 * Float.BYTES, 64);

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Bytes per vector. */
    private static final long VB = (long) L * Float.BYTES;

    private SimdGemmMicroKernel() {
    }


    /**
     * Stores the raw accumulators: {@code C = init + A·B} (an intermediate k block).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
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
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c00.intoMemorySegment(c, o0, LE);
        c01.intoMemorySegment(c, o0 + VB, LE);
        c02.intoMemorySegment(c, o0 + 2 * VB, LE);
        c03.intoMemorySegment(c, o0 + 3 * VB, LE);
        c10.intoMemorySegment(c, o1, LE);
        c11.intoMemorySegment(c, o1 + VB, LE);
        c12.intoMemorySegment(c, o1 + 2 * VB, LE);
        c13.intoMemorySegment(c, o1 + 3 * VB, LE);
        c20.intoMemorySegment(c, o2, LE);
        c21.intoMemorySegment(c, o2 + VB, LE);
        c22.intoMemorySegment(c, o2 + 2 * VB, LE);
        c23.intoMemorySegment(c, o2 + 3 * VB, LE);
        c30.intoMemorySegment(c, o3, LE);
        c31.intoMemorySegment(c, o3 + VB, LE);
        c32.intoMemorySegment(c, o3 + 2 * VB, LE);
        c33.intoMemorySegment(c, o3 + 3 * VB, LE);
        c40.intoMemorySegment(c, o4, LE);
        c41.intoMemorySegment(c, o4 + VB, LE);
        c42.intoMemorySegment(c, o4 + 2 * VB, LE);
        c43.intoMemorySegment(c, o4 + 3 * VB, LE);
        c50.intoMemorySegment(c, o5, LE);
        c51.intoMemorySegment(c, o5 + VB, LE);
        c52.intoMemorySegment(c, o5 + 2 * VB, LE);
        c53.intoMemorySegment(c, o5 + 3 * VB, LE);
    }

    /**
     * Stores {@code C = alpha·(init + A·B)} (last k block, {@code beta == 0}: C is not read).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
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
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        FloatVector av = FloatVector.broadcast(F, alpha);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c00.mul(av).intoMemorySegment(c, o0, LE);
        c01.mul(av).intoMemorySegment(c, o0 + VB, LE);
        c02.mul(av).intoMemorySegment(c, o0 + 2 * VB, LE);
        c03.mul(av).intoMemorySegment(c, o0 + 3 * VB, LE);
        c10.mul(av).intoMemorySegment(c, o1, LE);
        c11.mul(av).intoMemorySegment(c, o1 + VB, LE);
        c12.mul(av).intoMemorySegment(c, o1 + 2 * VB, LE);
        c13.mul(av).intoMemorySegment(c, o1 + 3 * VB, LE);
        c20.mul(av).intoMemorySegment(c, o2, LE);
        c21.mul(av).intoMemorySegment(c, o2 + VB, LE);
        c22.mul(av).intoMemorySegment(c, o2 + 2 * VB, LE);
        c23.mul(av).intoMemorySegment(c, o2 + 3 * VB, LE);
        c30.mul(av).intoMemorySegment(c, o3, LE);
        c31.mul(av).intoMemorySegment(c, o3 + VB, LE);
        c32.mul(av).intoMemorySegment(c, o3 + 2 * VB, LE);
        c33.mul(av).intoMemorySegment(c, o3 + 3 * VB, LE);
        c40.mul(av).intoMemorySegment(c, o4, LE);
        c41.mul(av).intoMemorySegment(c, o4 + VB, LE);
        c42.mul(av).intoMemorySegment(c, o4 + 2 * VB, LE);
        c43.mul(av).intoMemorySegment(c, o4 + 3 * VB, LE);
        c50.mul(av).intoMemorySegment(c, o5, LE);
        c51.mul(av).intoMemorySegment(c, o5 + VB, LE);
        c52.mul(av).intoMemorySegment(c, o5 + 2 * VB, LE);
        c53.mul(av).intoMemorySegment(c, o5 + 3 * VB, LE);
    }

    /**
     * Stores {@code C = beta·C + alpha·(init + A·B)} rounded as
     * {@code Math.fma(beta, c, alpha·s)}.
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
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
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        FloatVector av = FloatVector.broadcast(F, alpha);
        FloatVector bv = FloatVector.broadcast(F, beta);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        FloatVector.fromMemorySegment(F, c, o0, LE).fma(bv, c00.mul(av))
                .intoMemorySegment(c, o0, LE);
        FloatVector.fromMemorySegment(F, c, o0 + VB, LE).fma(bv, c01.mul(av))
                .intoMemorySegment(c, o0 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o0 + 2 * VB, LE).fma(bv, c02.mul(av))
                .intoMemorySegment(c, o0 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o0 + 3 * VB, LE).fma(bv, c03.mul(av))
                .intoMemorySegment(c, o0 + 3 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o1, LE).fma(bv, c10.mul(av))
                .intoMemorySegment(c, o1, LE);
        FloatVector.fromMemorySegment(F, c, o1 + VB, LE).fma(bv, c11.mul(av))
                .intoMemorySegment(c, o1 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o1 + 2 * VB, LE).fma(bv, c12.mul(av))
                .intoMemorySegment(c, o1 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o1 + 3 * VB, LE).fma(bv, c13.mul(av))
                .intoMemorySegment(c, o1 + 3 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o2, LE).fma(bv, c20.mul(av))
                .intoMemorySegment(c, o2, LE);
        FloatVector.fromMemorySegment(F, c, o2 + VB, LE).fma(bv, c21.mul(av))
                .intoMemorySegment(c, o2 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o2 + 2 * VB, LE).fma(bv, c22.mul(av))
                .intoMemorySegment(c, o2 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o2 + 3 * VB, LE).fma(bv, c23.mul(av))
                .intoMemorySegment(c, o2 + 3 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o3, LE).fma(bv, c30.mul(av))
                .intoMemorySegment(c, o3, LE);
        FloatVector.fromMemorySegment(F, c, o3 + VB, LE).fma(bv, c31.mul(av))
                .intoMemorySegment(c, o3 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o3 + 2 * VB, LE).fma(bv, c32.mul(av))
                .intoMemorySegment(c, o3 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o3 + 3 * VB, LE).fma(bv, c33.mul(av))
                .intoMemorySegment(c, o3 + 3 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o4, LE).fma(bv, c40.mul(av))
                .intoMemorySegment(c, o4, LE);
        FloatVector.fromMemorySegment(F, c, o4 + VB, LE).fma(bv, c41.mul(av))
                .intoMemorySegment(c, o4 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o4 + 2 * VB, LE).fma(bv, c42.mul(av))
                .intoMemorySegment(c, o4 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o4 + 3 * VB, LE).fma(bv, c43.mul(av))
                .intoMemorySegment(c, o4 + 3 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o5, LE).fma(bv, c50.mul(av))
                .intoMemorySegment(c, o5, LE);
        FloatVector.fromMemorySegment(F, c, o5 + VB, LE).fma(bv, c51.mul(av))
                .intoMemorySegment(c, o5 + VB, LE);
        FloatVector.fromMemorySegment(F, c, o5 + 2 * VB, LE).fma(bv, c52.mul(av))
                .intoMemorySegment(c, o5 + 2 * VB, LE);
        FloatVector.fromMemorySegment(F, c, o5 + 3 * VB, LE).fma(bv, c53.mul(av))
                .intoMemorySegment(c, o5 + 3 * VB, LE);
    }

    /**
     * Stores {@code C = (init + A·B) + bias}, bias broadcast over rows.
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
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
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        FloatVector z0 = FloatVector.fromArray(F, bias, biasBase);
        FloatVector z1 = FloatVector.fromArray(F, bias, biasBase + L);
        FloatVector z2 = FloatVector.fromArray(F, bias, biasBase + 2 * L);
        FloatVector z3 = FloatVector.fromArray(F, bias, biasBase + 3 * L);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c00.add(z0).intoMemorySegment(c, o0, LE);
        c01.add(z1).intoMemorySegment(c, o0 + VB, LE);
        c02.add(z2).intoMemorySegment(c, o0 + 2 * VB, LE);
        c03.add(z3).intoMemorySegment(c, o0 + 3 * VB, LE);
        c10.add(z0).intoMemorySegment(c, o1, LE);
        c11.add(z1).intoMemorySegment(c, o1 + VB, LE);
        c12.add(z2).intoMemorySegment(c, o1 + 2 * VB, LE);
        c13.add(z3).intoMemorySegment(c, o1 + 3 * VB, LE);
        c20.add(z0).intoMemorySegment(c, o2, LE);
        c21.add(z1).intoMemorySegment(c, o2 + VB, LE);
        c22.add(z2).intoMemorySegment(c, o2 + 2 * VB, LE);
        c23.add(z3).intoMemorySegment(c, o2 + 3 * VB, LE);
        c30.add(z0).intoMemorySegment(c, o3, LE);
        c31.add(z1).intoMemorySegment(c, o3 + VB, LE);
        c32.add(z2).intoMemorySegment(c, o3 + 2 * VB, LE);
        c33.add(z3).intoMemorySegment(c, o3 + 3 * VB, LE);
        c40.add(z0).intoMemorySegment(c, o4, LE);
        c41.add(z1).intoMemorySegment(c, o4 + VB, LE);
        c42.add(z2).intoMemorySegment(c, o4 + 2 * VB, LE);
        c43.add(z3).intoMemorySegment(c, o4 + 3 * VB, LE);
        c50.add(z0).intoMemorySegment(c, o5, LE);
        c51.add(z1).intoMemorySegment(c, o5 + VB, LE);
        c52.add(z2).intoMemorySegment(c, o5 + 2 * VB, LE);
        c53.add(z3).intoMemorySegment(c, o5 + 3 * VB, LE);
    }

    /**
     * Stores {@code C = max((init + A·B) + bias, 0)} with {@code Math.max} semantics (NaN propagates).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
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
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        FloatVector z0 = FloatVector.fromArray(F, bias, biasBase);
        FloatVector z1 = FloatVector.fromArray(F, bias, biasBase + L);
        FloatVector z2 = FloatVector.fromArray(F, bias, biasBase + 2 * L);
        FloatVector z3 = FloatVector.fromArray(F, bias, biasBase + 3 * L);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c00.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o0, LE);
        c01.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o0 + VB, LE);
        c02.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o0 + 2 * VB, LE);
        c03.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o0 + 3 * VB, LE);
        c10.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o1, LE);
        c11.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o1 + VB, LE);
        c12.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o1 + 2 * VB, LE);
        c13.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o1 + 3 * VB, LE);
        c20.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o2, LE);
        c21.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o2 + VB, LE);
        c22.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o2 + 2 * VB, LE);
        c23.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o2 + 3 * VB, LE);
        c30.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o3, LE);
        c31.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o3 + VB, LE);
        c32.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o3 + 2 * VB, LE);
        c33.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o3 + 3 * VB, LE);
        c40.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o4, LE);
        c41.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o4 + VB, LE);
        c42.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o4 + 2 * VB, LE);
        c43.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o4 + 3 * VB, LE);
        c50.add(z0).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o5, LE);
        c51.add(z1).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o5 + VB, LE);
        c52.add(z2).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o5 + 2 * VB, LE);
        c53.add(z3).lanewise(VectorOperators.MAX, 0f)
                .intoMemorySegment(c, o5 + 3 * VB, LE);
    }

    /**
     * Stores {@code C = P > theta ? P : 0} with {@code P = (init + A·B) + bias} (strict: NaN and ties give +0).
     *
     * @param kc       depth of this k block
     * @param pa       packed A, not modified
     * @param aBase    index of the micro-panel's (0, 0) element in {@code pa}
     * @param pb       packed B, not modified
     * @param bBase    index of the micro-panel's (0, 0) element in {@code pb}
     * @param init     tile the accumulators start from, not modified
     * @param initByte byte offset of its (0, 0) element
     * @param initLd   its row stride in bytes (0 with {@link #ZERO})
     * @param c        output tile, modified
     * @param cByte    byte offset of C(0, 0)
     * @param ldc      row stride of C in bytes
     * @param bias      packed bias and thresholds, not modified
     * @param biasBase  index of the bias of the tile's column 0
     * @param thetaBase index of the threshold of the tile's column 0
     */
    static void jumpRelu(int kc, float[] pa, int aBase, float[] pb, int bBase, MemorySegment init, long initByte,
            long initLd, MemorySegment c, long cByte, long ldc, float[] bias, int biasBase, int thetaBase) {
        long i0 = initByte;
        long i1 = i0 + initLd;
        long i2 = i1 + initLd;
        long i3 = i2 + initLd;
        long i4 = i3 + initLd;
        long i5 = i4 + initLd;
        FloatVector c00 = FloatVector.fromMemorySegment(F, init, i0, LE);
        FloatVector c01 = FloatVector.fromMemorySegment(F, init, i0 + VB, LE);
        FloatVector c02 = FloatVector.fromMemorySegment(F, init, i0 + 2 * VB, LE);
        FloatVector c03 = FloatVector.fromMemorySegment(F, init, i0 + 3 * VB, LE);
        FloatVector c10 = FloatVector.fromMemorySegment(F, init, i1, LE);
        FloatVector c11 = FloatVector.fromMemorySegment(F, init, i1 + VB, LE);
        FloatVector c12 = FloatVector.fromMemorySegment(F, init, i1 + 2 * VB, LE);
        FloatVector c13 = FloatVector.fromMemorySegment(F, init, i1 + 3 * VB, LE);
        FloatVector c20 = FloatVector.fromMemorySegment(F, init, i2, LE);
        FloatVector c21 = FloatVector.fromMemorySegment(F, init, i2 + VB, LE);
        FloatVector c22 = FloatVector.fromMemorySegment(F, init, i2 + 2 * VB, LE);
        FloatVector c23 = FloatVector.fromMemorySegment(F, init, i2 + 3 * VB, LE);
        FloatVector c30 = FloatVector.fromMemorySegment(F, init, i3, LE);
        FloatVector c31 = FloatVector.fromMemorySegment(F, init, i3 + VB, LE);
        FloatVector c32 = FloatVector.fromMemorySegment(F, init, i3 + 2 * VB, LE);
        FloatVector c33 = FloatVector.fromMemorySegment(F, init, i3 + 3 * VB, LE);
        FloatVector c40 = FloatVector.fromMemorySegment(F, init, i4, LE);
        FloatVector c41 = FloatVector.fromMemorySegment(F, init, i4 + VB, LE);
        FloatVector c42 = FloatVector.fromMemorySegment(F, init, i4 + 2 * VB, LE);
        FloatVector c43 = FloatVector.fromMemorySegment(F, init, i4 + 3 * VB, LE);
        FloatVector c50 = FloatVector.fromMemorySegment(F, init, i5, LE);
        FloatVector c51 = FloatVector.fromMemorySegment(F, init, i5 + VB, LE);
        FloatVector c52 = FloatVector.fromMemorySegment(F, init, i5 + 2 * VB, LE);
        FloatVector c53 = FloatVector.fromMemorySegment(F, init, i5 + 3 * VB, LE);
        for (int p = 0, ib = bBase; p < kc; p++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, ib);
            FloatVector b1 = FloatVector.fromArray(F, pb, ib + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, ib + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, ib + 3 * L);
            FloatVector a = FloatVector.broadcast(F, pa[aBase + p]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(F, pa[aBase + KC + p]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(F, pa[aBase + 2 * KC + p]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(F, pa[aBase + 3 * KC + p]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(F, pa[aBase + 4 * KC + p]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(F, pa[aBase + 5 * KC + p]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        FloatVector z0 = FloatVector.fromArray(F, bias, biasBase);
        FloatVector z1 = FloatVector.fromArray(F, bias, biasBase + L);
        FloatVector z2 = FloatVector.fromArray(F, bias, biasBase + 2 * L);
        FloatVector z3 = FloatVector.fromArray(F, bias, biasBase + 3 * L);
        FloatVector t0 = FloatVector.fromArray(F, bias, thetaBase);
        FloatVector t1 = FloatVector.fromArray(F, bias, thetaBase + L);
        FloatVector t2 = FloatVector.fromArray(F, bias, thetaBase + 2 * L);
        FloatVector t3 = FloatVector.fromArray(F, bias, thetaBase + 3 * L);
        long o0 = cByte;
        long o1 = o0 + ldc;
        long o2 = o1 + ldc;
        long o3 = o2 + ldc;
        long o4 = o3 + ldc;
        long o5 = o4 + ldc;
        c00 = c00.add(z0);
        c00.blend(0f, c00.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o0, LE);
        c01 = c01.add(z1);
        c01.blend(0f, c01.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o0 + VB, LE);
        c02 = c02.add(z2);
        c02.blend(0f, c02.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o0 + 2 * VB, LE);
        c03 = c03.add(z3);
        c03.blend(0f, c03.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o0 + 3 * VB, LE);
        c10 = c10.add(z0);
        c10.blend(0f, c10.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o1, LE);
        c11 = c11.add(z1);
        c11.blend(0f, c11.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o1 + VB, LE);
        c12 = c12.add(z2);
        c12.blend(0f, c12.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o1 + 2 * VB, LE);
        c13 = c13.add(z3);
        c13.blend(0f, c13.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o1 + 3 * VB, LE);
        c20 = c20.add(z0);
        c20.blend(0f, c20.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o2, LE);
        c21 = c21.add(z1);
        c21.blend(0f, c21.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o2 + VB, LE);
        c22 = c22.add(z2);
        c22.blend(0f, c22.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o2 + 2 * VB, LE);
        c23 = c23.add(z3);
        c23.blend(0f, c23.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o2 + 3 * VB, LE);
        c30 = c30.add(z0);
        c30.blend(0f, c30.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o3, LE);
        c31 = c31.add(z1);
        c31.blend(0f, c31.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o3 + VB, LE);
        c32 = c32.add(z2);
        c32.blend(0f, c32.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o3 + 2 * VB, LE);
        c33 = c33.add(z3);
        c33.blend(0f, c33.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o3 + 3 * VB, LE);
        c40 = c40.add(z0);
        c40.blend(0f, c40.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o4, LE);
        c41 = c41.add(z1);
        c41.blend(0f, c41.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o4 + VB, LE);
        c42 = c42.add(z2);
        c42.blend(0f, c42.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o4 + 2 * VB, LE);
        c43 = c43.add(z3);
        c43.blend(0f, c43.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o4 + 3 * VB, LE);
        c50 = c50.add(z0);
        c50.blend(0f, c50.compare(VectorOperators.GT, t0).not())
                .intoMemorySegment(c, o5, LE);
        c51 = c51.add(z1);
        c51.blend(0f, c51.compare(VectorOperators.GT, t1).not())
                .intoMemorySegment(c, o5 + VB, LE);
        c52 = c52.add(z2);
        c52.blend(0f, c52.compare(VectorOperators.GT, t2).not())
                .intoMemorySegment(c, o5 + 2 * VB, LE);
        c53 = c53.add(z3);
        c53.blend(0f, c53.compare(VectorOperators.GT, t3).not())
                .intoMemorySegment(c, o5 + 3 * VB, LE);
    }
}
