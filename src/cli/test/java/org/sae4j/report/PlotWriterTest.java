package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

final class PlotWriterTest {

    private static LinePlot threeSeries() {
        double[] flops = {1e3, 1e5, 1e7, 1e10};
        return LinePlot.builder("MCC <vs> FLOPs & \"seeds\"")
                .x("FLOPs", AxisScale.LOG10)
                .y("MCC", AxisScale.LINEAR)
                .yRange(0, 1)
                .add(new Series("ISTA", flops, new double[] {0.3, 0.5, 0.8, 0.9},
                        new double[] {0.05, 0.05, 0.02, 0.01}, false))
                .add(Series.of("FISTA", flops, new double[] {0.35, 0.6, 0.85, 0.92}))
                .add(Series.of("SAE", flops, new double[] {0.4, 0.45, 0.5, 0.5}).asDashed())
                .build();
    }

    @Test
    void shouldWriteWellFormedSvgWithOneLinePerSeriesAndTheirLegend() {
        Document svg = SvgTestSupport.parse(PlotWriter.svg(threeSeries()));
        assertEquals(3, SvgTestSupport.inGroup(svg, "series", "polyline").size());
        assertEquals(List.of("ISTA", "FISTA", "SAE"), SvgTestSupport.texts(svg, "legend"));
        assertEquals(1, svg.getElementsByTagName("polygon").getLength(), "one band, for the series with spread");
        List<Element> lines = SvgTestSupport.inGroup(svg, "series", "polyline");
        assertEquals("", lines.get(1).getAttribute("stroke-dasharray"));
        assertTrue(!lines.get(2).getAttribute("stroke-dasharray").isEmpty(), "the dashed series is dashed");
    }

    @Test
    void shouldEscapeTitleAndKeepItsText() {
        Document svg = SvgTestSupport.parse(PlotWriter.svg(threeSeries()));
        assertEquals("MCC <vs> FLOPs & \"seeds\"", svg.getElementsByTagName("title").item(0).getTextContent());
        boolean drawn = false;
        for (int i = 0; i < svg.getElementsByTagName("text").getLength(); i++) {
            drawn |= svg.getElementsByTagName("text").item(i).getTextContent().equals("MCC <vs> FLOPs & \"seeds\"");
        }
        assertTrue(drawn, "title drawn as text");
    }

    @Test
    void shouldLabelLogAxisWithPowersOfTen() {
        List<String> axisTexts = SvgTestSupport.texts(SvgTestSupport.parse(PlotWriter.svg(threeSeries())), "axes");
        for (int exponent = 3; exponent <= 10; exponent++) {
            assertTrue(axisTexts.contains("1e" + exponent), "1e" + exponent + " among " + axisTexts);
        }
        assertTrue(axisTexts.containsAll(List.of("0.0", "0.2", "1.0", "FLOPs", "MCC")), axisTexts.toString());
    }

    @Test
    void shouldSplitLineAtNanGap() {
        Series gappy = Series.of("gappy", new double[] {1, 2, 3, 4, 5, 6}, new double[] {1, 2, Double.NaN, 4, 5, 6});
        Document svg = SvgTestSupport.parse(PlotWriter.svg(LinePlot.builder("gap").add(gappy).build()));
        List<Element> lines = SvgTestSupport.inGroup(svg, "series", "polyline");
        assertEquals(2, lines.size());
        assertEquals(4, SvgTestSupport.points(lines.get(0)).length, "points 1 and 2");
        assertEquals(6, SvgTestSupport.points(lines.get(1)).length, "points 4 to 6");
    }

    @Test
    void shouldProduceIdenticalSvgForEqualPlots() {
        assertEquals(PlotWriter.svg(threeSeries()), PlotWriter.svg(threeSeries()));
    }

    @Test
    void shouldDrawPngLineInSeriesColourWhereSvgPutsIt() {
        Series flat = Series.of("flat", new double[] {0, 10}, new double[] {0.5, 0.5});
        LinePlot plot = LinePlot.builder("flat").yRange(0, 1).add(flat).build();
        double[] points = SvgTestSupport.points(
                SvgTestSupport.inGroup(SvgTestSupport.parse(PlotWriter.svg(plot)), "series", "polyline").getFirst());
        BufferedImage image = PlotWriter.png(plot, 900, 560);
        int x = (int) Math.round((points[0] + points[2]) / 2);
        int y = (int) Math.floor(points[1]);
        int expected = Palette.series(0).packed();
        // the line is 2.2 px wide, so whatever its sub-pixel position one pixel row near its centre is fully covered
        int nearest = Integer.MAX_VALUE;
        for (int row = y - 1; row <= y + 1; row++) {
            nearest = Math.min(nearest, distance(image.getRGB(x, row) & 0xFFFFFF, expected));
        }
        assertTrue(nearest <= 24, "series colour near (" + x + ", " + y + "), channel distance " + nearest);
        assertEquals(0xFFFFFF, image.getRGB(x, y - 40) & 0xFFFFFF, "background above the line");
    }

    @Test
    void shouldRenderPngAtRequestedSize() {
        BufferedImage image = PlotWriter.png(threeSeries(), 700, 400);
        assertEquals(700, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    @Test
    void shouldWriteSvgAndPngFiles(@TempDir Path directory) throws Exception {
        List<Path> files = PlotWriter.write(threeSeries(), directory.resolve("figures"), "mcc");
        assertEquals(List.of(directory.resolve("figures/mcc.svg"), directory.resolve("figures/mcc.png")), files);
        assertEquals(PlotWriter.svg(threeSeries()), Files.readString(files.get(0)));
        BufferedImage image = ImageIO.read(files.get(1).toFile());
        assertEquals(PlotWriter.DEFAULT_WIDTH, image.getWidth());
        assertEquals(PlotWriter.DEFAULT_HEIGHT, image.getHeight());
    }

    @Test
    void shouldRejectBadNamesAndSizes(@TempDir Path directory) {
        assertEquals("baseName must be a plain file name without separators: 'a/b'",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> PlotWriter.write(threeSeries(), directory, "a/b")).getMessage());
        assertEquals("image size 10×560 must have sides in [200, 10000] px",
                assertThrowsExactly(IllegalArgumentException.class, () -> PlotWriter.png(threeSeries(), 10, 560))
                        .getMessage());
    }

    private static int distance(int rgb, int expected) {
        int max = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            max = Math.max(max, Math.abs((rgb >> shift & 0xFF) - (expected >> shift & 0xFF)));
        }
        return max;
    }
}
