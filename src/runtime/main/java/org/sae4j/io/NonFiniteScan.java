package org.sae4j.io;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

/**
 * Finds the first NaN or infinity in a block of fp32 rows ([rows, cols], row-major, contiguous) or in the stored
 * values of sparse codes.
 *
 * <pre>{@code
 * NonFiniteScan.requireFinite(block, rows, dIn, x.source(), first);   // throws NonFiniteInputException
 * int bad = NonFiniteScan.firstRow(ws, 0, rows, dIn);                  // -1 when every row is finite
 * }</pre>
 *
 * <p>Native segments are tested with {@link Kernels#sumSquares}, a SIMD reduction: a sum of squares is NaN or
 * infinite whenever one of its terms is NaN or infinite, so a finite sum clears a whole chunk of rows in one pass.
 * Only when a sum is not finite are its rows summed one by one, and only in a row whose sum is not finite does a
 * scalar loop look for the column. An infinite sum can also come from finite values whose squares or their sum
 * overflow fp32 (a value above about 1.8e19 is enough); the scalar loop then finds nothing and the scan goes on, so
 * such rows cost a second pass but are never reported. Arrays and heap segments, which the SIMD kernels do not read, are scanned with the scalar loop.
 *
 * <p><b>Note:</b> stateless and thread-safe; nothing allocates unless an exception is thrown.
 */
public final class NonFiniteScan {

    /**
     * Elements summed per call before a chunk is split into rows: small enough that a sum overflows only when its
     * values are huge, large enough that the per-call checks of the facade do not matter.
     */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private NonFiniteScan() {
    }

    /**
     * Throws for the first non-finite value of the [rows, cols] block x starting at element 0 (fp32, native or heap),
     * whose row 0 is row {@code firstRow} of {@code source}.
     *
     * @throws NonFiniteInputException  naming {@code source}, {@code firstRow + r}, the column and the value
     * @throws IllegalArgumentException if a size is negative or x holds fewer than rows·cols floats
     */
    public static void requireFinite(MemorySegment x, int rows, int cols, String source, long firstRow) {
        int row = firstRow(x, 0, rows, cols);
        if (row >= 0) {
            long rowOffset = (long) row * cols;
            int column = firstColumn(x, rowOffset, cols);
            throw new NonFiniteInputException(source, firstRow + row, column,
                    x.getAtIndex(Layouts.F32, rowOffset + column));
        }
    }

    /**
     * Throws for the first non-finite value of the [rows, cols] block x (row-major from index 0), whose row 0 is row
     * {@code firstRow} of {@code source}.
     *
     * @throws NonFiniteInputException  naming {@code source}, {@code firstRow + r}, the column and the value
     * @throws IllegalArgumentException if a size is negative or x holds fewer than rows·cols floats
     */
    public static void requireFinite(float[] x, int rows, int cols, String source, long firstRow) {
        int row = firstRow(x, 0, rows, cols);
        if (row >= 0) {
            int rowOffset = row * cols;
            int column = firstColumn(x, rowOffset, cols);
            throw new NonFiniteInputException(source, firstRow + row, column, x[rowOffset + column]);
        }
    }

    /**
     * Throws for the first non-finite value stored in {@code codes} (rows in order), naming its row
     * ({@code firstRow + r}) and its latent as the column.
     *
     * @throws NonFiniteInputException naming {@code source}, the row, the latent and the value
     */
    public static void requireFinite(SparseCode codes, String source, long firstRow) {
        int row = firstRow(codes);
        if (row >= 0) {
            int entry = firstEntry(codes, row);
            throw new NonFiniteInputException(source, firstRow + row, codes.indices()[entry], codes.values()[entry]);
        }
    }

    /** The first row of {@code codes} with a stored NaN or infinity, or −1 when there is none. codes not modified. */
    public static int firstRow(SparseCode codes) {
        Objects.requireNonNull(codes, "codes");
        float[] values = codes.values();
        int nnz = codes.nnz();
        for (int t = 0; t < nnz; t++) {
            if (!Float.isFinite(values[t])) {
                int row = 0;
                while (codes.rowStart(row + 1) <= t) {
                    row++;
                }
                return row;
            }
        }
        return -1;
    }

    /** The position in {@link SparseCode#values()} of row r's first non-finite value, or −1. codes not modified. */
    public static int firstEntry(SparseCode codes, int row) {
        float[] values = codes.values();
        for (int t = codes.rowStart(row); t < codes.rowStart(row + 1); t++) {
            if (!Float.isFinite(values[t])) {
                return t;
            }
        }
        return -1;
    }

    /**
     * The first row (counted from the block's start) of the [rows, cols] block at element {@code offset} of x that
     * holds a NaN or an infinity, or −1 when there is none. x is fp32 and not modified.
     *
     * @throws IllegalArgumentException if a size or the offset is negative, or the block does not fit in x
     */
    public static int firstRow(MemorySegment x, long offset, int rows, int cols) {
        checkBlock(x, offset, rows, cols);
        if (!x.isNative()) {
            for (int r = 0; r < rows; r++) {
                if (firstColumn(x, offset + (long) r * cols, cols) >= 0) {
                    return r;
                }
            }
            return -1;
        }
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / Math.max(cols, 1));
        for (int start = 0; start < rows; start += chunkRows) {
            int count = Math.min(chunkRows, rows - start);
            long chunkOffset = offset + (long) start * cols;
            if ((long) count * cols <= Integer.MAX_VALUE
                    && Float.isFinite(Kernels.sumSquares(count * cols, x, chunkOffset))) {
                continue;
            }
            for (int r = 0; r < count; r++) {
                long rowOffset = chunkOffset + (long) r * cols;
                if (!Float.isFinite(Kernels.sumSquares(cols, x, rowOffset)) && firstColumn(x, rowOffset, cols) >= 0) {
                    return start + r;
                }
            }
        }
        return -1;
    }

    /**
     * The first row (counted from the block's start) of the [rows, cols] block at index {@code offset} of x that holds
     * a NaN or an infinity, or −1 when there is none. x not modified.
     *
     * @throws IllegalArgumentException if a size or the offset is negative, or the block does not fit in x
     */
    public static int firstRow(float[] x, int offset, int rows, int cols) {
        Objects.requireNonNull(x, "x");
        checkSizes(offset, rows, cols);
        if (offset + (long) rows * cols > x.length) {
            throw new IllegalArgumentException("[" + rows + ", " + cols + "] at index " + offset
                    + " exceeds an array of " + x.length + " floats");
        }
        for (int r = 0; r < rows; r++) {
            if (firstColumn(x, offset + r * cols, cols) >= 0) {
                return r;
            }
        }
        return -1;
    }

    /**
     * The column of the first NaN or infinity among the {@code cols} floats at element {@code offset} of x, or −1.
     * A scalar loop, meant for the one row a {@link #firstRow} call has flagged. x not modified.
     */
    public static int firstColumn(MemorySegment x, long offset, int cols) {
        for (int c = 0; c < cols; c++) {
            if (!Float.isFinite(x.getAtIndex(Layouts.F32, offset + c))) {
                return c;
            }
        }
        return -1;
    }

    /** The column of the first NaN or infinity among {@code x[offset .. offset + cols)}, or −1. x not modified. */
    public static int firstColumn(float[] x, int offset, int cols) {
        for (int c = 0; c < cols; c++) {
            if (!Float.isFinite(x[offset + c])) {
                return c;
            }
        }
        return -1;
    }

    private static void checkBlock(MemorySegment x, long offset, int rows, int cols) {
        Objects.requireNonNull(x, "x");
        checkSizes(offset, rows, cols);
        long elements = (long) rows * cols;
        if ((offset + elements) * Float.BYTES > x.byteSize()) {
            throw new IllegalArgumentException("[" + rows + ", " + cols + "] at element " + offset
                    + " exceeds a segment of " + x.byteSize() / Float.BYTES + " floats");
        }
    }

    private static void checkSizes(long offset, int rows, int cols) {
        if (rows < 0 || cols < 0 || offset < 0) {
            throw new IllegalArgumentException("negative block: rows " + rows + ", cols " + cols + ", offset "
                    + offset);
        }
    }
}
