package org.sae4j.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of sparse codes in CSR form: row r holds {@code nnz(r)} (latent index, value) pairs at positions
 * {@code rowPointers[r] .. rowPointers[r+1] − 1} of {@link #indices()} and {@link #values()}, indices ascending.
 *
 * <pre>{@code
 * SparseCode codes = SparseCode.withCapacity(256, 24576, 256 * 32);   // topk, k = 32; reused per batch
 * sae.encodeSparse(x, 256, codes, ws);                                 // reset to 256 rows and filled
 * for (int r = 0; r < codes.rows(); r++) {
 *     for (int t = codes.rowStart(r); t < codes.rowStart(r + 1); t++) {
 *         int latent = codes.indices()[t];
 *         float value = codes.values()[t];
 *     }
 * }
 * }</pre>
 *
 * <p>Storage is on-heap arrays sized once ({@link #withCapacity}); kernels read indices one at a time, where arrays
 * beat segment reads, and fill the arrays in place. Reuse one instance per thread to keep encoding allocation-free.
 *
 * <p><b>Note:</b> not thread-safe; a kernel call fills disjoint rows from several threads and publishes on return. Only
 * the accessors marked "for tests and cold paths" allocate.
 */
public final class SparseCode {

    /** Largest number of rows: {@code rowPointers.length − 1}. */
    private final int maxRows;
    /** Number of latents, the dense width every index lies below. */
    private final int cols;
    /**
     * [maxRows + 1] start of each row in {@link #indices} and {@link #values}; entries beyond {@link #rows} are stale.
     */
    private final int[] rowPointers;
    /** [maxNnz] latent indices, ascending within each row. */
    private final int[] indices;
    /** [maxNnz] values paired with {@link #indices}. */
    private final float[] values;
    /** Rows currently held, at most {@link #maxRows}. */
    private int rows;

    /**
     * An empty code with arrays of the given capacities; callers validate the sizes.
     *
     * @param maxRows largest number of rows
     * @param cols    number of latents
     * @param maxNnz  largest number of entries
     */
    private SparseCode(int maxRows, int cols, int maxNnz) {
        this.maxRows = maxRows;
        this.cols = cols;
        this.rowPointers = new int[maxRows + 1];
        this.indices = new int[maxNnz];
        this.values = new float[maxNnz];
    }

    /**
     * An empty code (0 rows) for up to {@code maxRows} rows over {@code cols} latents holding up to {@code maxNnz}
     * entries. The arrays are allocated here, once.
     *
     * @param maxRows largest number of rows, ≥ 0
     * @param cols    number of latents, ≥ 0
     * @param maxNnz  largest total number of entries, ≥ 0 (topk needs {@code maxRows·k})
     * @return the empty code
     * @throws IllegalArgumentException if a capacity is negative
     */
    public static SparseCode withCapacity(int maxRows, int cols, int maxNnz) {
        if (maxRows < 0 || cols < 0 || maxNnz < 0) {
            throw new IllegalArgumentException(
                    "negative capacity: maxRows=" + maxRows + ", cols=" + cols + ", maxNnz=" + maxNnz);
        }
        return new SparseCode(maxRows, cols, maxNnz);
    }

    /**
     * A code of {@code rowPointers.length - 1} rows over {@code cols} latents holding exactly the given CSR arrays'
     * first {@code rowPointers[rows]} entries (the arrays are copied and not modified).
     *
     * @param cols        number of latents, ≥ 0
     * @param rowPointers [rows + 1] row starts, from 0, non-decreasing
     * @param indices     at least {@code rowPointers[rows]} latent indices, each in [0, cols) and strictly ascending
     *                    within a row
     * @param values      at least {@code rowPointers[rows]} values
     * @return a new code with exactly that capacity
     * @throws IllegalArgumentException if {@code cols} is negative, {@code rowPointers} is empty, does not start at 0
     *                                  or decreases, the arrays hold fewer entries than the pointers claim, an index
     *                                  lies outside [0, cols), or a row's indices do not strictly ascend
     */
    public static SparseCode ofCsr(int cols, int[] rowPointers, int[] indices, float[] values) {
        Objects.requireNonNull(rowPointers, "rowPointers");
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (cols < 0) {
            throw new IllegalArgumentException("negative cols " + cols);
        }
        if (rowPointers.length == 0 || rowPointers[0] != 0) {
            throw new IllegalArgumentException("rowPointers must start with 0 (one more entry than rows)");
        }
        int rows = rowPointers.length - 1;
        for (int r = 0; r < rows; r++) {
            if (rowPointers[r + 1] < rowPointers[r]) {
                throw new IllegalArgumentException("rowPointers decrease at row " + r + ": " + rowPointers[r]
                        + " then " + rowPointers[r + 1]);
            }
        }
        int nnz = rowPointers[rows];
        if (indices.length < nnz || values.length < nnz) {
            throw new IllegalArgumentException("rowPointers claim " + nnz + " entries, indices hold "
                    + indices.length + " and values " + values.length);
        }
        for (int r = 0; r < rows; r++) {
            for (int t = rowPointers[r]; t < rowPointers[r + 1]; t++) {
                int j = indices[t];
                if (j < 0 || j >= cols) {
                    throw new IllegalArgumentException("index " + j + " at entry " + t + " (row " + r
                            + ") outside [0, " + cols + ")");
                }
                if (t > rowPointers[r] && j <= indices[t - 1]) {
                    throw new IllegalArgumentException("row " + r + " indices do not ascend: " + indices[t - 1]
                            + " then " + j + " at entry " + t);
                }
            }
        }
        SparseCode code = new SparseCode(rows, cols, nnz);
        System.arraycopy(rowPointers, 0, code.rowPointers, 0, rows + 1);
        System.arraycopy(indices, 0, code.indices, 0, nnz);
        System.arraycopy(values, 0, code.values, 0, nnz);
        code.rows = rows;
        return code;
    }

    /**
     * Sets the shape to {@code rows} rows of exactly {@code perRow} entries each (row pointers r·perRow); the entries
     * themselves are then written by a kernel. {@code perRow = 0} empties every row.
     *
     * @param rows   number of rows, in [0, maxRows]
     * @param perRow entries per row, with {@code rows·perRow ≤ maxNnz}
     * @throws IllegalArgumentException if the shape exceeds the capacity
     */
    public void resetFixed(int rows, int perRow) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows " + rows + " outside [0, " + maxRows + "]");
        }
        if (perRow < 0 || (long) rows * perRow > indices.length) {
            throw new IllegalArgumentException(rows + " rows of " + perRow + " entries exceed the capacity of "
                    + indices.length + " entries");
        }
        this.rows = rows;
        for (int r = 0; r <= rows; r++) {
            rowPointers[r] = r * perRow;
        }
    }

    /**
     * Number of rows currently held.
     *
     * @return rows, in [0, maxRows]
     */
    public int rows() {
        return rows;
    }

    /**
     * Number of latents (the dense width).
     *
     * @return the width every index lies below
     */
    public int cols() {
        return cols;
    }

    /**
     * Largest number of rows this code can hold.
     *
     * @return the row capacity
     */
    public int maxRows() {
        return maxRows;
    }

    /**
     * Largest number of entries this code can hold.
     *
     * @return the length of the index and value arrays
     */
    public int maxNnz() {
        return indices.length;
    }

    /**
     * Total number of stored entries.
     *
     * @return {@code rowPointers[rows]}
     */
    public int nnz() {
        return rowPointers[rows];
    }

    /**
     * Number of entries in row r.
     *
     * @param r row index in [0, rows)
     * @return {@code rowPointers[r + 1] − rowPointers[r]}
     * @throws IndexOutOfBoundsException if {@code r} is outside [0, rows)
     */
    public int nnz(int r) {
        Objects.checkIndex(r, rows);
        return rowPointers[r + 1] - rowPointers[r];
    }

    /**
     * Position of row r's first entry in {@link #indices()} and {@link #values()}; {@code rowStart(rows())} is the end
     * of the last row.
     *
     * @param r row index in [0, rows]
     * @return {@code rowPointers[r]}
     * @throws IndexOutOfBoundsException if {@code r} is outside [0, rows]
     */
    public int rowStart(int r) {
        Objects.checkIndex(r, rows + 1);
        return rowPointers[r];
    }

    /**
     * The backing row-pointer array (length maxRows + 1, only the first rows + 1 entries meaningful); modified by
     * kernels, never copied.
     *
     * @return the live array
     */
    public int[] rowPointers() {
        return rowPointers;
    }

    /**
     * The backing index array (length maxNnz, only the first nnz entries meaningful); modified by kernels, never
     * copied.
     *
     * @return the live array
     */
    public int[] indices() {
        return indices;
    }

    /**
     * The backing value array (length maxNnz, only the first nnz entries meaningful); modified by kernels, never
     * copied.
     *
     * @return the live array
     */
    public float[] values() {
        return values;
    }

    /**
     * Row r as a dense array of {@link #cols()} floats (zeros elsewhere); allocates, for tests and cold paths.
     *
     * @param r row index in [0, rows)
     * @return a new array of length cols
     * @throws IndexOutOfBoundsException if {@code r} is outside [0, rows)
     */
    public float[] denseRow(int r) {
        float[] dense = new float[cols];
        for (int t = rowStart(r); t < rowStart(r + 1); t++) {
            dense[indices[t]] = values[t];
        }
        return dense;
    }

    /**
     * Row r's indices, copied; allocates, for tests and cold paths.
     *
     * @param r row index in [0, rows)
     * @return a new array of length {@code nnz(r)}, ascending
     * @throws IndexOutOfBoundsException if {@code r} is outside [0, rows)
     */
    public int[] rowIndices(int r) {
        return Arrays.copyOfRange(indices, rowStart(r), rowStart(r + 1));
    }

    @Override
    public String toString() {
        return "SparseCode[" + rows + "x" + cols + ", nnz=" + nnz() + "]";
    }
}
