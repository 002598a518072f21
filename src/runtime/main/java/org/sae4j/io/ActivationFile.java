package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * A 2-D floating-point matrix of activations ([rows, cols], row-major) read from a {@code .npy} file or from one
 * tensor of a {@code .safetensors} file, mapped in place; F32 rows are handed out as views of the mapping and other
 * types widened to fp32 a block of rows at a time, so inputs of millions of rows are never copied whole.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("activations")) {
 *     ActivationFile x = ActivationFile.open(Path.of("resid.npy"), null, arena);
 *     x.requireCols(sae.dIn(), "d_in");
 *     MemorySegment scratch = arena.allocateFloats(1024L * x.cols());
 *     DenseMatrix firstRows = x.rows(0, 1024, scratch);     // a view of the mapping when the file holds F32
 * }
 * }</pre>
 *
 * <p>Accepted element types: F32, F16, BF16 (widened exactly) and F64 (rounded to nearest). A safetensors file with one
 * tensor needs no name; with several, the caller names one. Container problems are {@link FormatException}s from the
 * underlying reader; a file that is valid but not a 2-D floating-point matrix is an {@link IllegalArgumentException}.
 *
 * <p><b>Note:</b> immutable and thread-safe; the mapping lives as long as the arena given to {@link #open}.
 * {@link #readRows} allocates its result.
 */
public final class ActivationFile {

    /** The file (and tensor), for messages. */
    private final String source;
    /** Stored element type, floating point. */
    private final SafetensorsDType dtype;
    /** Number of rows. */
    private final long rows;
    /** Row width. */
    private final int cols;
    /** The matrix in place: [rows, cols] elements of {@link #dtype}, read-only mapped. */
    private final MemorySegment data;

    /**
     * Wraps a validated matrix.
     *
     * @param source names the file in messages
     * @param dtype  element type
     * @param rows   number of rows
     * @param cols   row width
     * @param data   the elements in place
     */
    private ActivationFile(String source, SafetensorsDType dtype, long rows, int cols, MemorySegment data) {
        this.source = source;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /**
     * Maps {@code path}: a {@code .npy} array, or the tensor {@code tensorName} of a {@code .safetensors} file
     * ({@code null} when the file holds exactly one tensor). The file type is chosen by its extension.
     *
     * @param path       a {@code .npy} or {@code .safetensors} file
     * @param tensorName the tensor to read from a safetensors file, or {@code null}; must be {@code null} for
     *                   {@code .npy}
     * @param owner      owner of the mapping; the matrix is readable until it is closed
     * @return the validated matrix
     * @throws FormatException          if the file is not a valid container
     * @throws IllegalArgumentException if the file type is not recognised, a tensor name is given for a {@code .npy}
     *                                  file, the tensor is missing or ambiguous, or the matrix is not 2-D floating
     *                                  point
     * @throws IOException              if the file cannot be read
     */
    public static ActivationFile open(Path path, String tensorName, TensorArena owner) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(owner, "owner");
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (name.endsWith(".npy")) {
            if (tensorName != null) {
                throw new IllegalArgumentException(path + ": --tensor applies to .safetensors files only");
            }
            NpyFile npy = NpyFile.open(path, owner);
            return of(path.toString(), npy.dtype(), npy.shape(), npy.segment());
        }
        if (name.endsWith(".safetensors")) {
            SafetensorsFile file = SafetensorsFile.open(path, owner);
            String chosen = tensorName;
            if (chosen == null) {
                if (file.names().size() != 1) {
                    throw new IllegalArgumentException(path + " holds " + file.names().size()
                            + " tensors " + file.names() + "; name one with --tensor");
                }
                chosen = file.names().iterator().next();
            } else if (!file.contains(chosen)) {
                throw new IllegalArgumentException(path + " has no tensor '" + chosen + "' (it holds "
                        + file.names() + ")");
            }
            SafetensorsTensor tensor = file.tensor(chosen);
            return of(path + " tensor '" + chosen + "'", tensor.dtype(), tensor.shape(), file.segment(chosen));
        }
        throw new IllegalArgumentException(path + ": expected a .npy or .safetensors file");
    }

    /**
     * Checks that a stored tensor is a 2-D floating-point matrix whose rows fit an int width.
     *
     * @param source names the file (and tensor) in messages
     * @param dtype  stored element type
     * @param shape  stored dimensions
     * @param data   the elements in place
     * @return the matrix
     * @throws IllegalArgumentException if the shape is not 2-D, the type is not floating point, or a row is too wide
     */
    private static ActivationFile of(String source, SafetensorsDType dtype, List<Long> shape, MemorySegment data) {
        if (shape.size() != 2) {
            throw new IllegalArgumentException(source + " has shape " + shape + "; expected a 2-D matrix [rows, "
                    + "width]");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(source + " holds " + dtype + "; expected F32, F16, BF16 or F64");
        }
        long cols = shape.get(1);
        if (cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(source + " has " + cols + " columns, more than a row can hold");
        }
        return new ActivationFile(source, dtype, shape.get(0), (int) cols, data);
    }

    /**
     * Number of rows.
     *
     * @return the first dimension
     */
    public long rows() {
        return rows;
    }

    /**
     * Row width.
     *
     * @return the second dimension
     */
    public int cols() {
        return cols;
    }

    /**
     * Stored element type.
     *
     * @return F32, F16, BF16 or F64
     */
    public SafetensorsDType dtype() {
        return dtype;
    }

    /**
     * The file (and tensor) this matrix came from, for messages.
     *
     * @return the path, with {@code " tensor 'NAME'"} for safetensors files
     */
    public String source() {
        return source;
    }

    /**
     * Checks the row width.
     *
     * @param expected the width the caller needs
     * @param role     what the width must match, for the message (e.g. {@code "the SAE's d_in"})
     * @throws IllegalArgumentException if {@link #cols()} is not {@code expected}
     */
    public void requireCols(int expected, String role) {
        if (cols != expected) {
            throw new IllegalArgumentException(source + " has rows of width " + cols + ", " + role + " is "
                    + expected);
        }
    }

    /**
     * Rows {@code first .. first + count - 1} as fp32 [count, cols], row-major, without a copy where the file allows:
     * a read-only view of the mapping when the file stores F32 (little-endian, as both formats do), otherwise the
     * rows widened into {@code scratch}. The shortest path for streaming a file through a model.
     *
     * @param first   index of the first row, ≥ 0
     * @param count   number of rows, ≥ 0
     * @param scratch at least {@code count·cols} floats; modified when the rows are widened
     * @return an F32 [count, cols] view with contiguous rows, of the mapping (never write to it) or of the front of
     *         {@code scratch}; valid while the mapping's arena is open
     * @throws IllegalArgumentException if the range is outside the matrix or scratch is too small
     */
    public DenseMatrix rows(long first, int count, MemorySegment scratch) {
        MemorySegment slice = slice(first, count);
        if (dtype == SafetensorsDType.F32) {
            return DenseMatrix.f32(slice, count, cols);
        }
        ElementCodec.toFloats(slice, dtype, (long) count * cols, scratch, 0, source);
        return DenseMatrix.f32(scratch, count, cols);
    }

    /**
     * Rows {@code first .. first + count - 1} as fp32 [count, cols] in {@code destination}: copied from the mapping
     * when the file stores F32, widened into it otherwise. For callers that change the rows in place (a non-finite
     * policy) or need them in memory of their own.
     *
     * @param first       index of the first row, ≥ 0
     * @param count       number of rows, ≥ 0
     * @param destination at least {@code count·cols} floats, writable; modified
     * @return {@code destination}, holding the rows packed from byte 0
     * @throws IllegalArgumentException if the range is outside the matrix or destination is too small
     */
    public MemorySegment copyRows(long first, int count, MemorySegment destination) {
        MemorySegment rowsRead = rows(first, count, destination).segment();
        if (rowsRead != destination) {
            MemorySegment.copy(rowsRead, 0, destination, 0, rowsRead.byteSize());
        }
        return destination;
    }

    /**
     * Rows {@code first .. first + count - 1} widened to fp32, row-major.
     *
     * @param first index of the first row, ≥ 0
     * @param count number of rows, ≥ 0
     * @return a new array of {@code count·cols} floats
     * @throws IllegalArgumentException if the range is outside the matrix or too large for one array
     */
    public float[] readRows(long first, int count) {
        return ElementCodec.toFloats(slice(first, count), dtype, (long) count * cols, source);
    }

    /**
     * The stored bytes of rows {@code first .. first + count - 1}, in the file's dtype.
     *
     * @param first index of the first row, ≥ 0
     * @param count number of rows, ≥ 0
     * @return a view of the mapping, {@code count·cols·dtype.byteSize()} bytes
     * @throws IllegalArgumentException if the range is outside [0, rows)
     */
    private MemorySegment slice(long first, int count) {
        if (first < 0 || count < 0 || first > rows - count) {
            throw new IllegalArgumentException(source + ": rows [" + first + ", " + (first + count)
                    + ") outside [0, " + rows + ")");
        }
        long bytesPerRow = (long) cols * dtype.byteSize();
        return data.asSlice(first * bytesPerRow, count * bytesPerRow);
    }

    @Override
    public String toString() {
        return "ActivationFile[" + source + ", " + dtype + " [" + rows + ", " + cols + "]]";
    }
}
