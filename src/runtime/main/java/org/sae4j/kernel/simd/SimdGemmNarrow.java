package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemm.A_ROWS;
import static org.sae4j.kernel.simd.SimdGemm.B_COLUMNS;
import static org.sae4j.kernel.simd.SimdGemm.EPILOGUE_BIAS;
import static org.sae4j.kernel.simd.SimdGemm.EPILOGUE_JUMP_RELU;
import static org.sae4j.kernel.simd.SimdGemm.EPILOGUE_RELU;
import static org.sae4j.kernel.simd.SimdGemm.MC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.MR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.NR;
import static org.sae4j.kernel.simd.SimdGemmNarrowKernel.L;
import static org.sae4j.kernel.simd.SimdGemmPack.roundUp;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.spi.Workspace;

/**
 * The drivers of {@link SimdGemm} for C narrower than the wide register tile ({@code n < NR}, i.e. under 64 columns
 * at 512 bits): the paper lab's products (8–32 latents or measurements) would otherwise run the 6 × 4-vector tile on
 * up to eight times the useful columns and copy every tile through the edge scratch.
 *
 * <p>Same blocking and packing as the wide path, with B packed in panels of one vector ({@code L} columns) and the
 * one-vector tiles of {@link SimdGemmNarrowKernel}; since n < NR ≤ NC the whole of C's width is one column block.
 * Every element of C is computed with exactly the operations of the wide path (same k blocks, same chained partial
 * sums, same epilogue), so results do not depend on which path a caller's column chunk takes.
 *
 * <p><b>Note:</b> single-threaded per call; uses workspace float slots 0–2 and segment slot 0 of {@code ws};
 * allocates nothing once the workspace has grown.
 */
final class SimdGemmNarrow {

    private SimdGemmNarrow() {
    }

    /** The α/β driver of the GEMM orientations for {@code 0 < n < NR}; parameters as {@link SimdGemm#gemm}. */
    static void blocked(int aLayout, int bLayout, int m, int n, int k, float alpha, MemorySegment a, long aOff,
                        int lda, MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc,
                        Workspace ws) {
        assert n > 0 && n < NR && m > 0 && k > 0;
        int chunk = SimdGemm.aChunkRows(m, k);
        int slotRows = roundUp(Math.min(chunk, m), MC);
        float[] pb = ws.floats(0, roundUp(n, L) * k);
        float[] pa = ws.floats(1, SimdGemm.kBlocks(k) * slotRows * KC);
        MemorySegment tile = ws.segment(0, MR * L);
        long ldcBytes = (long) ldc * Float.BYTES;
        int bStride = k * L;
        SimdGemm.packB(bLayout, b, bOff, ldb, 0, n, k, L, pb);
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int rows = Math.min(chunk, m - i0);
            SimdGemm.packAChunk(aLayout, a, aOff, lda, i0, rows, k, slotRows, pa);
            for (int ic = 0; ic < rows; ic += MC) {
                int mc = Math.min(MC, rows - ic);
                long cByte = (cOff + (long) (i0 + ic) * ldc) * Float.BYTES;
                for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                    int kc = Math.min(KC, k - pc);
                    int paOff = (q * slotRows + ic) * KC;
                    if (beta != 0f) {
                        // The old C is folded in by the first k block; later blocks add to what it stored.
                        SimdGemmNarrowBlock.alphaBeta(mc, n, kc, pa, paOff, pb, pc * L, bStride, false, c, cByte,
                                ldcBytes, tile, alpha, pc == 0 ? beta : 1f);
                    } else if (pc + kc == k) {
                        SimdGemmNarrowBlock.alpha(mc, n, kc, pa, paOff, pb, pc * L, bStride, pc > 0, c, cByte,
                                ldcBytes, tile, alpha);
                    } else {
                        SimdGemmNarrowBlock.raw(mc, n, kc, pa, paOff, pb, pc * L, bStride, pc > 0, c, cByte,
                                ldcBytes, tile);
                    }
                }
            }
        }
    }

    /** The dense encoders for {@code 0 < n < NR}; parameters as {@link SimdGemm#encodeJumpRelu}. */
    static void encode(int epilogue, int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                       long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment theta, long thetaOff,
                       MemorySegment z, long zOff, int ldz, Workspace ws) {
        assert n > 0 && n < NR && m > 0 && k > 0;
        int nPad = roundUp(n, NR);
        int chunk = SimdGemm.aChunkRows(m, k);
        int slotRows = roundUp(Math.min(chunk, m), MC);
        float[] pb = ws.floats(0, roundUp(n, L) * k);
        float[] pa = ws.floats(1, SimdGemm.kBlocks(k) * slotRows * KC);
        // bias at 0, thresholds at nPad (packVector zero-fills up to a multiple of NR)
        float[] pbias = ws.floats(2, 2 * nPad);
        MemorySegment tile = ws.segment(0, MR * L);
        long ldzBytes = (long) ldz * Float.BYTES;
        int bStride = k * L;
        SimdGemm.packB(B_COLUMNS, w, wOff, ldw, 0, n, k, L, pb);
        SimdGemmPack.packVector(bias, biasOff, n, pbias, 0);
        if (epilogue == EPILOGUE_JUMP_RELU) {
            SimdGemmPack.packVector(theta, thetaOff, n, pbias, nPad);
        }
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int rows = Math.min(chunk, m - i0);
            SimdGemm.packAChunk(A_ROWS, x, xOff, ldx, i0, rows, k, slotRows, pa);
            for (int ic = 0; ic < rows; ic += MC) {
                int mc = Math.min(MC, rows - ic);
                long zByte = (zOff + (long) (i0 + ic) * ldz) * Float.BYTES;
                for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                    int kc = Math.min(KC, k - pc);
                    int paOff = (q * slotRows + ic) * KC;
                    boolean chain = pc > 0;
                    if (pc + kc < k) {
                        SimdGemmNarrowBlock.raw(mc, n, kc, pa, paOff, pb, pc * L, bStride, chain, z, zByte, ldzBytes,
                                tile);
                    } else if (epilogue == EPILOGUE_BIAS) {
                        SimdGemmNarrowBlock.bias(mc, n, kc, pa, paOff, pb, pc * L, bStride, chain, z, zByte, ldzBytes,
                                tile, pbias);
                    } else if (epilogue == EPILOGUE_RELU) {
                        SimdGemmNarrowBlock.relu(mc, n, kc, pa, paOff, pb, pc * L, bStride, chain, z, zByte, ldzBytes,
                                tile, pbias);
                    } else {
                        SimdGemmNarrowBlock.jumpRelu(mc, n, kc, pa, paOff, pb, pc * L, bStride, chain, z, zByte,
                                ldzBytes, tile, pbias, nPad);
                    }
                }
            }
        }
    }
}
