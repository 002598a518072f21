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
 * such rows cost a second pass but are never reported. Arrays and heap segments, which the SIMD kernels do not read,
 * are scanned with the scalar loop.
 *
 * <p><b>Note:</b> stateless and thread-safe; nothing allocates unless an exception is thrown.
 */
public final class NonFiniteScan {

    /**
     * Elements summed per call before a chunk is split into rows: small enough that a sum overflows only when its
     * values are huge, large enough that the per-call checks of the facade do not matter.
     */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    /** Static methods only. */
    private NonFiniteScan() {
    }

    /**
     * Throws for the first non-finite value of the [rows, cols] block x starting at element 0 (fp32, native or heap),
     * whose row 0 is row {@code firstRow} of {@code source}.
     *
     * @param x        [rows, cols] fp32 values from element 0, native or heap; not modified
     * @param rows     rows to check, ≥ 0
     * @param cols     values per row, ≥ 0
     * @param source   where the rows came from, for the exception's message
     * @param firstRow the row of {@code source} that is x's row 0
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
     * @param x        [rows, cols] values, row-major from index 0; not modified
     * @param rows     rows to check, ≥ 0
     * @param cols     values per row, ≥ 0
     * @param source   where the rows came from, for the exception's message
     * @param firstRow the row of {@code source} that is x's row 0
     * @throws NonFiniteInputException  naming {@code source}, {@code firstRow + r}, the column and the value
     * @throws IllegalArgumentException if a size is negative or x holds fewer than rows·cols floats
     */
    public static void requireFinite(float[] x, int rows, int cols, String source, long firstRow) {
        checkArray(x, 0, rows, cols);
        requireFinite(MemorySegment.ofArray(x), rows, cols, source, firstRow);
    }

    /**
     * Throws for the first non-finite value stored in {@code codes} (rows in order), naming its row
     * ({@code firstRow + r}) and its latent as the column.
     *
     * @param codes    the codes whose stored values are checked; not modified
     * @param source   where the codes came from, for the exception's message
     * @param firstRow the row of {@code source} that is the codes' row 0
     * @throws NonFiniteInputException naming {@code source}, the row, the latent and the value
     */
    public static void requireFinite(SparseCode codes, String source, long firstRow) {
        int row = firstRow(codes);
        if (row >= 0) {
            int entry = firstEntry(codes, row);
            throw new NonFiniteInputException(source, firstRow + row, codes.indices()[entry], codes.values()[entry]);
        }
    }

    /**
     * The first row of {@code codes} with a stored NaN or infinity.
     *
     * @param codes the codes to scan; not modified
     * @return the row, from 0, or −1 when every stored value is finite
     */
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

    /**
     * Where in {@link SparseCode#values()} row {@code row}'s first non-finite value is stored.
     *
     * @param codes the codes; not modified
     * @param row   the row to search, in [0, rows)
     * @return the entry's position in {@code codes.values()} (and {@code codes.indices()}), or −1 when the row's
     *         stored values are all finite
     */
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
     * @param x      fp32 values, native or heap; not modified
     * @param offset element (not byte) index of the block's first value, ≥ 0
     * @param rows   rows in the block, ≥ 0
     * @param cols   values per row, ≥ 0
     * @return the row, from 0, or −1
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
     * @param x      the values; not modified
     * @param offset index of the block's first value, ≥ 0
     * @param rows   rows in the block, ≥ 0
     * @param cols   values per row, ≥ 0
     * @return the row, from 0, or −1
     * @throws IllegalArgumentException if a size or the offset is negative, or the block does not fit in x
     */
    public static int firstRow(float[] x, int offset, int rows, int cols) {
        checkArray(x, offset, rows, cols);
        return firstRow(MemorySegment.ofArray(x), offset, rows, cols);
    }

    /**
     * The column of the first NaN or infinity among the {@code cols} floats at element {@code offset} of x, or −1.
     * A scalar loop, meant for the one row a {@link #firstRow} call has flagged. x not modified. The range is not
     * checked beyond the segment's own bounds.
     *
     * @param x      fp32 values; not modified
     * @param offset element (not byte) index of the first value to test
     * @param cols   number of values to test
     * @return the column, from 0, or −1 when all {@code cols} values are finite
     * @throws IndexOutOfBoundsException if the range runs past the end of x
     */
    public static int firstColumn(MemorySegment x, long offset, int cols) {
        for (int c = 0; c < cols; c++) {
            if (!Float.isFinite(x.getAtIndex(Layouts.F32, offset + c))) {
                return c;
            }
        }
        return -1;
    }

    /**
     * The column of the first NaN or infinity among {@code x[offset .. offset + cols)}. A scalar loop; the range is
     * not checked beyond the array's own bounds.
     *
     * @param x      the values; not modified
     * @param offset index of the first value to test
     * @param cols   number of values to test
     * @return the column, from 0, or −1 when all {@code cols} values are finite
     * @throws ArrayIndexOutOfBoundsException if the range runs past the end of x
     */
    public static int firstColumn(float[] x, int offset, int cols) {
        return firstColumn(MemorySegment.ofArray(x), offset, cols);
    }

    /**
     * Checks that the [rows, cols] block at element {@code offset} lies within x.
     *
     * @param x      fp32 values
     * @param offset element index of the block's first value
     * @param rows   rows in the block
     * @param cols   values per row
     * @throws NullPointerException     if x is null
     * @throws IllegalArgumentException if a size or the offset is negative, or the block runs past the end of x
     */
    private static void checkBlock(MemorySegment x, long offset, int rows, int cols) {
        Objects.requireNonNull(x, "x");
        checkSizes(offset, rows, cols);
        long elements = (long) rows * cols;
        if ((offset + elements) * Float.BYTES > x.byteSize()) {
            throw new IllegalArgumentException("[" + rows + ", " + cols + "] at element " + offset
                    + " exceeds a segment of " + x.byteSize() / Float.BYTES + " floats");
        }
    }

    /**
     * Checks that the [rows, cols] block at index {@code offset} fits in the array, with the array's own wording.
     *
     * @param x      the array
     * @param offset index of the block's first value
     * @param rows   rows of the block
     * @param cols   values per row
     * @throws NullPointerException     if the array is null
     * @throws IllegalArgumentException if a size or the offset is negative, or the block does not fit
     */
    private static void checkArray(float[] x, int offset, int rows, int cols) {
        Objects.requireNonNull(x, "x");
        checkSizes(offset, rows, cols);
        if (offset + (long) rows * cols > x.length) {
            throw new IllegalArgumentException("[" + rows + ", " + cols + "] at index " + offset
                    + " exceeds an array of " + x.length + " floats");
        }
    }

    /**
     * Checks that a block's sizes and offset are not negative.
     *
     * @param offset index of the block's first value
     * @param rows   rows in the block
     * @param cols   values per row
     * @throws IllegalArgumentException if any of them is negative
     */
    private static void checkSizes(long offset, int rows, int cols) {
        if (rows < 0 || cols < 0 || offset < 0) {
            throw new IllegalArgumentException("negative block: rows " + rows + ", cols " + cols + ", offset "
                    + offset);
        }
    }
}
