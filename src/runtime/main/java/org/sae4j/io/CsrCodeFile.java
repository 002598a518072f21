package org.sae4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Sparse codes read from a CSR safetensors file as {@link CsrCodeWriter} writes it, fully validated on open (row
 * pointers start at 0, never decrease and end at nnz; indices lie in [0, d_sae) and ascend within a row; values are
 * finite unless the caller will skip or zero the rows that are not), handed out a block of rows at a time.
 *
 * <pre>{@code
 * CsrCodeFile file = CsrCodeFile.open(Path.of("codes.safetensors"));
 * SparseCode block = file.rows(0, 1024);                 // a new SparseCode of the first 1024 rows
 * }</pre>
 *
 * <p>Unlike the other readers, the file is read onto the heap whole and the mapping is released before {@link #open}
 * returns; nothing needs closing. A valid safetensors file whose content is not CSR codes is refused with an
 * {@link IllegalArgumentException}, not a {@link FormatException}.
 *
 * <p><b>Note:</b> immutable after {@link #open} and thread-safe; {@link #rows(int, int)} returns a new code each call.
 */
public final class CsrCodeFile {

    /** The path, for messages. */
    private final String source;
    /** Number of latents, from the metadata. */
    private final int dSae;
    /** [rows + 1] start of each row in {@link #indices} and {@link #values}. */
    private final long[] rowPointers;
    /** [nnz] latent indices, ascending within each row. */
    private final int[] indices;
    /** [nnz] values; finite when opened with {@link NonFinitePolicy#REFUSE}, otherwise possibly NaN or infinite. */
    private final float[] values;

    /**
     * Wraps validated CSR arrays.
     *
     * @param source      the path
     * @param dSae        number of latents
     * @param rowPointers row starts
     * @param indices     latent indices
     * @param values      values
     */
    private CsrCodeFile(String source, int dSae, long[] rowPointers, int[] indices, float[] values) {
        this.source = source;
        this.dSae = dSae;
        this.rowPointers = rowPointers;
        this.indices = indices;
        this.values = values;
    }

    /**
     * Reads and validates {@code path}, refusing NaN and infinite values.
     *
     * @param path the CSR safetensors file
     * @return the codes, held on the heap
     * @throws NonFiniteInputException  if a value is NaN or infinite, naming its row and its latent as the column
     * @throws IllegalArgumentException if the file is not CSR codes as described above
     * @throws IOException              if the file cannot be read or is not valid safetensors
     */
    public static CsrCodeFile open(Path path) throws IOException {
        return open(path, NonFinitePolicy.REFUSE);
    }

    /**
     * Reads and validates {@code path}; with {@link NonFinitePolicy#REFUSE} a NaN or infinite value fails the open,
     * with the other policies it is kept, for the caller to apply the policy to each block of {@link #rows}.
     *
     * @param path   the CSR safetensors file
     * @param policy what to do with a NaN or infinite value: fail here ({@link NonFinitePolicy#REFUSE}) or keep it
     * @return the codes, held on the heap
     * @throws NonFiniteInputException  with {@link NonFinitePolicy#REFUSE}, if a value is NaN or infinite
     * @throws IllegalArgumentException if the file is not CSR codes as described above
     * @throws IOException              if the file cannot be read or is not valid safetensors
     */
    public static CsrCodeFile open(Path path, NonFinitePolicy policy) throws IOException {
        Objects.requireNonNull(policy, "policy");
        String source = path.toString();
        try (TensorArena arena = new TensorArena("csr-codes")) {
            SafetensorsFile file = SafetensorsFile.open(path, arena);
            String format = file.metadata().get("format");
            if (!CsrCodeWriter.FORMAT.equals(format)) {
                throw new IllegalArgumentException(source + ": metadata format is " + format + ", expected "
                        + CsrCodeWriter.FORMAT);
            }
            int dSae = parseDSae(source, file.metadata().get("d_sae"));
            long[] pointers = integers(file, source, "row_pointers");
            long[] wideIndices = integers(file, source, "indices");
            float[] values = floats(file, source, "values");
            if (pointers.length == 0 || pointers[0] != 0) {
                throw new IllegalArgumentException(source + ": row_pointers must start with 0");
            }
            if (wideIndices.length != values.length) {
                throw new IllegalArgumentException(source + ": " + wideIndices.length + " indices but "
                        + values.length + " values");
            }
            if (pointers[pointers.length - 1] != values.length) {
                throw new IllegalArgumentException(source + ": row_pointers end at " + pointers[pointers.length - 1]
                        + ", there are " + values.length + " entries");
            }
            int[] indices = new int[wideIndices.length];
            for (int r = 0; r + 1 < pointers.length; r++) {
                if (pointers[r + 1] < pointers[r]) {
                    throw new IllegalArgumentException(source + ": row_pointers decrease at row " + r);
                }
                for (long t = pointers[r]; t < pointers[r + 1]; t++) {
                    long index = wideIndices[(int) t];
                    if (index < 0 || index >= dSae) {
                        throw new IllegalArgumentException(source + ": index " + index + " at entry " + t
                                + " outside [0, " + dSae + ")");
                    }
                    if (t > pointers[r] && index <= wideIndices[(int) t - 1]) {
                        throw new IllegalArgumentException(source + ": indices of row " + r + " do not ascend");
                    }
                    if (policy == NonFinitePolicy.REFUSE && !Float.isFinite(values[(int) t])) {
                        throw new NonFiniteInputException(source, r, (int) index, values[(int) t]);
                    }
                    indices[(int) t] = (int) index;
                }
            }
            return new CsrCodeFile(source, dSae, pointers, indices, values);
        }
    }

    /**
     * Number of rows.
     *
     * @return {@code row_pointers} length minus one
     */
    public long rows() {
        return rowPointers.length - 1;
    }

    /**
     * Number of latents.
     *
     * @return the metadata's {@code d_sae}
     */
    public int dSae() {
        return dSae;
    }

    /**
     * Total number of entries.
     *
     * @return the length of {@code values}
     */
    public int nnz() {
        return values.length;
    }

    /**
     * The file this came from, for messages.
     *
     * @return the path as given to {@link #open}
     */
    public String source() {
        return source;
    }

    /**
     * Rows {@code first .. first + count - 1} as a new code.
     *
     * @param first index of the first row, ≥ 0
     * @param count number of rows, ≥ 0
     * @return a new, exactly sized code over {@link #dSae()} latents
     * @throws IllegalArgumentException if the range is outside the file
     */
    public SparseCode rows(int first, int count) {
        if (first < 0 || count < 0 || first > rows() - count) {
            throw new IllegalArgumentException(source + ": rows [" + first + ", " + (first + count) + ") outside [0, "
                    + rows() + ")");
        }
        int begin = (int) rowPointers[first];
        int end = (int) rowPointers[first + count];
        int[] pointers = new int[count + 1];
        for (int r = 0; r <= count; r++) {
            pointers[r] = (int) (rowPointers[first + r] - begin);
        }
        return SparseCode.ofCsr(dSae, pointers, Arrays.copyOfRange(indices, begin, end),
                Arrays.copyOfRange(values, begin, end));
    }

    /**
     * The metadata's {@code d_sae} as a positive int.
     *
     * @param source the path, for messages
     * @param text   the metadata value, or null when absent
     * @return the number of latents
     * @throws IllegalArgumentException if it is absent, not an integer or not positive
     */
    private static int parseDSae(String source, String text) {
        try {
            int dSae = Integer.parseInt(text == null ? "" : text);
            if (dSae > 0) {
                return dSae;
            }
        } catch (NumberFormatException e) {
            // reported below with the offending text
        }
        throw new IllegalArgumentException(source + ": metadata d_sae is " + text + ", expected a positive integer");
    }

    /**
     * A rank-1 integer tensor as longs.
     *
     * @param file   the open file
     * @param source the path, for messages
     * @param name   the tensor
     * @return its values
     * @throws IllegalArgumentException if it is missing, not rank 1 or floating point
     */
    private static long[] integers(SafetensorsFile file, String source, String name) {
        SafetensorsTensor tensor = tensorOfRankOne(file, source, name);
        if (tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is " + tensor.dtype()
                    + ", expected an integer type");
        }
        return file.readLongs(name);
    }

    /**
     * A rank-1 floating-point tensor as floats.
     *
     * @param file   the open file
     * @param source the path, for messages
     * @param name   the tensor
     * @return its values
     * @throws IllegalArgumentException if it is missing, not rank 1 or an integer type
     */
    private static float[] floats(SafetensorsFile file, String source, String name) {
        SafetensorsTensor tensor = tensorOfRankOne(file, source, name);
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is " + tensor.dtype()
                    + ", expected a floating-point type");
        }
        return file.readFloats(name);
    }

    /**
     * The header entry of a required one-dimensional tensor.
     *
     * @param file   the open file
     * @param source the path, for messages
     * @param name   the tensor
     * @return its entry
     * @throws IllegalArgumentException if it is missing or not one-dimensional
     */
    private static SafetensorsTensor tensorOfRankOne(SafetensorsFile file, String source, String name) {
        if (!file.contains(name)) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is missing");
        }
        SafetensorsTensor tensor = file.tensor(name);
        if (tensor.shape().size() != 1) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape " + tensor.shape()
                    + ", expected one dimension");
        }
        return tensor;
    }
}
