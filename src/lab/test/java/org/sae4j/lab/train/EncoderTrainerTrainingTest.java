package org.sae4j.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.metrics.Flops;
import org.sae4j.optim.Parameter;
import org.sae4j.testing.SteadyState;

/**
 * Training behaviour of {@link EncoderTrainer} with the SAE and the MLP-32 encoders on the paper's known-dictionary
 * data (paper-spec §10.1, §11.3): the loss falls, the test MCC rises above the initial encoder's but stays below 0.95
 * after 2,000 steps (the amortisation gap at M &lt; N), evaluations carry the paper's FLOP counts, runs are
 * bit-identical across kernel thread counts, and steps allocate nothing.
 */
final class EncoderTrainerTrainingTest {

    private static final long DATA_SEED = 20240625L;
    /** The reference seeds its model constructors with run seed + 42 (paper-spec §3.1). */
    private static final long INIT_SEED = DATA_SEED + 42;
    private static final SyntheticData PAPER_DATA = SyntheticData.generate(SyntheticConfig.paper(DATA_SEED));

    static Stream<EncoderSpec> encoders() {
        return Stream.of(EncoderSpec.sae(), EncoderSpec.mlp(32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void shouldDecreaseLossOverFirst200StepsWhenTrainingOnPaperData(EncoderSpec spec) {
        TrainingOptions options = TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, INIT_SEED);
        try (EncoderTrainer trainer = EncoderTrainer.of(PAPER_DATA, spec, options)) {
            double[] losses = new double[201];
            for (int i = 0; i < 200; i++) {
                losses[i] = trainer.computeGradients();
                trainer.step();
            }
            losses[200] = trainer.trainLoss();
            System.out.printf("known-D %s seed %d/%d: loss step 0 %.6f, step 200 %.6f%n", spec, DATA_SEED, INIT_SEED,
                    losses[0], losses[200]);
            assertTrue(losses[200] < losses[0], "loss did not fall: " + losses[0] + " -> " + losses[200]);
            int increases = 0;
            for (int i = 1; i < losses.length; i++) {
                increases += losses[i] > losses[i - 1] ? 1 : 0;
            }
            assertTrue(increases < 20, increases + " of 200 steps increased the loss");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void shouldRaiseTestMccButStayBelowOneWhenTrainingShortlyOnPaperData(EncoderSpec spec) {
        TrainingOptions options = TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, INIT_SEED)
                .withEvaluationInterval(250);
        try (EncoderTrainer trainer = EncoderTrainer.of(PAPER_DATA, spec, options)) {
            TrainingEvaluation initial = trainer.evaluate();
            TrainingHistory history = trainer.train(2000, null);
            TrainingEvaluation last = history.lastEvaluation();
            TrainingEvaluation peak = history.peakEvaluation();
            StringBuilder curve = new StringBuilder();
            for (TrainingEvaluation e : history.evaluations()) {
                curve.append(String.format(" %d:%.4f/%.5f", e.step(), e.testMcc(), e.testLoss()));
            }
            System.out.printf("known-D %s seed %d/%d: initial MCC %.4f loss %.5f; step:MCC/test loss%s%n", spec,
                    DATA_SEED, INIT_SEED, initial.testMcc(), initial.testLoss(), curve);

            assertEquals(8, history.evaluations().size());
            assertEquals(2000, last.step());
            assertTrue(last.testMcc() > initial.testMcc(), "MCC " + initial.testMcc() + " -> " + last.testMcc());
            assertTrue(peak.testMcc() < 0.95, "peak MCC " + peak.testMcc() + " at step " + peak.step()
                    + " leaves no amortisation gap at M < N");
            assertTrue(last.testLoss() < initial.testLoss(), "test loss " + initial.testLoss() + " -> "
                    + last.testLoss());
            assertTrue(Double.isNaN(last.dictionaryMcc()), "a frozen dictionary has no dictionary MCC");
            if (spec.layers() == 1) {
                // paper-spec §9: 1,360 FLOPs per sample and step for the M = 8, N = 16 SAE with D known.
                assertEquals(1360L * 1024 * 2000, last.trainingFlops());
                assertEquals(Flops.saeInference(8, 16, 1024), last.inferenceFlops());
            } else {
                assertEquals(Flops.mlpTraining(8, 32, 16, 1024, 2000, false), last.trainingFlops());
                assertEquals(Flops.mlpInference(8, 32, 16, 1024), last.inferenceFlops());
            }
            assertEquals(0L, initial.trainingFlops());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void shouldGiveBitIdenticalRunsWhenUsingOneAndTwoKernelThreads(EncoderSpec encoder) {
        // Wide enough that the kernels split the GEMMs over threads (above their parallel threshold).
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(64, 32, 3, 1024, 77L, 0.0,
                SyntheticConfig.Mode.NATIVE));
        EncoderSpec spec = encoder.withBias(true);
        TrainingOptions options = TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, 5L)
                .withEvaluationInterval(20);
        try (KernelContext one = KernelContext.create("one", 1); KernelContext two = KernelContext.create("two", 2)) {
            Run single = one.call(() -> Run.of(data, spec, options));
            Run dual = two.call(() -> Run.of(data, spec, options));
            assertEquals(single.evaluations.size(), dual.evaluations.size());
            for (int i = 0; i < single.evaluations.size(); i++) {
                TrainingEvaluation a = single.evaluations.get(i);
                TrainingEvaluation b = dual.evaluations.get(i);
                assertEquals(Double.doubleToRawLongBits(a.trainLoss()), Double.doubleToRawLongBits(b.trainLoss()),
                        "train loss at step " + a.step());
                assertEquals(Double.doubleToRawLongBits(a.testLoss()), Double.doubleToRawLongBits(b.testLoss()),
                        "test loss at step " + a.step());
                assertEquals(Double.doubleToRawLongBits(a.testMcc()), Double.doubleToRawLongBits(b.testMcc()),
                        "test MCC at step " + a.step());
            }
            for (int t = 0; t < single.parameters.size(); t++) {
                float[] a = single.parameters.get(t);
                float[] b = dual.parameters.get(t);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]),
                            "parameter " + t + " [" + i + "]");
                }
            }
        }
    }

    @Tag("steady-state")
    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void shouldAllocateNothingPerStepWhenTraining(EncoderSpec spec) {
        TrainingOptions options = TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, INIT_SEED);
        try (EncoderTrainer trainer = EncoderTrainer.of(PAPER_DATA, spec, options)) {
            long[] bytes = new long[2];
            int[] budgets = {100, 300};
            // the extra steps' allocation, measured again until the SIMD kernels run compiled (SteadyState)
            long extra = SteadyState.onceWarm(() -> {
                for (int i = 0; i < 2; i++) {
                    int steps = budgets[i];
                    bytes[i] = SteadyState.allocatedBytes(() -> {
                        for (int s = 0; s < steps; s++) {
                            trainer.step();
                        }
                    });
                }
                return bytes[1] - bytes[0];
            });
            assertTrue(extra <= 0, spec + ": step allocates " + (double) extra / (budgets[1] - budgets[0])
                    + " bytes (" + bytes[0] + " for " + budgets[0] + " steps, " + bytes[1] + " for " + budgets[1]
                    + "; " + Kernels.describe() + ")");
        }
    }

    /** The observable outcome of 60 steps from a fresh trainer. */
    private record Run(List<TrainingEvaluation> evaluations, List<float[]> parameters) {
        static Run of(SyntheticData data, EncoderSpec spec, TrainingOptions options) {
            try (EncoderTrainer trainer = EncoderTrainer.of(data, spec, options)) {
                TrainingHistory history = trainer.train(60, null);
                List<float[]> parameters = new ArrayList<>();
                for (Parameter parameter : trainer.parameters()) {
                    parameters.add(parameter.toArray());
                }
                return new Run(history.evaluations(), parameters);
            }
        }
    }
}
