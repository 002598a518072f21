package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.MR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.ZERO;
import static org.sae4j.kernel.simd.SimdGemmNarrowKernel.L;

import java.lang.foreign.MemorySegment;

/**
 * The macro-kernel loops of the narrow GEMM path: {@link SimdGemmBlock}'s loops over {@link SimdGemmNarrowKernel}'s
 * MR × L tiles, for blocks of C narrower than the wide tile. Packed B holds panels of L columns ({@code bStride}
 * apart); packed A is the wide path's. Edge tiles go through an MR × L scratch tile exactly as in
 * {@link SimdGemmBlock}, and are copied in only when the kernel reads them.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
final class SimdGemmNarrowBlock {

    private static final long TILE_LD = (long) L * Float.BYTES;

    private SimdGemmNarrowBlock() {
    }

    /**
     * {@code C = chain·C + A·B}: an intermediate k block.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     */
    static void raw(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride, boolean chain,
            MemorySegment c, long cByte, long ldc, MemorySegment tile) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.raw(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc);
                } else {
                    int cols = Math.min(L, nc - jr);
                    if (chain) {
                        SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmNarrowKernel.raw(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }

    /**
     * {@code C = alpha·(chain·C + A·B)}: the last k block when {@code beta == 0}.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     * @param alpha scale of the product
     */
    static void alpha(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride, boolean chain,
            MemorySegment c, long cByte, long ldc, MemorySegment tile, float alpha) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.alpha(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, alpha);
                } else {
                    int cols = Math.min(L, nc - jr);
                    if (chain) {
                        SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmNarrowKernel.alpha(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, alpha);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }

    /**
     * {@code C = beta·C + alpha·A·B}: a k block that starts from zero and folds the old C in.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     * @param alpha scale of the product
     * @param beta  scale of the old C
     */
    static void alphaBeta(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride,
            boolean chain, MemorySegment c, long cByte, long ldc, MemorySegment tile, float alpha, float beta) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.alphaBeta(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, alpha, beta);
                } else {
                    int cols = Math.min(L, nc - jr);
                    SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    SimdGemmNarrowKernel.alphaBeta(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, alpha, beta);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }

    /**
     * {@code C = (chain·C + A·B) + bias}.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     * @param bias  packed bias of the NC block, not modified
     */
    static void bias(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride, boolean chain,
            MemorySegment c, long cByte, long ldc, MemorySegment tile, float[] bias) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.bias(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr);
                } else {
                    int cols = Math.min(L, nc - jr);
                    if (chain) {
                        SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmNarrowKernel.bias(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }

    /**
     * {@code C = max((chain·C + A·B) + bias, 0)}.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     * @param bias  packed bias of the NC block, not modified
     */
    static void relu(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride, boolean chain,
            MemorySegment c, long cByte, long ldc, MemorySegment tile, float[] bias) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.relu(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr);
                } else {
                    int cols = Math.min(L, nc - jr);
                    if (chain) {
                        SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmNarrowKernel.relu(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }

    /**
     * {@code C = P > theta ? P : 0}, {@code P = (chain·C + A·B) + bias}.
     *
     * @param mc      rows of the block
     * @param nc      columns of the block
     * @param kc      depth of the k block
     * @param pa      packed A block, not modified
     * @param pb      packed B, not modified
     * @param bOff    index of this k block in the first B micro-panel
     * @param bStride distance between B micro-panels (k·L)
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×L scratch for edge tiles, modified
     * @param bias      packed bias and thresholds of the NC block, not modified
     * @param thetaBase index of the first threshold in {@code bias}
     */
    static void jumpRelu(int mc, int nc, int kc, float[] pa, int paOff, float[] pb, int bOff, int bStride,
            boolean chain, MemorySegment c, long cByte, long ldc, MemorySegment tile, float[] bias, int thetaBase) {
        MemorySegment init = chain ? c : ZERO;
        long initLd = chain ? ldc : 0L;
        MemorySegment tileInit = chain ? tile : ZERO;
        long tileInitLd = chain ? TILE_LD : 0L;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int aBase = paOff + ir * KC;
            long rowByte = cByte + ir * ldc;
            for (int jr = 0, bBase = bOff; jr < nc; jr += L, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= L) {
                    SimdGemmNarrowKernel.jumpRelu(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr, thetaBase + jr);
                } else {
                    int cols = Math.min(L, nc - jr);
                    if (chain) {
                        SimdGemmBlock.copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmNarrowKernel.jumpRelu(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr, thetaBase + jr);
                    SimdGemmBlock.copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }
}
