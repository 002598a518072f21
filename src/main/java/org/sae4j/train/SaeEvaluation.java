package org.sae4j.train;

/**
 * The state of a known-dictionary SAE after {@code step} completed Adam steps, measured with the current encoder
 * (paper-spec §8.1, §8.4, §9.3).
 *
 * @param step               completed full-batch steps t (0 before training)
 * @param trainLoss          the loss (paper-spec §5) on the training split with the current parameters
 * @param testLoss           the same loss on the test split
 * @param testMcc            Hungarian MCC between the true test codes and the encoder's test codes
 * @param trainingFlops      cumulative SAE training FLOPs of t steps on the training split, D fixed (paper-spec §9.1)
 * @param testInferenceFlops FLOPs of one SAE inference over the test split (paper-spec §9.1)
 */
public record SaeEvaluation(long step, double trainLoss, double testLoss, double testMcc, long trainingFlops,
                            long testInferenceFlops) {

    /**
     * The x-coordinate of the paper's known-dictionary figure: training FLOPs up to step t plus one test-set
     * inference (paper-spec §9.3).
     */
    public long plottedFlops() {
        return Math.addExact(trainingFlops, testInferenceFlops);
    }
}
