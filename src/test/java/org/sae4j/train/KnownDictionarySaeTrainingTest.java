package org.sae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sae4j.kernel.Kernels;
import org.sae4j.metrics.Flops;
import org.sae4j.paper.SyntheticConfig;
import org.sae4j.paper.SyntheticData;
import org.sae4j.tensor.TensorArena;

/**
 * Training behaviour of {@link KnownDictionarySae} on the paper's known-dictionary data (paper-spec §10.1, §11.3):
 * the loss falls, the test MCC rises above the initial encoder's but stays below 1 (the amortisation gap at
 * M &lt; N), evaluations carry the paper's FLOP counts, runs are bit-identical across kernel thread counts, and
 * steps allocate nothing.
 */
final class KnownDictionarySaeTrainingTest {

    private static final long DATA_SEED = 20240625L;
    /** The reference seeds its model constructors with run seed + 42 (paper-spec §3.1). */
    private static final long INIT_SEED = DATA_SEED + 42;
    private static final SyntheticData PAPER_DATA = SyntheticData.generate(SyntheticConfig.paper(DATA_SEED));

    @Test
    void shouldDecreaseLossOverFirst200StepsWhenTrainingOnPaperData() {
        try (KnownDictionarySae sae = KnownDictionarySae.of(PAPER_DATA, SaeTrainingOptions.paper(INIT_SEED))) {
            SaeTrainingHistory history = sae.train(200, null);
            double[] losses = history.losses();
            assertEquals(200, losses.length);
            System.out.printf("known-D SAE seed %d/%d: loss step 1 %.6f, step 200 %.6f%n", DATA_SEED, INIT_SEED,
                    losses[0], losses[199]);
            assertTrue(losses[199] < losses[0], "loss did not fall: " + losses[0] + " -> " + losses[199]);
            int increases = 0;
            for (int i = 1; i < losses.length; i++) {
                increases += losses[i] > losses[i - 1] ? 1 : 0;
            }
            assertTrue(increases < 20, increases + " of 199 steps increased the loss");
        }
    }

    @Test
    void shouldRaiseTestMccButStayBelowOneWhenTrainingShortlyOnPaperData() {
        SaeTrainingOptions options = SaeTrainingOptions.paper(INIT_SEED).withEvaluationInterval(250);
        try (KnownDictionarySae sae = KnownDictionarySae.of(PAPER_DATA, options)) {
            SaeEvaluation initial = sae.evaluate();
            SaeTrainingHistory history = sae.train(2000, null);
            SaeEvaluation last = history.lastEvaluation();
            SaeEvaluation peak = history.peakEvaluation();
            StringBuilder curve = new StringBuilder();
            for (SaeEvaluation e : history.evaluations()) {
                curve.append(String.format(" %d:%.4f/%.5f", e.step(), e.testMcc(), e.testLoss()));
            }
            System.out.printf("known-D SAE seed %d/%d: initial MCC %.4f loss %.5f; step:MCC/test loss%s%n",
                    DATA_SEED, INIT_SEED, initial.testMcc(), initial.testLoss(), curve);

            assertEquals(8, history.evaluations().size());
            assertEquals(2000, last.step());
            assertTrue(last.testMcc() > initial.testMcc(), "MCC " + initial.testMcc() + " -> " + last.testMcc());
            assertTrue(peak.testMcc() < 0.95, "peak MCC " + peak.testMcc() + " at step " + peak.step()
                    + " leaves no amortisation gap at M < N");
            assertTrue(last.testLoss() < initial.testLoss(), "test loss " + initial.testLoss() + " -> "
                    + last.testLoss());
            assertEquals(1360L * 1024 * 2000, last.trainingFlops());
            assertEquals(Flops.saeInference(8, 16, 1024), last.testInferenceFlops());
            assertEquals(0L, initial.trainingFlops());
        }
    }

    @Test
    void shouldGiveBitIdenticalRunsWhenUsingOneAndTwoKernelThreads() {
        // Wide enough that the kernels split the GEMMs over threads (above their parallel threshold).
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(64, 32, 3, 1024, 77L, 0.0,
                SyntheticConfig.Mode.NATIVE));
        SaeTrainingOptions options = SaeTrainingOptions.paper(5L).withBias(true).withEvaluationInterval(20);
        int previous = Kernels.threads();
        try {
            Kernels.setThreads(1);
            Run single = Run.of(data, options);
            Kernels.setThreads(Math.min(2, Kernels.maxThreads()));
            Run dual = Run.of(data, options);
            for (int i = 0; i < single.losses.length; i++) {
                assertEquals(Double.doubleToRawLongBits(single.losses[i]), Double.doubleToRawLongBits(dual.losses[i]),
                        "loss at step " + (i + 1));
            }
            for (int i = 0; i < single.weights.length; i++) {
                assertEquals(Float.floatToRawIntBits(single.weights[i]), Float.floatToRawIntBits(dual.weights[i]),
                        "W[" + i + "]");
            }
            for (int i = 0; i < single.bias.length; i++) {
                assertEquals(Float.floatToRawIntBits(single.bias[i]), Float.floatToRawIntBits(dual.bias[i]),
                        "b[" + i + "]");
            }
            assertEquals(single.mcc, dual.mcc);
        } finally {
            Kernels.setThreads(previous);
        }
    }

    @Test
    void shouldAllocateNothingPerStepWhenTraining() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        int previous = Kernels.threads();
        try (KnownDictionarySae sae = KnownDictionarySae.of(PAPER_DATA, SaeTrainingOptions.paper(INIT_SEED))) {
            Kernels.setThreads(1);
            // Measured under the scalar kernels (CI's scalar pass): at these tiny shapes the SIMD kernels may still run in
            // the Vector API's boxing fallback until C2 compiles them, so a byte count would depend on JIT timing.
            Assumptions.assumeTrue(Kernels.provider().name().equals("scalar"),
                    "allocation is measured in the scalar pass; tiny SIMD calls allocate until C2 compiles them");
            long[] bytes = new long[2];
            int[] budgets = {200, 600};
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 2; i++) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int s = 0; s < budgets[i]; s++) {
                        sae.step();
                    }
                    bytes[i] = threads.getCurrentThreadAllocatedBytes() - before;
                }
            }
            double perStep = (double) (bytes[1] - bytes[0]) / (budgets[1] - budgets[0]);
            assertTrue(perStep < 1, "step allocates " + perStep + " bytes (" + bytes[0] + " for " + budgets[0]
                    + " steps, " + bytes[1] + " for " + budgets[1] + ")");
        } finally {
            Kernels.setThreads(previous);
        }
    }


    /** The observable outcome of 60 steps from a fresh model. */
    private record Run(double[] losses, float[] weights, float[] bias, double mcc) {
        static Run of(SyntheticData data, SaeTrainingOptions options) {
            try (KnownDictionarySae sae = KnownDictionarySae.of(data, options)) {
                SaeTrainingHistory history = sae.train(60, null);
                return new Run(history.losses(), sae.encoderWeights(), sae.encoderBias(),
                        history.lastEvaluation().testMcc());
            }
        }
    }
}
