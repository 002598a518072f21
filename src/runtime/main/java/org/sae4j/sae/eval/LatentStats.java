package org.sae4j.sae.eval;

import java.util.Objects;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.SparseCode;

/**
 * Streaming sparsity statistics of codes (sae-formats §12.3): L0, L1 and the number of tokens each latent fires on
 * ({@code f_j > 0}), from sparse or dense codes.
 *
 * <p>Conventions: {@link #l0} and {@link #l1} are per token, as SAELens reports them: L0 is the mean number of
 * active latents (a count, 0 to d_sae) and L1 the mean Σ_j |f_j|. {@link #l0Fraction} and {@link #meanAbs} are the
 * same sums divided once by tokens·d_sae instead of tokens, the sparse-coding paper's "L0" (a fraction of all
 * entries) and mean |S| that the lab's {@code ReconstructionMetrics} reports. A latent is active on a token when
 * {@code |f_j| > activeThreshold}: 0 by default (any non-zero value; NaN is not active), or one of the paper's small
 * thresholds (1e-5, 1e-4, 1e-3). The threshold moves L0 only: L1 sums every |f_j| (NaN included, so it propagates),
 * and firing counts stay {@code f_j > 0}.
 *
 * <pre>{@code
 * LatentStats stats = new LatentStats(dSae);
 * stats.add(codes);                       // per batch
 * double l0 = stats.l0();                 // active latents per token
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe.
 */
public final class LatentStats {

    /** [d_sae] tokens each latent fired on ({@code f_j > 0}). */
    private final long[] fires;
    /** The magnitude a code must exceed to count as active, ≥ 0. */
    private final double activeThreshold;
    /** Rows (tokens) added so far. */
    private long tokens;
    /** Active entries ({@code |f| > activeThreshold}) over all tokens added: L0's numerator. */
    private long active;
    /** Σ |f| over every entry added, in double: L1's numerator. */
    private double absoluteSum;

    /**
     * Statistics over {@code dSae} latents; a latent is active when non-zero.
     *
     * @param dSae number of latents, ≥ 1
     * @throws IllegalArgumentException if {@code dSae <= 0}
     */
    public LatentStats(int dSae) {
        this(dSae, 0);
    }

    /**
     * Statistics over {@code dSae} latents; a latent is active when {@code |f| > activeThreshold}.
     *
     * @param dSae            number of latents, ≥ 1
     * @param activeThreshold the magnitude a code must exceed to count as active, finite and ≥ 0
     * @throws IllegalArgumentException if {@code dSae <= 0} or the threshold is negative or not finite
     */
    public LatentStats(int dSae, double activeThreshold) {
        if (dSae <= 0) {
            throw new IllegalArgumentException("d_sae must be positive, got " + dSae);
        }
        if (!(activeThreshold >= 0) || Double.isInfinite(activeThreshold)) {
            throw new IllegalArgumentException("threshold must be finite and >= 0, got " + activeThreshold);
        }
        this.fires = new long[dSae];
        this.activeThreshold = activeThreshold;
    }

    /**
     * Adds every row of {@code codes}, not modified.
     *
     * @param codes codes over d_sae latents
     * @throws IllegalArgumentException if the codes have another number of latents
     */
    public void add(SparseCode codes) {
        if (codes.cols() != fires.length) {
            throw new IllegalArgumentException("codes have " + codes.cols() + " latents, expected " + fires.length);
        }
        int[] indices = codes.indices();
        float[] values = codes.values();
        for (int t = 0; t < codes.nnz(); t++) {
            count(indices[t], values[t]);
        }
        tokens += codes.rows();
    }

    /**
     * Adds every row of dense codes, a [tokens, d_sae] view (fp32 or bf16, widened exactly; not modified), in
     * row-major order. Allocates a buffer of {@value MatrixRows#CHUNK_ROWS} rows at most.
     *
     * @param codes [tokens, d_sae] dense codes; not modified
     * @throws IllegalArgumentException if the codes have another number of latents
     */
    public void add(DenseMatrix codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.cols() != fires.length) {
            throw new IllegalArgumentException("codes have " + codes.cols() + " latents, expected " + fires.length);
        }
        int chunk = Math.min(MatrixRows.CHUNK_ROWS, codes.rows());
        float[] rows = new float[chunk * fires.length]; // [chunk, dSae]
        for (int from = 0; from < codes.rows(); from += chunk) {
            int to = Math.min(codes.rows(), from + chunk);
            MatrixRows.copy(codes, from, to, rows);
            for (int r = 0; r < to - from; r++) {
                for (int j = 0; j < fires.length; j++) {
                    count(j, rows[r * fires.length + j]);
                }
            }
        }
        tokens += codes.rows();
    }

    /**
     * Adds one code value to the sums: active count, Σ |f| and the latent's firing count.
     *
     * @param latent the latent, in [0, d_sae)
     * @param value  its code on one token
     */
    private void count(int latent, float value) {
        float magnitude = Math.abs(value);
        if (magnitude > activeThreshold) {
            active++;
        }
        // adding the zeros of dense codes leaves the sum unchanged, so sparse and dense codes sum alike
        absoluteSum += magnitude;
        if (value > 0f) {
            fires[latent]++;
        }
    }

    /**
     * Tokens added: the density window.
     *
     * @return the number of rows added so far
     */
    public long tokens() {
        return tokens;
    }

    /**
     * The threshold |f| must exceed for a latent to count as active.
     *
     * @return the threshold given at construction, 0 by default
     */
    public double activeThreshold() {
        return activeThreshold;
    }

    /**
     * L0: mean over tokens of the number of active latents.
     *
     * @return the mean, in [0, d_sae]; NaN before any token
     */
    public double l0() {
        return (double) active / tokens;
    }

    /**
     * L1: mean over tokens of Σ_j |f_j|.
     *
     * @return the mean; NaN before any token
     */
    public double l1() {
        return absoluteSum / tokens;
    }

    /**
     * The fraction of all tokens·d_sae entries that are active: {@link #l0} / d_sae, divided once.
     *
     * @return the fraction, in [0, 1]; NaN before any token
     */
    public double l0Fraction() {
        return (double) active / ((double) tokens * fires.length);
    }

    /**
     * Mean |f| over all tokens·d_sae entries: {@link #l1} / d_sae, divided once.
     *
     * @return the mean; NaN before any token
     */
    public double meanAbs() {
        return absoluteSum / ((double) tokens * fires.length);
    }

    /**
     * Per-latent firing counts.
     *
     * @return a new [d_sae] array: for each latent, the tokens on which its code was {@code > 0}
     */
    public long[] fireCounts() {
        return fires.clone();
    }

    /**
     * Feature density over the tokens added, with {@code denseThreshold} for dense latents.
     *
     * @param denseThreshold density above which a latent counts as dense, in [0, 1]
     * @return the densities
     * @throws IllegalArgumentException if no token was added or the threshold is outside [0, 1]
     */
    public FeatureDensity density(double denseThreshold) {
        return FeatureDensity.of(fires, tokens, denseThreshold);
    }
}
