package org.sae4j.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sae4j.kernel.KernelContext;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.solve.LogCodeOptions;
import org.sae4j.lab.solve.LogCodesReference;
import org.sae4j.optim.AdamOptions;

/**
 * {@link SparseCodingTrainer}: gradients of the log-codes and the learned dictionary against finite differences, runs
 * bit-identical when repeated and across kernel thread counts, and a falling loss on the paper's data.
 */
final class SparseCodingTrainerTest {

    private static final int B = 5;
    private static final int N = 6;
    private static final int M = 4;
    private static final float LAMBDA = 0.05f;
    private static final long DATA_SEED = 20240926L;
    private static final SyntheticData PAPER_DATA = SyntheticData.generate(SyntheticConfig.paper(DATA_SEED));

    @Test
    void shouldMatchFiniteDifferencesWhenComputingGradientsOfCodesAndDictionary() {
        LogCodesReference reference = LogCodesReference.random(31L, B, N, M, LAMBDA);
        SparseCodingTrainer.Options options = new SparseCodingTrainer.Options(LAMBDA, AdamOptions.pytorch(1e-3f), 7L,
                100, LogCodeOptions.paperOptimizeCodes().withIterations(0));
        float[] noCodes = new float[B * N];
        try (SparseCodingTrainer trainer = new SparseCodingTrainer(N, M, reference.atoms(), reference.x(), noCodes,
                reference.x(), noCodes, options)) {
            trainer.trainCodes().logCodes().set(reference.logCodes());
            trainer.dictionary().parameter().set(reference.atoms());
            double loss = trainer.computeGradients();
            // The gradient is ∂L/∂D at the atoms the forward pass projected (unit already, up to rounding).
            LogCodesReference projected = reference.withAtoms(trainer.dictionary().toArray());
            projected.assertGradients(loss, trainer.trainCodes().logCodes().gradientToArray(),
                    trainer.dictionary().parameter().gradientToArray(), "SparseCodingTrainer, seed 31");
        }
    }

    @Test
    void shouldDecreaseLossOverFirst200StepsWhenTrainingOnPaperData() {
        SparseCodingTrainer.Options options = SparseCodingTrainer.Options.paper(DATA_SEED + 42).withTestIterations(0);
        try (SparseCodingTrainer trainer = SparseCodingTrainer.of(PAPER_DATA, options)) {
            double[] losses = new double[201];
            for (int i = 0; i < 200; i++) {
                losses[i] = trainer.computeGradients();
                trainer.step();
            }
            losses[200] = trainer.computeGradients();
            System.out.printf("sparse coding seed %d: loss step 0 %.6f, step 200 %.6f%n", DATA_SEED, losses[0],
                    losses[200]);
            assertTrue(losses[200] < losses[0], "loss did not fall: " + losses[0] + " -> " + losses[200]);
            int increases = 0;
            for (int i = 1; i < losses.length; i++) {
                increases += losses[i] > losses[i - 1] ? 1 : 0;
            }
            assertTrue(increases < 20, increases + " of 200 steps increased the loss");
        }
    }

    @Test
    void shouldGiveBitIdenticalRunsWhenRepeated() {
        SparseCodingTrainer.Options options = SparseCodingTrainer.Options.paper(5L).withTestIterations(0)
                .withEvaluationInterval(25);
        Run first = Run.of(PAPER_DATA, options, 100);
        Run second = Run.of(PAPER_DATA, options, 100);
        first.assertIdentical(second);
    }

    @Test
    void shouldGiveBitIdenticalRunsWhenUsingOneAndTwoKernelThreads() {
        // Wide enough that the kernels split the GEMMs over threads (above their parallel threshold).
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(64, 32, 3, 1024, 77L, 0.0,
                SyntheticConfig.Mode.NATIVE));
        SparseCodingTrainer.Options options = SparseCodingTrainer.Options.paper(5L).withTestIterations(40)
                .withEvaluationInterval(20);
        try (KernelContext one = KernelContext.create("one", 1); KernelContext two = KernelContext.create("two", 2)) {
            Run single = one.call(() -> Run.of(data, options, 60));
            Run dual = two.call(() -> Run.of(data, options, 60));
            single.assertIdentical(dual);
        }
    }

    /** The observable outcome of a run from a fresh trainer. */
    private record Run(List<TrainingEvaluation> evaluations, float[] logCodes, float[] atoms) {

        static Run of(SyntheticData data, SparseCodingTrainer.Options options, int steps) {
            try (SparseCodingTrainer trainer = SparseCodingTrainer.of(data, options)) {
                TrainingHistory history = trainer.train(steps, null);
                return new Run(history.evaluations(), trainer.trainCodes().logCodes().toArray(),
                        trainer.dictionary().toArray());
            }
        }

        void assertIdentical(Run other) {
            assertEquals(evaluations.size(), other.evaluations.size());
            for (int i = 0; i < evaluations.size(); i++) {
                TrainingEvaluation a = evaluations.get(i);
                TrainingEvaluation b = other.evaluations.get(i);
                assertEquals(Double.doubleToRawLongBits(a.trainLoss()), Double.doubleToRawLongBits(b.trainLoss()),
                        "train loss at step " + a.step());
                assertEquals(Double.doubleToRawLongBits(a.testLoss()), Double.doubleToRawLongBits(b.testLoss()),
                        "test loss at step " + a.step());
                assertEquals(Double.doubleToRawLongBits(a.testMcc()), Double.doubleToRawLongBits(b.testMcc()),
                        "test MCC at step " + a.step());
                assertEquals(Double.doubleToRawLongBits(a.dictionaryMcc()),
                        Double.doubleToRawLongBits(b.dictionaryMcc()), "dictionary MCC at step " + a.step());
            }
            for (int i = 0; i < logCodes.length; i++) {
                assertEquals(Float.floatToRawIntBits(logCodes[i]), Float.floatToRawIntBits(other.logCodes[i]),
                        "log S[" + i + "]");
            }
            for (int i = 0; i < atoms.length; i++) {
                assertEquals(Float.floatToRawIntBits(atoms[i]), Float.floatToRawIntBits(other.atoms[i]),
                        "D[" + i + "]");
            }
        }
    }
}
