package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sae4j.tensor.SparseCode;

final class FeatureDensityTest {

    @Test
    void shouldCountDeadRareAndDenseLatentsByHand() {
        // window 10: densities 0, 0.1, 0.5, 1; threshold 0.1 is strict, so 0.1 is not dense
        FeatureDensity density = FeatureDensity.of(new long[] {0, 1, 5, 10}, 10, 0.1);
        assertArrayEquals(new double[] {0, 0.1, 0.5, 1}, density.density());
        assertEquals(1, density.dead());
        assertEquals(0.25, density.deadFraction());
        assertEquals(1, density.rareBelow1e5());
        assertEquals(1, density.rareBelow1e6());
        assertEquals(2, density.dense());
        long[] histogram = density.histogramCounts();
        // log10 of 1e-10, 0.1 + 1e-10, 0.5 + 1e-10, 1 + 1e-10 -> bins 0, 36, 38, 39 (width 0.25 from -10)
        assertEquals(1, histogram[0]);
        assertEquals(1, histogram[36]);
        assertEquals(1, histogram[38]);
        assertEquals(1, histogram[39]);
        assertEquals(4, java.util.Arrays.stream(histogram).sum());
    }

    @Test
    void shouldSeparateTheTwoRareBoundsOnALargeWindow() {
        // window 1e6: one firing is density 1e-6 (rare below 1e-5, not below 1e-6); 50 firings is 5e-5
        FeatureDensity density = FeatureDensity.of(new long[] {1, 50, 0}, 1_000_000, 0.1);
        assertEquals(2, density.rareBelow1e5());
        assertEquals(1, density.rareBelow1e6());
        assertEquals(1, density.dead());
    }

    @Test
    void shouldCountL0L1AndFiringsFromSparseCodes() {
        LatentStats stats = new LatentStats(5);
        SparseCode codes = SparseCode.withCapacity(2, 5, 4);
        codes.resetFixed(2, 2);
        System.arraycopy(new int[] {0, 3, 3, 4}, 0, codes.indices(), 0, 4);
        System.arraycopy(new float[] {1.5f, 2f, 0.25f, 3f}, 0, codes.values(), 0, 4);
        stats.add(codes);
        assertEquals(2, stats.l0());
        assertEquals((1.5 + 2 + 0.25 + 3) / 2, stats.l1());
        assertArrayEquals(new long[] {1, 0, 0, 2, 1}, stats.fireCounts());
        assertEquals(2, stats.density(0.1).dead());
    }

    @Test
    void shouldRejectAnEmptyWindowAndABadThreshold() {
        assertThrows(IllegalArgumentException.class, () -> FeatureDensity.of(new long[] {0}, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> FeatureDensity.of(new long[] {0}, 5, 1.5));
        assertThrows(IllegalArgumentException.class, () -> FeatureDensity.of(new long[] {6}, 5, 0.1));
    }
}
