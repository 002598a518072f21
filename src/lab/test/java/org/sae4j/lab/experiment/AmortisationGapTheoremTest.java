package org.sae4j.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.metrics.Mcc;
import org.sae4j.lab.train.EncoderSpec;
import org.sae4j.lab.train.EncoderTrainer;
import org.sae4j.lab.train.TrainingEvaluation;
import org.sae4j.lab.train.TrainingOptions;
import org.sae4j.lab.train.TrainingTarget;
import org.sae4j.solve.Fista;
import org.sae4j.solve.FistaOptions;
import org.sae4j.solve.FistaWorkspace;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * The amortisation-gap theorem's test signature (paper-spec §4): with M &lt; N no linear–ReLU encoder recovers the
 * codes, while sparse inference with the same true dictionary does; with M ≥ N the theorem does not apply and the SAE
 * recovers them. The encoder (with a bias) is trained on the pure reconstruction loss with a large learning rate so
 * that a few thousand full-batch steps approach its optimum; the bounds are the theorem's qualitative claims with a margin: "clearly below 1" is ≤ 0.9 (the
 * reference's SAE never exceeds 0.73), "reaches" is ≥ 0.95.
 */
final class AmortisationGapTheoremTest {

    @Test
    void shouldKeepTheSaeClearlyBelowOneWhileFistaWithTheTrueDictionaryRecoversTheCodesWhenCompressed() {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625));
        double sae = bestSaeMcc(data, 3000);
        double fista = fistaMcc(data);
        assertTrue(sae <= 0.9, "SAE MCC " + sae + " at M = 8 < N = 16 should stay clearly below 1");
        assertTrue(fista >= 0.95, "FISTA with the true dictionary reached only " + fista);
        assertTrue(fista - sae >= 0.1, "gap " + (fista - sae) + " too small");
    }

    @Test
    void shouldLetTheSaeRecoverTheCodesWhenNotCompressed() {
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(16, 16, 3, 1024, 20240625L, 0.0,
                SyntheticConfig.Mode.NUMPY_COMPATIBLE));
        double sae = bestSaeMcc(data, 3000);
        assertTrue(sae >= 0.95, "SAE MCC " + sae + " at M = N = 16 should approach 1");
    }

    private static double bestSaeMcc(SyntheticData data, int steps) {
        TrainingOptions options = TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, 7L).withLearningRate(3e-2f)
                .withEvaluationInterval(250).withL1Coefficient(0f);
        try (EncoderTrainer trainer = EncoderTrainer.of(data, EncoderSpec.sae().withBias(true), options)) {
            double best = 0;
            for (TrainingEvaluation evaluation : trainer.train(steps, null).evaluations()) {
                best = Math.max(best, evaluation.testMcc());
            }
            return best;
        }
    }

    private static double fistaMcc(SyntheticData data) {
        int rows = data.testSamples();
        int latents = data.config().latents();
        int measurements = data.config().measurements();
        try (TensorArena arena = new TensorArena("theorem-test");
             FistaWorkspace workspace = new FistaWorkspace(rows, latents, measurements)) {
            DenseMatrix x = data.matrix(arena, SyntheticData.Part.TEST_OBSERVATIONS);
            DenseMatrix d = data.matrix(arena, SyntheticData.Part.DICTIONARY);
            DenseMatrix truth = data.matrix(arena, SyntheticData.Part.TEST_CODES);
            DenseMatrix z = arena.allocateMatrix(DType.F32, rows, latents);
            FistaOptions options = FistaOptions.of(FistaOptions.paperEquivalentLambda(0.01f, latents, measurements))
                    .withMaxIterations(500);
            Fista.solve(x, d, z, options, workspace, null);
            return Mcc.hungarian(truth, z);
        }
    }
}
