package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

final class HeatmapTest {

    private static final double[] NS = {16, 32, 64, 128};
    private static final double[] MS = {8, 16, 32};

    private static double[][] values() {
        double[][] values = new double[MS.length][NS.length];
        for (int row = 0; row < MS.length; row++) {
            for (int column = 0; column < NS.length; column++) {
                values[row][column] = 0.1 * row + 0.25 * column + 0.004;
            }
        }
        values[2][3] = Double.NaN;
        return values;
    }

    @Test
    void shouldDrawOneRectPerCellAndAnnotateEveryPresentValue() {
        Heatmap map = new Heatmap("MCC", "N", NS, "M", MS, values(), 0, 1, null, true);
        Document svg = SvgTestSupport.parse(PlotWriter.svg(map));
        assertEquals(MS.length * NS.length, SvgTestSupport.inGroup(svg, "cells", "rect").size());
        List<String> expected = new ArrayList<>();
        for (int row = 0; row < MS.length; row++) {
            for (int column = 0; column < NS.length; column++) {
                if (row != 2 || column != 3) {
                    expected.add(String.format(java.util.Locale.ROOT, "%.2f", 0.1 * row + 0.25 * column + 0.004));
                }
            }
        }
        assertEquals(expected, SvgTestSupport.texts(svg, "annotations"));
        List<String> axes = SvgTestSupport.texts(svg, "axes");
        assertEquals(List.of("16", "32", "64", "128", "8", "16", "32", "N", "M"), axes);
    }

    @Test
    void shouldColourMissingCellGreyAndClampOutOfRangeValues() {
        double[][] values = values();
        values[0][0] = -5;
        Heatmap map = new Heatmap("MCC", "N", NS, "M", MS, values, 0, 1, null, false);
        List<Element> cells = SvgTestSupport.inGroup(SvgTestSupport.parse(PlotWriter.svg(map)), "cells", "rect");
        assertEquals(Palette.sequential(0).toHex(), cells.get(0).getAttribute("fill"));
        assertEquals(Rgb.MISSING.toHex(), cells.get(cells.size() - 1).getAttribute("fill"));
    }

    @Test
    void shouldPassOverlayThroughCellCentresAtCategoryValues() {
        // the overlay visits (N, M) = (32, 16) and (64, 32): centres of cells (row 1, column 1) and (row 2, column 2)
        Series overlay = Series.of("boundary", new double[] {32, 64}, new double[] {16, 32});
        Heatmap map = new Heatmap("MCC", "N", NS, "M", MS, values(), 0, 1, overlay, true);
        Document svg = SvgTestSupport.parse(PlotWriter.svg(map));
        List<Element> lines = SvgTestSupport.inGroup(svg, "overlay", "polyline");
        double[] points = SvgTestSupport.points(lines.getLast());
        List<Element> annotations = SvgTestSupport.inGroup(svg, "annotations", "text");
        Element cell11 = annotations.get(NS.length + 1);
        Element cell22 = annotations.get(2 * NS.length + 2);
        assertEquals(Double.parseDouble(cell11.getAttribute("x")), points[0], 0.011);
        assertEquals(Double.parseDouble(cell11.getAttribute("y")), points[1], 0.011);
        assertEquals(Double.parseDouble(cell22.getAttribute("x")), points[2], 0.011);
        assertEquals(Double.parseDouble(cell22.getAttribute("y")), points[3], 0.011);
        assertEquals(List.of("boundary"), SvgTestSupport.texts(svg, "legend"));
    }

    @Test
    void shouldInterpolateGridIndexPiecewiseLinearlyAndExtrapolate() {
        double[] logPositions = {Math.log10(16), Math.log10(32), Math.log10(64)};
        assertEquals(0.5, HeatmapRenderer.gridIndex(logPositions, Math.log10(Math.sqrt(16 * 32))), 1e-12);
        assertEquals(2.0, HeatmapRenderer.gridIndex(logPositions, Math.log10(64)), 1e-12);
        assertEquals(3.0, HeatmapRenderer.gridIndex(logPositions, Math.log10(128)), 1e-12);
        assertEquals(-1.0, HeatmapRenderer.gridIndex(logPositions, Math.log10(8)), 1e-12);
        double[] uneven = {8, 16, 32};
        assertEquals(1.5, HeatmapRenderer.gridIndex(uneven, 24), 1e-12);
        assertEquals(0.25, HeatmapRenderer.gridIndex(uneven, 10), 1e-12);
    }

    @Test
    void shouldRenderPngWithCellColours() {
        double[][] uniform = new double[MS.length][NS.length];
        Heatmap map = new Heatmap("", "", NS, "", MS, uniform, 0, 1, null, false);
        BufferedImage image = PlotWriter.png(map, 900, 560);
        int low = Palette.sequential(0).packed();
        // inside a cell of the grid, away from its centred annotation and from the white cell borders
        int x = 900 / 3;
        int y = 560 / 3;
        assertEquals(Integer.toHexString(low), Integer.toHexString(image.getRGB(x - 20, y - 20) & 0xFFFFFF));
    }

    @Test
    void shouldRejectBadShapesAxesAndRanges() {
        assertEquals("heatmap 'h': values has 2 rows but ys has 3 values",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new Heatmap("h", "N", NS, "M", MS, new double[2][4], 0, 1, null, false)).getMessage());
        assertEquals("heatmap 'h': values[0] has 3 columns but xs has 4 values",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new Heatmap("h", "N", NS, "M", MS, new double[3][3], 0, 1, null, false)).getMessage());
        assertEquals("heatmap 'h': xs must be strictly increasing but xs[1] = 16.0 follows 16.0",
                assertThrowsExactly(IllegalArgumentException.class, () -> new Heatmap("h", "N",
                        new double[] {16, 16, 64, 128}, "M", MS, new double[3][4], 0, 1, null, false)).getMessage());
        assertEquals("heatmap 'h': colour range [1.0, 0.0] must be finite with vMin < vMax",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new Heatmap("h", "N", NS, "M", MS, new double[3][4], 1, 0, null, false)).getMessage());
        Series negative = Series.of("bound", new double[] {-1, 2}, new double[] {1, 2});
        assertEquals("series 'bound': x[0] = -1.0 is not positive on the log x axis of heatmap 'h'",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new Heatmap("h", "N", NS, "M", MS, new double[3][4], 0, 1, negative, true))
                        .getMessage());
    }
}
