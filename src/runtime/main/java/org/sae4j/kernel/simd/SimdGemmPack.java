package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.MR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.NR;
import static org.sae4j.kernel.simd.SimdSpecies.F;
import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Packing routines of the blocked GEMM: they copy blocks of A and B into the contiguous, zero-padded layouts the
 * micro-kernels stream, and are the only place where the transposition variants differ.
 *
 * <p>Packed A (one MC×KC block): row i of the block at {@code i·KC}, i.e. micro-panel {@code ir} at {@code ir·KC}
 * with its row r at {@code + r·KC}; rows past the block are zero up to a multiple of {@code MR}. Packed B (one
 * K×NC block, all of k): micro-panel q (columns {@code q·NR ..}) at {@code q·k·NR}, element (p, j) at
 * {@code + p·NR + j}; columns past the block are zero up to a multiple of {@code NR}. The narrow path packs B the
 * same way in panels of {@code L} columns (one vector). Packing is O(size) against the
 * O(size·NC) or O(size·M) arithmetic it feeds, so the transposing routines use plain scalar reads.
 *
 * <p><b>Note:</b> stateless; allocates nothing.
 */
final class SimdGemmPack {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private SimdGemmPack() {
    }

    /** Rounds {@code x} up to a multiple of {@code unit}. */
    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    /**
     * Packs the mc×kc block of a row-major A (element (i, p) at {@code aOff + i·lda + p}) into {@code pa} from
     * {@code paOff}.
     *
     * @param pa packed A, modified
     */
    static void packARows(MemorySegment a, long aOff, int lda, int mc, int kc, float[] pa, int paOff) {
        int bound = F.loopBound(kc);
        for (int i = 0; i < mc; i++) {
            long row = (aOff + (long) i * lda) * Float.BYTES;
            int dst = paOff + i * KC;
            int p = 0;
            for (; p < bound; p += F.length()) {
                FloatVector.fromMemorySegment(F, a, row + (long) p * Float.BYTES, LE).intoArray(pa, dst + p);
            }
            for (; p < kc; p++) {
                pa[dst + p] = a.get(F32, row + (long) p * Float.BYTES);
            }
        }
        zeroRows(mc, kc, pa, paOff);
    }

    /**
     * Packs the mc×kc block of a transposed A: block element (i, p) at {@code aOff + p·lda + i} (A stored k×m), into
     * {@code pa} from {@code paOff}.
     *
     * @param pa packed A, modified
     */
    static void packAColumns(MemorySegment a, long aOff, int lda, int mc, int kc, float[] pa, int paOff) {
        for (int p = 0; p < kc; p++) {
            long row = aOff + (long) p * lda;
            for (int i = 0; i < mc; i++) {
                pa[paOff + i * KC + p] = a.getAtIndex(F32, row + i);
            }
        }
        zeroRows(mc, kc, pa, paOff);
    }

    /** Zeroes the padding rows {@code mc ..} of the last micro-panel so that they add nothing to any sum. */
    private static void zeroRows(int mc, int kc, float[] pa, int paOff) {
        int end = roundUp(mc, MR);
        for (int i = mc; i < end; i++) {
            Arrays.fill(pa, paOff + i * KC, paOff + i * KC + kc, 0f);
        }
    }

    /**
     * Packs k×nc of a row-major B (element (p, j) at {@code bOff + p·ldb + j}) into {@code pb}, in panels of
     * {@code width} columns.
     *
     * @param width panel width: {@code NR} for the wide kernels, {@code L} for the narrow ones
     * @param pb    packed B, modified
     */
    static void packBRows(MemorySegment b, long bOff, int ldb, int nc, int k, int width, float[] pb) {
        int full = nc / width;
        for (int q = 0; q < full; q++) {
            int dst = q * k * width;
            long col = (bOff + (long) q * width) * Float.BYTES;
            for (int p = 0; p < k; p++) {
                long src = col + (long) p * ldb * Float.BYTES;
                int d = dst + p * width;
                for (int j = 0; j < width; j += F.length()) {
                    FloatVector.fromMemorySegment(F, b, src + (long) j * Float.BYTES, LE).intoArray(pb, d + j);
                }
            }
        }
        int rest = nc - full * width;
        if (rest > 0) {
            int dst = full * k * width;
            long col = bOff + (long) full * width;
            for (int p = 0; p < k; p++) {
                int d = dst + p * width;
                for (int j = 0; j < rest; j++) {
                    pb[d + j] = b.getAtIndex(F32, col + (long) p * ldb + j);
                }
                Arrays.fill(pb, d + rest, d + width, 0f);
            }
        }
    }

    /**
     * Packs k×nc of a transposed B: block element (p, j) at {@code bOff + j·ldb + p} (B stored n×k), in panels of
     * {@code width} columns.
     *
     * @param width panel width: {@code NR} for the wide kernels, {@code L} for the narrow ones
     * @param pb    packed B, modified
     */
    static void packBColumns(MemorySegment b, long bOff, int ldb, int nc, int k, int width, float[] pb) {
        int panels = roundUp(nc, width) / width;
        for (int q = 0; q < panels; q++) {
            int dst = q * k * width;
            int cols = Math.min(width, nc - q * width);
            for (int j = 0; j < cols; j++) {
                long src = bOff + (long) (q * width + j) * ldb;
                for (int p = 0; p < k; p++) {
                    pb[dst + p * width + j] = b.getAtIndex(F32, src + p);
                }
            }
            zeroColumns(cols, k, width, pb, dst);
        }
    }

    /**
     * Packs k×nc of a transposed bf16 B (element (p, j) at bf16 index {@code bOff + j·ldb + p}), widening exactly,
     * in panels of {@code width} columns.
     *
     * @param width panel width: {@code NR} for the wide kernels, {@code L} for the narrow ones
     * @param pb    packed B, modified
     */
    static void packBColumnsBf16(MemorySegment b, long bOff, int ldb, int nc, int k, int width, float[] pb) {
        int panels = roundUp(nc, width) / width;
        for (int q = 0; q < panels; q++) {
            int dst = q * k * width;
            int cols = Math.min(width, nc - q * width);
            for (int j = 0; j < cols; j++) {
                long src = bOff + (long) (q * width + j) * ldb;
                for (int p = 0; p < k; p++) {
                    pb[dst + p * width + j] = Float.intBitsToFloat(b.getAtIndex(BF16, src + p) << 16);
                }
            }
            zeroColumns(cols, k, width, pb, dst);
        }
    }

    /** Zeroes columns {@code cols ..} of a partial micro-panel of {@code width} columns starting at {@code dst}. */
    private static void zeroColumns(int cols, int k, int width, float[] pb, int dst) {
        if (cols < width) {
            for (int p = 0; p < k; p++) {
                Arrays.fill(pb, dst + p * width + cols, dst + (p + 1) * width, 0f);
            }
        }
    }

    /**
     * Copies {@code nc} floats from {@code src} (element offset {@code srcOff}) to {@code dst[dstOff ..]} and zeroes
     * the rest up to a multiple of {@code NR}: the per-column epilogue operands (bias, thresholds) of one NC block.
     *
     * @param dst packed vector, modified
     */
    static void packVector(MemorySegment src, long srcOff, int nc, float[] dst, int dstOff) {
        for (int j = 0; j < nc; j++) {
            dst[dstOff + j] = src.getAtIndex(F32, srcOff + j);
        }
        Arrays.fill(dst, dstOff + nc, dstOff + roundUp(nc, NR), 0f);
    }
}
