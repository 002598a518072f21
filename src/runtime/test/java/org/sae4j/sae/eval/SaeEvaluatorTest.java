package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.NpyWriter;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.tensor.TensorArena;

final class SaeEvaluatorTest {

    private static final int D_IN = 12;
    private static final int D_SAE = 30;
    private static final int ROWS = 203;

    @TempDir
    Path dir;

    @Test
    void shouldMatchAnIndependentDoubleReference() throws IOException {
        StandardSaeReference reference = new StandardSaeReference(D_IN, D_SAE, 11);
        float[] x = StandardSaeReference.gaussian(12, ROWS * D_IN, 1, 0.4);
        Path input = dir.resolve("x.npy");
        NpyWriter.writeFloats(input, new long[] {ROWS, D_IN}, x);
        double[] z = reference.encode(x);
        double[] expected = StandardSaeReference.metrics(x, reference.decode(z), D_IN);
        long nonZero = 0;
        double l1 = 0;
        long[] fires = new long[D_SAE];
        for (int i = 0; i < z.length; i++) {
            if (z[i] > 0) {
                nonZero++;
                l1 += z[i];
                fires[i % D_SAE]++;
            }
        }
        try (Sae sae = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights());
                TensorArena arena = new TensorArena("test")) {
            ActivationFile file = ActivationFile.open(input, null, arena);
            EvalResult result = SaeEvaluator.evaluate(sae, file, null, new EvalOptions(64, 0.5), done -> { });
            assertEquals(ROWS, result.tokens());
            // fp32 encode/decode over 12 and 30 terms of O(1) values: per-element error ~1e-6, so the metrics
            // (ratios of sums of squares of O(1) residuals) agree to ~1e-5 relative
            assertEquals(expected[0], result.fvu(), 1e-5 * expected[0]);
            assertEquals(expected[1], result.legacyExplainedVariance(), 1e-5);
            assertEquals(expected[2], result.mseSum(), 1e-5 * expected[2]);
            assertEquals(expected[3], result.cosineSimilarity(), 1e-5);
            assertEquals(expected[4], result.normRatio(), 1e-5);
            assertEquals(expected[5], result.relativeBias(), 1e-5);
            // no pre-activation of this seed lies within fp32 rounding of zero, so the active sets agree exactly
            assertEquals((double) nonZero / ROWS, result.l0());
            assertEquals(l1 / ROWS, result.l1(), 1e-5 * l1 / ROWS);
            FeatureDensity density = result.density();
            int dense = 0;
            int dead = 0;
            for (long count : fires) {
                dense += (double) count / ROWS > 0.5 ? 1 : 0;
                dead += count == 0 ? 1 : 0;
            }
            assertEquals(dense, density.dense());
            assertEquals(dead, density.dead());
            assertTrue(dense > 0 && dense < D_SAE, "the fixture should have some dense latents: " + dense);
        }
    }

    @Test
    void shouldRefuseATranscoderWithoutTargetAndMismatchedWidths() throws IOException {
        StandardSaeReference reference = new StandardSaeReference(D_IN, D_SAE, 5);
        Path input = dir.resolve("x.npy");
        NpyWriter.writeFloats(input, new long[] {4, D_IN}, new float[4 * D_IN]);
        Path narrow = dir.resolve("narrow.npy");
        NpyWriter.writeFloats(narrow, new long[] {4, D_IN - 1}, new float[4 * (D_IN - 1)]);
        SaeConfig transcoder = SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE);
        try (Sae sae = Sae.of(transcoder, reference.weights()); TensorArena arena = new TensorArena("test")) {
            ActivationFile file = ActivationFile.open(input, null, arena);
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> SaeEvaluator.evaluate(sae, file, null, EvalOptions.defaults(), done -> { }));
            assertTrue(missing.getMessage().contains("--target"), missing.getMessage());
            ActivationFile wrong = ActivationFile.open(narrow, null, arena);
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> SaeEvaluator.evaluate(sae, wrong, null, EvalOptions.defaults(), done -> { }));
            assertTrue(width.getMessage().contains("width 11"), width.getMessage());
        }
    }
}
