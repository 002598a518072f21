package org.sae4j.sae.eval;

import org.sae4j.tensor.SparseCode;

/**
 * Streaming sparsity statistics of codes (sae-formats §12.3): L0 (a count), L1 and the number of tokens each latent
 * fires on ({@code f_j > 0}).
 *
 * <p><b>Note:</b> not thread-safe.
 */
public final class LatentStats {

    /** [d_sae] tokens each latent fired on ({@code f_j > 0}). */
    private final long[] fires;
    /** Tokens added. */
    private long tokens;
    /** Non-zero codes added. */
    private long nonZero;
    /** Σ|f| over every code added. */
    private double absoluteSum;

    /**
     * Statistics over {@code dSae} latents.
     *
     * @param dSae number of latents, ≥ 1
     * @throws IllegalArgumentException if {@code dSae} is not positive
     */
    public LatentStats(int dSae) {
        if (dSae <= 0) {
            throw new IllegalArgumentException("d_sae must be positive, got " + dSae);
        }
        this.fires = new long[dSae];
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
            float value = values[t];
            if (value != 0f) {
                nonZero++;
                absoluteSum += Math.abs(value);
            }
            if (value > 0f) {
                fires[indices[t]]++;
            }
        }
        tokens += codes.rows();
    }

    /**
     * Tokens added: the density window.
     *
     * @return rows added so far
     */
    public long tokens() {
        return tokens;
    }

    /**
     * L0: mean over tokens of the number of non-zero latents.
     *
     * @return a count per token; NaN before any token
     */
    public double l0() {
        return (double) nonZero / tokens;
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
     * Per-latent firing counts, copied.
     *
     * @return a new array of d_sae counts
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
