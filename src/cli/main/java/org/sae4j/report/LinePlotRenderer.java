package org.sae4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and draws a {@link LinePlot}: title on top, y tick labels and label on the left, x below, legend to the
 * right of the plot area; grid, bands, lines and markers clipped to the plot area.
 */
final class LinePlotRenderer {

    /** Automatic y ranges leave this fraction of the data range free above and below the data. */
    private static final double Y_PADDING = 0.05;

    /** The x range leaves this fraction free at both ends, so that end markers are not cut in half. */
    private static final double X_PADDING = 0.02;

    /** Series with at most this many points get a marker on every point. */
    private static final int MARKER_LIMIT = 40;

    /** Opacity of the ± band. */
    private static final double BAND_OPACITY = 0.18;

    /** The legend never takes more than this fraction of the width. */
    private static final double MAX_LEGEND_FRACTION = 0.32;

    private LinePlotRenderer() {
    }

    static void draw(LinePlot plot, Canvas canvas) {
        Style style = Style.of(canvas);
        double[] xRange = xRange(plot);
        double[] yRange = yRange(plot);
        List<Tick> xTicks = Ticks.of(plot.xScale(), xRange[0], xRange[1]);
        List<Tick> yTicks = Ticks.of(plot.yScale(), yRange[0], yRange[1]);

        double yTickWidth = 0;
        for (Tick tick : yTicks) {
            yTickWidth = Math.max(yTickWidth, Canvas.textWidth(tick.label(), style.tickSize(), false));
        }
        double legendTextWidth = 0;
        for (Series line : plot.series()) {
            legendTextWidth = Math.max(legendTextWidth, Canvas.textWidth(line.name(), style.legendSize(), false));
        }
        double legendSample = style.px(30);
        double legendWidth = Math.min(legendSample + style.px(8) + legendTextWidth,
                canvas.width() * MAX_LEGEND_FRACTION);
        double left = style.px(16) + (plot.yLabel().isEmpty() ? 0 : style.labelSize() + style.px(12)) + yTickWidth
                + style.px(10);
        double right = canvas.width() - style.px(20) - legendWidth - style.px(16);
        double top = style.topMargin(plot.title());
        double bottom = canvas.height() - style.px(plot.xLabel().isEmpty() ? 36 : 62);
        Axis x = new Axis(plot.xScale(), xRange[0], xRange[1], left, right);
        Axis y = new Axis(plot.yScale(), yRange[0], yRange[1], bottom, top);

        canvas.fillRect(0, 0, canvas.width(), canvas.height(), Rgb.WHITE, 1);
        canvas.beginGroup("grid");
        for (Tick tick : xTicks) {
            if (tick.major() && x.contains(tick.value())) {
                canvas.line(x.pixel(tick.value()), top, x.pixel(tick.value()), bottom, Rgb.GRID, style.px(1));
            }
        }
        for (Tick tick : yTicks) {
            if (tick.major() && y.contains(tick.value())) {
                canvas.line(left, y.pixel(tick.value()), right, y.pixel(tick.value()), Rgb.GRID, style.px(1));
            }
        }
        canvas.endGroup();

        canvas.clip(left, top, right - left, bottom - top);
        for (int s = 0; s < plot.series().size(); s++) {
            drawBands(plot.series().get(s), Palette.series(s), x, y, canvas);
        }
        for (int s = 0; s < plot.series().size(); s++) {
            drawLine(plot.series().get(s), Palette.series(s), x, y, canvas, style);
        }
        canvas.unclip();

        drawAxes(plot, canvas, style, x, y, xTicks, yTicks, yTickWidth);
        style.title(canvas, plot.title(), (left + right) / 2);
        drawLegend(plot, canvas, style, right + style.px(20), top, legendWidth - legendSample - style.px(8));
    }

    private static void drawBands(Series line, Rgb colour, Axis x, Axis y, Canvas canvas) {
        if (!line.hasSpread()) {
            return;
        }
        int start = 0;
        while (start < line.size()) {
            int end = start;
            while (end < line.size() && Double.isFinite(line.yAt(end)) && Double.isFinite(line.spreadAt(end))) {
                end++;
            }
            if (end - start >= 2) {
                int count = end - start;
                double[] xs = new double[2 * count];
                double[] ys = new double[2 * count];
                for (int i = 0; i < count; i++) {
                    int point = start + i;
                    xs[i] = x.pixel(line.xAt(point));
                    ys[i] = y.pixel(line.yAt(point) + line.spreadAt(point));
                    xs[2 * count - 1 - i] = xs[i];
                    ys[2 * count - 1 - i] = y.pixel(line.yAt(point) - line.spreadAt(point));
                }
                canvas.fillPolygon(xs, ys, colour, BAND_OPACITY);
            }
            start = Math.max(end, start + 1);
        }
    }

    private static void drawLine(Series line, Rgb colour, Axis x, Axis y, Canvas canvas, Style style) {
        canvas.beginGroup("series");
        List<int[]> runs = finiteRuns(line);
        for (int[] run : runs) {
            int count = run[1] - run[0];
            if (count >= 2) {
                double[] xs = new double[count];
                double[] ys = new double[count];
                for (int i = 0; i < count; i++) {
                    xs[i] = x.pixel(line.xAt(run[0] + i));
                    ys[i] = y.pixel(line.yAt(run[0] + i));
                }
                canvas.polyline(xs, ys, colour, style.lineWidth(), line.dashed(), 1);
            }
        }
        boolean markers = line.size() <= MARKER_LIMIT;
        for (int[] run : runs) {
            // an isolated point between gaps would otherwise be invisible
            if (markers || run[1] - run[0] == 1) {
                for (int i = run[0]; i < run[1]; i++) {
                    canvas.fillCircle(x.pixel(line.xAt(i)), y.pixel(line.yAt(i)), style.px(3), colour);
                }
            }
        }
        canvas.endGroup();
    }

    /** [start, end) index ranges of consecutive points with a non-NaN y. */
    static List<int[]> finiteRuns(Series line) {
        List<int[]> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= line.size(); i++) {
            boolean finite = i < line.size() && !Double.isNaN(line.yAt(i));
            if (finite && start < 0) {
                start = i;
            } else if (!finite && start >= 0) {
                runs.add(new int[] {start, i});
                start = -1;
            }
        }
        return runs;
    }

    private static void drawAxes(LinePlot plot, Canvas canvas, Style style, Axis x, Axis y, List<Tick> xTicks,
            List<Tick> yTicks, double yTickWidth) {
        double left = x.pixelAtMin();
        double right = x.pixelAtMax();
        double bottom = y.pixelAtMin();
        double top = y.pixelAtMax();
        canvas.beginGroup("axes");
        canvas.strokeRect(left, top, right - left, bottom - top, Rgb.AXIS, style.px(1));
        for (Tick tick : xTicks) {
            if (!x.contains(tick.value())) {
                continue;
            }
            double px = x.pixel(tick.value());
            double length = style.px(tick.major() ? 5 : 3);
            canvas.line(px, bottom, px, bottom + length, Rgb.AXIS, style.px(1));
            if (tick.major()) {
                canvas.text(tick.label(), px, bottom + style.px(8), style.tickSize(), false, Canvas.HAlign.MIDDLE,
                        Canvas.VAlign.TOP, 0, Rgb.TEXT);
            }
        }
        for (Tick tick : yTicks) {
            if (!y.contains(tick.value())) {
                continue;
            }
            double py = y.pixel(tick.value());
            double length = style.px(tick.major() ? 5 : 3);
            canvas.line(left - length, py, left, py, Rgb.AXIS, style.px(1));
            if (tick.major()) {
                canvas.text(tick.label(), left - style.px(8), py, style.tickSize(), false, Canvas.HAlign.END,
                        Canvas.VAlign.MIDDLE, 0, Rgb.TEXT);
            }
        }
        if (!plot.xLabel().isEmpty()) {
            canvas.text(plot.xLabel(), (left + right) / 2, bottom + style.px(46), style.labelSize(), false,
                    Canvas.HAlign.MIDDLE, Canvas.VAlign.BASELINE, 0, Rgb.TEXT);
        }
        if (!plot.yLabel().isEmpty()) {
            double labelX = left - style.px(10) - yTickWidth - style.px(10) - style.labelSize() * 0.35;
            canvas.text(plot.yLabel(), labelX, (top + bottom) / 2, style.labelSize(), false, Canvas.HAlign.MIDDLE,
                    Canvas.VAlign.MIDDLE, -90, Rgb.TEXT);
        }
        canvas.endGroup();
    }

    private static void drawLegend(LinePlot plot, Canvas canvas, Style style, double left, double top,
            double textWidth) {
        canvas.beginGroup("legend");
        double rowHeight = style.px(22);
        double sample = style.px(30);
        for (int s = 0; s < plot.series().size(); s++) {
            Series line = plot.series().get(s);
            Rgb colour = Palette.series(s);
            double rowY = top + style.px(8) + s * rowHeight;
            if (line.hasSpread()) {
                canvas.fillRect(left, rowY - style.px(6), sample, style.px(12), colour, BAND_OPACITY);
            }
            canvas.polyline(new double[] {left, left + sample}, new double[] {rowY, rowY}, colour, style.lineWidth(),
                    line.dashed(), 1);
            if (line.size() <= MARKER_LIMIT) {
                canvas.fillCircle(left + sample / 2, rowY, style.px(3), colour);
            }
            canvas.text(Style.fit(line.name(), style.legendSize(), textWidth), left + sample + style.px(8), rowY,
                    style.legendSize(), false, Canvas.HAlign.START, Canvas.VAlign.MIDDLE, 0, Rgb.TEXT);
        }
        canvas.endGroup();
    }

    /** [min, max] over all x values; a single value gets a symmetric range around it. */
    private static double[] xRange(LinePlot plot) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : plot.series()) {
            for (int i = 0; i < line.size(); i++) {
                if (!Double.isNaN(line.yAt(i))) {
                    min = Math.min(min, line.xAt(i));
                    max = Math.max(max, line.xAt(i));
                }
            }
        }
        return pad(widen(min, max, plot.xScale()), plot.xScale(), X_PADDING);
    }

    /** The fixed range where given, otherwise the data (and band) range with padding. */
    private static double[] yRange(LinePlot plot) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : plot.series()) {
            for (int i = 0; i < line.size(); i++) {
                double value = line.yAt(i);
                if (Double.isNaN(value)) {
                    continue;
                }
                double spread = Double.isNaN(line.spreadAt(i)) ? 0 : line.spreadAt(i);
                double low = value - spread;
                // on a log axis a band reaching zero or below is cut at the axis instead of stretching it
                min = Math.min(min, plot.yScale() == AxisScale.LOG10 && low <= 0 ? value : low);
                max = Math.max(max, value + spread);
            }
        }
        double[] range = pad(widen(min, max, plot.yScale()), plot.yScale(), Y_PADDING);
        if (plot.yMin().isPresent()) {
            range[0] = plot.yMin().getAsDouble();
        }
        if (plot.yMax().isPresent()) {
            range[1] = plot.yMax().getAsDouble();
        }
        if (!(range[0] < range[1])) {
            // one bound fixed on the wrong side of the data: keep the fixed bound and give the other a unit span
            if (plot.yMin().isPresent()) {
                range[1] = plot.yScale() == AxisScale.LINEAR ? range[0] + 1 : range[0] * 10;
            } else {
                range[0] = plot.yScale() == AxisScale.LINEAR ? range[1] - 1 : range[1] / 10;
            }
        }
        return range;
    }

    /** Extends [min, max] by {@code fraction} of its length at both ends (of its log length on a log axis). */
    private static double[] pad(double[] range, AxisScale scale, double fraction) {
        if (scale == AxisScale.LINEAR) {
            double pad = (range[1] - range[0]) * fraction;
            return new double[] {range[0] - pad, range[1] + pad};
        }
        double factor = Math.pow(range[1] / range[0], fraction);
        return new double[] {range[0] / factor, range[1] * factor};
    }

    private static double[] widen(double min, double max, AxisScale scale) {
        if (min < max) {
            return new double[] {min, max};
        }
        if (scale == AxisScale.LOG10) {
            return new double[] {min / Math.sqrt(10), max * Math.sqrt(10)};
        }
        double half = min == 0 ? 1 : Math.abs(min) * 0.1;
        return new double[] {min - half, max + half};
    }
}
