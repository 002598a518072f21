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
 * <p><b>Note:</b> immutable after {@link #open}; {@link #rows(int, int)} returns a new code each call.
 */
public final class CsrCodeFile {

    private final String source;
    private final int dSae;
    private final long[] rowPointers;
    private final int[] indices;
    private final float[] values;

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

    /** Number of rows. */
    public long rows() {
        return rowPointers.length - 1;
    }

    /** Number of latents. */
    public int dSae() {
        return dSae;
    }

    /** Total number of entries. */
    public int nnz() {
        return values.length;
    }

    /** The file this came from, for messages. */
    public String source() {
        return source;
    }

    /**
     * Rows {@code first .. first + count - 1} as a new code.
     *
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

    private static long[] integers(SafetensorsFile file, String source, String name) {
        SafetensorsTensor tensor = tensorOfRankOne(file, source, name);
        if (tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is " + tensor.dtype()
                    + ", expected an integer type");
        }
        return file.readLongs(name);
    }

    private static float[] floats(SafetensorsFile file, String source, String name) {
        SafetensorsTensor tensor = tensorOfRankOne(file, source, name);
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is " + tensor.dtype()
                    + ", expected a floating-point type");
        }
        return file.readFloats(name);
    }

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
