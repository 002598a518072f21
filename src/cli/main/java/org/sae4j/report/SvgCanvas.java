package org.sae4j.report;

import java.util.List;
import java.util.Locale;

/**
 * A {@link Canvas} that writes SVG 1.1 text. Coordinates are rounded to 0.01 px and formatted with
 * {@link Locale#ROOT}, and clip identifiers are numbered in drawing order, so the same drawing gives the same bytes.
 */
final class SvgCanvas implements Canvas {

    static final String FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";

    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder(16_384);
    private int clipCount;
    private int gradientCount;
    private boolean clipped;

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb colour, double strokeWidth) {
        body.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(colour.toHex())
                .append("\" stroke-width=\"").append(num(strokeWidth)).append("\"/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, Rgb colour, double strokeWidth, boolean dashed, double opacity) {
        body.append("<polyline points=\"").append(points(xs, ys)).append("\" fill=\"none\" stroke=\"")
                .append(colour.toHex()).append("\" stroke-width=\"").append(num(strokeWidth))
                .append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        if (dashed) {
            body.append(" stroke-dasharray=\"").append(num(dashOn(strokeWidth))).append(' ')
                    .append(num(dashOff(strokeWidth))).append('"');
        }
        if (opacity < 1) {
            body.append(" stroke-opacity=\"").append(num(opacity)).append('"');
        }
        body.append("/>\n");
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, Rgb colour, double opacity) {
        body.append("<polygon points=\"").append(points(xs, ys)).append("\" fill=\"").append(colour.toHex())
                .append("\" fill-opacity=\"").append(num(opacity)).append("\" stroke=\"none\"/>\n");
    }

    @Override
    public void fillRect(double x, double y, double width, double height, Rgb colour, double opacity) {
        body.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(width)).append("\" height=\"").append(num(height)).append("\" fill=\"")
                .append(colour.toHex()).append('"');
        if (opacity < 1) {
            body.append(" fill-opacity=\"").append(num(opacity)).append('"');
        }
        body.append("/>\n");
    }

    @Override
    public void strokeRect(double x, double y, double width, double height, Rgb colour, double strokeWidth) {
        body.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(width)).append("\" height=\"").append(num(height)).append("\" fill=\"none\" stroke=\"")
                .append(colour.toHex()).append("\" stroke-width=\"").append(num(strokeWidth)).append("\"/>\n");
    }

    @Override
    public void fillCircle(double centreX, double centreY, double radius, Rgb colour) {
        body.append("<circle cx=\"").append(num(centreX)).append("\" cy=\"").append(num(centreY)).append("\" r=\"")
                .append(num(radius)).append("\" fill=\"").append(colour.toHex()).append("\"/>\n");
    }

    @Override
    public void verticalGradient(double x, double y, double width, double height, List<Rgb> stops) {
        String id = "gradient" + ++gradientCount;
        body.append("<defs><linearGradient id=\"").append(id).append("\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        for (int i = 0; i < stops.size(); i++) {
            body.append("<stop offset=\"").append(num((double) i / (stops.size() - 1))).append("\" stop-color=\"")
                    .append(stops.get(i).toHex()).append("\"/>");
        }
        body.append("</linearGradient></defs>\n");
        body.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(width)).append("\" height=\"").append(num(height)).append("\" fill=\"url(#").append(id)
                .append(")\"/>\n");
    }

    @Override
    public void text(String text, double x, double y, double fontSize, boolean bold, HAlign hAlign, VAlign vAlign,
            double rotationDegrees, Rgb colour) {
        double shift = vAlign.baselineShiftEm * fontSize;
        body.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" font-size=\"")
                .append(num(fontSize)).append('"');
        if (bold) {
            body.append(" font-weight=\"bold\"");
        }
        body.append(" text-anchor=\"").append(switch (hAlign) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        }).append("\" fill=\"").append(colour.toHex()).append('"');
        if (shift != 0) {
            // dy rather than dominant-baseline: renderers disagree on the latter, and the raster backend uses the
            // same shift
            body.append(" dy=\"").append(num(shift)).append('"');
        }
        if (rotationDegrees != 0) {
            body.append(" transform=\"rotate(").append(num(rotationDegrees)).append(' ').append(num(x)).append(' ')
                    .append(num(y)).append(")\"");
        }
        body.append('>').append(escape(text)).append("</text>\n");
    }

    @Override
    public void clip(double x, double y, double width, double height) {
        if (clipped) {
            throw new IllegalStateException("clips do not nest");
        }
        clipped = true;
        String id = "clip" + ++clipCount;
        body.append("<clipPath id=\"").append(id).append("\"><rect x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\"/></clipPath>\n<g clip-path=\"url(#").append(id).append(")\">\n");
    }

    @Override
    public void unclip() {
        if (!clipped) {
            throw new IllegalStateException("no clip to end");
        }
        clipped = false;
        body.append("</g>\n");
    }

    @Override
    public void beginGroup(String role) {
        body.append("<g class=\"").append(escape(role)).append("\">\n");
    }

    @Override
    public void endGroup() {
        body.append("</g>\n");
    }

    /** The complete document. */
    String document(String title) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + width + "\" height=\""
                + height + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"" + FONT_FAMILY + "\">\n"
                + "<title>" + escape(title) + "</title>\n" + body + "</svg>\n";
    }

    static double dashOn(double strokeWidth) {
        return 4 * strokeWidth;
    }

    static double dashOff(double strokeWidth) {
        return 2.5 * strokeWidth;
    }

    /** Escapes the five XML special characters and drops characters XML 1.0 cannot hold. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static String points(double[] xs, double[] ys) {
        StringBuilder points = new StringBuilder(xs.length * 14);
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) {
                points.append(' ');
            }
            points.append(num(xs[i])).append(',').append(num(ys[i]));
        }
        return points.toString();
    }

    /** Two decimals, trailing zeros dropped, never "-0". */
    static String num(double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths == 0) {
            return "0";
        }
        String sign = hundredths < 0 ? "-" : "";
        long magnitude = Math.abs(hundredths);
        long whole = magnitude / 100;
        long fraction = magnitude % 100;
        if (fraction == 0) {
            return sign + whole;
        }
        return fraction % 10 == 0 ? sign + whole + "." + fraction / 10
                : sign + whole + "." + (fraction < 10 ? "0" : "") + fraction;
    }
}
