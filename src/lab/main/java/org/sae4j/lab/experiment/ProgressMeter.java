package org.sae4j.lab.experiment;

/**
 * Where an experiment reports how far it has come: one phase per group of runs, opened with its total number of
 * training steps. The lab draws nothing itself; the command line passes a meter that draws progress bars.
 *
 * <p><b>Note:</b> {@link Phase#stepBy} is called from the experiment's worker threads at once, so phases must be
 * thread-safe.
 */
@FunctionalInterface
public interface ProgressMeter {

    /** A meter that reports nothing. */
    ProgressMeter NONE = (label, totalSteps) -> new Phase() {
        @Override
        public void stepBy(long steps) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Opens the meter of one phase.
     *
     * @param label      what the phase runs, e.g. {@code "known-d"}
     * @param totalSteps training steps the phase will report in all
     * @return the phase, closed by the experiment when the phase ends
     */
    Phase open(String label, long totalSteps);

    /** One phase's progress. */
    interface Phase extends AutoCloseable {

        /** Adds {@code steps} finished training steps; thread-safe. */
        void stepBy(long steps);

        @Override
        void close();
    }
}
