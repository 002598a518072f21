package org.sae4j.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named line of a {@link LinePlot} (or the overlay of a {@link Heatmap}): points {@code (x[i], y[i])} joined in
 * array order, with an optional ± band.
 *
 * <pre>{@code
 * Series mean = new Series("ISTA", flops, meanMcc, stdMcc, false);   // band mean ± std over seeds
 * Series bound = Series.of("M = 2K ln(N/K)", ns, ms);
 * }</pre>
 *
 * <p>A NaN {@code y} leaves a gap: the line stops before that point and restarts after it. Axis-specific rules (no
 * non-positive values on a {@link AxisScale#LOG10} axis) are checked by the plot that holds the series, which knows
 * the scales. The arrays are copied on construction and on access, so a series is immutable.
 *
 * @param name   the legend text; not null (may be empty)
 * @param x      x values, all finite
 * @param y      y values, finite or NaN (a gap), same length as {@code x}
 * @param spread half-width of the band drawn around {@code y} (for example the standard deviation over seeds),
 *               finite and non-negative or NaN (no band at that point), same length as {@code x}; null for no band
 * @param dashed whether the line is dashed (for reference curves, bounds, baselines)
 */
public record Series(String name, double[] x, double[] y, double[] spread, boolean dashed) {

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException when a length differs, an x is not finite, a y is infinite, or a spread value
     *                                  is negative or infinite; the message names the series and the index
     */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x of series '" + name + "'");
        Objects.requireNonNull(y, "y of series '" + name + "'");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " values but y has "
                    + y.length);
        }
        if (spread != null && spread.length != x.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " values but spread has "
                    + spread.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("series '" + name + "': x[" + i + "] = " + x[i]
                        + " is not finite");
            }
            if (Double.isInfinite(y[i])) {
                throw new IllegalArgumentException("series '" + name + "': y[" + i + "] = " + y[i]
                        + " is infinite (use NaN for a gap)");
            }
            if (spread != null && (Double.isInfinite(spread[i]) || spread[i] < 0)) {
                throw new IllegalArgumentException("series '" + name + "': spread[" + i + "] = " + spread[i]
                        + " must be finite and non-negative (or NaN for no band)");
            }
        }
        x = x.clone();
        y = y.clone();
        spread = spread == null ? null : spread.clone();
    }

    /** A solid line without a band. */
    public static Series of(String name, double[] x, double[] y) {
        return new Series(name, x, y, null, false);
    }

    /** This series drawn dashed. */
    public Series asDashed() {
        return new Series(name, x, y, spread, true);
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }

    /** A copy of the x values. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** A copy of the y values. */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** A copy of the band half-widths, or null when the series has no band. */
    @Override
    public double[] spread() {
        return spread == null ? null : spread.clone();
    }

    /** Whether a band is drawn. */
    public boolean hasSpread() {
        return spread != null;
    }

    double xAt(int i) {
        return x[i];
    }

    double yAt(int i) {
        return y[i];
    }

    double spreadAt(int i) {
        return spread == null ? Double.NaN : spread[i];
    }

    /** Compares array contents, not identities. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Series that && name.equals(that.name) && dashed == that.dashed
                && Arrays.equals(x, that.x) && Arrays.equals(y, that.y) && Arrays.equals(spread, that.spread);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dashed, Arrays.hashCode(x), Arrays.hashCode(y), Arrays.hashCode(spread));
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + x.length + " points" + (spread == null ? "" : ", band")
                + (dashed ? ", dashed" : "") + "]";
    }
}
