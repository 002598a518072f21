package org.sae4j.kernel.simd;

import static org.sae4j.kernel.simd.SimdGemmMicroKernel.KC;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.MR;
import static org.sae4j.kernel.simd.SimdGemmMicroKernel.NR;
import static org.sae4j.kernel.simd.SimdGemmPack.roundUp;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.scalar.ScalarGemm;
import org.sae4j.kernel.spi.TopKHeap;
import org.sae4j.kernel.spi.Workspace;

/**
 * Blocked fp32 matrix-matrix products and fused SAE encoders with the Vector API; semantics in
 * {@code KernelProvider}.
 *
 * <p>Design (GotoBLAS/BLIS): A is packed once per call into MR×KC micro-panels (in row chunks when the packed copy
 * would exceed {@value #A_PACK_FLOATS} floats); for each block of NC columns of C, all of k × NC of B is packed into
 * micro-panels of NR columns, and for each block of MC rows and each k block of depth KC the macro-kernel
 * ({@link SimdGemmBlock}) sweeps MR×NR register tiles ({@link SimdGemmMicroKernel}). The transposition variants
 * differ only in their packing routines ({@link SimdGemmPack}). C narrower than the wide tile (n < NR) goes to
 * {@link SimdGemmNarrow}, the same blocking over one-vector-wide tiles. Blocks: MR = 6, NR = 4 vectors, KC = 384,
 * MC = {@value #MC}, NC = {@value #NC}; k blocks run inside the row block so that the MC×NC block of C stays in L2
 * between k blocks, and the whole packed k×NC block of B is reused by every row block. Packing A once (rather than
 * once per NC block, 64 times at N = 16384) is worth a few percent at the SAE encode shape.
 *
 * <p>Rounding: every element of C is one sequential fused multiply-add chain over p = 0..k−1, interrupted at the
 * fixed multiples of KC by a store and reload of the exact fp32 partial sum, then the epilogue: {@code alpha·s},
 * {@code s + bias}, ... For the encoders and for {@code beta == 0} the result is therefore bit-identical to the
 * scalar reference and independent of how a caller partitions C. With {@code beta != 0} and k > KC, the first k
 * block stores {@code beta·C + alpha·s₁} and each later block adds {@code alpha·sᵢ}; still independent of the
 * partition.
 *
 * <p>Packed buffers are heap {@code float[]} from the workspace: the prototype of {@code machine.md} §5.3 measured
 * arrays 10–15 % ahead of segments for the streamed operand, and with them the micro-kernel alone runs at 195–210
 * GFLOP/s on cache-resident blocks (the FMA peak), so segments were not tried again. Measured on one thread at
 * M×K×N = 4096×768×16384 (thread CPU time, shared 2-core machine): gemmNT 172–178, gemm 168–176, encodeRelu
 * 164–175 GFLOP/s. At 256 bits the same tile runs at half that (AVX-512VL keeps 32 registers); on a CPU with only 16
 * vector registers its 24 accumulators would spill.
 *
 * <p><b>Note:</b> single-threaded per call; uses workspace float slots 0–2 and segment slots 0–1 of {@code ws};
 * allocates nothing once the workspace has grown.
 */
public final class SimdGemm {

    /** Rows of C per block (a multiple of MR): the packed A block, 96×384 floats = 144 KiB, stays in L2. */
    static final int MC = 96;

    /** Columns of C per block (a multiple of NR at every width): k×NC packed B floats are reused from L2. */
    static final int NC = 256;

    /**
     * Most floats of A packed at once (16 MiB): every row of a call when it fits, so A is packed once rather than once
     * per NC-column block; otherwise row chunks of a multiple of MC, each of which re-packs B.
     */
    static final int A_PACK_FLOATS = 1 << 22;

    // Operand layouts and epilogues, shared with the narrow drivers of SimdGemmNarrow.
    static final int A_ROWS = 0;
    static final int A_COLUMNS = 1;
    static final int B_ROWS = 0;
    static final int B_COLUMNS = 1;
    static final int B_COLUMNS_BF16 = 2;

    static final int EPILOGUE_BIAS = 0;
    static final int EPILOGUE_RELU = 1;
    static final int EPILOGUE_JUMP_RELU = 2;

    private SimdGemm() {
    }

    /**
     * {@code C = alpha·A·B + beta·C} with A m×k, B k×n, C m×n, all row-major.
     *
     * @param m     rows of A and C
     * @param n     columns of B and C
     * @param k     columns of A, rows of B
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of A(0, 0)
     * @param lda   row stride of A in elements
     * @param b     B, not modified
     * @param bOff  element offset of B(0, 0)
     * @param ldb   row stride of B in elements
     * @param beta  scale of the old C (0: C is not read)
     * @param c     C, modified
     * @param cOff  element offset of C(0, 0)
     * @param ldc   row stride of C in elements
     * @param ws    scratch of the calling thread, modified
     */
    public static void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        if (k == 0) {
            ScalarGemm.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(A_ROWS, B_ROWS, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    /**
     * {@code C = alpha·A·Bᵀ + beta·C} with A m×k, B n×k, C m×n, all row-major.
     *
     * @param m     rows of A and C
     * @param n     rows of B, columns of C
     * @param k     columns of A and B
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of A(0, 0)
     * @param lda   row stride of A in elements
     * @param b     B, not modified
     * @param bOff  element offset of B(0, 0)
     * @param ldb   row stride of B in elements
     * @param beta  scale of the old C (0: C is not read)
     * @param c     C, modified
     * @param cOff  element offset of C(0, 0)
     * @param ldc   row stride of C in elements
     * @param ws    scratch of the calling thread, modified
     */
    public static void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        if (k == 0) {
            ScalarGemm.gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(A_ROWS, B_COLUMNS, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    /**
     * {@code C = alpha·Aᵀ·B + beta·C} with A k×m, B k×n, C m×n, all row-major.
     *
     * @param m     columns of A, rows of C
     * @param n     columns of B and C
     * @param k     rows of A and B
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of A(0, 0)
     * @param lda   row stride of A in elements
     * @param b     B, not modified
     * @param bOff  element offset of B(0, 0)
     * @param ldb   row stride of B in elements
     * @param beta  scale of the old C (0: C is not read)
     * @param c     C, modified
     * @param cOff  element offset of C(0, 0)
     * @param ldc   row stride of C in elements
     * @param ws    scratch of the calling thread, modified
     */
    public static void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc, Workspace ws) {
        if (k == 0) {
            ScalarGemm.gemmTN(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(A_COLUMNS, B_ROWS, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    /**
     * {@code C = alpha·A·Bᵀ + beta·C} with A m×k fp32 and B n×k bf16 (widened exactly while packing).
     *
     * @param m     rows of A and C
     * @param n     rows of B, columns of C
     * @param k     columns of A and B
     * @param alpha scale of the product
     * @param a     A, not modified
     * @param aOff  element offset of A(0, 0)
     * @param lda   row stride of A in elements
     * @param b     B as raw bf16, not modified
     * @param bOff  bf16 element offset of B(0, 0)
     * @param ldb   row stride of B in bf16 elements
     * @param beta  scale of the old C (0: C is not read)
     * @param c     C, modified
     * @param cOff  element offset of C(0, 0)
     * @param ldc   row stride of C in elements
     * @param ws    scratch of the calling thread, modified
     */
    public static void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda,
                                  MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff,
                                  int ldc, Workspace ws) {
        if (k == 0) {
            ScalarGemm.gemmNTBf16(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(A_ROWS, B_COLUMNS_BF16, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    }

    /**
     * {@code Z = X·Wᵀ + bias} with X m×k, W n×k (one row per latent), bias n, Z m×n.
     *
     * @param m       rows of X and Z
     * @param n       rows of W, columns of Z
     * @param k       columns of X and W
     * @param x       X, not modified
     * @param xOff    element offset of X(0, 0)
     * @param ldx     row stride of X in elements
     * @param w       W, not modified
     * @param wOff    element offset of W(0, 0)
     * @param ldw     row stride of W in elements
     * @param bias    bias, not modified
     * @param biasOff element offset of bias[0]
     * @param z       Z, modified (not read)
     * @param zOff    element offset of Z(0, 0)
     * @param ldz     row stride of Z in elements
     * @param ws      scratch of the calling thread, modified
     */
    public static void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz, Workspace ws) {
        if (k == 0) {
            ScalarGemm.encodeBias(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
            return;
        }
        encode(EPILOGUE_BIAS, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, bias, biasOff, z, zOff, ldz, ws);
    }

    /**
     * {@code Z = max(X·Wᵀ + bias, 0)}; parameters as {@link #encodeBias}.
     *
     * @param m       rows of X and Z
     * @param n       rows of W, columns of Z
     * @param k       columns of X and W
     * @param x       X, not modified
     * @param xOff    element offset of X(0, 0)
     * @param ldx     row stride of X in elements
     * @param w       W, not modified
     * @param wOff    element offset of W(0, 0)
     * @param ldw     row stride of W in elements
     * @param bias    bias, not modified
     * @param biasOff element offset of bias[0]
     * @param z       Z, modified (not read)
     * @param zOff    element offset of Z(0, 0)
     * @param ldz     row stride of Z in elements
     * @param ws      scratch of the calling thread, modified
     */
    public static void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz, Workspace ws) {
        if (k == 0) {
            ScalarGemm.encodeRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, z, zOff, ldz);
            return;
        }
        encode(EPILOGUE_RELU, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, bias, biasOff, z, zOff, ldz, ws);
    }

    /**
     * {@code Z = (P > theta) ? P : 0} with {@code P = X·Wᵀ + bias}, strict comparison; parameters as
     * {@link #encodeBias}.
     *
     * @param m        rows of X and Z
     * @param n        rows of W, columns of Z
     * @param k        columns of X and W
     * @param x        X, not modified
     * @param xOff     element offset of X(0, 0)
     * @param ldx      row stride of X in elements
     * @param w        W, not modified
     * @param wOff     element offset of W(0, 0)
     * @param ldw      row stride of W in elements
     * @param bias     bias, not modified
     * @param biasOff  element offset of bias[0]
     * @param theta    thresholds, not modified
     * @param thetaOff element offset of theta[0]
     * @param z        Z, modified (not read)
     * @param zOff     element offset of Z(0, 0)
     * @param ldz      row stride of Z in elements
     * @param ws       scratch of the calling thread, modified
     */
    public static void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                      long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment theta,
                                      long thetaOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        if (k == 0) {
            ScalarGemm.encodeJumpRelu(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z, zOff,
                    ldz);
            return;
        }
        encode(EPILOGUE_JUMP_RELU, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z, zOff, ldz,
                ws);
    }

    /**
     * Row-wise top-{@code topK} of {@code P = X·Wᵀ + bias}: P is computed one MC×NC tile at a time into the
     * workspace and each row's segment of the tile is merged into that row's heap in increasing column order, so the
     * dense m×n block is never materialised. Row i's {@code min(topK, n)} indices (ascending) and values land at
     * {@code off + i·min(topK, n)}.
     *
     * @param m       rows of X
     * @param n       rows of W (latents)
     * @param k       columns of X and W
     * @param x       X, not modified
     * @param xOff    element offset of X(0, 0)
     * @param ldx     row stride of X in elements
     * @param w       W, not modified
     * @param wOff    element offset of W(0, 0)
     * @param ldw     row stride of W in elements
     * @param bias    bias, not modified
     * @param biasOff element offset of bias[0]
     * @param topK    latents kept per row
     * @param indices selected latent indices, modified
     * @param values  selected pre-activations, modified
     * @param off     index of row 0's first selection in {@code indices/values}
     * @param ws      scratch of the calling thread, modified
     */
    public static void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, int topK, int[] indices,
                                  float[] values, int off, Workspace ws) {
        int kept = Math.min(topK, n);
        if (k == 0 || kept == 0 || m == 0) {
            ScalarGemm.encodeTopK(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, topK, indices, values, off);
            return;
        }
        int ncMax = roundUp(Math.min(NC, n), NR);
        int chunk = aChunkRows(m, k);
        int slotRows = roundUp(Math.min(chunk, m), MC);
        float[] pb = ws.floats(0, ncMax * k);
        float[] pa = ws.floats(1, kBlocks(k) * slotRows * KC);
        float[] pbias = ws.floats(2, ncMax);
        MemorySegment tile = ws.segment(0, MR * NR);
        // [MC, ncMax]: pre-activations of one block, padded so that every register tile is a full one
        MemorySegment pTile = ws.segment(1, (long) MC * ncMax);
        long ldp = (long) ncMax * Float.BYTES;
        int bStride = k * NR;
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int rows = Math.min(chunk, m - i0);
            packAChunk(A_ROWS, x, xOff, ldx, i0, rows, k, slotRows, pa);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                int ncPad = roundUp(nc, NR);
                SimdGemmPack.packBColumns(w, wOff + (long) jc * ldw, ldw, nc, k, NR, pb);
                SimdGemmPack.packVector(bias, biasOff + jc, nc, pbias, 0);
                for (int ic = 0; ic < rows; ic += MC) {
                    int mc = Math.min(MC, rows - ic);
                    int mcPad = roundUp(mc, MR);
                    for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                        int kc = Math.min(KC, k - pc);
                        int paOff = (q * slotRows + ic) * KC;
                        if (pc + kc == k) {
                            SimdGemmBlock.bias(mcPad, ncPad, kc, pa, paOff, pb, pc * NR, bStride, pc > 0, pTile, 0L,
                                    ldp, tile, pbias);
                        } else {
                            SimdGemmBlock.raw(mcPad, ncPad, kc, pa, paOff, pb, pc * NR, bStride, pc > 0, pTile, 0L,
                                    ldp, tile);
                        }
                    }
                    // Columns 0..jc-1 have already been offered to each row, so each heap holds min(kept, jc) entries.
                    int size = Math.min(kept, jc);
                    for (int i = 0; i < mc; i++) {
                        SimdTopK.topKMerge(nc, pTile, (long) i * ncMax, jc, kept, indices, values,
                                off + (i0 + ic + i) * kept, size);
                    }
                }
            }
        }
        for (int i = 0; i < m; i++) {
            TopKHeap.sortByIndex(indices, values, off + i * kept, kept);
        }
    }

    /** The α/β driver shared by the four GEMM orientations; only the packing routines depend on the layouts. */
    private static void blocked(int aLayout, int bLayout, int m, int n, int k, float alpha, MemorySegment a, long aOff,
                                int lda, MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff,
                                int ldc, Workspace ws) {
        if (m == 0 || n == 0) {
            return;
        }
        if (n < NR) {
            SimdGemmNarrow.blocked(aLayout, bLayout, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    ws);
            return;
        }
        int chunk = aChunkRows(m, k);
        int slotRows = roundUp(Math.min(chunk, m), MC);
        float[] pb = ws.floats(0, roundUp(Math.min(NC, n), NR) * k);
        float[] pa = ws.floats(1, kBlocks(k) * slotRows * KC);
        MemorySegment tile = ws.segment(0, MR * NR);
        long ldcBytes = (long) ldc * Float.BYTES;
        int bStride = k * NR;
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int rows = Math.min(chunk, m - i0);
            packAChunk(aLayout, a, aOff, lda, i0, rows, k, slotRows, pa);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                packB(bLayout, b, bOff, ldb, jc, nc, k, NR, pb);
                for (int ic = 0; ic < rows; ic += MC) {
                    int mc = Math.min(MC, rows - ic);
                    long cByte = (cOff + (long) (i0 + ic) * ldc + jc) * Float.BYTES;
                    for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                        int kc = Math.min(KC, k - pc);
                        int paOff = (q * slotRows + ic) * KC;
                        if (beta != 0f) {
                            // The old C is folded in by the first k block; later blocks add to what it stored.
                            SimdGemmBlock.alphaBeta(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, false, c, cByte,
                                    ldcBytes, tile, alpha, pc == 0 ? beta : 1f);
                        } else if (pc + kc == k) {
                            SimdGemmBlock.alpha(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, pc > 0, c, cByte,
                                    ldcBytes, tile, alpha);
                        } else {
                            SimdGemmBlock.raw(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, pc > 0, c, cByte,
                                    ldcBytes, tile);
                        }
                    }
                }
            }
        }
    }

    /** Number of KC-deep blocks of the reduction dimension. */
    static int kBlocks(int k) {
        return (k + KC - 1) / KC;
    }

    /** Rows of A packed at once: all m when they fit {@link #A_PACK_FLOATS}, else the largest fitting multiple of MC. */
    static int aChunkRows(int m, int k) {
        long floatsPerRow = (long) kBlocks(k) * KC;
        long fitting = Math.max(MC, A_PACK_FLOATS / floatsPerRow / MC * MC);
        return (int) Math.min(fitting, roundUp(m, MC));
    }

    /**
     * Packs rows {@code i0 .. i0+rows} of A for every k block: the MC-row block at row {@code ic} of the chunk and
     * k block q lands at {@code (q·slotRows + ic)·KC} of {@code pa}.
     */
    static void packAChunk(int aLayout, MemorySegment a, long aOff, int lda, int i0, int rows, int k, int slotRows,
                           float[] pa) {
        for (int ic = 0; ic < rows; ic += MC) {
            int mc = Math.min(MC, rows - ic);
            for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                int kc = Math.min(KC, k - pc);
                int paOff = (q * slotRows + ic) * KC;
                if (aLayout == A_ROWS) {
                    SimdGemmPack.packARows(a, aOff + (long) (i0 + ic) * lda + pc, lda, mc, kc, pa, paOff);
                } else {
                    SimdGemmPack.packAColumns(a, aOff + (long) pc * lda + i0 + ic, lda, mc, kc, pa, paOff);
                }
            }
        }
    }

    /** Packs columns {@code jc .. jc+nc} of B for every k in panels of {@code width} columns. */
    static void packB(int bLayout, MemorySegment b, long bOff, int ldb, int jc, int nc, int k, int width,
                      float[] pb) {
        if (bLayout == B_ROWS) {
            SimdGemmPack.packBRows(b, bOff + jc, ldb, nc, k, width, pb);
        } else if (bLayout == B_COLUMNS) {
            SimdGemmPack.packBColumns(b, bOff + (long) jc * ldb, ldb, nc, k, width, pb);
        } else {
            SimdGemmPack.packBColumnsBf16(b, bOff + (long) jc * ldb, ldb, nc, k, width, pb);
        }
    }

    /** The driver of the dense encoders: bias, ReLU or JumpReLU epilogue on the last k block. */
    private static void encode(int epilogue, int m, int n, int k, MemorySegment x, long xOff, int ldx,
                               MemorySegment w, long wOff, int ldw, MemorySegment bias, long biasOff,
                               MemorySegment theta, long thetaOff, MemorySegment z, long zOff, int ldz, Workspace ws) {
        if (m == 0 || n == 0) {
            return;
        }
        if (n < NR) {
            SimdGemmNarrow.encode(epilogue, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff, z,
                    zOff, ldz, ws);
            return;
        }
        int ncMax = roundUp(Math.min(NC, n), NR);
        int chunk = aChunkRows(m, k);
        int slotRows = roundUp(Math.min(chunk, m), MC);
        float[] pb = ws.floats(0, ncMax * k);
        float[] pa = ws.floats(1, kBlocks(k) * slotRows * KC);
        // bias at 0, thresholds at ncMax
        float[] pbias = ws.floats(2, 2 * ncMax);
        MemorySegment tile = ws.segment(0, MR * NR);
        long ldzBytes = (long) ldz * Float.BYTES;
        int bStride = k * NR;
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int rows = Math.min(chunk, m - i0);
            packAChunk(A_ROWS, x, xOff, ldx, i0, rows, k, slotRows, pa);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                SimdGemmPack.packBColumns(w, wOff + (long) jc * ldw, ldw, nc, k, NR, pb);
                SimdGemmPack.packVector(bias, biasOff + jc, nc, pbias, 0);
                if (epilogue == EPILOGUE_JUMP_RELU) {
                    SimdGemmPack.packVector(theta, thetaOff + jc, nc, pbias, ncMax);
                }
                for (int ic = 0; ic < rows; ic += MC) {
                    int mc = Math.min(MC, rows - ic);
                    long zByte = (zOff + (long) (i0 + ic) * ldz + jc) * Float.BYTES;
                    for (int pc = 0, q = 0; pc < k; pc += KC, q++) {
                        int kc = Math.min(KC, k - pc);
                        int paOff = (q * slotRows + ic) * KC;
                        boolean chain = pc > 0;
                        if (pc + kc < k) {
                            SimdGemmBlock.raw(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, chain, z, zByte, ldzBytes,
                                    tile);
                        } else if (epilogue == EPILOGUE_BIAS) {
                            SimdGemmBlock.bias(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, chain, z, zByte, ldzBytes,
                                    tile, pbias);
                        } else if (epilogue == EPILOGUE_RELU) {
                            SimdGemmBlock.relu(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, chain, z, zByte, ldzBytes,
                                    tile, pbias);
                        } else {
                            SimdGemmBlock.jumpRelu(mc, nc, kc, pa, paOff, pb, pc * NR, bStride, chain, z, zByte,
                                    ldzBytes, tile, pbias, ncMax);
                        }
                    }
                }
            }
        }
    }
}
