package org.sae4j.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * A grid of coloured cells, one per (x, y) category, each annotated with its value, with a colour bar and an
 * optional curve drawn over it in data coordinates.
 *
 * <pre>{@code
 * double[] ns = {16, 32, 64, 128};
 * double[] ms = {8, 16, 32};
 * double[][] mcc = ...;                                     // [ms.length][ns.length]
 * Series boundary = Series.of("M = 2K ln(N/K)", nGrid, mGrid).asDashed();
 * Heatmap map = new Heatmap("MCC of ISTA", "N", ns, "M", ms, mcc, 0, 1, boundary, true);
 * }</pre>
 *
 * <p>Cells sit on an index grid: column j is {@code xs[j]}, row i is {@code ys[i]} (row 0 at the bottom), all cells
 * the same size whatever the spacing of the values. The overlay's coordinates are data values, mapped to the grid by
 * piecewise-linear interpolation between neighbouring category values (on log10 of x when {@code logX}), extended
 * linearly past the first and last category, and clipped to the grid.
 *
 * @param title   drawn above the grid; not null
 * @param xLabel  label of the column axis; not null
 * @param xs      column values, finite and strictly increasing (positive when {@code logX}), at least one
 * @param yLabel  label of the row axis; not null
 * @param ys      row values, finite and strictly increasing, at least one
 * @param values  {@code [ys.length][xs.length]} cell values; NaN marks a missing cell (grey, not annotated)
 * @param vMin    value mapped to the low end of the colour map (smaller values are clamped)
 * @param vMax    value mapped to the high end of the colour map (larger values are clamped), above {@code vMin}
 * @param overlay curve drawn over the grid in data coordinates, or null
 * @param logX    whether overlay x values are interpolated on a log scale between the column values
 */
public record Heatmap(String title, String xLabel, double[] xs, String yLabel, double[] ys, double[][] values,
        double vMin, double vMax, Series overlay, boolean logX) implements Plot {

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException when an axis is empty, not finite or not strictly increasing, the value
     *                                  matrix has the wrong shape or an infinite value, the colour range is empty or
     *                                  not finite, or (with {@code logX}) a column or overlay x is not positive
     */
    public Heatmap {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        checkAxis("xs", xs, logX, title);
        checkAxis("ys", ys, false, title);
        Objects.requireNonNull(values, "values");
        if (values.length != ys.length) {
            throw new IllegalArgumentException("heatmap '" + title + "': values has " + values.length
                    + " rows but ys has " + ys.length + " values");
        }
        double[][] copy = new double[values.length][];
        for (int row = 0; row < values.length; row++) {
            if (values[row] == null || values[row].length != xs.length) {
                throw new IllegalArgumentException("heatmap '" + title + "': values[" + row + "] has "
                        + (values[row] == null ? "no" : values[row].length) + " columns but xs has " + xs.length
                        + " values");
            }
            for (int column = 0; column < xs.length; column++) {
                if (Double.isInfinite(values[row][column])) {
                    throw new IllegalArgumentException("heatmap '" + title + "': values[" + row + "][" + column
                            + "] is infinite (use NaN for a missing cell)");
                }
            }
            copy[row] = values[row].clone();
        }
        values = copy;
        if (!Double.isFinite(vMin) || !Double.isFinite(vMax) || !(vMin < vMax)) {
            throw new IllegalArgumentException("heatmap '" + title + "': colour range [" + vMin + ", " + vMax
                    + "] must be finite with vMin < vMax");
        }
        if (overlay != null && logX) {
            for (int i = 0; i < overlay.size(); i++) {
                if (!(overlay.xAt(i) > 0)) {
                    throw new IllegalArgumentException("series '" + overlay.name() + "': x[" + i + "] = "
                            + overlay.xAt(i) + " is not positive on the log x axis of heatmap '" + title + "'");
                }
            }
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    private static void checkAxis(String name, double[] axis, boolean positive, String title) {
        Objects.requireNonNull(axis, name);
        if (axis.length == 0) {
            throw new IllegalArgumentException("heatmap '" + title + "': " + name + " is empty");
        }
        for (int i = 0; i < axis.length; i++) {
            if (!Double.isFinite(axis[i]) || (positive && axis[i] <= 0)) {
                throw new IllegalArgumentException("heatmap '" + title + "': " + name + "[" + i + "] = " + axis[i]
                        + (positive ? " must be finite and positive (logX)" : " must be finite"));
            }
            if (i > 0 && !(axis[i] > axis[i - 1])) {
                throw new IllegalArgumentException("heatmap '" + title + "': " + name + " must be strictly "
                        + "increasing but " + name + "[" + i + "] = " + axis[i] + " follows " + axis[i - 1]);
            }
        }
    }

    /** A copy of the column values. */
    @Override
    public double[] xs() {
        return xs.clone();
    }

    /** A copy of the row values. */
    @Override
    public double[] ys() {
        return ys.clone();
    }

    /** A deep copy of the cell values, {@code [ys.length][xs.length]}. */
    @Override
    public double[][] values() {
        double[][] copy = new double[values.length][];
        for (int row = 0; row < values.length; row++) {
            copy[row] = values[row].clone();
        }
        return copy;
    }

    double valueAt(int row, int column) {
        return values[row][column];
    }

    double xAt(int column) {
        return xs[column];
    }

    double yAt(int row) {
        return ys[row];
    }

    /** Compares array contents, not identities. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Heatmap that && title.equals(that.title) && xLabel.equals(that.xLabel)
                && yLabel.equals(that.yLabel) && Arrays.equals(xs, that.xs) && Arrays.equals(ys, that.ys)
                && Arrays.deepEquals(values, that.values) && Double.compare(vMin, that.vMin) == 0
                && Double.compare(vMax, that.vMax) == 0 && Objects.equals(overlay, that.overlay)
                && logX == that.logX;
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, xLabel, yLabel, Arrays.hashCode(xs), Arrays.hashCode(ys),
                Arrays.deepHashCode(values), vMin, vMax, overlay, logX);
    }

    @Override
    public String toString() {
        return "Heatmap[" + title + ", " + ys.length + "×" + xs.length + (overlay == null ? "" : ", overlay "
                + overlay.name()) + "]";
    }
}
