package org.sae4j.lab.metrics;

import java.util.Objects;

/**
 * A one-to-one matching between true and estimated variables (latents or atoms) and its score.
 *
 * <pre>{@code
 *   score = (1/P) · Σ_{i : truthToEstimate[i] ≥ 0} similarity[i, truthToEstimate[i]],  P = min(N_true, N_est)
 * }</pre>
 *
 * <p><b>Note:</b> immutable; the arrays are copied in and out.
 *
 * @param score           the mean matched similarity
 * @param truthToEstimate [N_true] the estimated variable matched to each true one, −1 when unmatched
 * @param matched         [N_true] the similarity of each true variable's match, 0 when unmatched
 */
public record LatentMatching(double score, int[] truthToEstimate, double[] matched) {

    /** Validates and copies the arrays. */
    public LatentMatching {
        Objects.requireNonNull(truthToEstimate, "truthToEstimate");
        Objects.requireNonNull(matched, "matched");
        if (truthToEstimate.length != matched.length) {
            throw new IllegalArgumentException("truthToEstimate has " + truthToEstimate.length
                    + " entries, matched has " + matched.length);
        }
        truthToEstimate = truthToEstimate.clone();
        matched = matched.clone();
    }

    /** [N_true] the estimated variable matched to each true one, −1 when unmatched (a copy). */
    @Override
    public int[] truthToEstimate() {
        return truthToEstimate.clone();
    }

    /** [N_true] the similarity of each true variable's match, 0 when unmatched (a copy). */
    @Override
    public double[] matched() {
        return matched.clone();
    }

    /** Number of matched pairs, min(N_true, N_est). */
    public int pairs() {
        int count = 0;
        for (int j : truthToEstimate) {
            if (j >= 0) {
                count++;
            }
        }
        return count;
    }
}
