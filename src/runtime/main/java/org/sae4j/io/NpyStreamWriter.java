package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a 2-D fp32 {@code .npy} matrix of known shape row block by row block, so outputs larger than memory can be
 * produced; the header is the one {@link NpyWriter} writes ({@code '<f4'}, C order, data at a multiple of 64 bytes).
 *
 * <pre>{@code
 * try (NpyStreamWriter out = NpyStreamWriter.create(Path.of("codes.npy"), rows, dSae)) {
 *     for (...) out.append(block, blockRows);
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe. {@link #close()} fails when fewer rows were appended than the header promised,
 * because such a file would not load.
 */
public final class NpyStreamWriter implements AutoCloseable {

    /** The file being written, for messages. */
    private final Path path;
    /** Open for writing from the end of the header. */
    private final FileChannel channel;
    /** Rows the header declares. */
    private final long rows;
    /** Row width. */
    private final int cols;
    /** Rows appended so far. */
    private long written;

    /**
     * Wraps a channel whose header is written.
     *
     * @param path    the file
     * @param channel positioned after the header
     * @param rows    declared rows
     * @param cols    row width
     */
    private NpyStreamWriter(Path path, FileChannel channel, long rows, int cols) {
        this.path = path;
        this.channel = channel;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Creates (or truncates) {@code path} holding a [rows, cols] fp32 matrix and writes its header.
     *
     * @param path the file to create or replace
     * @param rows rows the file will hold, ≥ 0
     * @param cols row width, ≥ 0
     * @return a writer positioned at the first row; the caller closes it
     * @throws IllegalArgumentException if a dimension is negative
     * @throws IOException              if the file cannot be created or the header written
     */
    public static NpyStreamWriter create(Path path, long rows, int cols) throws IOException {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape [" + rows + ", " + cols + "]");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeFully(channel, ByteBuffer.wrap(NpyWriter.header(new long[] {rows, cols},
                    Math.multiplyExact(Math.multiplyExact(rows, cols), (long) Float.BYTES))));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new NpyStreamWriter(path, channel, rows, cols);
    }

    /**
     * Appends the first {@code count} rows of {@code values} ([count, cols] row-major). Allocates one little-endian
     * heap buffer of the block's size per call.
     *
     * @param values at least {@code count·cols} floats; not modified
     * @param count  rows to append, ≥ 0
     * @throws IllegalArgumentException if {@code values} is too short or the rows exceed the declared shape
     * @throws IOException              if the write fails
     */
    public void append(float[] values, int count) throws IOException {
        long elements = (long) count * cols;
        if (count < 0 || elements > values.length) {
            throw new IllegalArgumentException(count + " rows of width " + cols + " need " + elements
                    + " values, the array has " + values.length);
        }
        if (written + count > rows) {
            throw new IllegalArgumentException(path + ": appending " + count + " rows exceeds the declared " + rows);
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(elements * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values, 0, (int) elements);
        writeFully(channel, bytes);
        written += count;
    }

    /**
     * Appends the first {@code count} rows of {@code rows} (fp32 [count, cols], row-major), written straight from the
     * segment's memory with no intermediate copy on a little-endian machine (a big-endian one converts through one
     * heap buffer of the block's size).
     *
     * @param rows  native-order fp32 values, at least {@code count·cols} of them from byte 0; a native segment or one
     *              that {@link MemorySegment#asByteBuffer()} can wrap; not modified
     * @param count rows to append, ≥ 0
     * @throws IllegalArgumentException if the segment is too short or the rows exceed the declared shape
     * @throws IOException              if the write fails
     */
    public void append(MemorySegment rows, int count) throws IOException {
        long bytes = (long) count * cols * Float.BYTES;
        if (count < 0 || bytes > rows.byteSize()) {
            throw new IllegalArgumentException(count + " rows of width " + cols + " need " + bytes
                    + " bytes, the segment has " + rows.byteSize());
        }
        if (written + count > this.rows) {
            throw new IllegalArgumentException(path + ": appending " + count + " rows exceeds the declared "
                    + this.rows);
        }
        MemorySegment block = rows.asSlice(0, bytes);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            // '<f4' is little-endian: native-order floats are already the file's bytes
            writeFully(channel, block.asByteBuffer());
        } else {
            ByteBuffer little = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
            little.asFloatBuffer().put(block.toArray(ValueLayout.JAVA_FLOAT));
            writeFully(channel, little);
        }
        written += count;
    }

    /**
     * Rows appended so far.
     *
     * @return the count, at most the declared rows
     */
    public long rowsWritten() {
        return written;
    }

    /**
     * Closes the file.
     *
     * @throws IllegalStateException if fewer rows were appended than declared
     */
    @Override
    public void close() throws IOException {
        channel.close();
        if (written != rows) {
            throw new IllegalStateException(path + ": " + written + " of " + rows + " declared rows were written");
        }
    }

    /**
     * Writes all of {@code buffer} from its start, looping over partial writes.
     *
     * @param channel the destination
     * @param buffer  the bytes; rewound first
     * @throws IOException if the channel fails
     */
    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.rewind();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
