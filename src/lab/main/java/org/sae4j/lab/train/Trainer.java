package org.sae4j.lab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A full-batch training run that can be stepped and evaluated: the paper lab's encoders and sparse coding. */
public sealed interface Trainer extends AutoCloseable permits EncoderTrainer, SparseCodingTrainer {

    /** One full-batch optimiser step. */
    void step();

    /** The state after {@link #completedSteps()} steps. */
    TrainingEvaluation evaluate();

    /** Completed steps t. */
    long completedSteps();

    /** Evaluate after every E completed steps. */
    int evaluationInterval();

    /** Frees the trainer's tensors. */
    @Override
    void close();

    /**
     * Runs {@code steps} steps, evaluating after every completed step count that is a multiple of the evaluation
     * interval (counted over the trainer's lifetime, so consecutive calls continue the schedule).
     *
     * @param listener receives each evaluation as it is made; may be null
     * @throws IllegalArgumentException when steps is negative
     */
    default TrainingHistory train(int steps, Consumer<TrainingEvaluation> listener) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        long firstStep = completedSteps();
        List<TrainingEvaluation> evaluations = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            step();
            if (completedSteps() % evaluationInterval() == 0) {
                TrainingEvaluation evaluation = evaluate();
                evaluations.add(evaluation);
                if (listener != null) {
                    listener.accept(evaluation);
                }
            }
        }
        return new TrainingHistory(firstStep, completedSteps(), evaluations);
    }
}
