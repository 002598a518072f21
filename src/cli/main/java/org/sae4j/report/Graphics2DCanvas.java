package org.sae4j.report;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A {@link Canvas} that draws into a {@link BufferedImage} with Java2D, antialiased, on a white background.
 *
 * <p>Create it through {@link #create}, which switches AWT to headless mode first when nobody chose a mode.
 */
final class Graphics2DCanvas implements Canvas {

    private static final String HEADLESS_PROPERTY = "java.awt.headless";
    private static final String FONT_NAME = "SansSerif";

    private final BufferedImage image;
    private final Graphics2D graphics;

    private Graphics2DCanvas(BufferedImage image) {
        this.image = image;
        this.graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        graphics.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
    }

    /** A white RGB canvas of the given size; sets {@code java.awt.headless=true} unless the property is set. */
    static Graphics2DCanvas create(int width, int height) {
        if (System.getProperty(HEADLESS_PROPERTY) == null) {
            // Rendering needs no display; without this a desktop session would start a toolkit thread and a
            // server without DISPLAY could fail to load AWT.
            System.setProperty(HEADLESS_PROPERTY, "true");
        }
        return new Graphics2DCanvas(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB));
    }

    /** Releases the graphics context and returns the image. The canvas must not be used afterwards. */
    BufferedImage finish() {
        graphics.dispose();
        return image;
    }

    @Override
    public int width() {
        return image.getWidth();
    }

    @Override
    public int height() {
        return image.getHeight();
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb colour, double strokeWidth) {
        graphics.setColor(awt(colour));
        graphics.setStroke(new BasicStroke((float) strokeWidth, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        graphics.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Rgb colour, double strokeWidth, boolean dashed, double opacity) {
        float[] dash = dashed
                ? new float[] {(float) SvgCanvas.dashOn(strokeWidth), (float) SvgCanvas.dashOff(strokeWidth)}
                : null;
        graphics.setStroke(new BasicStroke((float) strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                dash, 0f));
        withOpacity(opacity, () -> {
            graphics.setColor(awt(colour));
            graphics.draw(path(xs, ys, false));
        });
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, Rgb colour, double opacity) {
        withOpacity(opacity, () -> {
            graphics.setColor(awt(colour));
            graphics.fill(path(xs, ys, true));
        });
    }

    @Override
    public void fillRect(double x, double y, double width, double height, Rgb colour, double opacity) {
        withOpacity(opacity, () -> {
            graphics.setColor(awt(colour));
            graphics.fill(new Rectangle2D.Double(x, y, width, height));
        });
    }

    @Override
    public void strokeRect(double x, double y, double width, double height, Rgb colour, double strokeWidth) {
        graphics.setColor(awt(colour));
        graphics.setStroke(new BasicStroke((float) strokeWidth));
        graphics.draw(new Rectangle2D.Double(x, y, width, height));
    }

    @Override
    public void fillCircle(double centreX, double centreY, double radius, Rgb colour) {
        graphics.setColor(awt(colour));
        graphics.fill(new Ellipse2D.Double(centreX - radius, centreY - radius, 2 * radius, 2 * radius));
    }

    @Override
    public void verticalGradient(double x, double y, double width, double height, List<Rgb> stops) {
        float[] fractions = new float[stops.size()];
        Color[] colours = new Color[stops.size()];
        for (int i = 0; i < stops.size(); i++) {
            fractions[i] = (float) i / (stops.size() - 1);
            colours[i] = awt(stops.get(i));
        }
        Paint previous = graphics.getPaint();
        graphics.setPaint(new LinearGradientPaint(new Point2D.Double(x, y + height), new Point2D.Double(x, y),
                fractions, colours));
        graphics.fill(new Rectangle2D.Double(x, y, width, height));
        graphics.setPaint(previous);
    }

    @Override
    public void text(String text, double x, double y, double fontSize, boolean bold, HAlign hAlign, VAlign vAlign,
            double rotationDegrees, Rgb colour) {
        Font font = new Font(FONT_NAME, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) fontSize);
        graphics.setFont(font);
        graphics.setColor(awt(colour));
        double advance = graphics.getFontMetrics().getStringBounds(text, graphics).getWidth();
        double dx = switch (hAlign) {
            case START -> 0;
            case MIDDLE -> -advance / 2;
            case END -> -advance;
        };
        AffineTransform saved = graphics.getTransform();
        graphics.translate(x, y);
        if (rotationDegrees != 0) {
            graphics.rotate(Math.toRadians(rotationDegrees));
        }
        graphics.drawString(text, (float) dx, (float) (vAlign.baselineShiftEm * fontSize));
        graphics.setTransform(saved);
    }

    @Override
    public void clip(double x, double y, double width, double height) {
        graphics.setClip(new Rectangle2D.Double(x, y, width, height));
    }

    @Override
    public void unclip() {
        graphics.setClip(null);
    }

    @Override
    public void beginGroup(String role) {
        // groups only carry meaning in SVG
    }

    @Override
    public void endGroup() {
        // groups only carry meaning in SVG
    }

    private void withOpacity(double opacity, Runnable drawing) {
        if (opacity >= 1) {
            drawing.run();
            return;
        }
        Composite saved = graphics.getComposite();
        graphics.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) opacity));
        drawing.run();
        graphics.setComposite(saved);
    }

    private static Path2D path(double[] xs, double[] ys, boolean closed) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        if (closed) {
            path.closePath();
        }
        return path;
    }

    private static Color awt(Rgb colour) {
        return new Color(colour.packed());
    }
}
