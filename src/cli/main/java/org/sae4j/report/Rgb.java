package org.sae4j.report;

/**
 * An sRGB colour with 8-bit channels. Used instead of {@code java.awt.Color} so that SVG rendering never loads AWT
 * (loading it before {@code java.awt.headless} is set would fix the toolkit mode too early).
 */
record Rgb(int red, int green, int blue) {

    static final Rgb WHITE = new Rgb(255, 255, 255);
    static final Rgb BLACK = new Rgb(0, 0, 0);
    static final Rgb TEXT = new Rgb(34, 34, 34);
    static final Rgb AXIS = new Rgb(68, 68, 68);
    static final Rgb GRID = new Rgb(225, 225, 225);
    static final Rgb MISSING = new Rgb(215, 215, 215);

    Rgb {
        if ((red | green | blue) < 0 || red > 255 || green > 255 || blue > 255) {
            throw new IllegalArgumentException("colour channels must be in [0, 255]: " + red + ", " + green + ", "
                    + blue);
        }
    }

    /** Parses {@code #rrggbb}. */
    static Rgb hex(String hex) {
        int value = Integer.parseInt(hex.substring(1), 16);
        return new Rgb(value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF);
    }

    /** Packed 0xRRGGBB. */
    int packed() {
        return red << 16 | green << 8 | blue;
    }

    /** {@code #rrggbb}, lower case. */
    String toHex() {
        return String.format(java.util.Locale.ROOT, "#%06x", packed());
    }

    /** Relative luminance in [0, 1] (sRGB weights on gamma-encoded channels; enough to pick black or white text). */
    double luminance() {
        return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255.0;
    }

    /** Channel-wise linear blend: {@code t = 0} gives this colour, {@code t = 1} gives {@code other}. */
    Rgb mix(Rgb other, double t) {
        return new Rgb(blend(red, other.red, t), blend(green, other.green, t), blend(blue, other.blue, t));
    }

    private static int blend(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }
}
