package org.sae4j.report;

import java.util.List;
import java.util.Locale;

/**
 * Lays out and draws a {@link Heatmap}: the cell grid with category labels, the colour bar on the right and the
 * overlay's legend entry below it.
 */
final class HeatmapRenderer {

    /** Annotations smaller than this many pixels would be unreadable; they are drawn at this size anyway. */
    private static final double MIN_ANNOTATION_SIZE = 6;

    /** Cell colours brighter than this get dark annotations, darker ones white annotations. */
    private static final double LIGHT_CELL = 0.5;

    private HeatmapRenderer() {
    }

    static void draw(Heatmap map, Canvas canvas) {
        Style style = Style.of(canvas);
        int columns = map.xs().length;
        int rows = map.ys().length;
        List<Tick> barTicks = Ticks.linear(map.vMin(), map.vMax());

        double rowLabelWidth = 0;
        for (int row = 0; row < rows; row++) {
            rowLabelWidth = Math.max(rowLabelWidth, Canvas.textWidth(category(map.yAt(row)), style.tickSize(), false));
        }
        double barLabelWidth = 0;
        for (Tick tick : barTicks) {
            barLabelWidth = Math.max(barLabelWidth, Canvas.textWidth(tick.label(), style.tickSize(), false));
        }
        double barWidth = style.px(18);
        double sample = style.px(30);
        double overlayWidth = map.overlay() == null ? 0
                : Math.min(sample + style.px(8) + Canvas.textWidth(map.overlay().name(), style.legendSize(), false),
                        canvas.width() * 0.3);
        double rightBlock = Math.max(barWidth + style.px(8) + barLabelWidth, overlayWidth);

        double left = style.px(16) + (map.yLabel().isEmpty() ? 0 : style.labelSize() + style.px(12)) + rowLabelWidth
                + style.px(10);
        double right = canvas.width() - style.px(16) - rightBlock - style.px(28);
        double top = style.topMargin(map.title());
        double bottom = canvas.height() - style.px(map.xLabel().isEmpty() ? 36 : 62);
        double cellWidth = (right - left) / columns;
        double cellHeight = (bottom - top) / rows;

        canvas.fillRect(0, 0, canvas.width(), canvas.height(), Rgb.WHITE, 1);
        drawCells(map, canvas, style, left, bottom, cellWidth, cellHeight);
        if (map.overlay() != null) {
            canvas.clip(left, top, right - left, bottom - top);
            drawOverlay(map, canvas, style, left, bottom, cellWidth, cellHeight);
            canvas.unclip();
        }
        drawAxes(map, canvas, style, left, right, top, bottom, cellWidth, cellHeight, rowLabelWidth);
        style.title(canvas, map.title(), (left + right) / 2);

        double barLeft = right + style.px(28);
        double barHeight = (bottom - top) * (map.overlay() == null ? 1 : 0.78);
        drawColourBar(map, canvas, style, barTicks, barLeft, top, barWidth, barHeight);
        if (map.overlay() != null) {
            double rowY = top + barHeight + style.px(34);
            canvas.beginGroup("legend");
            overlayLine(canvas, style, new double[] {barLeft, barLeft + sample}, new double[] {rowY, rowY},
                    map.overlay().dashed());
            canvas.text(Style.fit(map.overlay().name(), style.legendSize(), overlayWidth - sample - style.px(8)),
                    barLeft + sample + style.px(8), rowY, style.legendSize(), false, Canvas.HAlign.START,
                    Canvas.VAlign.MIDDLE, 0, Rgb.TEXT);
            canvas.endGroup();
        }
    }

    private static void drawCells(Heatmap map, Canvas canvas, Style style, double left, double bottom,
            double cellWidth, double cellHeight) {
        int columns = map.xs().length;
        int rows = map.ys().length;
        double annotationSize = Math.max(MIN_ANNOTATION_SIZE, Math.min(style.px(14),
                Math.min(cellHeight * 0.4, cellWidth * 0.85 / (5 * 0.58))));
        canvas.beginGroup("cells");
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                double value = map.valueAt(row, column);
                Rgb colour = Double.isNaN(value) ? Rgb.MISSING : colour(map, value);
                canvas.fillRect(left + column * cellWidth, bottom - (row + 1) * cellHeight, cellWidth, cellHeight,
                        colour, 1);
            }
        }
        canvas.endGroup();
        canvas.beginGroup("cell-borders");
        for (int column = 1; column < columns; column++) {
            canvas.line(left + column * cellWidth, bottom - rows * cellHeight, left + column * cellWidth, bottom,
                    Rgb.WHITE, style.px(1.5));
        }
        for (int row = 1; row < rows; row++) {
            canvas.line(left, bottom - row * cellHeight, left + columns * cellWidth, bottom - row * cellHeight,
                    Rgb.WHITE, style.px(1.5));
        }
        canvas.endGroup();
        canvas.beginGroup("annotations");
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                double value = map.valueAt(row, column);
                if (Double.isNaN(value)) {
                    continue;
                }
                Rgb ink = colour(map, value).luminance() > LIGHT_CELL ? Rgb.TEXT : Rgb.WHITE;
                canvas.text(annotation(value), left + (column + 0.5) * cellWidth, bottom - (row + 0.5) * cellHeight,
                        annotationSize, false, Canvas.HAlign.MIDDLE, Canvas.VAlign.MIDDLE, 0, ink);
            }
        }
        canvas.endGroup();
    }

    private static void drawOverlay(Heatmap map, Canvas canvas, Style style, double left, double bottom,
            double cellWidth, double cellHeight) {
        Series overlay = map.overlay();
        double[] columnPositions = positions(map.xs(), map.logX());
        double[] rowPositions = positions(map.ys(), false);
        canvas.beginGroup("overlay");
        for (int[] run : LinePlotRenderer.finiteRuns(overlay)) {
            int count = run[1] - run[0];
            double[] xs = new double[count];
            double[] ys = new double[count];
            for (int i = 0; i < count; i++) {
                double xValue = map.logX() ? Math.log10(overlay.xAt(run[0] + i)) : overlay.xAt(run[0] + i);
                xs[i] = left + (gridIndex(columnPositions, xValue) + 0.5) * cellWidth;
                ys[i] = bottom - (gridIndex(rowPositions, overlay.yAt(run[0] + i)) + 0.5) * cellHeight;
            }
            if (count >= 2) {
                overlayLine(canvas, style, xs, ys, overlay.dashed());
            } else {
                canvas.fillCircle(xs[0], ys[0], style.px(4), Rgb.WHITE);
            }
        }
        canvas.endGroup();
    }

    /** A white line on a dark halo: visible on both ends of the colour map; dashes show as black-white. */
    private static void overlayLine(Canvas canvas, Style style, double[] xs, double[] ys, boolean dashed) {
        canvas.polyline(xs, ys, Rgb.BLACK, style.px(5), false, 0.75);
        canvas.polyline(xs, ys, Rgb.WHITE, style.px(2.4), dashed, 1);
    }

    /** Category values in the space the overlay is interpolated in. */
    private static double[] positions(double[] values, boolean log) {
        double[] positions = values.clone();
        if (log) {
            for (int i = 0; i < positions.length; i++) {
                positions[i] = Math.log10(positions[i]);
            }
        }
        return positions;
    }

    /**
     * The fractional grid index of {@code value}: i at {@code positions[i]}, linear in between, and extended with
     * the first (last) segment's slope outside. One category: one index per unit of value.
     */
    static double gridIndex(double[] positions, double value) {
        int n = positions.length;
        if (n == 1) {
            return value - positions[0];
        }
        int segment = 0;
        while (segment < n - 2 && value > positions[segment + 1]) {
            segment++;
        }
        return segment + (value - positions[segment]) / (positions[segment + 1] - positions[segment]);
    }

    private static void drawAxes(Heatmap map, Canvas canvas, Style style, double left, double right, double top,
            double bottom, double cellWidth, double cellHeight, double rowLabelWidth) {
        canvas.beginGroup("axes");
        canvas.strokeRect(left, top, right - left, bottom - top, Rgb.AXIS, style.px(1));
        for (int column = 0; column < map.xs().length; column++) {
            double px = left + (column + 0.5) * cellWidth;
            canvas.line(px, bottom, px, bottom + style.px(5), Rgb.AXIS, style.px(1));
            canvas.text(category(map.xAt(column)), px, bottom + style.px(8), style.tickSize(), false,
                    Canvas.HAlign.MIDDLE, Canvas.VAlign.TOP, 0, Rgb.TEXT);
        }
        for (int row = 0; row < map.ys().length; row++) {
            double py = bottom - (row + 0.5) * cellHeight;
            canvas.line(left - style.px(5), py, left, py, Rgb.AXIS, style.px(1));
            canvas.text(category(map.yAt(row)), left - style.px(8), py, style.tickSize(), false, Canvas.HAlign.END,
                    Canvas.VAlign.MIDDLE, 0, Rgb.TEXT);
        }
        if (!map.xLabel().isEmpty()) {
            canvas.text(map.xLabel(), (left + right) / 2, bottom + style.px(46), style.labelSize(), false,
                    Canvas.HAlign.MIDDLE, Canvas.VAlign.BASELINE, 0, Rgb.TEXT);
        }
        if (!map.yLabel().isEmpty()) {
            double labelX = left - style.px(20) - rowLabelWidth - style.labelSize() * 0.35;
            canvas.text(map.yLabel(), labelX, (top + bottom) / 2, style.labelSize(), false, Canvas.HAlign.MIDDLE,
                    Canvas.VAlign.MIDDLE, -90, Rgb.TEXT);
        }
        canvas.endGroup();
    }

    private static void drawColourBar(Heatmap map, Canvas canvas, Style style, List<Tick> ticks, double left,
            double top, double width, double height) {
        canvas.beginGroup("colour-bar");
        canvas.verticalGradient(left, top, width, height, Palette.sequentialAnchors());
        canvas.strokeRect(left, top, width, height, Rgb.AXIS, style.px(1));
        Axis axis = new Axis(AxisScale.LINEAR, map.vMin(), map.vMax(), top + height, top);
        for (Tick tick : ticks) {
            double py = axis.pixel(tick.value());
            canvas.line(left + width, py, left + width + style.px(4), py, Rgb.AXIS, style.px(1));
            canvas.text(tick.label(), left + width + style.px(7), py, style.tickSize(), false, Canvas.HAlign.START,
                    Canvas.VAlign.MIDDLE, 0, Rgb.TEXT);
        }
        canvas.endGroup();
    }

    private static Rgb colour(Heatmap map, double value) {
        return Palette.sequential((value - map.vMin()) / (map.vMax() - map.vMin()));
    }

    /** The cell annotation: two decimals, without a minus sign on a value that rounds to zero. */
    static String annotation(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.equals("-0.00") ? "0.00" : text;
    }

    /** A category value as printed on the axis: integers plainly, others with up to four significant digits. */
    static String category(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e7) {
            return Long.toString((long) value);
        }
        if (Math.abs(value) >= 1e7 || Math.abs(value) < 1e-3) {
            return Ticks.scientific(value);
        }
        return String.format(Locale.ROOT, "%.4g", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
