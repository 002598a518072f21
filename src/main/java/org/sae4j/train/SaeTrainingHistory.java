package org.sae4j.train;

import java.util.List;
import java.util.Objects;

/**
 * What one call of {@link KnownDictionarySae#train} recorded.
 *
 * @param firstStep   completed steps before the call; losses[i] belongs to step firstStep + i + 1
 * @param losses      per step, the training loss of that step's forward pass, i.e. at the parameters before its
 *                    Adam update (the value PyTorch's {@code loss.item()} reports); owned by the caller
 * @param evaluations the evaluations made during the call, in step order; unmodifiable
 */
public record SaeTrainingHistory(long firstStep, double[] losses, List<SaeEvaluation> evaluations) {

    /**
     * Validates and freezes the history.
     *
     * @throws NullPointerException when an argument is null
     */
    public SaeTrainingHistory {
        Objects.requireNonNull(losses, "losses");
        evaluations = List.copyOf(evaluations);
    }

    /** The last evaluation of the call, or null when none was made. */
    public SaeEvaluation lastEvaluation() {
        return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    }

    /** The evaluation with the highest test MCC (the earliest among equals), or null when none was made. */
    public SaeEvaluation peakEvaluation() {
        SaeEvaluation best = null;
        for (SaeEvaluation e : evaluations) {
            if (best == null || e.testMcc() > best.testMcc()) {
                best = e;
            }
        }
        return best;
    }
}
