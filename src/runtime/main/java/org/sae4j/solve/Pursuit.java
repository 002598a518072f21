package org.sae4j.solve;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Batched non-negative matching pursuit and orthogonal matching pursuit over a decoder [d_sae, d_in].
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("pursuit-buffers")) {
 *     MemorySegment target = arena.allocateFloats(256L * dIn);      // [256, d_in], filled by the caller
 *     MemorySegment codes = arena.allocateFloats(256L * dSae);      // [256, d_sae]
 *     MemorySegment residual = arena.allocateFloats(256L * dIn);    // [256, d_in]
 *     try (Pursuit omp = new Pursuit(wDec, dSae, dIn, 256, target, codes, residual)) {
 *         long flops = omp.run(256, 32, true);                      // at most 32 latents per row
 *     }
 * }
 * }</pre>
 *
 * <p>Each pick round correlates every row's residual with every decoder row in one GEMM (the cost that dominates:
 * 2·batch·d_sae·d_in FLOPs); the per-row pick, line search and least-squares refit are O(d_sae + s·d_in). A latent is
 * picked by its correlation over its decoder-row norm, so rows of different norms compete fairly; zero rows are never
 * picked. The orthogonal refit keeps a Cholesky factor of the chosen rows' Gram matrix in double and stops a row early
 * when the next pick is (numerically) in the span of the chosen ones; its state takes {@code batch·L0²} doubles per
 * call.
 *
 * <p>Ownership: the decoder, target, codes and residual segments belong to the caller, are used in place (dense,
 * row-major, fp32, leading dimensions d_in and d_sae) and must outlive the pursuit; they are not checked here, the
 * kernels reject segments that are too small on first use. The pursuit owns only its correlation buffer
 * ([maxBatch, d_sae], in its own {@link TensorArena}), freed by {@link #close()}.
 *
 * <p><b>Note:</b> not thread-safe. {@link #run} allocates per call: per-row state, and for OMP the Cholesky factors.
 */
public final class Pursuit implements AutoCloseable {

    /** A pick whose Cholesky pivot² falls below this fraction of its squared norm is treated as dependent. */
    private static final double DEPENDENCE = 1e-8;

    /** [maxBatch, dSae] residual·W_decᵀ of the last pick round. */
    private final MemorySegment correlations;
    /** Owns {@link #correlations}; closed by {@link #close()}. */
    private final TensorArena arena;
    /** [dSae, dIn] the caller's decoder, one row per latent. */
    private final MemorySegment decoder;
    /** Number of latents. */
    private final int dSae;
    /** Input width. */
    private final int dIn;
    /** The largest batch {@link #run} accepts, as the buffers were sized for. */
    private final int maxBatch;
    /** [maxBatch, dIn] the caller's rows to explain. */
    private final MemorySegment target;
    /** [maxBatch, dSae] the caller's code buffer, written by {@link #run}. */
    private final MemorySegment codes;
    /** [maxBatch, dIn] the caller's residual buffer, written by {@link #run}. */
    private final MemorySegment residual;
    /** [dSae] 1/‖W_dec[j]‖, 0 for a zero row so that it is never picked. */
    private final float[] inverseNorm;
    /** [dSae] one row of {@link #correlations}, copied for the pick. */
    private final float[] correlationRow;

    /**
     * A pursuit over {@code decoder} whose buffers are owned by the caller and read or written by {@link #run}.
     *
     * @param decoder  [dSae, dIn], one row per latent; not modified
     * @param dSae     number of latents
     * @param dIn      input width
     * @param maxBatch largest batch {@link #run} is called with
     * @param target   [maxBatch, dIn] rows to explain; not modified
     * @param codes    [maxBatch, dSae]; modified: the codes found
     * @param residual [maxBatch, dIn]; modified: {@code target − codes·decoder}
     * @throws NullPointerException     if a segment is null
     * @throws IllegalArgumentException if a size is below 1 or a segment is smaller than its shape
     */
    public Pursuit(MemorySegment decoder, int dSae, int dIn, int maxBatch, MemorySegment target, MemorySegment codes,
            MemorySegment residual) {
        if (dSae < 1 || dIn < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("pursuit needs d_sae, d_in and maxBatch >= 1, got " + dSae + ", " + dIn
                    + ", " + maxBatch);
        }
        requireFloats("decoder", decoder, (long) dSae * dIn);
        requireFloats("target", target, (long) maxBatch * dIn);
        requireFloats("codes", codes, (long) maxBatch * dSae);
        requireFloats("residual", residual, (long) maxBatch * dIn);
        this.maxBatch = maxBatch;
        this.decoder = decoder;
        this.dSae = dSae;
        this.dIn = dIn;
        this.target = target;
        this.codes = codes;
        this.residual = residual;
        this.arena = new TensorArena("pursuit-" + maxBatch + "x" + dSae);
        this.correlations = arena.allocateFloats((long) maxBatch * dSae);
        this.inverseNorm = new float[dSae];
        for (int j = 0; j < dSae; j++) {
            double norm = Math.sqrt(Kernels.sumSquares(dIn, decoder, (long) j * dIn));
            inverseNorm[j] = norm > 0 ? (float) (1 / norm) : 0f;
        }
        this.correlationRow = new float[dSae];
    }

    /**
     * Codes for the first {@code batch} rows of the target, written to the codes buffer; the residual buffer ends
     * holding {@code t − z·W_dec}. Codes are zeroed first, so every run starts from zero.
     *
     * @param batch      rows of the target to explain, at most the constructor's {@code maxBatch}
     * @param targetL0   picks per row: the support size for OMP; MP may pick a latent again, up to 4× as often
     * @param orthogonal OMP (least-squares refit after each pick) when true, MP otherwise
     * @return FLOPs spent, 2 per multiply-add
     * @throws IllegalArgumentException if {@code batch} is outside [1, maxBatch] or {@code targetL0} is negative
     */
    public long run(int batch, int targetL0, boolean orthogonal) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], got " + batch);
        }
        if (targetL0 < 0) {
            throw new IllegalArgumentException("target L0 must be >= 0, got " + targetL0);
        }
        codes.asSlice(0, (long) batch * dSae * Float.BYTES).fill((byte) 0);
        MemorySegment.copy(target, 0, residual, 0, (long) batch * dIn * Float.BYTES);
        int maxPicks = orthogonal ? targetL0 : 4 * targetL0;
        // more than d_in rows are always linearly dependent, so an orthogonal support never grows past d_in
        int capacity = Math.min(targetL0, orthogonal ? Math.min(dSae, dIn) : dSae);
        RowState[] rows = new RowState[batch];
        for (int r = 0; r < batch; r++) {
            rows[r] = new RowState(orthogonal ? capacity : 0);
        }
        long flops = 0;
        int open = batch;
        for (int pick = 0; pick < maxPicks && open > 0; pick++) {
            Kernels.gemmNT(batch, dSae, dIn, 1f, residual, 0, dIn, decoder, 0, dIn, 0f, correlations, 0, dSae);
            flops += 2L * batch * dSae * dIn;
            for (int r = 0; r < batch; r++) {
                RowState row = rows[r];
                if (row.done) {
                    continue;
                }
                int j = bestLatent(r, row);
                if (j < 0) {
                    row.done = true;
                } else if (orthogonal) {
                    flops += refit(r, row, j);
                } else {
                    flops += step(r, row, j);
                }
                if (row.active >= capacity) {
                    row.done = true;
                }
                if (row.done) {
                    open--;
                }
            }
        }
        return flops;
    }

    /**
     * Frees the correlation buffer; the caller's decoder, target, codes and residual are untouched. Not idempotent: a
     * second call throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        arena.close();
    }

    /**
     * The latent with the largest positive correlation per unit norm, not yet in an orthogonal support; −1 if none.
     *
     * @param r   row of the batch
     * @param row its pursuit state
     * @return the latent to pick, or −1 when no latent correlates positively
     */
    private int bestLatent(int r, RowState row) {
        MemorySegment.copy(correlations, Layouts.F32, (long) r * dSae * Float.BYTES, correlationRow, 0, dSae);
        for (int s = 0; s < row.active && row.support != null; s++) {
            correlationRow[row.support[s]] = 0f;
        }
        int best = -1;
        float bestScore = 0f;
        for (int j = 0; j < dSae; j++) {
            float score = correlationRow[j] * inverseNorm[j];
            if (score > bestScore) {
                bestScore = score;
                best = j;
            }
        }
        return best;
    }

    /**
     * Matching-pursuit update: z_j += c_j/‖d_j‖², residual −= that·d_j.
     *
     * @param r   row of the batch
     * @param row its pursuit state; its active count grows when j was zero
     * @param j   the picked latent
     * @return FLOPs spent
     */
    private long step(int r, RowState row, int j) {
        float amount = correlationRow[j] * inverseNorm[j] * inverseNorm[j];
        long codeIndex = (long) r * dSae + j;
        float before = codes.getAtIndex(Layouts.F32, codeIndex);
        if (before == 0f) {
            row.active++;
        }
        codes.setAtIndex(Layouts.F32, codeIndex, before + amount);
        Kernels.axpy(dIn, -amount, decoder, (long) j * dIn, residual, (long) r * dIn);
        return 2L * dIn;
    }

    /**
     * Adds j to the support, refits every coefficient by least squares and recomputes the residual; marks the row done
     * instead when j is (numerically) in the span of the support.
     *
     * @param r   row of the batch
     * @param row its pursuit state; modified
     * @param j   the picked latent
     * @return FLOPs spent
     */
    private long refit(int r, RowState row, int j) {
        int s = row.active;
        double[] factor = row.factor;
        int n = row.capacity;
        long flops = 0;
        double norm2 = Kernels.sumSquares(dIn, decoder, (long) j * dIn);
        double pivot2 = norm2;
        for (int i = 0; i < s; i++) {
            double g = Kernels.dot(dIn, decoder, (long) row.support[i] * dIn, decoder, (long) j * dIn);
            for (int l = 0; l < i; l++) {
                g -= factor[s * n + l] * factor[i * n + l];
            }
            double w = g / factor[i * n + i];
            factor[s * n + i] = w;
            pivot2 -= w * w;
        }
        flops += 2L * (s + 1) * dIn;
        if (pivot2 <= DEPENDENCE * norm2) {
            row.done = true;
            return flops;
        }
        factor[s * n + s] = Math.sqrt(pivot2);
        row.support[s] = j;
        row.projections[s] = Kernels.dot(dIn, decoder, (long) j * dIn, target, (long) r * dIn);
        row.active = s + 1;
        solve(row);
        long rowOffset = (long) r * dIn;
        MemorySegment.copy(target, rowOffset * Float.BYTES, residual, rowOffset * Float.BYTES,
                (long) dIn * Float.BYTES);
        for (int i = 0; i <= s; i++) {
            float coefficient = (float) row.coefficients[i];
            codes.setAtIndex(Layouts.F32, (long) r * dSae + row.support[i], coefficient);
            Kernels.axpy(dIn, -coefficient, decoder, (long) row.support[i] * dIn, residual, rowOffset);
        }
        return flops + 2L * dIn + 2L * (s + 1) * dIn;
    }

    /**
     * The correlation buffer [maxBatch, dSae] (row-major): the last pick round's, and free scratch between runs.
     *
     * @return the buffer itself, owned by this pursuit and valid until {@link #close()}
     */
    public MemorySegment correlations() {
        return correlations;
    }

    /**
     * Solves (L·Lᵀ)·a = projections for the active support.
     *
     * @param row the state holding L and the projections; its coefficients are modified
     */
    private static void solve(RowState row) {
        int s = row.active;
        int n = row.capacity;
        double[] factor = row.factor;
        double[] y = row.coefficients;
        for (int i = 0; i < s; i++) {
            double sum = row.projections[i];
            for (int l = 0; l < i; l++) {
                sum -= factor[i * n + l] * y[l];
            }
            y[i] = sum / factor[i * n + i];
        }
        for (int i = s - 1; i >= 0; i--) {
            double sum = y[i];
            for (int l = i + 1; l < s; l++) {
                sum -= factor[l * n + i] * y[l];
            }
            y[i] = sum / factor[i * n + i];
        }
    }

    /** Per-row pursuit state; the orthogonal arrays are sized by the target L0 and absent for plain pursuit. */
    private static final class RowState {
        /** Largest support: min(target L0, d_sae, d_in) for OMP, 0 for MP. */
        final int capacity;
        /** [capacity] the chosen latents, in pick order; null for MP. */
        final int[] support;
        /** [capacity, capacity] lower Cholesky factor L of the support's Gram matrix; null for MP. */
        final double[] factor;
        /** [capacity] W_dec[support[i]]·t; null for MP. */
        final double[] projections;
        /** [capacity] the least-squares coefficients; null for MP. */
        final double[] coefficients;
        /** Latents currently non-zero. */
        int active;
        /** Whether the row needs no more picks. */
        boolean done;

        /**
         * State for a support of up to {@code capacity} latents (0: plain pursuit, no arrays).
         *
         * @param capacity largest support
         */
        RowState(int capacity) {
            this.capacity = capacity;
            this.support = capacity > 0 ? new int[capacity] : null;
            this.factor = capacity > 0 ? new double[capacity * capacity] : null;
            this.projections = capacity > 0 ? new double[capacity] : null;
            this.coefficients = capacity > 0 ? new double[capacity] : null;
        }
    }

    /**
     * Throws unless {@code segment} holds at least {@code floats} floats.
     *
     * @param name    the argument, for the message
     * @param segment the buffer to check
     * @param floats  the floats it must hold
     * @throws NullPointerException     if the segment is null
     * @throws IllegalArgumentException if it is too small
     */
    private static void requireFloats(String name, MemorySegment segment, long floats) {
        Objects.requireNonNull(segment, name);
        if (segment.byteSize() < floats * Float.BYTES) {
            throw new IllegalArgumentException(name + " holds " + segment.byteSize() / Float.BYTES + " floats, needs "
                    + floats);
        }
    }
}
