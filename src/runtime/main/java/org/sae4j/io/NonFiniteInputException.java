package org.sae4j.io;

import java.io.Serial;

/**
 * An input matrix holds a NaN or an infinity, which no encoder, decoder or metric can give a meaningful result for:
 * the message names where the first such value is and what it is, e.g.
 * {@code x.npy row 3, column 17: NaN (inputs must be finite)}. Rows and columns count from 0, as numpy indexes
 * ({@code x[3, 17]}); for a file, the row counts from the file's first row, for in-memory data from the first row
 * of the batch given.
 *
 * <p>It is an {@link IllegalArgumentException}, not a {@link FormatException}: the container is well formed and the
 * same check guards arrays handed to {@code Sae} directly, whose callers do not handle {@code IOException}. The
 * command line maps it, like every {@code IllegalArgumentException}, to exit code 2.
 *
 * <p>{@link NonFinitePolicy} decides what happens instead of this exception when a caller prefers to skip or zero
 * such rows; {@link NonFiniteScan} finds them.
 */
public final class NonFiniteInputException extends IllegalArgumentException {

    /** Version of the serialised form. */
    @Serial
    private static final long serialVersionUID = 1L;

    /** The source named for in-memory input rows. */
    public static final String IN_MEMORY_INPUT = "input";

    /** The source named for in-memory codes. */
    public static final String IN_MEMORY_CODES = "codes";

    /**
     * Where the value was: a file path (with its tensor), or a name for in-memory data such as
     * {@value #IN_MEMORY_INPUT} or {@value #IN_MEMORY_CODES}.
     */
    private final String source;
    /** The value's row, from 0 (the file's first row, or the first row of the batch given). */
    private final long row;
    /** The value's column, from 0. */
    private final int column;
    /** The non-finite value found. */
    private final float value;

    /**
     * Creates the exception for the first non-finite value of an input.
     *
     * @param source a file path (and tensor, as {@link ActivationFile#source()} gives it), or a name for in-memory
     *               data such as {@value #IN_MEMORY_INPUT}
     * @param row    the value's row, from 0
     * @param column the value's column, from 0
     * @param value  the value: NaN or an infinity
     * @throws IllegalArgumentException if {@code value} is finite, or {@code row} or {@code column} is negative
     */
    public NonFiniteInputException(String source, long row, int column, float value) {
        super(message(source, row, column, value));
        if (Float.isFinite(value) || row < 0 || column < 0) {
            throw new IllegalArgumentException("not a non-finite value at a valid position: row " + row
                    + ", column " + column + ", value " + value);
        }
        this.source = source;
        this.row = row;
        this.column = column;
        this.value = value;
    }

    /**
     * Where the value was.
     *
     * @return a file path (with its tensor), or a name for in-memory data such as {@value #IN_MEMORY_INPUT}
     */
    public String source() {
        return source;
    }

    /**
     * The value's row.
     *
     * @return the row, from 0: counted from the file's first row, or from the first row of the batch given
     */
    public long row() {
        return row;
    }

    /**
     * The value's column.
     *
     * @return the column, from 0
     */
    public int column() {
        return column;
    }

    /**
     * The value found.
     *
     * @return {@link Float#NaN}, {@link Float#POSITIVE_INFINITY} or {@link Float#NEGATIVE_INFINITY}
     */
    public float value() {
        return value;
    }

    /**
     * The exception's message, e.g. {@code x.npy row 3, column 17: NaN (inputs must be finite)}.
     *
     * @param source where the value was
     * @param row    its row, from 0
     * @param column its column, from 0
     * @param value  the value
     * @return the message
     */
    private static String message(String source, long row, int column, float value) {
        return source + " row " + row + ", column " + column + ": " + value + " (inputs must be finite)";
    }
}
