package org.sae4j.report;

/**
 * Sizes shared by the plot layouts, designed at 900×560 px and scaled with the canvas so that a larger image looks
 * the same, only sharper.
 *
 * @param scale pixels per design pixel
 */
record Style(double scale) {

    static final int DESIGN_WIDTH = 900;
    static final int DESIGN_HEIGHT = 560;

    static Style of(Canvas canvas) {
        double scale = Math.min((double) canvas.width() / DESIGN_WIDTH, (double) canvas.height() / DESIGN_HEIGHT);
        return new Style(Math.clamp(scale, 0.4, 8.0));
    }

    double px(double designPixels) {
        return designPixels * scale;
    }

    double titleSize() {
        return px(18);
    }

    double labelSize() {
        return px(14);
    }

    double tickSize() {
        return px(12);
    }

    double legendSize() {
        return px(13);
    }

    double lineWidth() {
        return px(2.2);
    }

    /** Draws the title centred over the plot area, in the top margin. */
    void title(Canvas canvas, String title, double centreX) {
        if (!title.isEmpty()) {
            canvas.text(title, centreX, px(28), titleSize(), true, Canvas.HAlign.MIDDLE, Canvas.VAlign.BASELINE, 0,
                    Rgb.TEXT);
        }
    }

    /** Top margin: room for the title when there is one. */
    double topMargin(String title) {
        return title.isEmpty() ? px(18) : px(46);
    }

    /** Shortens text to at most {@code maxWidth} pixels of estimated width, ending it with an ellipsis. */
    static String fit(String text, double fontSize, double maxWidth) {
        if (Canvas.textWidth(text, fontSize, false) <= maxWidth + 0.5) {
            return text;
        }
        int keep = Math.max(1, (int) (maxWidth / Canvas.textWidth("x", fontSize, false)) - 1);
        return keep >= text.length() ? text : text.substring(0, keep) + "…";
    }
}
