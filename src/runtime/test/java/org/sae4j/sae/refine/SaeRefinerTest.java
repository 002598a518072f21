package org.sae4j.sae.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.testing.Tolerance;

class SaeRefinerTest {

    private static final int D_IN = 32;
    private static final int D_SAE = 64;
    private static final int ROWS = 16;

    @Test
    void shouldReturnTheEncoderCodesAndTheForwardReconstructionForAmortisedInference() {
        try (Sae sae = RefineFixtures.tiedSae(11, D_IN, D_SAE); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, ROWS)) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(12, ROWS, D_SAE, 3, 0.5, 1.5), sae, 0.01, 13);
            RefinedBatch batch = refiner.refine(DenseMatrix.f32(RefineFixtures.offHeap(arena, x), ROWS, D_IN), new RefinementMethod.Amortised());

            assertArrayEquals(sae.encode(x), batch.codes().toArray(Layouts.F32));
            float[] forward = sae.forward(x);
            float[] reconstruction = batch.reconstruction().toArray(Layouts.F32);
            float[] codes = batch.codes().toArray(Layouts.F32);
            float[] decoder = sae.decoder().toArray(Layouts.F32);
            float[] bias = sae.decoderBias().toArray(Layouts.F32);
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < D_IN; i++) {
                    double magnitude = Math.abs(bias[i]);
                    for (int j = 0; j < D_SAE; j++) {
                        magnitude += Math.abs(codes[r * D_SAE + j] * decoder[j * D_IN + i]);
                    }
                    // both sides round a sum of d_sae + 1 terms (the refiner's also subtracts from t and adds back)
                    double bound = 2 * Tolerance.gamma(D_SAE + 4) * (magnitude + Math.abs(x[r * D_IN + i]));
                    Tolerance.assertWithin(forward[r * D_IN + i], reconstruction[r * D_IN + i], bound,
                            "row " + r + " dim " + i);
                }
            }
        }
    }

    @Test
    void shouldMeasureErrorsSparsityAndL1AsIndependentDoubleSumsDo() {
        try (Sae sae = RefineFixtures.tiedSae(21, D_IN, D_SAE); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, ROWS)) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(22, ROWS, D_SAE, 3, 0.5, 1.5), sae, 0.01, 23);
            RefinedBatch batch = refiner.refine(DenseMatrix.f32(RefineFixtures.offHeap(arena, x), ROWS, D_IN),
                    new RefinementMethod.Fista(10, 0.05f));
            float[] reconstruction = batch.reconstruction().toArray(Layouts.F32);
            float[] codes = batch.codes().toArray(Layouts.F32);
            double squared = 0;
            for (int i = 0; i < x.length; i++) {
                double diff = (double) x[i] - reconstruction[i];
                squared += diff * diff;
            }
            long active = 0;
            double l1 = 0;
            for (float v : codes) {
                active += v != 0f ? 1 : 0;
                l1 += Math.abs(v);
            }
            // each difference is rounded once (relative ε) and each row's squares summed in fp32 (γ_{d_in})
            assertEquals(squared, batch.squaredError(), squared * (2 * Tolerance.EPS + Tolerance.gamma(D_IN) + 1e-12));
            assertEquals(active, batch.activeLatents());
            assertEquals(l1, batch.l1(), 1e-12 * l1);
            assertEquals(ROWS, batch.rows());
            assertTrue(batch.flops() > 2L * ROWS * D_SAE * D_IN * 10, "ten FISTA steps cost at least ten GEMMs");
        }
    }

    @Test
    void shouldApproachTheLassoOptimumWithinFistasConvergenceBound() {
        try (Sae sae = RefineFixtures.tiedSae(31, D_IN, D_SAE); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, ROWS)) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(32, ROWS, D_SAE, 3, 0.5, 1.5), sae, 0.01, 33);
            MemorySegment input = RefineFixtures.offHeap(arena, x);
            float lambda = 0.05f;
            int steps = 200;
            double[] start = LassoReference.widen(
                    refiner.refine(DenseMatrix.f32(input, ROWS, D_IN), new RefinementMethod.Amortised()).codes().toArray(Layouts.F32));
            double[] refined = LassoReference.widen(
                    refiner.refine(DenseMatrix.f32(input, ROWS, D_IN), new RefinementMethod.Fista(steps, lambda)).codes().toArray(Layouts.F32));

            double[] d = LassoReference.widen(sae.decoder().toArray(Layouts.F32));
            double[] t = targets(x, sae.decoderBias().toArray(Layouts.F32));
            double[] optimum = LassoReference.solve(t, d, ROWS, D_SAE, D_IN, lambda);
            double best = LassoReference.objective(t, d, optimum, ROWS, D_SAE, D_IN, lambda);
            double reached = LassoReference.objective(t, d, refined, ROWS, D_SAE, D_IN, lambda);
            double distance = 0;
            for (int i = 0; i < start.length; i++) {
                distance += (start[i] - optimum[i]) * (start[i] - optimum[i]);
            }
            // Beck–Teboulle: f(z_k) − f* ≤ 2L‖z_0 − z*‖²/(k+1)²; fp32 iterates add a relative slack far below 1e-4
            double bound = 2 / refiner.stepSize() * distance / ((steps + 1.0) * (steps + 1.0)) + 1e-4 * best;
            assertTrue(reached - best <= bound, "objective gap " + (reached - best) + " above the bound " + bound);
            double encoder = LassoReference.objective(t, d, start, ROWS, D_SAE, D_IN, lambda);
            assertTrue(reached < encoder, "FISTA must improve on the encoder: " + reached + " vs " + encoder);
        }
    }

    @Test
    void shouldRecoverExactCodesWithOrthogonalPursuitOnALowCoherenceDictionary() {
        int dIn = 64;
        int dSae = 128;
        float[] decoder = identityAndHadamard(dIn);
        float[] bias = RefineFixtures.gaussian(new SplittableRandom(41), dIn, 0.1);
        int rows = 12;
        // coherence 1/8 and 3 non-zeros: (2k − 1)·μ < 1, so OMP's picks are exact (Tropp 2004)
        float[] truth = RefineFixtures.sparseCodes(42, rows, dSae, 3, 1.0, 2.0);
        try (Sae sae = RefineFixtures.withDecoder(decoder, bias, dSae); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, rows)) {
            float[] x = RefineFixtures.inputs(truth, sae, 0, 0);
            RefinedBatch batch = refiner.refine(DenseMatrix.f32(RefineFixtures.offHeap(arena, x), rows, dIn),
                    new RefinementMethod.OrthogonalMatchingPursuit(3));
            float[] codes = batch.codes().toArray(Layouts.F32);
            for (int i = 0; i < codes.length; i++) {
                assertEquals(truth[i] != 0f, codes[i] != 0f, "support at " + i);
                // least squares in double on fp32 dot products of orthonormal-ish rows: a few ulps of 2
                assertEquals(truth[i], codes[i], 1e-5, "code " + i);
            }
            assertEquals(3L * rows, batch.activeLatents());
        }
    }

    @Test
    void shouldTakeTheLargestCoordinatesWithMatchingPursuitOnAScaledIdentity() {
        int width = 16;
        float[] decoder = new float[width * width];
        for (int j = 0; j < width; j++) {
            decoder[j * width + j] = 2f;
        }
        float[] bias = new float[width];
        float[] x = RefineFixtures.gaussian(new SplittableRandom(51), 2 * width, 1.0);
        try (Sae sae = RefineFixtures.withDecoder(decoder, bias, width); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, 2)) {
            float[] codes = refiner.refine(DenseMatrix.f32(RefineFixtures.offHeap(arena, x), 2, width),
                    new RefinementMethod.MatchingPursuit(4))
                    .codes().toArray(Layouts.F32);
            for (int r = 0; r < 2; r++) {
                float[] expected = new float[width];
                float[] row = java.util.Arrays.copyOfRange(x, r * width, (r + 1) * width);
                for (int pick = 0; pick < 4; pick++) {
                    int best = -1;
                    for (int j = 0; j < width; j++) {
                        if (row[j] > 0 && expected[j] == 0 && (best < 0 || row[j] > row[best])) {
                            best = j;
                        }
                    }
                    if (best < 0) {
                        break;
                    }
                    expected[best] = row[best] / 2;  // the coefficient of a row of norm 2; exact in binary
                }
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(codes, r * width, (r + 1) * width),
                        "row " + r);
            }
        }
    }

    @Test
    void shouldRefuseTranscodersBadBatchesAndShortInputs() {
        SaeConfig transcoder = SaeConfig.of(SaeArchitecture.TRANSCODER, 4, 8);
        try (Sae sae = Sae.of(transcoder, SaeWeights.of(new float[32], new float[8], new float[32], new float[4]))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SaeRefiner(sae, 4));
            assertTrue(e.getMessage().contains("transcoder"), e.getMessage());
        }
        SaeConfig topk = SaeConfig.of(SaeArchitecture.TOPK, 4, 8).withK(2);
        try (Sae sae = Sae.of(topk, SaeWeights.of(new float[32], new float[8], new float[32], new float[4])
                .withSkip(new float[16]))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SaeRefiner(sae, 4));
            assertTrue(e.getMessage().contains("W_skip"), e.getMessage());
        }
        try (Sae sae = RefineFixtures.tiedSae(61, D_IN, D_SAE); Sae bf16 = sae.withBf16Weights()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SaeRefiner(bf16, 4));
            assertTrue(e.getMessage().contains("fp32"), e.getMessage());
        }
        try (Sae sae = RefineFixtures.tiedSae(61, D_IN, D_SAE); Arena arena = Arena.ofConfined();
                SaeRefiner refiner = new SaeRefiner(sae, 4)) {
            MemorySegment x = arena.allocate(5L * D_IN * Float.BYTES);
            assertThrows(IllegalArgumentException.class, () -> refiner.refine(DenseMatrix.f32(x, 5, D_IN), new RefinementMethod.Amortised()));
            assertThrows(IllegalArgumentException.class, () -> refiner.refine(DenseMatrix.f32(x, 0, D_IN), new RefinementMethod.Amortised()));
            MemorySegment shortInput = arena.allocate(3L * D_IN * Float.BYTES);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> refiner.refine(DenseMatrix.f32(shortInput, 4, D_IN), new RefinementMethod.Amortised()));
            assertTrue(e.getMessage().contains("bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new RefinementMethod.Fista(-1, 0.1f));
            assertThrows(IllegalArgumentException.class, () -> new RefinementMethod.Fista(1, Float.NaN));
            assertThrows(IllegalArgumentException.class, () -> new RefinementMethod.MatchingPursuit(0));
        }
    }

    /** t = x − b_dec per row, in double. */
    static double[] targets(float[] x, float[] bias) {
        double[] t = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            t[i] = (double) x[i] - bias[i % bias.length];
        }
        return t;
    }

    /** Rows of the identity followed by rows of the Sylvester Hadamard matrix scaled to unit norm. */
    private static float[] identityAndHadamard(int n) {
        float[] rows = new float[2 * n * n];
        for (int j = 0; j < n; j++) {
            rows[j * n + j] = 1f;
        }
        float scale = (float) (1 / Math.sqrt(n));
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                rows[(n + j) * n + i] = Integer.bitCount(i & j) % 2 == 0 ? scale : -scale;
            }
        }
        return rows;
    }
}
