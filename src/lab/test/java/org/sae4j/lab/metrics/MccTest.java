package org.sae4j.lab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

/** MCC properties of paper-spec §8.1–8.3 and §11.1 items 1–3. */
final class MccTest {

    private static final int SAMPLES = 1024;
    private static final int LATENTS = 16;

    static LongStream seeds() {
        return LongStream.of(20240625L, 20240926L, 3L, 4L, 5L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldScoreExactlyOneWhenEstimateIsTruth(long seed) {
        DenseMatrix truth = matrix(codes(seed), SAMPLES, LATENTS);
        assertEquals(1.0, Mcc.hungarian(truth, truth), 0.0, "Hungarian MCC(S, S), seed " + seed);
        assertEquals(1.0, Mcc.greedy(truth, truth), 0.0, "greedy MCC(S, S), seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldBeInvariantWhenColumnsArePermutedRescaledOrNegated(long seed) {
        float[] truthValues = codes(seed);
        float[] estimate = noisy(truthValues, seed, 0.7);
        double reference = Mcc.hungarian(matrix(truthValues, SAMPLES, LATENTS), matrix(estimate, SAMPLES, LATENTS));
        assertTrue(reference > 0.2 && reference < 0.99, "noisy estimate gives a non-trivial MCC " + reference);

        SplittableRandom random = new SplittableRandom(seed);
        int[] permutation = permutation(LATENTS, random);
        float[] transformed = new float[estimate.length];
        for (int j = 0; j < LATENTS; j++) {
            float factor = (float) (random.nextDouble(0.1, 10.0) * (random.nextBoolean() ? 1 : -1));
            for (int b = 0; b < SAMPLES; b++) {
                transformed[b * LATENTS + permutation[j]] = estimate[b * LATENTS + j] * factor;
            }
        }
        double result = Mcc.hungarian(matrix(truthValues, SAMPLES, LATENTS), matrix(transformed, SAMPLES, LATENTS));
        assertEquals(reference, result, 1e-6, "permuted and rescaled estimate, seed " + seed);
        float[] negated = new float[estimate.length];
        for (int i = 0; i < estimate.length; i++) {
            negated[i] = -estimate[i];
        }
        assertEquals(reference, Mcc.hungarian(matrix(truthValues, SAMPLES, LATENTS),
                matrix(negated, SAMPLES, LATENTS)), 1e-15, "negated estimate, seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldIgnoreAppendedConstantColumnWhenMatching(long seed) {
        float[] truthValues = codes(seed);
        float[] estimate = noisy(truthValues, seed, 0.5);
        float[] widened = new float[SAMPLES * (LATENTS + 1)];
        for (int b = 0; b < SAMPLES; b++) {
            System.arraycopy(estimate, b * LATENTS, widened, b * (LATENTS + 1), LATENTS);
            widened[b * (LATENTS + 1) + LATENTS] = 2.5f;
        }
        DenseMatrix truth = matrix(truthValues, SAMPLES, LATENTS);
        double reference = Mcc.hungarian(truth, matrix(estimate, SAMPLES, LATENTS));
        DenseMatrix wide = matrix(widened, SAMPLES, LATENTS + 1);
        double[] correlation = Mcc.correlationMatrix(truth, wide);
        for (int i = 0; i < LATENTS; i++) {
            assertEquals(0.0, correlation[i * (LATENTS + 1) + LATENTS], 0.0, "constant column, row " + i);
        }
        assertEquals(reference, Mcc.hungarian(truth, wide), 1e-12, "appended constant column, seed " + seed);
        assertEquals(reference, Mcc.greedy(truth, wide), 1e-12, "greedy with a constant column, seed " + seed);
    }

    @Test
    void shouldScoreZeroWithoutNaNWhenEstimateIsConstant() {
        DenseMatrix truth = matrix(codes(7L), SAMPLES, LATENTS);
        DenseMatrix zeros = matrix(new float[SAMPLES * LATENTS], SAMPLES, LATENTS);
        for (double value : Mcc.correlationMatrix(truth, zeros)) {
            assertEquals(0.0, value, 0.0);
        }
        assertEquals(0.0, Mcc.hungarian(truth, zeros), 0.0);
        assertEquals(0.0, Mcc.greedy(truth, zeros), 0.0);
        assertEquals(0.0, Mcc.greedy(truth, zeros, Mcc.GreedyMode.PAPER_COMPATIBLE), 0.0);
        DenseMatrix single = matrix(new float[] {1, 2, 3}, 1, 3);
        assertEquals(0.0, Mcc.hungarian(single, single), 0.0, "one sample: every column is degenerate");
    }

    @Test
    void shouldTreatVarianceBelowToleranceAsDegenerate() {
        float[] truth = new float[8];
        float[] tiny = new float[8];
        float[] small = new float[8];
        for (int b = 0; b < 8; b++) {
            truth[b] = b % 2;
            tiny[b] = (b % 2) * 1e-6f;     // population variance 2.5e-13 < 1e-12
            small[b] = (b % 2) * 1e-5f;    // population variance 2.5e-11 ≥ 1e-12
        }
        assertEquals(0.0, Mcc.hungarian(matrix(truth, 8, 1), matrix(tiny, 8, 1)), 0.0);
        assertEquals(1.0, Mcc.hungarian(matrix(truth, 8, 1), matrix(small, 8, 1)), 1e-12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldEqualHungarianWhenGreedyWidthsAreEqual(long seed) {
        float[] truthValues = codes(seed);
        DenseMatrix truth = matrix(truthValues, SAMPLES, LATENTS);
        DenseMatrix estimate = matrix(noisy(truthValues, seed, 1.5), SAMPLES, LATENTS);
        assertEquals(Mcc.hungarian(truth, estimate), Mcc.greedy(truth, estimate), 1e-12, "seed " + seed);
        assertEquals(Mcc.hungarian(truth, estimate), Mcc.greedy(truth, estimate, Mcc.GreedyMode.PAPER_COMPATIBLE),
                1e-12, "paper-compatible, seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldNotExceedHungarianWhenGreedyWidthsDiffer(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 20; trial++) {
            int samples = 6 + random.nextInt(20);
            int nTrue = 1 + random.nextInt(7);
            int nEst = 1 + random.nextInt(7);
            DenseMatrix truth = matrix(gaussian(random, samples * nTrue), samples, nTrue);
            DenseMatrix estimate = matrix(gaussian(random, samples * nEst), samples, nEst);
            double optimal = Mcc.hungarian(truth, estimate);
            double greedy = Mcc.greedy(truth, estimate);
            assertTrue(greedy <= optimal + 1e-12, "greedy " + greedy + " > Hungarian " + optimal + " for "
                    + nTrue + "x" + nEst + ", trial " + trial + ", seed " + seed);
            assertTrue(greedy >= 0.0 && optimal <= 1.0, "range, seed " + seed);
        }
    }

    @Test
    void shouldDuplicateRowZeroAndColumnZeroOnlyInPaperCompatibleMode() {
        // |C| whose remainder is all zero after the first pick (1, 1): the reference then picks (0, 0) twice.
        double[] absolute = {
            0.0, 0.9, 0.0,
            0.5, 1.0, 0.6,
            0.0, 0.8, 0.0};
        // Default: rows {1, 0, 2}, columns {1, 0, 2}; best matching 0.6 + 0.9 + 0 over 3.
        assertEquals(1.5 / 3, Mcc.greedyScore(absolute, 3, 3, Mcc.GreedyMode.SKIP_EXHAUSTED), 1e-15);
        // Paper: rows {1, 0, 0}, columns {1, 0, 0}; best matching 0.5 + 0.9 + 0 over 3.
        assertEquals(1.4 / 3, Mcc.greedyScore(absolute, 3, 3, Mcc.GreedyMode.PAPER_COMPATIBLE), 1e-15);
    }

    @Test
    void shouldAverageOverEstimatedColumnsWhenEstimateIsNarrower() {
        float[] truthValues = codes(11L);
        float[] firstTen = new float[SAMPLES * 10];
        for (int b = 0; b < SAMPLES; b++) {
            System.arraycopy(truthValues, b * LATENTS, firstTen, b * 10, 10);
        }
        DenseMatrix truth = matrix(truthValues, SAMPLES, LATENTS);
        DenseMatrix narrow = matrix(firstTen, SAMPLES, 10);
        LatentMatching matching = Mcc.hungarianMatching(truth, narrow);
        assertEquals(1.0, matching.score(), 0.0);
        assertEquals(10, matching.pairs());
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1};
        assertArrayEquals(expected, matching.truthToEstimate());
        assertEquals(1.0, Mcc.greedy(truth, narrow), 0.0);
    }

    @Test
    void shouldReportPermutationWhenEstimateIsPermutedTruthSeed12() {
        float[] truthValues = codes(12L);
        int[] permutation = permutation(LATENTS, new SplittableRandom(12L));
        float[] permuted = new float[truthValues.length];
        for (int b = 0; b < SAMPLES; b++) {
            for (int j = 0; j < LATENTS; j++) {
                permuted[b * LATENTS + permutation[j]] = truthValues[b * LATENTS + j];
            }
        }
        LatentMatching matching = Mcc.hungarianMatching(matrix(truthValues, SAMPLES, LATENTS),
                matrix(permuted, SAMPLES, LATENTS));
        assertArrayEquals(permutation, matching.truthToEstimate());
        assertEquals(1.0, matching.score(), 0.0);
    }

    @Test
    void shouldAgreeWithDoublePathWhenKernelPathIsUsedSeed13() {
        SplittableRandom random = new SplittableRandom(13L);
        int samples = 1000;
        int nTrue = 20;
        int nEst = 24;
        float[] truthValues = gaussian(random, samples * nTrue);
        float[] estimateValues = gaussian(random, samples * nEst);
        for (int b = 0; b < samples; b++) {
            estimateValues[b * nEst + 5] = 1.25f;                       // degenerate column
            estimateValues[b * nEst + 7] = truthValues[b * nTrue + 3];  // perfectly correlated column
        }
        double[] inDouble = Mcc.correlationInDouble(columns(truthValues, samples, nTrue),
                columns(estimateValues, samples, nEst));
        double[] withKernels = Mcc.correlationWithKernels(columns(truthValues, samples, nTrue),
                columns(estimateValues, samples, nEst));
        double bound = (samples + 2) * 0x1p-24;
        for (int i = 0; i < inDouble.length; i++) {
            assertEquals(inDouble[i], withKernels[i], bound, "C[" + i / nEst + ", " + i % nEst + "], seed 13");
        }
        for (int i = 0; i < nTrue; i++) {
            assertEquals(0.0, withKernels[i * nEst + 5], 0.0, "degenerate column is exactly 0 on the fp32 path");
        }
        assertEquals(1.0, inDouble[3 * nEst + 7], 0.0, "identical columns correlate exactly 1 in double");
    }

    @Test
    void shouldUseFp32GemmAboveLimitAndStayNearOneSeed20240927() {
        SyntheticConfig config = new SyntheticConfig(96, 8, 9, 1024, 20240927L, 0.0,
                SyntheticConfig.Mode.NATIVE);
        float[] values = SyntheticData.generate(config).codes();
        DenseMatrix codes = matrix(values, 2048, 96);
        assertTrue(96L * 96 * 2048 > Mcc.DOUBLE_PATH_LIMIT, "this case exercises the fp32 GEMM path");
        assertEquals(1.0, Mcc.hungarian(codes, codes), 2050 * 0x1p-24);
    }

    @Test
    void shouldMatchFp32WhenInputIsBf16Seed14() {
        float[] values = noisy(codes(14L), 14L, 0.3);
        float[] rounded = new float[values.length];
        MemorySegment bf16 = MemorySegment.ofArray(new short[values.length]);
        for (int i = 0; i < values.length; i++) {
            short bits = Layouts.floatToBf16(values[i]);
            bf16.setAtIndex(Layouts.BF16, i, bits);
            rounded[i] = Layouts.bf16ToFloat(bits);
        }
        DenseMatrix truth = matrix(codes(14L), SAMPLES, LATENTS);
        DenseMatrix estimate = new DenseMatrix(bf16, DType.BF16, 0, SAMPLES, LATENTS, LATENTS);
        assertEquals(Mcc.hungarian(truth, matrix(rounded, SAMPLES, LATENTS)), Mcc.hungarian(truth, estimate), 0.0);
    }

    @Test
    void shouldScoreOneForPermutedNegatedAtomsWhenDictionaryMccSeed20240625() {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625L));
        float[] atoms = data.dictionary();   // [16, 8]
        int[] permutation = permutation(16, new SplittableRandom(20240625L));
        float[] permuted = new float[atoms.length];
        float[] negated = new float[atoms.length];
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                permuted[permutation[i] * 8 + j] = atoms[i * 8 + j];
                negated[permutation[i] * 8 + j] = (i % 2 == 0 ? -1 : 1) * atoms[i * 8 + j];
            }
        }
        DenseMatrix trueAtoms = matrix(atoms, 16, 8);
        assertEquals(1.0, Mcc.dictionary(trueAtoms, trueAtoms), 0.0);
        assertEquals(1.0, Mcc.dictionary(trueAtoms, matrix(permuted, 16, 8)), 1e-12);
        assertEquals(1.0, Mcc.dictionary(trueAtoms, matrix(negated, 16, 8)), 1e-12, "Pearson ignores the sign");
        LatentMatching cosine = Mcc.dictionaryCosine(trueAtoms, matrix(permuted, 16, 8));
        assertEquals(1.0, cosine.score(), 1e-6);
        assertArrayEquals(permutation, cosine.truthToEstimate());
    }

    @Test
    void shouldScoreMinusOneWhenCosineAtomIsNegated() {
        float[] atom = {0.6f, -0.8f, 0.0f};
        float[] flipped = {-0.6f, 0.8f, -0.0f};
        assertEquals(-1.0, Mcc.dictionaryCosine(matrix(atom, 1, 3), matrix(flipped, 1, 3)).score(), 1e-12);
        assertEquals(1.0, Mcc.dictionary(matrix(atom, 1, 3), matrix(flipped, 1, 3)), 1e-12);
    }

    @Test
    void shouldCentreAtomsWhenDictionaryMccIsPearson() {
        float[] atom = {0.5f, -0.5f, 0.5f, -0.5f};
        float[] shifted = {1.5f, 0.5f, 1.5f, 0.5f};
        assertEquals(1.0, Mcc.dictionary(matrix(atom, 1, 4), matrix(shifted, 1, 4)), 0.0);
        double cosine = Mcc.dictionaryCosine(matrix(atom, 1, 4), matrix(shifted, 1, 4)).score();
        assertEquals(1.0 / Math.sqrt(5.0), cosine, 1e-12);
        float[] zero = new float[4];
        assertEquals(0.0, Mcc.dictionaryCosine(matrix(atom, 1, 4), matrix(zero, 1, 4)).score(), 0.0);
        assertEquals(0.0, Mcc.dictionary(matrix(atom, 1, 4), matrix(zero, 1, 4)), 0.0);
    }

    @Test
    void shouldRejectInvalidInput() {
        float[] values = codes(15L);
        DenseMatrix truth = matrix(values, SAMPLES, LATENTS);
        float[] withNaN = values.clone();
        withNaN[3 * LATENTS + 2] = Float.NaN;
        assertEquals("estimate has non-finite value NaN at (3, 2)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.hungarian(truth, matrix(withNaN, SAMPLES, LATENTS))).getMessage());
        float[] withInfinity = values.clone();
        withInfinity[5] = Float.NEGATIVE_INFINITY;
        assertEquals("truth has non-finite value -Infinity at (0, 5)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.greedy(matrix(withInfinity, SAMPLES, LATENTS), truth)).getMessage());
        assertEquals("truth has 1024 samples but estimate has 512",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.hungarian(truth, matrix(values, 512, LATENTS))).getMessage());
        assertEquals("no latents: truth has 16 columns, estimate has 0",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.hungarian(truth, matrix(new float[0], SAMPLES, 0))).getMessage());
        assertEquals("no samples (B = 0)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.hungarian(matrix(new float[0], 0, 4), matrix(new float[0], 0, 4))).getMessage());
        assertEquals("trueAtoms have d_model 8 but learnedAtoms have 4",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Mcc.dictionary(matrix(values, 16, 8), matrix(values, 16, 4))).getMessage());
        assertFalse(Double.isNaN(Mcc.hungarian(truth, truth)));
    }

    private static DenseMatrix matrix(float[] values, int rows, int cols) {
        return DenseMatrix.f32(MemorySegment.ofArray(values), rows, cols);
    }

    private static float[] codes(long seed) {
        SyntheticConfig config = new SyntheticConfig(LATENTS, 8, 3, SAMPLES, seed, 0.0,
                SyntheticConfig.Mode.NUMPY_COMPATIBLE);
        return SyntheticData.generate(config).trainCodes();
    }

    private static float[] noisy(float[] values, long seed, double noise) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) (values[i] + noise * (random.nextDouble() - 0.5));
        }
        return result;
    }

    private static float[] gaussian(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2.0 - 1.0 + random.nextDouble() - 0.5);
        }
        return values;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }

    private static double[][] columns(float[] values, int rows, int cols) {
        double[][] result = new double[cols][rows];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < cols; j++) {
                result[j][b] = values[b * cols + j];
            }
        }
        return result;
    }

    @Test
    void shouldAverageSameIndexCorrelationsWithoutMatchingWhenComputingPairwiseCorrelation() {
        float[] truth = {1, 0, 2, 1, 3, 0, 4, 2};
        float[] flipped = {0, 1, 1, 2, 0, 3, 2, 4};
        DenseMatrix t = DenseMatrix.f32(MemorySegment.ofArray(truth), 4, 2);
        DenseMatrix f = DenseMatrix.f32(MemorySegment.ofArray(flipped), 4, 2);
        assertEquals(1.0, Mcc.pairwise(t, t), 1e-12);
        double[] c = Mcc.correlationMatrix(t, f);
        assertEquals((c[0] + c[3]) / 2, Mcc.pairwise(t, f), 1e-12);
        assertTrue(Mcc.pairwise(t, f) < Mcc.hungarian(t, f), "no matching: swapped columns score lower");
        assertThrowsExactly(IllegalArgumentException.class,
                () -> Mcc.pairwise(t, DenseMatrix.f32(MemorySegment.ofArray(new float[4]), 4, 1)));
    }
}
