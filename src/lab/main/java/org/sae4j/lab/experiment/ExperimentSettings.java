package org.sae4j.lab.experiment;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Resolved settings of one experiment run.
 *
 * @param kind               which experiment
 * @param latents            N
 * @param measurements       M
 * @param active             K
 * @param steps              training steps (and ITO iterations where the reference ties them to the steps)
 * @param dataSeed           seed of the synthetic data
 * @param runs               model seeds per method, run seed = data seed + i
 * @param threads            runs executed in parallel
 * @param evaluationInterval log every E steps
 * @param dataFile           data file to use instead of generating, or null
 * @param grid               the scaling experiment's axes; null elsewhere or for the reference grid
 */
public record ExperimentSettings(ExperimentKind kind, int latents, int measurements, int active, int steps,
                                 long dataSeed, int runs, int threads, int evaluationInterval, Path dataFile,
                                 ScalingAxes grid) {

    /**
     * @throws IllegalArgumentException when a count is out of range
     */
    public ExperimentSettings {
        Objects.requireNonNull(kind, "kind");
        if (latents < 1 || measurements < 1 || active < 1 || active > latents) {
            throw new IllegalArgumentException("need N >= 1, M >= 1 and 1 <= K <= N, got N=" + latents + ", M="
                    + measurements + ", K=" + active);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("seeds (runs) must be >= 1, got " + runs);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (evaluationInterval < 1) {
            throw new IllegalArgumentException("evaluation interval must be >= 1, got " + evaluationInterval);
        }
    }

    /** The same settings with another step count, evaluation interval and number of runs. */
    public ExperimentSettings withBudget(int newSteps, int newInterval, int newRuns) {
        return new ExperimentSettings(kind, latents, measurements, active, newSteps, dataSeed, newRuns, threads,
                newInterval, dataFile, grid);
    }

    /** The same settings on another number of threads. */
    public ExperimentSettings withThreads(int newThreads) {
        return new ExperimentSettings(kind, latents, measurements, active, steps, dataSeed, runs, newThreads,
                evaluationInterval, dataFile, grid);
    }

    /** The reference configuration of {@code kind} at N = 16, M = 8, K = 3 with 5 runs. */
    public static ExperimentSettings defaults(ExperimentKind kind, int threads) {
        return new ExperimentSettings(kind, 16, 8, 3, kind.steps(), kind.dataSeed(), 5, threads,
                kind.evaluationInterval(), null, null);
    }
}
