package org.sae4j.lab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.tensor.DenseMatrix;

/** Reconstruction and sparsity metrics of paper-spec §8.4. */
final class ReconstructionMetricsTest {

    @Test
    void shouldAverageSquaredErrorOverAllEntries() {
        DenseMatrix x = matrix(new float[] {1, 2, 3, 4}, 2, 2);
        DenseMatrix xHat = matrix(new float[] {1, 0, 3, 5}, 2, 2);
        assertEquals((4.0 + 1.0) / 4, ReconstructionMetrics.mse(x, xHat), 0.0);
        assertEquals(0.0, ReconstructionMetrics.mse(x, x), 0.0);
    }

    @Test
    void shouldGiveZeroForPerfectAndOneForMeanPredictorWhenFvu() {
        float[] values = {1, 10, 3, 20, 5, 60};   // [3, 2], column means 3 and 30
        DenseMatrix x = matrix(values, 3, 2);
        DenseMatrix means = matrix(new float[] {3, 30, 3, 30, 3, 30}, 3, 2);
        assertEquals(0.0, ReconstructionMetrics.fvu(x, x), 0.0);
        assertEquals(1.0, ReconstructionMetrics.fvu(x, means), 1e-15);
        DenseMatrix zeros = matrix(new float[6], 3, 2);
        assertEquals((1 + 9 + 25 + 100 + 400 + 3600) / (4.0 + 4 + 400 + 100 + 900), ReconstructionMetrics.fvu(x,
                zeros), 1e-15);
    }

    @Test
    void shouldReportTrueSparsityWhenCodesAreSyntheticSeed20240625() {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625L));
        DenseMatrix codes = matrix(data.testCodes(), 1024, 16);
        assertEquals(3.0 / 16, ReconstructionMetrics.l0Fraction(codes, 0.0), 0.0);
        assertEquals(3.0, ReconstructionMetrics.l0PerSample(codes, 0.0), 0.0);
        assertEquals(16 * ReconstructionMetrics.l0Fraction(codes, 1e-3),
                ReconstructionMetrics.l0PerSample(codes, 1e-3), 1e-12);
    }

    @Test
    void shouldCountOnlyStrictlyAboveThreshold() {
        DenseMatrix codes = matrix(new float[] {0.001f, -0.002f, 0.0f, 1e-6f}, 1, 4);
        assertEquals(0.25, ReconstructionMetrics.l0Fraction(codes, 0.001f), 0.0);
        assertEquals(0.75, ReconstructionMetrics.l0Fraction(codes, 0.0), 0.0);
        assertEquals(0.5, ReconstructionMetrics.l0Fraction(codes, 1e-5), 0.0);
    }

    @Test
    void shouldAddScaledL1WhenComputingTestLoss() {
        DenseMatrix x = matrix(new float[] {1, 2}, 1, 2);
        DenseMatrix xHat = matrix(new float[] {1, 1}, 1, 2);
        DenseMatrix codes = matrix(new float[] {-2, 0, 4, 0}, 1, 4);
        assertEquals(1.5, ReconstructionMetrics.meanAbs(codes), 0.0);
        assertEquals(0.5 + ReconstructionMetrics.PAPER_L1 * 1.5,
                ReconstructionMetrics.testLoss(x, xHat, codes, ReconstructionMetrics.PAPER_L1), 1e-15);
    }

    @Test
    void shouldPropagateNaNWhenReconstructionDiverged() {
        DenseMatrix x = matrix(new float[] {1, 2}, 1, 2);
        DenseMatrix xHat = matrix(new float[] {Float.NaN, 1}, 1, 2);
        assertEquals(Double.NaN, ReconstructionMetrics.mse(x, xHat));
    }

    @Test
    void shouldRejectInvalidInput() {
        DenseMatrix x = matrix(new float[] {1, 2, 3, 4}, 2, 2);
        assertEquals("observations are 2x2 but reconstructions are 1x4",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.mse(x, matrix(new float[4], 1, 4))).getMessage());
        assertEquals("observations have zero variance; FVU is undefined",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.fvu(matrix(new float[4], 2, 2), x)).getMessage());
        assertEquals("threshold must be finite and >= 0, got -1.0",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.l0Fraction(x, -1.0)).getMessage());
        assertEquals("codes is empty (0x4)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.meanAbs(matrix(new float[0], 0, 4))).getMessage());
        assertEquals("l1 must be finite and >= 0, got NaN",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.testLoss(x, x, x, Double.NaN)).getMessage());
        assertEquals("codes have 1 samples but observations have 2",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> ReconstructionMetrics.testLoss(x, x, matrix(new float[4], 1, 4), 0.01)).getMessage());
    }

    private static DenseMatrix matrix(float[] values, int rows, int cols) {
        return DenseMatrix.f32(MemorySegment.ofArray(values), rows, cols);
    }
}
