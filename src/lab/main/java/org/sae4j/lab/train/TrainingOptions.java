package org.sae4j.lab.train;

import java.util.Objects;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;

/**
 * Settings of one full-batch training run.
 *
 * @param target             what the encoder is trained against
 * @param l1Coefficient      λ ≥ 0 of the reconstruction loss (ignored for {@link TrainingTarget#KNOWN_CODES})
 * @param adam               optimiser settings
 * @param initSeed           seed of the parameter initialisation
 * @param evaluationInterval evaluate after every E completed steps, E ≥ 1
 */
public record TrainingOptions(TrainingTarget target, float l1Coefficient, AdamOptions adam, long initSeed,
                              int evaluationInterval) {

    /** The paper's λ = 0.01. */
    public static final float PAPER_L1 = 0.01f;

    /**
     * @throws IllegalArgumentException when λ is negative or not finite, or E &lt; 1
     */
    public TrainingOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(adam, "adam");
        if (!(l1Coefficient >= 0f) || !Float.isFinite(l1Coefficient)) {
            throw new IllegalArgumentException("l1Coefficient must be finite and >= 0, got " + l1Coefficient);
        }
        if (evaluationInterval < 1) {
            throw new IllegalArgumentException("evaluationInterval must be >= 1, got " + evaluationInterval);
        }
    }

    /** The paper's settings for a target: λ = 0.01, Adam lr 1e-3 with PyTorch defaults, evaluation every 100 steps. */
    public static TrainingOptions paper(TrainingTarget target, long initSeed) {
        return new TrainingOptions(target, PAPER_L1, AdamOptions.pytorch(1e-3f), initSeed, 100);
    }

    public TrainingOptions withL1Coefficient(float lambda) {
        return new TrainingOptions(target, lambda, adam, initSeed, evaluationInterval);
    }

    public TrainingOptions withLearningRate(float learningRate) {
        return new TrainingOptions(target, l1Coefficient, adam.withLearningRate(learningRate), initSeed,
                evaluationInterval);
    }

    public TrainingOptions withEvaluationInterval(int interval) {
        return new TrainingOptions(target, l1Coefficient, adam, initSeed, interval);
    }

    public TrainingOptions withInitSeed(long seed) {
        return new TrainingOptions(target, l1Coefficient, adam, seed, evaluationInterval);
    }
}
