package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sae4j.tensor.Layouts;

/**
 * Writes C-order little-endian fp32 ({@code '<f4'}) arrays as {@code .npy} files that {@code np.load} and
 * {@link NpyFile} read.
 *
 * <pre>{@code
 * NpyWriter.writeFloats(Path.of("b_dec.npy"), new long[] {768}, bDec);
 * }</pre>
 *
 * <p>The header matches {@code np.save}: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, padded
 * with spaces and a final newline so the data starts at a multiple of 64 bytes; format 1.0 unless the header needs more
 * than 65,535 bytes, then 2.0. Output is deterministic.
 *
 * <p>Unlike {@link SafetensorsWriter#write(Path)}, which renames a temporary file over the target, these methods
 * truncate and rewrite the target in place: do not overwrite a file that an {@link NpyFile} still maps.
 *
 * <p><b>Note:</b> stateless and thread-safe.
 */
public final class NpyWriter {

    /** The data starts at a multiple of this many bytes, as {@code np.save} does. */
    private static final int DATA_ALIGNMENT = 64;
    /** Data is copied to the channel through heap chunks of at most this size. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Not instantiable: static writers only. */
    private NpyWriter() {
    }

    /**
     * Writes {@code values} (row-major) with {@code shape} to {@code path}, replacing any existing file in place
     * (truncated, not renamed; see the class note).
     *
     * @param path   the file to create or replace
     * @param shape  dimensions whose product is {@code values.length}
     * @param values the elements, row-major; not modified
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match the length
     * @throws IOException              if the file cannot be written
     */
    public static void writeFloats(Path path, long[] shape, float[] values) throws IOException {
        write(path, shape, MemorySegment.ofArray(values));
    }

    /**
     * Writes fp32 data from {@code data} (native or heap segment; a heap segment is read in native byte order, as a
     * wrapped {@code float[]} holds it, a native one as little-endian) to {@code path}, replacing any existing file in
     * place.
     *
     * @param path  the file to create or replace
     * @param shape dimensions whose product is {@code data.byteSize() / 4}
     * @param data  the elements, row-major; not modified
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match the segment size
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path path, long[] shape, MemorySegment data) throws IOException {
        byte[] header = header(shape, data.byteSize());
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, ByteBuffer.wrap(header));
            long size = data.byteSize();
            for (long at = 0; at < size; at += CHUNK_BYTES) {
                int chunk = (int) Math.min(CHUNK_BYTES, size - at);
                byte[] bytes = new byte[chunk];
                copyLittleEndian(data, at, bytes);
                writeFully(channel, ByteBuffer.wrap(bytes));
            }
        }
    }

    /**
     * The whole file for {@code values} with {@code shape} as a byte array, the same bytes {@link #writeFloats} writes.
     *
     * @param shape  dimensions whose product is {@code values.length}
     * @param values the elements, row-major; not modified
     * @return a new array: header, then little-endian floats
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match the length
     */
    public static byte[] toByteArray(long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(values);
        byte[] header = header(shape, data.byteSize());
        byte[] out = new byte[Math.addExact(header.length, Math.multiplyExact(values.length, Float.BYTES))];
        System.arraycopy(header, 0, out, 0, header.length);
        MemorySegment target = MemorySegment.ofArray(out);
        for (int i = 0; i < values.length; i++) {
            target.set(Layouts.F32, header.length + (long) i * Float.BYTES, values[i]);
        }
        return out;
    }

    /**
     * Copies {@code out.length} bytes of floats from {@code data} at {@code byteOffset} into {@code out} as
     * little-endian fp32.
     *
     * @param data       the source floats
     * @param byteOffset where to start in {@code data}
     * @param out        the destination chunk; modified
     */
    private static void copyLittleEndian(MemorySegment data, long byteOffset, byte[] out) {
        MemorySegment target = MemorySegment.ofArray(out);
        ValueLayout.OfFloat source = data.heapBase().isPresent() ? ValueLayout.JAVA_FLOAT_UNALIGNED : Layouts.F32;
        for (int i = 0; i < out.length; i += Float.BYTES) {
            target.set(Layouts.F32, i, data.get(source, byteOffset + i));
        }
    }

    /**
     * The header of a little-endian fp32 C-order array of {@code shape} whose data is {@code dataBytes} long: magic,
     * version, length and the space-padded dictionary ending in a newline, {@value #DATA_ALIGNMENT}-byte aligned.
     *
     * @param shape     dimensions
     * @param dataBytes size of the data that will follow
     * @return the header bytes
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match {@code dataBytes}
     */
    static byte[] header(long[] shape, long dataBytes) {
        long count = 1;
        StringBuilder dims = new StringBuilder();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension " + dim);
            }
            count = Math.multiplyExact(count, dim);
            dims.append(dims.isEmpty() ? "" : ", ").append(dim);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        if (Math.multiplyExact(count, Float.BYTES) != dataBytes) {
            throw new IllegalArgumentException("shape needs " + count + " floats but the data has " + dataBytes
                    + " bytes");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int prefix = 10;
        int major = 1;
        if (dict.length() + 1 + DATA_ALIGNMENT > 0xffff) {
            prefix = 12;
            major = 2;
        }
        int total = (prefix + dict.length() + 1 + DATA_ALIGNMENT - 1) / DATA_ALIGNMENT * DATA_ALIGNMENT;
        int headerBytes = total - prefix;
        byte[] out = new byte[total];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = (byte) major;
        out[7] = 0;
        MemorySegment target = MemorySegment.ofArray(out);
        if (major == 1) {
            target.set(ElementCodec.I16, 8, (short) headerBytes);
        } else {
            target.set(ElementCodec.I32, 8, headerBytes);
        }
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, out, prefix, text.length);
        for (int i = prefix + text.length; i < total - 1; i++) {
            out[i] = ' ';
        }
        out[total - 1] = '\n';
        return out;
    }

    /**
     * Writes every remaining byte of {@code buffer}, looping over partial writes.
     *
     * @param channel the destination
     * @param buffer  the bytes
     * @throws IOException if the channel fails
     */
    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
