package org.sae4j.sae;

import java.util.Objects;

/**
 * A configuration and its weights after a {@link SaeFolding} operation; ready for {@link Sae#of} or a writer.
 *
 * @param config  the configuration, with the fold appended to {@link SaeConfig#folds()}
 * @param weights new arrays (the input weights are never modified)
 */
public record FoldedSae(SaeConfig config, SaeWeights weights) {

    /** Checks that neither part is null. */
    public FoldedSae {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
    }
}
