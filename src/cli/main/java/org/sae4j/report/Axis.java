package org.sae4j.report;

/**
 * Maps data values on one axis to pixels: {@code min} lands on {@code pixelAtMin}, {@code max} on
 * {@code pixelAtMax} (either may be the larger, so a y axis can grow upwards).
 */
record Axis(AxisScale scale, double min, double max, double pixelAtMin, double pixelAtMax) {

    /** Positions further than this many axis lengths outside the range are pinned, keeping coordinates finite. */
    private static final double OUTSIDE_LIMIT = 1.0;

    double pixel(double value) {
        double t = scale == AxisScale.LINEAR
                ? (value - min) / (max - min)
                : value > 0 ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                        : Double.NEGATIVE_INFINITY;
        // values far outside (or non-positive on a log axis) are pinned just beyond the range; the plot area clips
        // them, and the segment towards them keeps the right direction
        t = Math.clamp(t, -OUTSIDE_LIMIT, 1 + OUTSIDE_LIMIT);
        return pixelAtMin + t * (pixelAtMax - pixelAtMin);
    }

    /** Whether a tick at {@code value} falls inside the range (with rounding slack). */
    boolean contains(double value) {
        double slack = 1e-9 * (scale == AxisScale.LINEAR ? max - min : 1);
        return scale == AxisScale.LINEAR ? value >= min - slack && value <= max + slack
                : value > 0 && Math.log10(value) >= Math.log10(min) - slack
                        && Math.log10(value) <= Math.log10(max) + slack;
    }
}
