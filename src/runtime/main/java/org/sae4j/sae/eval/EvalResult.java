package org.sae4j.sae.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one evaluation, named as in sae-formats §12; reconstructions are compared with their targets in the
 * de-normalised space.
 *
 * @param tokens                  rows evaluated (the density window); rows skipped for a non-finite value are not
 *                                counted
 * @param mseSum                  {@code mse_sum}: mean over tokens of Σ_d (x − x̂)²
 * @param mseMean                 {@code mse_mean}: mean over tokens and dimensions of (x − x̂)²
 * @param fvu                     conventional FVU, a ratio of sums about the mean of the whole set
 * @param explainedVariance       1 − {@code fvu}
 * @param legacyExplainedVariance legacy EV: mean over tokens of 1 − ‖x − x̂‖² / ‖x − x̄‖²
 * @param l0                      mean number of non-zero latents per token (a count)
 * @param l1                      mean over tokens of Σ_j |f_j|
 * @param cosineSimilarity        mean over tokens of cos(x, x̂)
 * @param normRatio               mean over tokens of ‖x̂‖ / ‖x‖
 * @param relativeBias            γ = Σ‖x̂‖² / Σ x̂·x
 * @param density                 per-latent densities and latent health
 * @param skippedRows             rows left out because the input or target held a NaN or an infinity
 *                                ({@link org.sae4j.io.NonFinitePolicy#SKIP_ROWS})
 * @param zeroedRows              rows evaluated as zeros for the same reason
 *                                ({@link org.sae4j.io.NonFinitePolicy#ZERO_ROWS}); counted in {@code tokens}
 * @param seconds                 wall time of the evaluation
 */
public record EvalResult(long tokens, double mseSum, double mseMean, double fvu, double explainedVariance,
        double legacyExplainedVariance, double l0, double l1, double cosineSimilarity, double normRatio,
        double relativeBias, FeatureDensity density, long skippedRows, long zeroedRows, double seconds) {

    /**
     * The metrics as an ordered map with the §12 names (JSON-ready); per-latent densities are left out, the histogram
     * is kept.
     *
     * @return a new insertion-ordered map of names to numbers (and the nested histogram)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tokens", tokens);
        map.put("skipped_rows", skippedRows);
        map.put("zeroed_rows", zeroedRows);
        map.put("mse_sum", mseSum);
        map.put("mse_mean", mseMean);
        map.put("fvu", fvu);
        map.put("explained_variance", explainedVariance);
        map.put("legacy_explained_variance", legacyExplainedVariance);
        map.put("l0", l0);
        map.put("l1", l1);
        map.put("cosine_similarity", cosineSimilarity);
        map.put("norm_ratio", normRatio);
        map.put("relative_reconstruction_bias", relativeBias);
        map.put("d_sae", density.latents());
        map.put("density_window_tokens", density.windowTokens());
        map.put("dead_latents", density.dead());
        map.put("dead_fraction", density.deadFraction());
        map.put("rare_latents_below_1e-5", density.rareBelow1e5());
        map.put("rare_latents_below_1e-6", density.rareBelow1e6());
        map.put("dense_threshold", density.denseThreshold());
        map.put("dense_latents", density.dense());
        map.put("dense_fraction", density.denseFraction());
        Map<String, Object> histogram = new LinkedHashMap<>();
        histogram.put("transform", "log10(density + 1e-10)");
        histogram.put("min", FeatureDensity.HISTOGRAM_MIN);
        histogram.put("max", FeatureDensity.HISTOGRAM_MAX);
        histogram.put("counts", density.histogramCounts());
        map.put("density_histogram", histogram);
        map.put("seconds", seconds);
        return map;
    }
}
