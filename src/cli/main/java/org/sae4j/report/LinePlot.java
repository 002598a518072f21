package org.sae4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Lines over a common pair of axes, with a legend placed outside the plot area on the right.
 *
 * <pre>{@code
 * LinePlot plot = LinePlot.builder("MCC against inference compute")
 *         .x("FLOPs", AxisScale.LOG10)
 *         .y("MCC", AxisScale.LINEAR)
 *         .yRange(0, 1)
 *         .add(new Series("ISTA", flops, mean, std, false))
 *         .add(Series.of("sparse coding", flops, sc).asDashed())
 *         .build();
 * PlotWriter.write(plot, outputDirectory, "mcc-vs-flops");
 * }</pre>
 *
 * <p>Without {@code yMin}/{@code yMax} the y range covers every finite y (and band) with a small margin; the x
 * range is the data range. Values outside a fixed range are clipped at the plot area.
 *
 * @param title  drawn above the plot; not null
 * @param xLabel x axis label; not null
 * @param xScale x axis scale; not null
 * @param yLabel y axis label; not null
 * @param yScale y axis scale; not null
 * @param series at least one series, drawn in order (later on top), coloured by position
 * @param yMin   fixed lower end of the y axis, or empty for automatic
 * @param yMax   fixed upper end of the y axis, or empty for automatic
 */
public record LinePlot(String title, String xLabel, AxisScale xScale, String yLabel, AxisScale yScale,
        List<Series> series, OptionalDouble yMin, OptionalDouble yMax) implements Plot {

    /**
     * Validates the plot.
     *
     * @throws IllegalArgumentException when there is no series or no finite point at all, a series has a
     *                                  non-positive x (y) on a log x (y) axis, or the fixed y range is empty,
     *                                  infinite or non-positive on a log axis
     */
    public LinePlot {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(xScale, "xScale");
        Objects.requireNonNull(yLabel, "yLabel");
        Objects.requireNonNull(yScale, "yScale");
        Objects.requireNonNull(yMin, "yMin");
        Objects.requireNonNull(yMax, "yMax");
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("line plot '" + title + "' has no series");
        }
        boolean anyPoint = false;
        for (Series line : series) {
            for (int i = 0; i < line.size(); i++) {
                if (xScale == AxisScale.LOG10 && !(line.xAt(i) > 0)) {
                    throw new IllegalArgumentException("series '" + line.name() + "': x[" + i + "] = "
                            + line.xAt(i) + " is not positive on the log x axis of '" + title + "'");
                }
                if (yScale == AxisScale.LOG10 && line.yAt(i) <= 0) {
                    throw new IllegalArgumentException("series '" + line.name() + "': y[" + i + "] = "
                            + line.yAt(i) + " is not positive on the log y axis of '" + title + "'");
                }
                anyPoint |= !Double.isNaN(line.yAt(i));
            }
        }
        if (!anyPoint) {
            throw new IllegalArgumentException("line plot '" + title + "' has no point with a finite y");
        }
        checkBound("yMin", yMin, yScale, title);
        checkBound("yMax", yMax, yScale, title);
        if (yMin.isPresent() && yMax.isPresent() && !(yMin.getAsDouble() < yMax.getAsDouble())) {
            throw new IllegalArgumentException("line plot '" + title + "': yMin " + yMin.getAsDouble()
                    + " must be below yMax " + yMax.getAsDouble());
        }
    }

    private static void checkBound(String what, OptionalDouble bound, AxisScale scale, String title) {
        if (bound.isEmpty()) {
            return;
        }
        double value = bound.getAsDouble();
        if (!Double.isFinite(value) || (scale == AxisScale.LOG10 && value <= 0)) {
            throw new IllegalArgumentException("line plot '" + title + "': " + what + " = " + value
                    + (scale == AxisScale.LOG10 ? " must be finite and positive on a log axis" : " must be finite"));
        }
    }

    /** Starts a plot with linear axes, empty labels, automatic y range and no series. */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Collects the parts of a {@link LinePlot}; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private final String title;
        private String xLabel = "";
        private AxisScale xScale = AxisScale.LINEAR;
        private String yLabel = "";
        private AxisScale yScale = AxisScale.LINEAR;
        private final List<Series> series = new ArrayList<>();
        private OptionalDouble yMin = OptionalDouble.empty();
        private OptionalDouble yMax = OptionalDouble.empty();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** Sets the x axis label and scale. */
        public Builder x(String label, AxisScale scale) {
            this.xLabel = label;
            this.xScale = scale;
            return this;
        }

        /** Sets the y axis label and scale. */
        public Builder y(String label, AxisScale scale) {
            this.yLabel = label;
            this.yScale = scale;
            return this;
        }

        /** Fixes both ends of the y axis. */
        public Builder yRange(double min, double max) {
            this.yMin = OptionalDouble.of(min);
            this.yMax = OptionalDouble.of(max);
            return this;
        }

        /** Fixes the lower end of the y axis only. */
        public Builder yMin(double min) {
            this.yMin = OptionalDouble.of(min);
            return this;
        }

        /** Fixes the upper end of the y axis only. */
        public Builder yMax(double max) {
            this.yMax = OptionalDouble.of(max);
            return this;
        }

        /** Appends a series; it is drawn above the earlier ones and takes the next palette colour. */
        public Builder add(Series line) {
            series.add(Objects.requireNonNull(line, "series"));
            return this;
        }

        /** Validates and returns the plot. */
        public LinePlot build() {
            return new LinePlot(title, xLabel, xScale, yLabel, yScale, series, yMin, yMax);
        }
    }
}
