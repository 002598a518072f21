package org.sae4j.lab.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact linear assignment on a dense rows×cols matrix: the shortest-augmenting-path Hungarian method with row and
 * column potentials (Kuhn–Munkres in the Jonker–Volgenant formulation), O(r²·c) for r = min(rows, cols),
 * c = max(rows, cols).
 *
 * <pre>{@code
 *   minimise  Σ_i cost[i, σ(i)]   over injective σ
 *   rows ≤ cols: every row is assigned;  rows > cols: every column is assigned, the other rows get −1
 * }</pre>
 *
 * <pre>{@code
 * double[] weights = {0.1, 0.9,
 *                     0.8, 0.2};                              // [2, 2] row-major
 * int[] rowToCol = Hungarian.maximise(weights, 2, 2);        // {1, 0}
 * double best = Hungarian.total(weights, 2, 2, rowToCol);    // 1.7
 * }</pre>
 *
 * <p>Ties between optimal assignments are broken deterministically by the algorithm (the same input always gives
 * the same assignment), but not by any documented rule; the optimal total is unique.
 *
 * <p><b>Note:</b> stateless and thread-safe; each call allocates O(rows + cols) scratch plus a transposed or negated
 * copy of the matrix when needed.
 */
public final class Hungarian {

    private Hungarian() {
    }

    /**
     * Assignment of minimum total cost.
     *
     * @param cost [rows, cols] row-major, finite; not modified
     * @return for each row the assigned column, or −1 for the rows left out when rows > cols
     * @throws IllegalArgumentException on negative sizes, a length that is not rows·cols, or a non-finite entry
     */
    public static int[] minimise(double[] cost, int rows, int cols) {
        validate(cost, rows, cols);
        return solve(cost, rows, cols, false);
    }

    /**
     * Assignment of maximum total weight (minimum of the negated weights).
     *
     * @param weight [rows, cols] row-major, finite; not modified
     * @return for each row the assigned column, or −1 for the rows left out when rows > cols
     * @throws IllegalArgumentException on negative sizes, a length that is not rows·cols, or a non-finite entry
     */
    public static int[] maximise(double[] weight, int rows, int cols) {
        validate(weight, rows, cols);
        return solve(weight, rows, cols, true);
    }

    /**
     * {@code Σ matrix[i, rowToCol[i]]} over the assigned rows, summed in row order.
     *
     * @param matrix   [rows, cols] row-major; not modified
     * @param rowToCol an assignment as {@link #minimise} returns it; not modified
     * @throws IllegalArgumentException when the shapes disagree or a column is out of range or used twice
     */
    public static double total(double[] matrix, int rows, int cols, int[] rowToCol) {
        checkShape(matrix, rows, cols);
        Objects.requireNonNull(rowToCol, "rowToCol");
        if (rowToCol.length != rows) {
            throw new IllegalArgumentException("assignment has " + rowToCol.length + " rows, matrix has " + rows);
        }
        boolean[] used = new boolean[cols];
        double sum = 0.0;
        for (int i = 0; i < rows; i++) {
            int j = rowToCol[i];
            if (j == -1) {
                continue;
            }
            if (j < 0 || j >= cols) {
                throw new IllegalArgumentException("row " + i + " assigned to column " + j + " outside [0, " + cols
                        + ")");
            }
            if (used[j]) {
                throw new IllegalArgumentException("column " + j + " assigned twice");
            }
            used[j] = true;
            sum += matrix[i * cols + j];
        }
        return sum;
    }

    private static int[] solve(double[] matrix, int rows, int cols, boolean negate) {
        int[] rowToCol = new int[rows];
        Arrays.fill(rowToCol, -1);
        if (rows == 0 || cols == 0) {
            return rowToCol;
        }
        if (rows <= cols) {
            int[] assignment = shortestAugmentingPaths(matrix, rows, cols, negate, false);
            System.arraycopy(assignment, 0, rowToCol, 0, rows);
        } else {
            // Solve the transpose so the smaller side is the one that is fully assigned.
            int[] colToRow = shortestAugmentingPaths(matrix, cols, rows, negate, true);
            for (int j = 0; j < cols; j++) {
                rowToCol[colToRow[j]] = j;
            }
        }
        return rowToCol;
    }

    /**
     * Minimises over an n×m view (n ≤ m) of {@code matrix}: element (i, j) is {@code matrix[i·m + j]}, or
     * {@code matrix[j·n + i]} when {@code transposed}, negated when {@code negate}. Indices inside are 1-based with
     * column 0 as the virtual start of each augmenting path.
     */
    private static int[] shortestAugmentingPaths(double[] matrix, int n, int m, boolean negate, boolean transposed) {
        double[] rowPotential = new double[n + 1];
        double[] colPotential = new double[m + 1];
        int[] colOwner = new int[m + 1];        // row (1-based) matched to column j, 0 = free
        int[] previousCol = new int[m + 1];     // predecessor of column j on the current shortest path
        double[] slack = new double[m + 1];
        boolean[] visited = new boolean[m + 1];
        for (int row = 1; row <= n; row++) {
            colOwner[0] = row;
            int currentCol = 0;
            Arrays.fill(slack, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do {
                visited[currentCol] = true;
                int currentRow = colOwner[currentCol];
                double delta = Double.POSITIVE_INFINITY;
                int nextCol = 0;
                for (int j = 1; j <= m; j++) {
                    if (visited[j]) {
                        continue;
                    }
                    double entry = transposed
                            ? matrix[(j - 1) * n + (currentRow - 1)]
                            : matrix[(currentRow - 1) * m + (j - 1)];
                    double reduced = (negate ? -entry : entry) - rowPotential[currentRow] - colPotential[j];
                    if (reduced < slack[j]) {
                        slack[j] = reduced;
                        previousCol[j] = currentCol;
                    }
                    if (slack[j] < delta) {
                        delta = slack[j];
                        nextCol = j;
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (visited[j]) {
                        rowPotential[colOwner[j]] += delta;
                        colPotential[j] -= delta;
                    } else {
                        slack[j] -= delta;
                    }
                }
                currentCol = nextCol;
            } while (colOwner[currentCol] != 0);
            do {
                int before = previousCol[currentCol];
                colOwner[currentCol] = colOwner[before];
                currentCol = before;
            } while (currentCol != 0);
        }
        int[] assignment = new int[n];
        for (int j = 1; j <= m; j++) {
            if (colOwner[j] != 0) {
                assignment[colOwner[j] - 1] = j - 1;
            }
        }
        return assignment;
    }

    private static void validate(double[] matrix, int rows, int cols) {
        checkShape(matrix, rows, cols);
        for (int index = 0; index < matrix.length; index++) {
            if (!Double.isFinite(matrix[index])) {
                throw new IllegalArgumentException("non-finite entry " + matrix[index] + " at (" + index / cols + ", "
                        + index % cols + ")");
            }
        }
    }

    private static void checkShape(double[] matrix, int rows, int cols) {
        Objects.requireNonNull(matrix, "matrix");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if ((long) rows * cols != matrix.length) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, shape " + rows + "x" + cols
                    + " needs " + (long) rows * cols);
        }
    }
}
