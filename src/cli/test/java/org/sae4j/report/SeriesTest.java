package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import org.junit.jupiter.api.Test;

final class SeriesTest {

    @Test
    void shouldRejectDifferentLengthsNamingTheSeries() {
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> Series.of("ista", new double[] {1, 2, 3}, new double[] {1, 2}));
        assertEquals("series 'ista': x has 3 values but y has 2", error.getMessage());
        error = assertThrowsExactly(IllegalArgumentException.class,
                () -> new Series("fista", new double[] {1, 2}, new double[] {1, 2}, new double[] {0.1}, false));
        assertEquals("series 'fista': x has 2 values but spread has 1", error.getMessage());
    }

    @Test
    void shouldRejectNonFiniteXAndInfiniteYButAllowNanY() {
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> Series.of("a", new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertEquals("series 'a': x[1] = NaN is not finite", error.getMessage());
        error = assertThrowsExactly(IllegalArgumentException.class,
                () -> Series.of("b", new double[] {1, 2}, new double[] {Double.NEGATIVE_INFINITY, 2}));
        assertEquals("series 'b': y[0] = -Infinity is infinite (use NaN for a gap)", error.getMessage());
        Series gap = Series.of("c", new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3});
        assertEquals(3, gap.size());
    }

    @Test
    void shouldRejectNegativeSpread() {
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> new Series("d", new double[] {1, 2}, new double[] {1, 2}, new double[] {0.1, -0.1}, false));
        assertEquals("series 'd': spread[1] = -0.1 must be finite and non-negative (or NaN for no band)",
                error.getMessage());
    }

    @Test
    void shouldCopyArraysWhenConstructedAndAccessed() {
        double[] x = {1, 2};
        double[] y = {3, 4};
        Series series = Series.of("e", x, y);
        x[0] = 100;
        series.y()[0] = 100;
        assertArrayEquals(new double[] {1, 2}, series.x());
        assertArrayEquals(new double[] {3, 4}, series.y());
        assertEquals(Series.of("e", new double[] {1, 2}, new double[] {3, 4}), series);
    }
}
