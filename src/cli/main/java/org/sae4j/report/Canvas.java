package org.sae4j.report;

import java.util.List;

/**
 * The drawing operations the plot layout needs, in pixel coordinates with y growing downwards. One layout routine
 * draws on this interface and two backends turn it into SVG text or a raster image, so both outputs agree.
 */
interface Canvas {

    /** Horizontal text alignment relative to the anchor point. */
    enum HAlign { START, MIDDLE, END }

    /** Vertical text alignment relative to the anchor point. */
    enum VAlign {
        BASELINE(0.0), MIDDLE(0.35), TOP(0.8);

        /** Baseline shift below the anchor, in font sizes (approximate for sans-serif fonts). */
        final double baselineShiftEm;

        VAlign(double baselineShiftEm) {
            this.baselineShiftEm = baselineShiftEm;
        }
    }

    /** Pixel width of the canvas. */
    int width();

    /** Pixel height of the canvas. */
    int height();

    /** A straight segment. */
    void line(double x1, double y1, double x2, double y2, Rgb colour, double strokeWidth);

    /** Joined segments through the points; {@code dashed} uses a dash pattern scaled to the stroke width. */
    void polyline(double[] xs, double[] ys, Rgb colour, double strokeWidth, boolean dashed, double opacity);

    /** A filled polygon with the given opacity in [0, 1]. */
    void fillPolygon(double[] xs, double[] ys, Rgb colour, double opacity);

    /** A filled axis-aligned rectangle with the given opacity in [0, 1]. */
    void fillRect(double x, double y, double width, double height, Rgb colour, double opacity);

    /** The outline of an axis-aligned rectangle. */
    void strokeRect(double x, double y, double width, double height, Rgb colour, double strokeWidth);

    /** A filled circle. */
    void fillCircle(double centreX, double centreY, double radius, Rgb colour);

    /** A rectangle filled with evenly spaced colour stops from its bottom edge (first) to its top edge (last). */
    void verticalGradient(double x, double y, double width, double height, List<Rgb> stops);

    /**
     * Text at an anchor point, rotated by {@code rotationDegrees} about the anchor (negative is anticlockwise, as in
     * SVG).
     */
    void text(String text, double x, double y, double fontSize, boolean bold, HAlign hAlign, VAlign vAlign,
            double rotationDegrees, Rgb colour);

    /** Restricts the following drawing to a rectangle until {@link #unclip()}. Clips do not nest. */
    void clip(double x, double y, double width, double height);

    /** Ends the restriction of {@link #clip}. */
    void unclip();

    /** Starts a named group of elements (a {@code <g class=...>} in SVG; nothing in a raster). Groups nest. */
    void beginGroup(String role);

    /** Ends the innermost group. */
    void endGroup();

    /**
     * Estimated width of a text in pixels, the same for both backends so that layouts agree. Calibrated on DejaVu
     * Sans, whose average advance is a little above half the font size; wide enough for Helvetica and Arial too.
     */
    static double textWidth(String text, double fontSize, boolean bold) {
        return text.length() * fontSize * (bold ? 0.62 : 0.58);
    }
}
