package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.MR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.NR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.ZERO;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

/**
 * The macro-kernel loops of the blocked GEMM: one packed mc×kc block of A times one packed kc×nc slice of B into an
 * mc×nc block of C, one method per epilogue so that each calls exactly one micro-kernel.
 *
 * <p>Loop order: micro-panels of A outside, micro-panels of B inside, so that the A micro-panel (MR×KC floats,
 * 9 KiB) stays in L1 while the B slice streams from L2. Tiles cut by the edge of C go through {@code tile}, an
 * MR×NR scratch segment: the valid part of C is copied in, the full-size micro-kernel runs on it and the valid part
 * is copied back, so edge elements see exactly the operations interior elements see.
 *
 * <p>{@code chain} selects where the accumulators start: from the partial sums an earlier k block left in C, or from
 * zero. Vectors never leave the micro-kernels; these loops pass only arrays, segments and offsets. An edge tile is
 * copied in only when the kernel reads it (a chained k block, or the old C of {@code alphaBeta}): a kernel that starts
 * from zero overwrites the whole tile, and at tiny shapes, where every tile is an edge tile, the copy costs as much as
 * the arithmetic.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
final class SimdGemmBlock {

    private static final long TILE_LD = (long) NR * Float.BYTES;

    private SimdGemmBlock() {
    }

    /** Copies the rows×cols corner of C into the tile. */
    static void copyIn(MemorySegment c, long cByte, long ldc, int rows, int cols, MemorySegment tile, long tileLd) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float v = c.get(F32, cByte + r * ldc + (long) j * Float.BYTES);
                tile.set(F32, r * tileLd + (long) j * Float.BYTES, v);
            }
        }
    }

    /** Copies the rows×cols corner of the tile back to C. */
    static void copyOut(MemorySegment tile, long tileLd, int rows, int cols, MemorySegment c, long cByte, long ldc) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float v = tile.get(F32, r * tileLd + (long) j * Float.BYTES);
                c.set(F32, cByte + r * ldc + (long) j * Float.BYTES, v);
            }
        }
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.raw(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    if (chain) {
                        copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmMicroKernel.raw(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.alpha(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, alpha);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    if (chain) {
                        copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmMicroKernel.alpha(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, alpha);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.alphaBeta(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, alpha, beta);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    SimdGemmMicroKernel.alphaBeta(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, alpha, beta);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.bias(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    if (chain) {
                        copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmMicroKernel.bias(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.relu(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    if (chain) {
                        copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmMicroKernel.relu(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
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
     * @param bStride distance between B micro-panels
     * @param chain   whether the sums continue from C (true) or start from zero
     * @param c       output block, modified
     * @param cByte   byte offset of the block's (0, 0) element
     * @param ldc     row stride of C in bytes
     * @param tile    MR×NR scratch for edge tiles, modified
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
            for (int jr = 0, bBase = bOff; jr < nc; jr += NR, bBase += bStride) {
                long cb = rowByte + (long) jr * Float.BYTES;
                if (rows == MR && nc - jr >= NR) {
                    SimdGemmMicroKernel.jumpRelu(kc, pa, aBase, pb, bBase, init, chain ? cb : 0L, initLd,
                            c, cb, ldc, bias, jr, thetaBase + jr);
                } else {
                    int cols = Math.min(NR, nc - jr);
                    if (chain) {
                        copyIn(c, cb, ldc, rows, cols, tile, TILE_LD);
                    }
                    SimdGemmMicroKernel.jumpRelu(kc, pa, aBase, pb, bBase, tileInit, 0L, tileInitLd,
                            tile, 0L, TILE_LD, bias, jr, thetaBase + jr);
                    copyOut(tile, TILE_LD, rows, cols, c, cb, ldc);
                }
            }
        }
    }
}
