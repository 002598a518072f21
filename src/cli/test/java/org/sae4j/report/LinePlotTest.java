package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import org.junit.jupiter.api.Test;

final class LinePlotTest {

    private static final Series LINE = Series.of("line", new double[] {0, 1, 2}, new double[] {1, 2, 3});

    @Test
    void shouldRejectNonPositiveXOnLogAxisNamingTheSeries() {
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> LinePlot.builder("fig").x("FLOPs", AxisScale.LOG10).add(LINE).build());
        assertEquals("series 'line': x[0] = 0.0 is not positive on the log x axis of 'fig'", error.getMessage());
    }

    @Test
    void shouldRejectNonPositiveYOnLogAxisButAllowGaps() {
        Series withZero = Series.of("loss", new double[] {1, 2, 3}, new double[] {Double.NaN, 0, 1});
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> LinePlot.builder("fig").y("loss", AxisScale.LOG10).add(withZero).build());
        assertEquals("series 'loss': y[1] = 0.0 is not positive on the log y axis of 'fig'", error.getMessage());
    }

    @Test
    void shouldRejectEmptyPlotsAndEmptyRanges() {
        assertEquals("line plot 'fig' has no series", assertThrowsExactly(IllegalArgumentException.class,
                () -> LinePlot.builder("fig").build()).getMessage());
        Series allGaps = Series.of("gaps", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN});
        assertEquals("line plot 'fig' has no point with a finite y", assertThrowsExactly(
                IllegalArgumentException.class, () -> LinePlot.builder("fig").add(allGaps).build()).getMessage());
        assertEquals("line plot 'fig': yMin 1.0 must be below yMax 1.0", assertThrowsExactly(
                IllegalArgumentException.class, () -> LinePlot.builder("fig").add(LINE).yRange(1, 1).build())
                .getMessage());
        assertEquals("line plot 'fig': yMin = 0.0 must be finite and positive on a log axis", assertThrowsExactly(
                IllegalArgumentException.class,
                () -> LinePlot.builder("fig").y("", AxisScale.LOG10).yMin(0).add(LINE.asDashed()).build()
        ).getMessage());
    }

    @Test
    void shouldRenderWhenAllPointsShareOneValue() {
        Series flat = Series.of("flat", new double[] {5, 5}, new double[] {0, 0});
        LinePlot plot = LinePlot.builder("flat").add(flat).build();
        SvgTestSupport.parse(PlotWriter.svg(plot));
        assertEquals(560, PlotWriter.png(plot, 900, 560).getHeight());
    }
}
