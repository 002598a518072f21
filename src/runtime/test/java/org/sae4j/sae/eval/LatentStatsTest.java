package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

final class LatentStatsTest {

    private static final int D_SAE = 5;

    /** [2, 5] codes: row 0 has 1.5 at latent 0 and 2 at 3; row 1 has 0.25 at 3 and -3 at 4. */
    private static final float[] DENSE = {1.5f, 0, 0, 2f, 0, 0, 0, 0, 0.25f, -3f};

    @Test
    void shouldCountDenseCodesAsTheirSparseForm() {
        SparseCode sparse = SparseCode.withCapacity(2, D_SAE, 4);
        sparse.resetFixed(2, 2);
        System.arraycopy(new int[] {0, 3, 3, 4}, 0, sparse.indices(), 0, 4);
        System.arraycopy(new float[] {1.5f, 2f, 0.25f, -3f}, 0, sparse.values(), 0, 4);
        LatentStats fromSparse = new LatentStats(D_SAE);
        fromSparse.add(sparse);
        LatentStats fromDense = new LatentStats(D_SAE);
        fromDense.add(DenseMatrix.f32(MemorySegment.ofArray(DENSE), 2, D_SAE));
        for (LatentStats stats : new LatentStats[] {fromSparse, fromDense}) {
            assertEquals(2, stats.tokens());
            assertEquals(2, stats.l0());
            assertEquals((1.5 + 2 + 0.25 + 3) / 2, stats.l1());
            // the negative code is active (L0) but does not fire (density counts f > 0)
            assertArrayEquals(new long[] {1, 0, 0, 2, 0}, stats.fireCounts());
        }
    }

    @Test
    void shouldDivideOnceByEveryEntryForThePaperConventions() {
        LatentStats stats = new LatentStats(D_SAE);
        stats.add(DenseMatrix.f32(MemorySegment.ofArray(DENSE), 2, D_SAE));
        assertEquals(4.0 / 10, stats.l0Fraction());
        assertEquals((1.5 + 2 + 0.25 + 3) / 10, stats.meanAbs());
        // one active entry of 5 x 7: 1/35 is one rounding, (1/5)/7 two, and the two differ in the last bit
        float[] single = new float[5 * 7];
        single[12] = 1;
        LatentStats once = new LatentStats(7);
        once.add(DenseMatrix.f32(MemorySegment.ofArray(single), 5, 7));
        assertEquals(1.0 / 35, once.l0Fraction());
        assertEquals(1.0 / 35, once.meanAbs());
        assertNotEquals(once.l0() / 7, once.l0Fraction());
    }

    @Test
    void shouldCountOnlyMagnitudesStrictlyAboveTheThreshold() {
        DenseMatrix codes = DenseMatrix.f32(MemorySegment.ofArray(new float[] {0.001f, -0.002f, 0.0f, 1e-6f}), 1, 4);
        double[] thresholds = {0.001f, 0, 1e-5};
        long[] active = {1, 3, 2};
        for (int t = 0; t < thresholds.length; t++) {
            LatentStats stats = new LatentStats(4, thresholds[t]);
            stats.add(codes);
            assertEquals(active[t], stats.l0(), "threshold " + thresholds[t]);
            assertEquals((double) 0.001f + 0.002f + 1e-6f, stats.l1(), 1e-12, "L1 ignores the threshold");
            assertArrayEquals(new long[] {1, 0, 0, 1}, stats.fireCounts(), "firing ignores the threshold");
        }
    }

    @Test
    void shouldLeaveNaNInactiveButPropagateItIntoL1() {
        LatentStats stats = new LatentStats(2);
        stats.add(DenseMatrix.f32(MemorySegment.ofArray(new float[] {Float.NaN, 1f}), 1, 2));
        assertEquals(1, stats.l0());
        assertEquals(Double.NaN, stats.l1());
        assertArrayEquals(new long[] {0, 1}, stats.fireCounts());
    }

    @Test
    void shouldReadBf16ViewsWithARowStride() {
        // bf16 holds these values exactly; a stride of 7 leaves two unused elements per row
        MemorySegment segment = MemorySegment.ofArray(new short[2 * 7]);
        DenseMatrix codes = new DenseMatrix(segment, DType.BF16, 0, 2, D_SAE, 7);
        for (int i = 0; i < DENSE.length; i++) {
            codes.set(i / D_SAE, i % D_SAE, DENSE[i]);
        }
        segment.setAtIndex(Layouts.BF16, 5, (short) 0x3f80); // 1.0 in the gap, not part of the view
        LatentStats stats = new LatentStats(D_SAE);
        stats.add(codes);
        assertEquals(2, stats.l0());
        assertEquals((1.5 + 2 + 0.25 + 3) / 2, stats.l1());
    }

    @Test
    void shouldRejectABadThresholdAndAnotherWidth() {
        assertEquals("threshold must be finite and >= 0, got -1.0", assertThrowsExactly(
                IllegalArgumentException.class, () -> new LatentStats(D_SAE, -1)).getMessage());
        assertEquals("threshold must be finite and >= 0, got NaN", assertThrowsExactly(
                IllegalArgumentException.class, () -> new LatentStats(D_SAE, Double.NaN)).getMessage());
        LatentStats stats = new LatentStats(D_SAE);
        assertEquals("codes have 4 latents, expected 5", assertThrowsExactly(IllegalArgumentException.class,
                () -> stats.add(DenseMatrix.f32(MemorySegment.ofArray(new float[4]), 1, 4))).getMessage());
    }
}
