package org.sae4j.lab.solve;

import java.util.Objects;

import org.sae4j.optim.AdamOptions;

/**
 * Settings of the paper's inference-time optimisation on log-parameterised codes (paper-spec §6.2).
 *
 * @param lambda             λ ≥ 0 of the loss MSE-mean + λ·mean|Ŝ|
 * @param adam               optimiser settings
 * @param iterations         Adam iterations, ≥ 0
 * @param initialLogCode     the value every log-code starts from (the paper's −10)
 * @param evaluationInterval report progress after every E completed iterations, E ≥ 1
 */
public record LogCodeOptions(float lambda, AdamOptions adam, int iterations, float initialLogCode,
                             int evaluationInterval) {

    /** The paper's initial log-code, −10 (Ŝ ≈ 4.54e-5). */
    public static final float PAPER_INITIAL_LOG_CODE = -10f;

    /**
     * @throws IllegalArgumentException when a value is out of range or not finite
     */
    public LogCodeOptions {
        Objects.requireNonNull(adam, "adam");
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (!Float.isFinite(initialLogCode)) {
            throw new IllegalArgumentException("initialLogCode must be finite, got " + initialLogCode);
        }
        if (evaluationInterval < 1) {
            throw new IllegalArgumentException("evaluationInterval must be >= 1, got " + evaluationInterval);
        }
    }

    /** The known-dictionary experiment's ITO: λ 0.01, Adam lr 1e-3, 20,000 iterations from −10, logged every 100. */
    public static LogCodeOptions paperKnownDictionary() {
        return new LogCodeOptions(0.01f, AdamOptions.pytorch(1e-3f), 20_000, PAPER_INITIAL_LOG_CODE, 100);
    }

    /** The reference's {@code optimize_codes}: λ 0.01, Adam lr 3e-3, 10,000 iterations from −10. */
    public static LogCodeOptions paperOptimizeCodes() {
        return new LogCodeOptions(0.01f, AdamOptions.pytorch(3e-3f), 10_000, PAPER_INITIAL_LOG_CODE, 500);
    }

    public LogCodeOptions withIterations(int newIterations) {
        return new LogCodeOptions(lambda, adam, newIterations, initialLogCode, evaluationInterval);
    }

    public LogCodeOptions withLambda(float newLambda) {
        return new LogCodeOptions(newLambda, adam, iterations, initialLogCode, evaluationInterval);
    }

    public LogCodeOptions withEvaluationInterval(int interval) {
        return new LogCodeOptions(lambda, adam, iterations, initialLogCode, interval);
    }
}
