package org.sae4j.optim;

/**
 * Adam hyper-parameters in PyTorch's formulation (paper-spec §5): ε is added after the bias-corrected square root,
 * no weight decay, no AMSGrad.
 *
 * @param learningRate lr &gt; 0
 * @param beta1        β1 in [0, 1)
 * @param beta2        β2 in [0, 1)
 * @param epsilon      ε &gt; 0
 */
public record AdamOptions(float learningRate, float beta1, float beta2, float epsilon) {

    /**
     * Validates the hyper-parameters.
     *
     * @throws IllegalArgumentException when the learning rate or ε is not finite and positive, or a β is outside [0, 1)
     */
    public AdamOptions {
        if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0f) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
    }

    /**
     * PyTorch's defaults ({@code torch.optim.Adam}: β1 = 0.9, β2 = 0.999, ε = 1e-8) with the given learning rate.
     *
     * @param learningRate lr, finite and &gt; 0
     * @return the options
     * @throws IllegalArgumentException when the learning rate is not finite and positive
     */
    public static AdamOptions pytorch(float learningRate) {
        return new AdamOptions(learningRate, 0.9f, 0.999f, 1e-8f);
    }

    /**
     * The same β1, β2 and ε with another learning rate (for schedules).
     *
     * @param newLearningRate lr, finite and &gt; 0
     * @return a new record
     * @throws IllegalArgumentException when the learning rate is not finite and positive
     */
    public AdamOptions withLearningRate(float newLearningRate) {
        return new AdamOptions(newLearningRate, beta1, beta2, epsilon);
    }
}
