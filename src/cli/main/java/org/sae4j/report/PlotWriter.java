package org.sae4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import javax.imageio.ImageIO;

/**
 * Renders {@link Plot}s to SVG text and PNG images from one layout, so that both files show the same figure.
 *
 * <pre>{@code
 * List<Path> files = PlotWriter.write(plot, Path.of("results/fig2"), "mcc-vs-flops");
 * // results/fig2/mcc-vs-flops.svg and results/fig2/mcc-vs-flops.png
 * }</pre>
 *
 * <p>SVG output is deterministic: the same plot gives the same bytes (no timestamps, fixed number formatting). Text
 * is set in DejaVu Sans where available (the SVG names Helvetica, Arial and sans-serif as fallbacks), and the
 * layout reserves space by estimated text widths, which fit those fonts.
 *
 * <p><b>Note:</b> stateless and thread-safe. PNG rendering sets {@code java.awt.headless=true} on first use unless
 * the property was already set.
 */
public final class PlotWriter {

    /** Default image width in pixels. */
    public static final int DEFAULT_WIDTH = Style.DESIGN_WIDTH;

    /** Default image height in pixels. */
    public static final int DEFAULT_HEIGHT = Style.DESIGN_HEIGHT;

    /** Smallest accepted image side in pixels; below it the margins leave no plot area. */
    public static final int MIN_SIDE = 200;

    /** Largest accepted image side in pixels. */
    public static final int MAX_SIDE = 10_000;

    private PlotWriter() {
    }

    /**
     * Writes {@code baseName.svg} and {@code baseName.png} (900×560 px) into {@code directory}, creating it if
     * needed and replacing existing files.
     *
     * @return the SVG path, then the PNG path
     * @throws IllegalArgumentException when {@code baseName} is blank or contains a path separator
     * @throws UncheckedIOException     when a file cannot be written
     */
    public static List<Path> write(Plot plot, Path directory, String baseName) {
        Objects.requireNonNull(plot, "plot");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(baseName, "baseName");
        if (baseName.isBlank() || baseName.contains("/") || baseName.contains("\\") || baseName.equals(".")
                || baseName.equals("..")) {
            throw new IllegalArgumentException("baseName must be a plain file name without separators: '"
                    + baseName + "'");
        }
        Path svg = directory.resolve(baseName + ".svg");
        Path png = directory.resolve(baseName + ".png");
        try {
            Files.createDirectories(directory);
            Files.writeString(svg, svg(plot), StandardCharsets.UTF_8);
            if (!ImageIO.write(png(plot, DEFAULT_WIDTH, DEFAULT_HEIGHT), "png", png.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot '" + baseName + "' to " + directory, e);
        }
        return List.of(svg, png);
    }

    /** The plot as a standalone SVG document of 900×560 px. */
    public static String svg(Plot plot) {
        return svg(plot, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * The plot as a standalone SVG document of the given size.
     *
     * @throws IllegalArgumentException when a side is outside [{@value #MIN_SIDE}, {@value #MAX_SIDE}]
     */
    public static String svg(Plot plot, int width, int height) {
        Objects.requireNonNull(plot, "plot");
        checkSize(width, height);
        SvgCanvas canvas = new SvgCanvas(width, height);
        draw(plot, canvas);
        return canvas.document(plot.title());
    }

    /**
     * The plot as an RGB image of the given size, white background.
     *
     * @throws IllegalArgumentException when a side is outside [{@value #MIN_SIDE}, {@value #MAX_SIDE}]
     */
    public static BufferedImage png(Plot plot, int width, int height) {
        Objects.requireNonNull(plot, "plot");
        checkSize(width, height);
        Graphics2DCanvas canvas = Graphics2DCanvas.create(width, height);
        draw(plot, canvas);
        return canvas.finish();
    }

    private static void draw(Plot plot, Canvas canvas) {
        switch (plot) {
            case LinePlot line -> LinePlotRenderer.draw(line, canvas);
            case Heatmap map -> HeatmapRenderer.draw(map, canvas);
        }
    }

    private static void checkSize(int width, int height) {
        if (width < MIN_SIDE || width > MAX_SIDE || height < MIN_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("image size " + width + "×" + height + " must have sides in ["
                    + MIN_SIDE + ", " + MAX_SIDE + "] px");
        }
    }
}
