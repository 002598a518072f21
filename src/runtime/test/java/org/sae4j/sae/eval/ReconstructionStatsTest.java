package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

final class ReconstructionStatsTest {

    private static final int WIDTH = 7;

    private static ReconstructionStats feed(float[] x, float[] xHat, int batch) {
        ReconstructionStats stats = new ReconstructionStats(WIDTH);
        int rows = x.length / WIDTH;
        for (int first = 0; first < rows; first += batch) {
            int count = Math.min(batch, rows - first);
            stats.add(slice(x, first, count), slice(xHat, first, count), count);
        }
        for (int first = 0; first < rows; first += batch) {
            int count = Math.min(batch, rows - first);
            stats.addLegacyPass(slice(x, first, count), count);
        }
        return stats;
    }

    private static float[] slice(float[] values, int firstRow, int rows) {
        float[] out = new float[rows * WIDTH];
        System.arraycopy(values, firstRow * WIDTH, out, 0, out.length);
        return out;
    }

    @Test
    void shouldGiveZeroErrorAndFvuForPerfectReconstruction() {
        float[] x = StandardSaeReference.gaussian(1, 50 * WIDTH, 1, 0.5);
        ReconstructionStats stats = feed(x, x.clone(), 16);
        assertEquals(0, stats.fvu());
        assertEquals(0, stats.mseSum());
        assertEquals(1, stats.explainedVariance());
        assertEquals(1, stats.legacyExplainedVariance());
        assertEquals(1, stats.normRatio(), 1e-15);
        assertEquals(1, stats.cosineSimilarity(), 1e-15);
        assertEquals(1, stats.relativeReconstructionBias(), 1e-15);
    }

    @Test
    void shouldGiveFvuOneAndLegacyZeroWhenReconstructingTheMean() {
        // rows ±1 around a mean of 3 in every dimension: the mean is exactly 3, so x̂ = 3 is exactly the mean
        int rows = 40;
        float[] x = new float[rows * WIDTH];
        float[] xHat = new float[rows * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 + ((i / WIDTH) % 2 == 0 ? 1 : -1) * (1 + i % WIDTH);
            xHat[i] = 3;
        }
        ReconstructionStats stats = feed(x, xHat, 7);
        assertEquals(1, stats.fvu(), 1e-15);
        assertEquals(0, stats.legacyExplainedVariance(), 1e-15);
        // Σ_d (1..7)² = 140 per token
        assertEquals(140, stats.mseSum(), 1e-12);
        assertEquals(20, stats.mseMean(), 1e-12);
    }

    @Test
    void shouldMatchTheDoubleReferenceForAnyBatchSize() {
        float[] x = StandardSaeReference.gaussian(2, 301 * WIDTH, 1.5, 0.2);
        float[] noise = StandardSaeReference.gaussian(3, x.length, 0.3, 0.05);
        float[] xHat = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xHat[i] = 0.9f * x[i] + noise[i];
        }
        double[] expected = StandardSaeReference.metrics(x, StandardSaeReference.toDoubles(xHat), WIDTH);
        for (int batch : new int[] {1, 13, 64, 301, 1000}) {
            ReconstructionStats stats = feed(x, xHat, batch);
            // both sides sum ~2,000 double terms of the same float inputs: relative error ~1e-13
            assertEquals(expected[0], stats.fvu(), 1e-12 * expected[0], "fvu, batch " + batch);
            assertEquals(expected[1], stats.legacyExplainedVariance(), 1e-12, "legacy, batch " + batch);
            assertEquals(expected[2], stats.mseSum(), 1e-12 * expected[2], "mse_sum, batch " + batch);
            assertEquals(expected[2] / WIDTH, stats.mseMean(), 1e-12 * expected[2], "mse_mean, batch " + batch);
            assertEquals(expected[3], stats.cosineSimilarity(), 1e-12, "cosine, batch " + batch);
            assertEquals(expected[4], stats.normRatio(), 1e-12, "norm ratio, batch " + batch);
            assertEquals(expected[5], stats.relativeReconstructionBias(), 1e-12, "gamma, batch " + batch);
        }
    }

    @Test
    void shouldKeepTheVarianceAccurateWhenTheMeanDwarfsIt() {
        // mean 3e4, spread 1: Σ‖x‖² − n‖x̄‖² would cancel ~9 of double's 16 digits (error ~1e-7 relative)
        float[] x = StandardSaeReference.gaussian(4, 500 * WIDTH, 1, 3e4);
        float[] xHat = x.clone();
        for (int i = 0; i < x.length; i += 3) {
            xHat[i] += 0.25f;
        }
        double[] expected = StandardSaeReference.metrics(x, StandardSaeReference.toDoubles(xHat), WIDTH);
        ReconstructionStats stats = feed(x, xHat, 37);
        assertEquals(expected[0], stats.fvu(), 1e-11 * expected[0]);
        assertEquals(expected[1], stats.legacyExplainedVariance(), 1e-11);
    }

    @Test
    void shouldRejectShortArraysAndAnIncompleteLegacyPass() {
        ReconstructionStats stats = new ReconstructionStats(WIDTH);
        assertThrows(IllegalArgumentException.class, () -> stats.add(new float[WIDTH], new float[WIDTH], 2));
        stats.add(new float[2 * WIDTH], new float[2 * WIDTH], 2);
        assertThrows(IllegalStateException.class, stats::legacyExplainedVariance);
        assertThrows(IllegalArgumentException.class, () -> stats.addLegacyPass(new float[3 * WIDTH], 3));
    }

    @Test
    void shouldEqualTheArrayEntryPointWhenGivenStridedFp32AndBf16Views() {
        int rows = 301;
        float[] x = StandardSaeReference.gaussian(5, rows * WIDTH, 1.5, 0.2);
        float[] xHat = StandardSaeReference.gaussian(6, rows * WIDTH, 1.2, 0.1);
        for (int i = 0; i < x.length; i++) {
            // on the bf16 grid, so the bf16 views widen back to exactly these values
            x[i] = Layouts.bf16ToFloat(Layouts.floatToBf16(x[i]));
            xHat[i] = Layouts.bf16ToFloat(Layouts.floatToBf16(xHat[i]));
        }
        ReconstructionStats arrays = new ReconstructionStats(WIDTH);
        arrays.add(x, xHat, rows);
        for (DType dtype : DType.values()) {
            ReconstructionStats views = new ReconstructionStats(WIDTH);
            views.add(strided(x, rows, dtype), strided(xHat, rows, dtype));
            assertEquals(arrays.tokens(), views.tokens(), dtype.name());
            assertEquals(arrays.mseMean(), views.mseMean(), 0.0, dtype.name());
            assertEquals(arrays.mseSum(), views.mseSum(), 0.0, dtype.name());
            assertEquals(arrays.totalVariance(), views.totalVariance(), 0.0, dtype.name());
            assertEquals(arrays.fvu(), views.fvu(), 0.0, dtype.name());
            assertEquals(arrays.cosineSimilarity(), views.cosineSimilarity(), 0.0, dtype.name());
        }
    }

    @Test
    void shouldAddAViewIn4096RowChunksWhenItIsLonger() {
        int rows = 4096 + 100;
        float[] x = StandardSaeReference.gaussian(7, rows * WIDTH, 1, 2);
        float[] xHat = StandardSaeReference.gaussian(8, rows * WIDTH, 1, 2);
        ReconstructionStats chunked = new ReconstructionStats(WIDTH);
        chunked.add(slice(x, 0, 4096), slice(xHat, 0, 4096), 4096);
        chunked.add(slice(x, 4096, 100), slice(xHat, 4096, 100), 100);
        ReconstructionStats views = new ReconstructionStats(WIDTH);
        views.add(DenseMatrix.f32(MemorySegment.ofArray(x), rows, WIDTH),
                DenseMatrix.f32(MemorySegment.ofArray(xHat), rows, WIDTH));
        assertEquals(chunked.mseMean(), views.mseMean(), 0.0);
        assertEquals(chunked.fvu(), views.fvu(), 0.0);
    }

    @Test
    void shouldRejectViewsOfAnotherShape() {
        ReconstructionStats stats = new ReconstructionStats(WIDTH);
        DenseMatrix wide = DenseMatrix.f32(MemorySegment.ofArray(new float[2 * (WIDTH + 1)]), 2, WIDTH + 1);
        DenseMatrix fits = DenseMatrix.f32(MemorySegment.ofArray(new float[3 * WIDTH]), 3, WIDTH);
        assertEquals("target is 2x8 and reconstruction 3x7, expected the same rows of width 7",
                assertThrowsExactly(IllegalArgumentException.class, () -> stats.add(wide, fits)).getMessage());
        assertEquals("target is 3x7 and reconstruction 2x7, expected the same rows of width 7",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> stats.add(fits, fits.rows(0, 2))).getMessage());
    }

    /** {@code values} [rows, WIDTH] in a view of {@code dtype} at element offset 5 with a row stride of WIDTH + 3. */
    private static DenseMatrix strided(float[] values, int rows, DType dtype) {
        int stride = WIDTH + 3;
        int offset = 5;
        MemorySegment segment = dtype == DType.F32 ? MemorySegment.ofArray(new float[offset + rows * stride])
                : MemorySegment.ofArray(new short[offset + rows * stride]);
        DenseMatrix view = new DenseMatrix(segment, dtype, offset, rows, WIDTH, stride);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < WIDTH; c++) {
                view.set(r, c, values[r * WIDTH + c]);
            }
        }
        return view;
    }
}
