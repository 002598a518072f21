package org.sae4j.train;

/**
 * Settings of a known-dictionary SAE training run (paper-spec §5, §6.1, §7): the L1 coefficient λ of the loss,
 * PyTorch Adam hyper-parameters, whether the encoder has a bias, the initialisation seed and how often the run is
 * evaluated on the test split.
 *
 * <pre>{@code
 * SaeTrainingOptions paper = SaeTrainingOptions.paper(20240625L + 42);   // λ 0.01, lr 1e-3, no bias, every 100 steps
 * SaeTrainingOptions biased = paper.withBias(true).withEvaluationInterval(10);
 * }</pre>
 *
 * @param l1Coefficient      λ ≥ 0, finite: weight of the mean-|Ŝ| term
 * @param learningRate       Adam learning rate, finite and &gt; 0
 * @param beta1              Adam β1 in [0, 1)
 * @param beta2              Adam β2 in [0, 1)
 * @param epsilon            Adam ε, finite and &gt; 0, added after the bias-corrected square root
 * @param useBias            whether the encoder has a learned bias b (the paper's known-dictionary SAE has none)
 * @param initSeed           seed of the encoder initialisation
 * @param evaluationInterval E ≥ 1: the test split is evaluated after every E-th completed step
 */
public record SaeTrainingOptions(float l1Coefficient, float learningRate, float beta1, float beta2, float epsilon,
                                 boolean useBias, long initSeed, int evaluationInterval) {

    /** The paper's L1 coefficient λ (paper-spec §2, §7). */
    public static final float PAPER_L1 = 0.01f;

    /** The paper's training learning rate for the known-dictionary SAE (paper-spec §6.1, §7). */
    public static final float PAPER_LEARNING_RATE = 1e-3f;

    /** The logging interval of the known-dictionary experiment (paper-spec §10.1). */
    public static final int PAPER_EVALUATION_INTERVAL = 100;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when a value is outside the range documented on the record
     */
    public SaeTrainingOptions {
        if (!(l1Coefficient >= 0f) || !Float.isFinite(l1Coefficient)) {
            throw new IllegalArgumentException("l1Coefficient must be finite and >= 0, got " + l1Coefficient);
        }
        if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0f) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        if (evaluationInterval < 1) {
            throw new IllegalArgumentException("evaluationInterval must be >= 1, got " + evaluationInterval);
        }
    }

    /**
     * The paper's settings: λ = 0.01, Adam lr 1e-3 with PyTorch defaults β = (0.9, 0.999), ε = 1e-8, no bias,
     * evaluation every 100 steps.
     *
     * @param initSeed seed of the encoder initialisation (the reference seeds its constructors with run seed + 42)
     */
    public static SaeTrainingOptions paper(long initSeed) {
        return new SaeTrainingOptions(PAPER_L1, PAPER_LEARNING_RATE, 0.9f, 0.999f, 1e-8f, false, initSeed,
                PAPER_EVALUATION_INTERVAL);
    }

    /** A copy with the encoder bias switched on or off. */
    public SaeTrainingOptions withBias(boolean bias) {
        return new SaeTrainingOptions(l1Coefficient, learningRate, beta1, beta2, epsilon, bias, initSeed,
                evaluationInterval);
    }

    /** A copy with another evaluation interval E ≥ 1. */
    public SaeTrainingOptions withEvaluationInterval(int interval) {
        return new SaeTrainingOptions(l1Coefficient, learningRate, beta1, beta2, epsilon, useBias, initSeed,
                interval);
    }

    /** A copy with another L1 coefficient λ ≥ 0. */
    public SaeTrainingOptions withL1Coefficient(float lambda) {
        return new SaeTrainingOptions(lambda, learningRate, beta1, beta2, epsilon, useBias, initSeed,
                evaluationInterval);
    }
}
