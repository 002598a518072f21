package org.sae4j.sae;

/**
 * Input normalisation applied before encoding and undone after decoding (sae-formats §9).
 */
public enum Normalisation {
    /** No normalisation. */
    NONE("none"),
    /**
     * A dataset-wide scalar {@code s = √d_in / E‖x‖} used during training. sae4j never runs it at inference: the
     * loader folds a known factor into the weights (sae-formats §10) and refuses the folder when the factor is
     * unknown.
     */
    EXPECTED_AVERAGE_ONLY_IN("expected_average_only_in"),
    /** Per row {@code c = √d_in / ‖x‖}; encode {@code x·c}, divide the reconstruction by {@code c}. */
    CONSTANT_NORM_RESCALE("constant_norm_rescale"),
    /**
     * Per row {@code (x − μ) / (σ + 1e-5)} with the unbiased (n − 1) standard deviation; the reconstruction is mapped
     * back with {@code x̂·σ + μ} (σ without the epsilon), as OpenAI's TopK SAEs do.
     */
    LAYER_NORM("layer_norm");

    /** The {@code normalize_activations} spelling. */
    private final String saeLensName;

    /**
     * Binds a constant to its spelling.
     *
     * @param saeLensName the {@code normalize_activations} value
     */
    Normalisation(String saeLensName) {
        this.saeLensName = saeLensName;
    }

    /**
     * The spelling used by {@code normalize_activations} in SAELens {@code cfg.json}.
     *
     * @return the spelling, e.g. {@code "layer_norm"}
     */
    public String saeLensName() {
        return saeLensName;
    }

    /**
     * The constant for a SAELens spelling, or {@code null} when sae4j does not implement it.
     *
     * @param name the {@code normalize_activations} value; may be null
     * @return the constant, or {@code null}
     */
    public static Normalisation fromSaeLens(String name) {
        for (Normalisation mode : values()) {
            if (mode.saeLensName.equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
