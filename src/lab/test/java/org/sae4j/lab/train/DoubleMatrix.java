package org.sae4j.lab.train;

import java.util.Arrays;

/**
 * A small row-major double matrix for the test references: the exact forward passes that finite differences are taken
 * of, and the same backward chains evaluated on absolute values that bound the fp32 rounding error.
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param data rows·cols entries, row-major (shared, not copied)
 */
record DoubleMatrix(int rows, int cols, double[] data) {

    DoubleMatrix {
        if (data.length != rows * cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix with " + data.length + " entries");
        }
    }

    static DoubleMatrix zeros(int rows, int cols) {
        return new DoubleMatrix(rows, cols, new double[rows * cols]);
    }

    /** The fp32 values widened exactly. */
    static DoubleMatrix of(int rows, int cols, float[] values) {
        double[] data = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = values[i];
        }
        return new DoubleMatrix(rows, cols, data);
    }

    /** A column of ones. */
    static DoubleMatrix ones(int rows) {
        DoubleMatrix result = zeros(rows, 1);
        Arrays.fill(result.data, 1);
        return result;
    }

    double get(int row, int col) {
        return data[row * cols + col];
    }

    void set(int row, int col, double value) {
        data[row * cols + col] = value;
    }

    DoubleMatrix copy() {
        return new DoubleMatrix(rows, cols, data.clone());
    }

    /** this · other. */
    DoubleMatrix times(DoubleMatrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("inner sizes " + cols + " and " + other.rows);
        }
        DoubleMatrix result = zeros(rows, other.cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < other.cols; j++) {
                double sum = 0;
                for (int p = 0; p < cols; p++) {
                    sum += get(i, p) * other.get(p, j);
                }
                result.set(i, j, sum);
            }
        }
        return result;
    }

    DoubleMatrix transpose() {
        DoubleMatrix result = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                result.set(j, i, get(i, j));
            }
        }
        return result;
    }

    DoubleMatrix abs() {
        DoubleMatrix result = copy();
        for (int i = 0; i < data.length; i++) {
            result.data[i] = Math.abs(data[i]);
        }
        return result;
    }

    DoubleMatrix plus(DoubleMatrix other) {
        checkSameShape(other);
        DoubleMatrix result = copy();
        for (int i = 0; i < data.length; i++) {
            result.data[i] += other.data[i];
        }
        return result;
    }

    DoubleMatrix minus(DoubleMatrix other) {
        return plus(other.scaled(-1));
    }

    DoubleMatrix scaled(double factor) {
        DoubleMatrix result = copy();
        for (int i = 0; i < data.length; i++) {
            result.data[i] *= factor;
        }
        return result;
    }

    /** Adds {@code value} to every entry. */
    DoubleMatrix shifted(double value) {
        DoubleMatrix result = copy();
        for (int i = 0; i < data.length; i++) {
            result.data[i] += value;
        }
        return result;
    }

    /** Adds the [1, cols] or [cols] row vector to every row. */
    DoubleMatrix plusRow(double[] row) {
        if (row.length != cols) {
            throw new IllegalArgumentException("row of " + row.length + " for " + cols + " columns");
        }
        DoubleMatrix result = copy();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                result.data[i * cols + j] += row[j];
            }
        }
        return result;
    }

    /** Elementwise product with a 0/1 mask (or any matrix of the same shape). */
    DoubleMatrix masked(DoubleMatrix mask) {
        checkSameShape(mask);
        DoubleMatrix result = copy();
        for (int i = 0; i < data.length; i++) {
            result.data[i] *= mask.data[i];
        }
        return result;
    }

    /** 1 where the entry is positive, else 0. */
    DoubleMatrix positiveMask() {
        DoubleMatrix result = zeros(rows, cols);
        for (int i = 0; i < data.length; i++) {
            result.data[i] = data[i] > 0 ? 1 : 0;
        }
        return result;
    }

    double sum() {
        double sum = 0;
        for (double value : data) {
            sum += value;
        }
        return sum;
    }

    double sumOfSquares() {
        double sum = 0;
        for (double value : data) {
            sum += value * value;
        }
        return sum;
    }

    double maxAbs() {
        double max = 0;
        for (double value : data) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    /** The column's L2 norm. */
    double columnNorm(int col) {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += get(i, col) * get(i, col);
        }
        return Math.sqrt(sum);
    }

    private void checkSameShape(DoubleMatrix other) {
        if (rows != other.rows || cols != other.cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " vs " + other.rows + "x" + other.cols);
        }
    }
}
