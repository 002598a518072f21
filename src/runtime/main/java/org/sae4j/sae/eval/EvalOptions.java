package org.sae4j.sae.eval;

/**
 * How an evaluation runs.
 *
 * @param batchRows      rows encoded per batch (bounds the memory for codes and reconstructions)
 * @param denseThreshold density above which a latent counts as dense, in [0, 1] (conventionally 0.1)
 */
public record EvalOptions(int batchRows, double denseThreshold) {

    /** Default rows per batch. */
    public static final int DEFAULT_BATCH_ROWS = 1024;
    /** Default dense threshold. */
    public static final double DEFAULT_DENSE_THRESHOLD = 0.1;

    /** Validates the options. */
    public EvalOptions {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batchRows);
        }
        if (!(denseThreshold >= 0 && denseThreshold <= 1)) {
            throw new IllegalArgumentException("dense threshold must be in [0, 1], got " + denseThreshold);
        }
    }

    /**
     * Batch {@value #DEFAULT_BATCH_ROWS}, dense threshold {@value #DEFAULT_DENSE_THRESHOLD}.
     *
     * @return the defaults
     */
    public static EvalOptions defaults() {
        return new EvalOptions(DEFAULT_BATCH_ROWS, DEFAULT_DENSE_THRESHOLD);
    }
}
