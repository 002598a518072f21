package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.sae4j.tensor.SparseCode;

/**
 * Collects batches of sparse codes and writes them as one CSR safetensors file: {@code row_pointers} (I64 [n + 1]),
 * {@code indices} (I32 [nnz]) and {@code values} (F32 [nnz]), with metadata {@code format = csr} and
 * {@code d_sae}. The file format needs nnz in its header, so the entries are held in memory (8 bytes each) until
 * {@link #write}.
 *
 * <p><b>Note:</b> not thread-safe.
 */
public final class CsrCodeWriter {

    /** Metadata value of {@code format}. */
    public static final String FORMAT = "csr";

    /** Little-endian int64 for {@code row_pointers}. */
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian int32 for {@code indices}. */
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian fp32 for {@code values}. */
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Number of latents every appended code must have. */
    private final int dSae;
    /** [capacity + 1] row starts; entry 0 is 0; grown by doubling. */
    private long[] rowPointers = new long[1025];
    /** [capacity] latent indices of every appended entry; grown by doubling. */
    private int[] indices = new int[1024];
    /** [capacity] values paired with {@link #indices}. */
    private float[] values = new float[1024];
    /** Rows appended so far. */
    private int rows;
    /** Entries appended so far. */
    private int nnz;

    /**
     * An empty collection of codes over {@code dSae} latents.
     *
     * @param dSae number of latents, ≥ 1
     * @throws IllegalArgumentException if {@code dSae} is not positive
     */
    public CsrCodeWriter(int dSae) {
        if (dSae <= 0) {
            throw new IllegalArgumentException("d_sae must be positive, got " + dSae);
        }
        this.dSae = dSae;
    }

    /**
     * Appends every row of {@code codes} (not modified), copying its entries; the arrays grow by doubling when needed.
     *
     * @param codes a batch of codes over {@code dSae} latents
     * @throws IllegalArgumentException if the codes have another number of latents or the total outgrows an array
     */
    public void append(SparseCode codes) {
        if (codes.cols() != dSae) {
            throw new IllegalArgumentException("codes have " + codes.cols() + " latents, expected " + dSae);
        }
        int added = codes.nnz();
        long newNnz = (long) nnz + added;
        long newRows = (long) rows + codes.rows();
        if (newNnz > Integer.MAX_VALUE - 8 || newRows > Integer.MAX_VALUE - 9) {
            throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " rows or entries in one "
                    + "code file");
        }
        if (newNnz > indices.length) {
            int grown = (int) Math.max(newNnz, Math.min(2L * indices.length, Integer.MAX_VALUE - 8));
            indices = Arrays.copyOf(indices, grown);
            values = Arrays.copyOf(values, grown);
        }
        if (newRows + 1 > rowPointers.length) {
            rowPointers = Arrays.copyOf(rowPointers, (int) Math.max(newRows + 1,
                    Math.min(2L * rowPointers.length, Integer.MAX_VALUE - 8)));
        }
        System.arraycopy(codes.indices(), 0, indices, nnz, added);
        System.arraycopy(codes.values(), 0, values, nnz, added);
        int[] pointers = codes.rowPointers();
        for (int r = 1; r <= codes.rows(); r++) {
            rowPointers[rows + r] = nnz + (long) pointers[r];
        }
        rows = (int) newRows;
        nnz = (int) newNnz;
    }

    /**
     * Rows appended so far.
     *
     * @return the row count
     */
    public int rows() {
        return rows;
    }

    /**
     * Entries appended so far.
     *
     * @return the entry count
     */
    public int nnz() {
        return nnz;
    }

    /**
     * Writes the file to {@code path}, replacing any existing file (through {@link SafetensorsWriter#write(Path)}, so
     * by rename). The three tensors are encoded into heap buffers first: about {@code 8·(rows + 1) + 8·nnz} bytes.
     *
     * @param path the file to create or replace
     * @throws IOException if the file cannot be written
     */
    public void write(Path path) throws IOException {
        MemorySegment pointerBytes = MemorySegment.ofArray(new byte[(rows + 1) * Long.BYTES]);
        for (int r = 0; r <= rows; r++) {
            pointerBytes.setAtIndex(I64, r, rowPointers[r]);
        }
        MemorySegment indexBytes = MemorySegment.ofArray(indices).asSlice(0, (long) nnz * Integer.BYTES);
        MemorySegment valueBytes = MemorySegment.ofArray(values).asSlice(0, (long) nnz * Float.BYTES);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // the arrays go to the file as they are only where native order is the little-endian order of the format
            indexBytes = littleEndianCopy(indexBytes, I32, nnz);
            valueBytes = littleEndianCopy(valueBytes, F32, nnz);
        }
        new SafetensorsWriter()
                .metadata("format", FORMAT)
                .metadata("d_sae", Integer.toString(dSae))
                .add("row_pointers", SafetensorsDType.I64, new long[] {rows + 1}, pointerBytes)
                .add("indices", SafetensorsDType.I32, new long[] {nnz}, indexBytes)
                .add("values", SafetensorsDType.F32, new long[] {nnz}, valueBytes)
                .write(path);
    }

    /**
     * A little-endian copy of {@code count} native-order elements, for writing on a big-endian machine.
     *
     * @param nativeOrder the elements in native byte order; not modified
     * @param layout      the element layout in the file's (little-endian) order
     * @param count       number of elements
     * @return a new heap segment of {@code count·layout.byteSize()} bytes
     */
    private static MemorySegment littleEndianCopy(MemorySegment nativeOrder, ValueLayout layout, int count) {
        MemorySegment copy = MemorySegment.ofArray(new byte[Math.toIntExact(count * layout.byteSize())]);
        MemorySegment.copy(nativeOrder, layout.withOrder(ByteOrder.nativeOrder()), 0, copy, layout, 0, count);
        return copy;
    }
}
