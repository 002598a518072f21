package org.sae4j.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Objects;
import org.sae4j.tensor.Layouts;

/**
 * What a reader of activations does with a row that holds a NaN or an infinity: refuse the input (the default),
 * leave the row out, or replace it with zeros. The policy is applied to one block of rows at a time, before the
 * rows reach an SAE, whose entry points always refuse non-finite input.
 *
 * <pre>{@code
 * float[] block = x.readRows(first, count);
 * int affected = policy.apply(block, count, x.cols(), x.source(), first);
 * int kept = policy == NonFinitePolicy.SKIP_ROWS ? count - affected : count;   // the block's first kept rows
 * }</pre>
 *
 * <p>A row counts as affected once, however many of its values are not finite. With two matrices read in step (the
 * inputs and the targets of an evaluation), a row is skipped when either holds a non-finite value, so the pairs stay
 * aligned; zeroing zeroes each matrix's own non-finite rows.
 *
 * <p>The command line spells the policies {@code refuse}, {@code skip} and {@code zero} ({@link #optionName()}).
 */
public enum NonFinitePolicy {

    /** Throw {@link NonFiniteInputException} at the first non-finite value (the default). */
    REFUSE("refuse"),

    /** Leave rows holding a non-finite value out; the others move up, in order. */
    SKIP_ROWS("skip"),

    /** Set every value of a row holding a non-finite value to 0; the row stays. */
    ZERO_ROWS("zero");

    /** Floats read per block by {@link #check(ActivationFile)}. */
    private static final int CHECK_BLOCK_ELEMENTS = 1 << 20;

    /** The command-line spelling, lower case. */
    private final String optionName;

    /**
     * A policy with its command-line spelling.
     *
     * @param optionName the spelling, lower case
     */
    NonFinitePolicy(String optionName) {
        this.optionName = optionName;
    }

    /**
     * The policy used when none is given.
     *
     * @return {@link #REFUSE}
     */
    public static NonFinitePolicy defaultPolicy() {
        return REFUSE;
    }

    /**
     * The command-line spelling, which {@link #byOptionName} reads back.
     *
     * @return {@code refuse}, {@code skip} or {@code zero}
     */
    public String optionName() {
        return optionName;
    }

    /**
     * The policy spelled {@code name} on the command line ({@code refuse}, {@code skip} or {@code zero}, any case).
     *
     * @param name the spelling
     * @return the policy whose {@link #optionName()} is {@code name} in lower case
     * @throws IllegalArgumentException for any other name
     */
    public static NonFinitePolicy byOptionName(String name) {
        Objects.requireNonNull(name, "name");
        for (NonFinitePolicy policy : values()) {
            if (policy.optionName.equals(name.toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown non-finite policy '" + name + "'; expected refuse, skip or zero");
    }

    /**
     * Applies this policy to the [rows, cols] block (row-major from index 0), whose row 0 is row {@code firstRow} of
     * {@code source}. {@link #SKIP_ROWS} moves the finite rows to the front of the block, in order; the floats after
     * them are left as they were. {@link #ZERO_ROWS} zeroes the non-finite rows in place.
     *
     * @param block    [rows, cols] values, row-major from index 0; modified (not by {@link #REFUSE})
     * @param rows     rows in the block, ≥ 0
     * @param cols     values per row, ≥ 0
     * @param source   the file (and tensor) the rows came from, for the exception's message
     * @param firstRow the row of {@code source} that is the block's row 0, for the exception's message
     * @return the number of rows skipped or zeroed; always 0 for {@link #REFUSE}
     * @throws NonFiniteInputException  for {@link #REFUSE}, at the first non-finite value
     * @throws IllegalArgumentException if a size is negative or the block holds fewer than rows·cols floats
     */
    public int apply(float[] block, int rows, int cols, String source, long firstRow) {
        return apply(block, cols, source, null, 0, null, rows, firstRow);
    }

    /**
     * Applies this policy to the fp32 [rows, cols] block at the start of {@code block}, as
     * {@link #apply(float[], int, int, String, long)} does for an array; finite rows are found a block of rows at a
     * time and only a row that holds a non-finite value is walked element by element.
     *
     * @param block    writable fp32 memory holding [rows, cols] row-major from byte 0; modified (not by
     *                 {@link #REFUSE})
     * @param rows     rows in the block, ≥ 0
     * @param cols     values per row, ≥ 0
     * @param source   the file (and tensor) the rows came from, for the exception's message
     * @param firstRow the row of {@code source} that is the block's row 0, for the exception's message
     * @return the number of rows skipped or zeroed; always 0 for {@link #REFUSE}
     * @throws NonFiniteInputException  for {@link #REFUSE}, at the first non-finite value
     * @throws IllegalArgumentException if a size is negative or the block holds fewer than rows·cols floats
     */
    public int apply(MemorySegment block, int rows, int cols, String source, long firstRow) {
        Objects.requireNonNull(block, "block");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("block: negative shape [" + rows + ", " + cols + "]");
        }
        return applyInPlace(block, cols, source, null, 0, null, rows, firstRow);
    }

    /**
     * Applies this policy to two matrices read in step: rows r of {@code x} ([rows, xCols]) and of {@code y}
     * ([rows, yCols]) belong together, and row 0 of both is row {@code firstRow} of their sources. {@link #REFUSE}
     * reports the lowest row holding a non-finite value, x before y within a row; {@link #SKIP_ROWS} leaves a row
     * out of both when either holds one; {@link #ZERO_ROWS} zeroes the rows of each matrix that hold one.
     *
     * @param x        [rows, xCols] values, row-major from index 0; modified (not by {@link #REFUSE})
     * @param xCols    values per row of {@code x}, ≥ 0
     * @param xSource  where {@code x} came from, for the exception's message
     * @param y        [rows, yCols] values, row-major from index 0; modified (not by {@link #REFUSE});
     *                 {@code null}, or {@code x} itself, to treat {@code x} alone
     * @param yCols    values per row of {@code y}, ≥ 0; ignored when {@code y} is null
     * @param ySource  where {@code y} came from, for the exception's message
     * @param rows     rows in each matrix, ≥ 0
     * @param firstRow the row of both sources that is row 0 here, for the exception's message
     * @return the number of row positions skipped, or zeroed in either matrix; always 0 for {@link #REFUSE}
     * @throws NonFiniteInputException  for {@link #REFUSE}, at the first non-finite value
     * @throws IllegalArgumentException if a size is negative or an array holds fewer floats than its shape
     */
    public int apply(float[] x, int xCols, String xSource, float[] y, int yCols, String ySource, int rows,
            long firstRow) {
        checkBlock("x", x, rows, xCols);
        if (y != null) {
            checkBlock("y", y, rows, yCols);
        }
        MemorySegment second = y == null || y == x ? null : MemorySegment.ofArray(y);
        return applyInPlace(MemorySegment.ofArray(x), xCols, xSource, second, yCols, ySource, rows, firstRow);
    }

    /**
     * The one implementation behind every {@code apply}: finds the next row holding a non-finite value in either
     * matrix with {@link NonFiniteScan#firstRow} (a block of finite rows at a time), then refuses it, leaves it out
     * by moving the finite rows before it forward, or zeroes it.
     *
     * @param x        [rows, xCols] fp32 from element 0; modified (not by {@link #REFUSE})
     * @param xCols    values per row of {@code x}
     * @param xSource  where {@code x} came from, for the exception's message
     * @param y        [rows, yCols] fp32 from element 0 read in step with {@code x}, or null; modified likewise
     * @param yCols    values per row of {@code y}
     * @param ySource  where {@code y} came from, for the exception's message
     * @param rows     rows in each matrix, ≥ 0
     * @param firstRow the row of the sources that is row 0 here, for the exception's message
     * @return the number of row positions skipped, or zeroed in either matrix; 0 for {@link #REFUSE}
     * @throws NonFiniteInputException for {@link #REFUSE}, at the lowest such row, x before y
     */
    private int applyInPlace(MemorySegment x, int xCols, String xSource, MemorySegment y, int yCols, String ySource,
            int rows, long firstRow) {
        int affected = 0;
        int done = 0;
        while (done < rows) {
            int xBad = NonFiniteScan.firstRow(x, (long) done * xCols, rows - done, xCols);
            int yBad = y == null ? -1 : NonFiniteScan.firstRow(y, (long) done * yCols, rows - done, yCols);
            int bad = xBad < 0 ? yBad : yBad < 0 ? xBad : Math.min(xBad, yBad);
            int end = bad < 0 ? rows : done + bad;
            if (this == SKIP_ROWS && affected > 0 && end > done) {
                moveRows(x, xCols, done, end, affected);
                if (y != null) {
                    moveRows(y, yCols, done, end, affected);
                }
            }
            if (bad < 0) {
                break;
            }
            boolean xHit = xBad == bad;
            boolean yHit = yBad == bad;
            switch (this) {
                case REFUSE -> throw xHit ? refusal(x, xCols, xSource, end, firstRow)
                        : refusal(y, yCols, ySource, end, firstRow);
                case SKIP_ROWS -> affected++;
                case ZERO_ROWS -> {
                    if (xHit) {
                        zeroRow(x, xCols, end);
                    }
                    if (yHit) {
                        zeroRow(y, yCols, end);
                    }
                    affected++;
                }
            }
            done = end + 1;
        }
        return affected;
    }

    /**
     * Moves rows [from, to) of a [rows, cols] matrix {@code by} rows towards its start.
     *
     * @param m    the matrix; modified
     * @param cols values per row
     * @param from first row to move
     * @param to   end of the rows to move (exclusive)
     * @param by   how many rows earlier they land
     */
    private static void moveRows(MemorySegment m, int cols, int from, int to, int by) {
        long bytesPerRow = (long) cols * Float.BYTES;
        MemorySegment.copy(m, from * bytesPerRow, m, (from - by) * bytesPerRow, (to - from) * bytesPerRow);
    }

    /**
     * Zeroes row {@code row} of a [rows, cols] matrix.
     *
     * @param m    the matrix; modified
     * @param cols values per row
     * @param row  the row to zero
     */
    private static void zeroRow(MemorySegment m, int cols, int row) {
        m.asSlice((long) row * cols * Float.BYTES, (long) cols * Float.BYTES).fill((byte) 0);
    }

    /**
     * The exception for the first non-finite value of row {@code row}.
     *
     * @param m        the matrix holding the row
     * @param cols     values per row
     * @param source   where the matrix came from
     * @param row      the row, counted from the block's start
     * @param firstRow the source row that is the block's row 0
     * @return the exception naming the source row, the column and the value
     */
    private static NonFiniteInputException refusal(MemorySegment m, int cols, String source, int row,
            long firstRow) {
        long at = (long) row * cols;
        int column = NonFiniteScan.firstColumn(m, at, cols);
        return new NonFiniteInputException(source, firstRow + row, column, m.getAtIndex(Layouts.F32, at + column));
    }

    /**
     * Reads every row of {@code input} once and returns how many this policy would skip or zero, so that a writer
     * whose header states the row count (a {@code .npy}) knows it before writing, and so that {@link #REFUSE}
     * refuses before any output exists.
     *
     * @param input the file to scan; F32 files are read in place, other types widened a block at a time into a
     *              temporary buffer of about 4 MiB (at least one row)
     * @return the number of rows holding a non-finite value; 0 for {@link #REFUSE}, which throws instead
     * @throws NonFiniteInputException for {@link #REFUSE}, at the first non-finite value
     */
    public long check(ActivationFile input) {
        Objects.requireNonNull(input, "input");
        int cols = input.cols();
        int blockRows = Math.max(1, CHECK_BLOCK_ELEMENTS / Math.max(cols, 1));
        long affected = 0;
        try (Arena arena = Arena.ofConfined()) {
            // F32 files are scanned in place; other types are widened a block at a time into this scratch
            MemorySegment scratch = arena.allocate((long) blockRows * cols * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            for (long first = 0; first < input.rows(); first += blockRows) {
                int count = (int) Math.min(blockRows, input.rows() - first);
                MemorySegment block = input.rows(first, count, scratch).segment();  // packed from element 0
                if (this == REFUSE) {
                    NonFiniteScan.requireFinite(block, count, cols, input.source(), first);
                    continue;
                }
                for (int done = 0; done < count; ) {
                    int bad = NonFiniteScan.firstRow(block, (long) done * cols, count - done, cols);
                    if (bad < 0) {
                        break;
                    }
                    affected++;
                    done += bad + 1;
                }
            }
        }
        return affected;
    }

    /**
     * Checks that an array can hold the [rows, cols] block of {@link #apply(float[], int, String, float[], int,
     * String, int, long)}.
     *
     * @param name   the array's role, for messages ({@code "x"} or {@code "y"})
     * @param values the array
     * @param rows   rows of the block
     * @param cols   values per row
     * @throws NullPointerException     if {@code values} is null
     * @throws IllegalArgumentException if a size is negative or the array holds fewer than rows·cols floats
     */
    private static void checkBlock(String name, float[] values, int rows, int cols) {
        Objects.requireNonNull(values, name);
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + ": negative shape [" + rows + ", " + cols + "]");
        }
        if ((long) rows * cols > values.length) {
            throw new IllegalArgumentException(name + ": [" + rows + ", " + cols + "] needs " + (long) rows * cols
                    + " floats, the array has " + values.length);
        }
    }
}
