package org.sae4j.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sae4j.tensor.Layouts;

/**
 * Collects tensors and metadata and writes them as one safetensors file (sae-formats §2) that
 * {@link SafetensorsFile} and the upstream Python library read.
 *
 * <pre>{@code
 * SafetensorsWriter writer = new SafetensorsWriter()
 *         .metadata("format", "pt")
 *         .addFloats("b_dec", new long[] {768}, bDec)
 *         .add("W_dec", SafetensorsDType.BF16, new long[] {24576, 768}, wDecSegment);
 * writer.write(Path.of("sae_weights.safetensors"));
 * }</pre>
 *
 * <p>Output is deterministic, so the same tensors always give the same bytes:
 * <ul>
 *   <li>the header is compact JSON: {@code __metadata__} first (only when metadata was given, keys sorted), then the
 *       tensors in data order;</li>
 *   <li>tensors are ordered by element size, largest first, then by name ({@link String#compareTo}), and packed
 *       back to back, so the buffer has no holes (as §2.2 requires) and every tensor starts at a multiple of its
 *       element size;</li>
 *   <li>the header is right-padded with spaces so that 8 + N is a multiple of 8: the data buffer is 8-byte aligned in
 *       the file.</li>
 * </ul>
 *
 * <p><b>Note:</b> not thread-safe. {@link #add} keeps a reference to the caller's segment and reads it only when
 * writing, so the segment must stay alive and unchanged until then; {@link #addFloats} copies its array.
 */
public final class SafetensorsWriter {

    /** Writes the compact header JSON. */
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The data buffer starts at a multiple of this many bytes in the file. */
    private static final int HEADER_ALIGNMENT = 8;
    /** Tensor bytes are copied to the channel through heap chunks of at most this size. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** {@code __metadata__} entries, sorted by key for deterministic output. */
    private final Map<String, String> metadata = new TreeMap<>();
    /** Tensors by name, in the order they were added (the file orders them itself). */
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /**
     * One tensor to write.
     *
     * @param name  its header key
     * @param dtype its element type
     * @param shape its dimensions, a private copy
     * @param data  its little-endian bytes, the caller's segment, read at write time
     */
    private record Entry(String name, SafetensorsDType dtype, long[] shape, MemorySegment data) {
    }

    /** Creates an empty writer. */
    public SafetensorsWriter() {
    }

    /**
     * Adds one {@code __metadata__} entry; a later call with the same key replaces the value.
     *
     * @param key   metadata key
     * @param value metadata value
     * @return this writer
     * @throws IllegalArgumentException if {@code key} or {@code value} is null
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(requireNonNull(key, "metadata key"), requireNonNull(value, "metadata value"));
        return this;
    }

    /**
     * Adds every entry of {@code entries} as metadata, as {@link #metadata(String, String)} one by one.
     *
     * @param entries keys and values; not modified
     * @return this writer
     * @throws IllegalArgumentException if a key or value is null
     */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        entries.forEach(this::metadata);
        return this;
    }

    /**
     * Adds a tensor whose little-endian bytes are {@code data} (read at write time, any alignment). The segment is
     * kept, not copied: it must stay alive and unchanged until {@link #write} returns.
     *
     * @param name  tensor name; not {@code __metadata__} and not added before
     * @param dtype element type of {@code data}
     * @param shape dimensions, row-major; copied
     * @param data  exactly product(shape) × dtype size bytes; not modified
     * @return this writer
     * @throws IllegalArgumentException if the name is null, taken or reserved, a dimension is negative, or
     *                                  {@code data.byteSize()} is not product(shape) &times; dtype size
     */
    public SafetensorsWriter add(String name, SafetensorsDType dtype, long[] shape, MemorySegment data) {
        requireNonNull(name, "tensor name");
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name " + name + " is reserved for metadata");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has negative dimension " + dim);
            }
            count = Math.multiplyExact(count, dim);
        }
        long bytes = Math.multiplyExact(count, dtype.byteSize());
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': shape needs " + bytes + " bytes of " + dtype
                    + " but the segment has " + data.byteSize());
        }
        tensors.put(name, new Entry(name, dtype, shape.clone(), data));
        return this;
    }

    /**
     * Adds a float tensor stored as {@code F32}; the array is copied.
     *
     * @param name   tensor name; not {@code __metadata__} and not added before
     * @param shape  dimensions, row-major, whose product is {@code values.length}
     * @param values the elements, row-major; not modified
     * @return this writer
     * @throws IllegalArgumentException as {@link #add}
     */
    public SafetensorsWriter addFloats(String name, long[] shape, float[] values) {
        return addFloats(name, SafetensorsDType.F32, shape, values);
    }

    /**
     * Adds a float tensor stored as {@code dtype}: {@code F32} and {@code F64} exactly, {@code BF16} and {@code F16}
     * rounded to nearest even. The array is encoded into a new heap buffer here, so it may change afterwards.
     *
     * @param name   tensor name; not {@code __metadata__} and not added before
     * @param dtype  {@code F32}, {@code F64}, {@code BF16} or {@code F16}
     * @param shape  dimensions, row-major, whose product is {@code values.length}
     * @param values the elements, row-major; not modified
     * @return this writer
     * @throws IllegalArgumentException if {@code dtype} is not a floating-point type, or as {@link #add}
     */
    public SafetensorsWriter addFloats(String name, SafetensorsDType dtype, long[] shape, float[] values) {
        MemorySegment encoded = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, dtype.byteSize())]);
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> encoded.setAtIndex(Layouts.F32, i, values[i]);
                case F64 -> encoded.setAtIndex(ElementCodec.F64, i, values[i]);
                case BF16 -> encoded.setAtIndex(Layouts.BF16, i, Layouts.floatToBf16(values[i]));
                case F16 -> encoded.setAtIndex(ElementCodec.I16, i, Float.floatToFloat16(values[i]));
                default -> throw new IllegalArgumentException("tensor '" + name + "': " + dtype
                        + " is not a floating-point type");
            }
        }
        return add(name, dtype, shape, encoded);
    }

    /**
     * Writes the file to {@code path}, replacing any existing file. The bytes go to a temporary file in the same folder
     * that is then renamed over {@code path}: a reader that still maps the old file (a loaded model reads its fp32
     * weights in place) keeps its bytes, where truncating it would crash that reader, and an interrupted write never
     * leaves a half-written file under the name.
     *
     * @param path the file to create or replace; its folder must exist
     * @throws IOException if the temporary file cannot be written or moved (it is deleted either way)
     */
    public void write(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(channel);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes the file to {@code channel} (left open): the header, then each tensor's bytes in data order.
     *
     * @param channel where the bytes go
     * @throws IOException if the channel fails
     */
    public void write(WritableByteChannel channel) throws IOException {
        List<Entry> ordered = ordered();
        writeFully(channel, ByteBuffer.wrap(header(ordered)));
        for (Entry entry : ordered) {
            long size = entry.data().byteSize();
            for (long at = 0; at < size; at += CHUNK_BYTES) {
                MemorySegment chunk = entry.data().asSlice(at, Math.min(CHUNK_BYTES, size - at));
                writeFully(channel, ByteBuffer.wrap(chunk.toArray(ValueLayout.JAVA_BYTE)));
            }
        }
    }

    /**
     * The whole file as a byte array, as {@link #write(WritableByteChannel)} would write it.
     *
     * @return a new array
     * @throws IllegalStateException if one tensor is larger than a byte array can hold (a file of several tensors
     *                               beyond 2 GiB in total fails inside {@link java.io.ByteArrayOutputStream} instead)
     */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            List<Entry> ordered = ordered();
            out.write(header(ordered));
            for (Entry entry : ordered) {
                if (entry.data().byteSize() > ElementCodec.MAX_ARRAY_LENGTH) {
                    throw new IllegalStateException("tensor '" + entry.name() + "' is too large for a byte array");
                }
                out.write(entry.data().toArray(ValueLayout.JAVA_BYTE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The tensors in data order: element size descending, then name.
     *
     * @return a new list
     */
    private List<Entry> ordered() {
        List<Entry> ordered = new ArrayList<>(tensors.values());
        ordered.sort(Comparator.comparingInt((Entry e) -> -e.dtype().byteSize()).thenComparing(Entry::name));
        return ordered;
    }

    /**
     * The 8-byte length followed by the space-padded JSON header, so that the data buffer starts at a multiple of
     * {@value #HEADER_ALIGNMENT} bytes.
     *
     * @param ordered the tensors in data order
     * @return the header bytes
     * @throws IOException never in practice: the JSON goes to memory
     */
    private byte[] header(List<Entry> ordered) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator generator = JSON.createGenerator(json)) {
            generator.writeStartObject();
            if (!metadata.isEmpty()) {
                generator.writeObjectFieldStart(SafetensorsFile.METADATA_KEY);
                for (Map.Entry<String, String> entry : metadata.entrySet()) {
                    generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
            }
            long offset = 0;
            for (Entry entry : ordered) {
                generator.writeObjectFieldStart(entry.name());
                generator.writeStringField("dtype", entry.dtype().name());
                generator.writeArrayFieldStart("shape");
                for (long dim : entry.shape()) {
                    generator.writeNumber(dim);
                }
                generator.writeEndArray();
                generator.writeArrayFieldStart("data_offsets");
                generator.writeNumber(offset);
                offset += entry.data().byteSize();
                generator.writeNumber(offset);
                generator.writeEndArray();
                generator.writeEndObject();
            }
            generator.writeEndObject();
        }
        byte[] text = json.toByteArray();
        int padded = (text.length + Long.BYTES + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT
                - Long.BYTES;
        byte[] out = new byte[Long.BYTES + padded];
        MemorySegment.ofArray(out).set(ElementCodec.I64, 0, padded);
        System.arraycopy(text, 0, out, Long.BYTES, text.length);
        for (int i = Long.BYTES + text.length; i < out.length; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /**
     * Writes every remaining byte of {@code buffer}, looping over partial writes.
     *
     * @param channel the destination
     * @param buffer  the bytes; its position ends at its limit
     * @throws IOException if the channel fails
     */
    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * {@code value} when it is not null.
     *
     * @param value the argument
     * @param what  names it in the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null (not a {@link NullPointerException}, unlike the rest of
     *                                  the package)
     */
    private static String requireNonNull(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return value;
    }
}
