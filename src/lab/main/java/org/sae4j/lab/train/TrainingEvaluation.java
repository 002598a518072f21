package org.sae4j.lab.train;

/**
 * The state of a training run after {@code step} completed steps.
 *
 * @param step            completed steps t
 * @param trainLoss       loss on the training split at the current parameters
 * @param testLoss        the same loss on the test split
 * @param testMcc         latent MCC on the test split: Hungarian MCC (paper-spec §8.1), or for
 *                        {@link TrainingTarget#KNOWN_CODES} the mean per-latent Pearson correlation (§6.6)
 * @param dictionaryMcc   dictionary MCC against the true atoms (§8.3), NaN when the dictionary is not learned
 * @param trainingFlops   training FLOPs up to t (paper-spec §9)
 * @param inferenceFlops  FLOPs of one inference over the test split
 * @param trainingSeconds wall seconds spent in training steps up to t (evaluations excluded)
 */
public record TrainingEvaluation(long step, double trainLoss, double testLoss, double testMcc, double dictionaryMcc,
                                 long trainingFlops, long inferenceFlops, double trainingSeconds) {

    /** Training FLOPs plus one test inference: the x value of the paper's known-dictionary figure (§9.3). */
    public long plottedFlops() {
        return Math.addExact(trainingFlops, inferenceFlops);
    }
}
