package org.sae4j.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads a Llama Scope {@code hyperparams.json} (sae-formats §7). */
final class LlamaScopeConfigReader {

    /**
     * The config and the two scalars the weights need.
     *
     * @param config        JumpReLU, {@code b_dec} not subtracted, normalisation already folded (NONE)
     * @param threshold     the JumpReLU threshold for every latent: {@code jump_relu_threshold · scalingFactor}
     * @param scalingFactor {@code √d_in / dataset_average_activation_norm.in}
     */
    record Hyperparams(SaeConfig config, double threshold, double scalingFactor) {
    }

    /** Not instantiable: one static reader. */
    private LlamaScopeConfigReader() {
    }

    /**
     * Reads {@code hyperparams.json}: {@code act_fn} (jumprelu), {@code d_model}, {@code d_sae},
     * {@code jump_relu_threshold} and {@code dataset_average_activation_norm.in}.
     *
     * @param file the hyperparameters file
     * @return the config and the scalars to fold
     * @throws SaeFormatException if a key is missing or invalid
     * @throws IOException        if the file cannot be read
     */
    static Hyperparams read(Path file) throws IOException {
        ConfigJson cfg = ConfigJson.read(file);
        String activation = cfg.optString("act_fn", "jumprelu");
        if (!activation.toLowerCase(Locale.ROOT).equals("jumprelu")) {
            throw cfg.fail("act_fn", "value '" + activation + "' is not supported (supported: jumprelu)");
        }
        int dIn = cfg.requireInt("d_model", 1);
        int dSae = cfg.requireInt("d_sae", 1);
        double rawThreshold = cfg.requireDouble("jump_relu_threshold");
        double averageNorm = cfg.object("dataset_average_activation_norm").requireDouble("in");
        if (!(averageNorm > 0)) {
            throw cfg.fail("dataset_average_activation_norm", "'in' must be > 0, got " + averageNorm);
        }
        double factor = Math.sqrt(dIn) / averageNorm;
        double threshold = rawThreshold * factor;
        // both are folded into fp32 weights, so they must survive the rounding to float
        if (!Float.isFinite((float) factor) || !((float) factor > 0)) {
            throw cfg.fail("dataset_average_activation_norm", "'in' " + averageNorm + " gives the scaling factor "
                    + factor + ", not a positive finite float");
        }
        if (!Float.isFinite((float) threshold)) {
            throw cfg.fail("jump_relu_threshold", "value " + rawThreshold + " times the scaling factor " + factor
                    + " is not a finite float");
        }
        SaeConfig config = new SaeConfig(SaeSource.LLAMA_SCOPE, SaeArchitecture.JUMPRELU, dIn, dSae, dIn, 0,
                "bfloat16", Normalisation.NONE, false, false, cfg.optString("hook_point_in", ""), "", List.of(
                        "Llama Scope: threshold = jump_relu_threshold x " + factor
                                + " and dataset-wise input scaling " + factor
                                + " (sqrt(d_model) / dataset_average_activation_norm.in) folded into the weights"));
        return new Hyperparams(config, threshold, factor);
    }
}
