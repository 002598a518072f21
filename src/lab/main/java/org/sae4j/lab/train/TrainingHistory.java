package org.sae4j.lab.train;

import java.util.List;
import java.util.Objects;

/**
 * The evaluations of one {@code train} call.
 *
 * @param firstStep   completed steps before the call
 * @param lastStep    completed steps after the call
 * @param evaluations the evaluations made during the call, in step order
 */
public record TrainingHistory(long firstStep, long lastStep, List<TrainingEvaluation> evaluations) {

    public TrainingHistory {
        Objects.requireNonNull(evaluations, "evaluations");
        evaluations = List.copyOf(evaluations);
    }

    /** The last evaluation, or null when none was made. */
    public TrainingEvaluation lastEvaluation() {
        return evaluations.isEmpty() ? null : evaluations.getLast();
    }

    /** The evaluation with the highest test MCC (the earliest on ties), or null when none was made. */
    public TrainingEvaluation peakEvaluation() {
        TrainingEvaluation best = null;
        for (TrainingEvaluation evaluation : evaluations) {
            if (best == null || evaluation.testMcc() > best.testMcc()) {
                best = evaluation;
            }
        }
        return best;
    }
}
