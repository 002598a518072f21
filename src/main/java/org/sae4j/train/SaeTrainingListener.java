package org.sae4j.train;

/**
 * Receives the evaluations of a known-dictionary SAE training run as they are made, for progress output or early
 * inspection; the same values are also returned in the {@link SaeTrainingHistory}.
 *
 * <pre>{@code
 * sae.train(20_000, e -> System.out.printf("step %d mcc %.3f%n", e.step(), e.testMcc()));
 * }</pre>
 *
 * <p><b>Note:</b> called on the training thread, between steps; the model must not be used from inside the call.
 */
@FunctionalInterface
public interface SaeTrainingListener {

    /**
     * Called after every E-th completed step (E = {@link SaeTrainingOptions#evaluationInterval()}).
     *
     * @param evaluation the state after {@link SaeEvaluation#step()} steps
     */
    void onEvaluation(SaeEvaluation evaluation);
}
