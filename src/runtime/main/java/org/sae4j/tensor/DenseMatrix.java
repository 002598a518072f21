package org.sae4j.tensor;

import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A row-major view of a rows×cols matrix inside a segment: element (i, j) lives at element index
 * {@code offset + i·rowStride + j}. A vector is a 1×n view. Views never copy; {@link #row} and {@link #rows} slice.
 *
 * <p><b>Note:</b> immutable and thread-safe as a view; the elements are as thread-safe as the caller makes them.
 *
 * @param segment   storage
 * @param dtype     element type
 * @param offset    element index of (0, 0)
 * @param rows      number of rows
 * @param cols      number of columns
 * @param rowStride elements between the starts of consecutive rows (≥ cols when rows > 1)
 */
public record DenseMatrix(MemorySegment segment, DType dtype, long offset, int rows, int cols, int rowStride) {

    /**
     * Validates the view against its segment.
     *
     * @throws NullPointerException     if {@code segment} or {@code dtype} is null
     * @throws IllegalArgumentException if a dimension or the offset is negative, {@code rowStride < cols} with more
     *                                  than one row, or the last element lies beyond the segment
     */
    public DenseMatrix {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(dtype, "dtype");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (rows > 1 && rowStride < cols) {
            throw new IllegalArgumentException("row stride " + rowStride + " < cols " + cols);
        }
        long lastElement = rows == 0 || cols == 0 ? offset : offset + (long) (rows - 1) * rowStride + cols;
        if (lastElement * dtype.byteSize() > segment.byteSize()) {
            throw new IllegalArgumentException("view " + rows + "x" + cols + " (stride " + rowStride + ", offset "
                    + offset + ") exceeds a segment of " + segment.byteSize() + " bytes");
        }
    }

    /**
     * A dense fp32 view of the first {@code rows·cols} elements of {@code segment}: offset 0, row stride {@code cols}.
     *
     * @param segment storage, at least {@code rows·cols·4} bytes
     * @param rows    number of rows, ≥ 0
     * @param cols    number of columns, ≥ 0
     * @return the view; nothing is copied
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static DenseMatrix f32(MemorySegment segment, int rows, int cols) {
        return new DenseMatrix(segment, DType.F32, 0, rows, cols, cols);
    }

    /**
     * Row {@code i} as a 1×cols view of the same memory.
     *
     * @param i row index in [0, rows)
     * @return the view; nothing is copied
     * @throws IndexOutOfBoundsException if {@code i} is outside [0, rows)
     */
    public DenseMatrix row(int i) {
        Objects.checkIndex(i, rows);
        return new DenseMatrix(segment, dtype, offset + (long) i * rowStride, 1, cols, cols);
    }

    /**
     * Rows [from, to) as a view of the same memory, with this view's row stride.
     *
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @return a {@code (to − from)}×cols view; nothing is copied
     * @throws IndexOutOfBoundsException if the range is not within [0, rows]
     */
    public DenseMatrix rows(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        return new DenseMatrix(segment, dtype, offset + (long) from * rowStride, to - from, cols, rowStride);
    }

    /**
     * Whether consecutive rows follow each other with no gap ({@code rowStride == cols}, or at most one row), so the
     * view is one packed block of {@code rows·cols} elements from {@link #offset()}.
     *
     * @return true when the rows are contiguous
     */
    public boolean isPacked() {
        return rows <= 1 || rowStride == cols;
    }

    /**
     * Checks that this view holds fp32 rows of {@code width} columns, for an entry point that reads or writes them.
     *
     * @param name      names the view in the message (the parameter's name, {@code "x"})
     * @param width     the columns the caller needs
     * @param widthName names that width in the message ({@code "d_in"})
     * @return this view
     * @throws IllegalArgumentException if the view is not {@link DType#F32} or has another number of columns; the
     *                                  message names the view and, for a wrong width, both widths
     */
    public DenseMatrix requireF32(String name, int width, String widthName) {
        if (dtype != DType.F32) {
            throw new IllegalArgumentException(name + " is a " + dtype + " view; fp32 (DType.F32) rows are required");
        }
        if (cols != width) {
            throw new IllegalArgumentException(name + " has " + cols + " columns, " + widthName + " is " + width);
        }
        return this;
    }

    /**
     * As {@link #requireF32}, and also checks that the rows are contiguous ({@link #isPacked()}), for a path that
     * reads or writes the view as one packed block.
     *
     * @param name      names the view in the message
     * @param width     the columns the caller needs
     * @param widthName names that width in the message
     * @return this view
     * @throws IllegalArgumentException as {@link #requireF32}, or if the row stride differs from the column count
     *                                  with more than one row
     */
    public DenseMatrix requirePackedF32(String name, int width, String widthName) {
        requireF32(name, width, widthName);
        if (!isPacked()) {
            throw new IllegalArgumentException(name + " has row stride " + rowStride + " for " + cols
                    + " columns; this path needs contiguous rows (row stride == cols)");
        }
        return this;
    }

    /**
     * The packed block of this view as a segment starting at its element (0, 0): the segment itself when the offset
     * is 0 (nothing allocated), else a slice of {@code rows·cols} elements.
     *
     * @return the block's segment
     * @throws IllegalStateException if the rows are not contiguous ({@link #isPacked()} is false)
     */
    public MemorySegment packedSegment() {
        if (!isPacked()) {
            throw new IllegalStateException("row stride " + rowStride + " != cols " + cols + ": not one packed block");
        }
        if (offset == 0) {
            return segment;
        }
        return segment.asSlice(offset * dtype.byteSize(), (long) rows * cols * dtype.byteSize());
    }

    /**
     * Element (i, j) as a float (bf16 widened exactly); one bounds-checked scalar read, for tests and cold paths.
     *
     * @param i row index in [0, rows)
     * @param j column index in [0, cols)
     * @return the element's value
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float get(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        long index = offset + (long) i * rowStride + j;
        return dtype == DType.F32 ? segment.getAtIndex(F32, index) : Layouts.bf16ToFloat(segment.getAtIndex(BF16, index));
    }

    /**
     * Sets element (i, j), rounding to nearest even for bf16; one bounds-checked scalar write, for tests and cold
     * paths.
     *
     * @param i     row index in [0, rows)
     * @param j     column index in [0, cols)
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public void set(int i, int j, float value) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        long index = offset + (long) i * rowStride + j;
        if (dtype == DType.F32) {
            segment.setAtIndex(F32, index, value);
        } else {
            segment.setAtIndex(BF16, index, Layouts.floatToBf16(value));
        }
    }
}
