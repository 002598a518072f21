package org.sae4j.lab.experiment;

import java.util.Objects;

import org.sae4j.lab.solve.LogCodeOptions;
import org.sae4j.lab.train.EncoderSpec;
import org.sae4j.lab.train.SparseCodingTrainer;
import org.sae4j.lab.train.TrainingTarget;

/** One method of a paper-lab experiment, run once per seed by {@link MethodRunner}. */
public sealed interface LabMethod {

    /** The name results are grouped under (also the legend entry). */
    String name();

    /** The swept value (λ, k, H, …) this method stands for, NaN outside sweeps. */
    double parameter();

    /** Whether every seed gives the same result (then one run stands for all). */
    default boolean seedIndependent() {
        return false;
    }

    /**
     * An amortised encoder trained full batch (SAE, MLP, top-k variants, known-codes models).
     *
     * @param steps             training steps
     * @param decoderInference  when not null, every evaluation also runs this ITO on the test split with the current
     *                          decoder and reports its MCC instead of the encoder's (the unknown setting's SAE+ITO)
     * @param fistaBudgets      when not empty, after training: non-negative FISTA on the true dictionary, cold and
     *                          warm-started from the encoder's test codes, for each iteration budget (reported as the
     *                          extra methods {@code "<name> → FISTA"} and {@code "FISTA"})
     */
    record Encoder(String name, double parameter, EncoderSpec spec, TrainingTarget target, float lambda,
                   float learningRate, int steps, LogCodeOptions decoderInference, int[] fistaBudgets)
            implements LabMethod {
        public Encoder {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(target, "target");
            fistaBudgets = fistaBudgets == null ? new int[0] : fistaBudgets.clone();
        }

        /** A plain encoder run: no ITO on its decoder, no FISTA refinement. */
        public static Encoder of(String name, EncoderSpec spec, TrainingTarget target, float lambda,
                                 float learningRate, int steps) {
            return new Encoder(name, Double.NaN, spec, target, lambda, learningRate, steps, null, null);
        }

        public Encoder withParameter(double value) {
            return new Encoder(name, value, spec, target, lambda, learningRate, steps, decoderInference,
                    fistaBudgets);
        }
    }

    /**
     * The paper-faithful ITO with the true dictionary on the test split (known-dictionary SAE+ITO); deterministic.
     *
     * @param topK keep the k largest codes per sample afterwards, 0 for none
     */
    record TrueDictionaryInference(String name, double parameter, LogCodeOptions options, int topK)
            implements LabMethod {
        public TrueDictionaryInference {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
        }

        @Override
        public boolean seedIndependent() {
            return true;
        }
    }

    /**
     * Sparse coding: codes and dictionary learned jointly; the last point's MCC is always on the test split, from a
     * final ITO with the learned dictionary.
     *
     * @param options            training settings, including the ITO of intermediate evaluations (0 iterations: those
     *                           report the training codes' MCC)
     * @param finalInference     the final test-split ITO
     * @param inferenceTopK      for each k, an extra result keeping the k largest final test codes per sample
     *                           (InferenceTopK), named {@code "<name>-InferenceTopK @ k=…"}
     * @param optimizeTopK       for each k, an extra result from {@link org.sae4j.lab.solve.TopKCodeOptimizer} on the test
     *                           split with the learned dictionary (OptimizeTopK), named {@code "<name>-OptimizeTopK @ k=…"}
     * @param optimizeIterations iterations of OptimizeTopK
     */
    record SparseCoding(String name, double parameter, SparseCodingTrainer.Options options, int steps,
                        LogCodeOptions finalInference, int[] inferenceTopK, int[] optimizeTopK,
                        int optimizeIterations) implements LabMethod {
        public SparseCoding {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(finalInference, "finalInference");
            inferenceTopK = inferenceTopK == null ? new int[0] : inferenceTopK.clone();
            optimizeTopK = optimizeTopK == null ? new int[0] : optimizeTopK.clone();
        }

        /** Plain sparse coding with the same final ITO as its evaluations. */
        public static SparseCoding of(String name, double parameter, SparseCodingTrainer.Options options, int steps) {
            return new SparseCoding(name, parameter, options, steps, options.testInference(), null, null, 0);
        }
    }
}
