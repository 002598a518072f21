package org.sae4j.sae.eval;

import java.util.Objects;
import org.sae4j.io.NonFinitePolicy;

/**
 * How an evaluation runs.
 *
 * @param batchRows      rows encoded per batch (bounds the memory for codes and reconstructions)
 * @param denseThreshold density above which a latent counts as dense, in [0, 1] (conventionally 0.1)
 * @param nonFinite      what happens to rows of the input or target holding a NaN or an infinity: refused (the
 *                       default), left out of every metric, or evaluated as zeros
 */
public record EvalOptions(int batchRows, double denseThreshold, NonFinitePolicy nonFinite) {

    /** Default rows per batch. */
    public static final int DEFAULT_BATCH_ROWS = 1024;
    /** Default dense threshold. */
    public static final double DEFAULT_DENSE_THRESHOLD = 0.1;

    /** Validates the options. */
    public EvalOptions {
        Objects.requireNonNull(nonFinite, "nonFinite");
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batchRows);
        }
        if (!(denseThreshold >= 0 && denseThreshold <= 1)) {
            throw new IllegalArgumentException("dense threshold must be in [0, 1], got " + denseThreshold);
        }
    }

    /**
     * Options that refuse non-finite input ({@link NonFinitePolicy#REFUSE}).
     *
     * @param batchRows      rows encoded per batch, ≥ 1
     * @param denseThreshold density above which a latent counts as dense, in [0, 1]
     * @throws IllegalArgumentException if {@code batchRows <= 0} or the threshold is outside [0, 1]
     */
    public EvalOptions(int batchRows, double denseThreshold) {
        this(batchRows, denseThreshold, NonFinitePolicy.defaultPolicy());
    }

    /**
     * These options with another policy for non-finite rows.
     *
     * @param policy what happens to rows holding a NaN or an infinity
     * @return new options, the batch size and dense threshold unchanged
     */
    public EvalOptions withNonFinite(NonFinitePolicy policy) {
        return new EvalOptions(batchRows, denseThreshold, policy);
    }

    /**
     * The default options.
     *
     * @return batch {@value #DEFAULT_BATCH_ROWS}, dense threshold {@value #DEFAULT_DENSE_THRESHOLD}, non-finite rows
     *         refused
     */
    public static EvalOptions defaults() {
        return new EvalOptions(DEFAULT_BATCH_ROWS, DEFAULT_DENSE_THRESHOLD);
    }
}
