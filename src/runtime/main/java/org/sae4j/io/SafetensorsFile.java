package org.sae4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sae4j.tensor.TensorArena;

/**
 * A validated safetensors file (sae-formats §2) whose tensors are exposed zero-copy as slices of one read-only
 * memory mapping.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("sae-weights")) {
 *     SafetensorsFile file = SafetensorsFile.open(Path.of("sae_weights.safetensors"), arena);
 *     MemorySegment wDec = file.segment("W_dec");        // in place, unaligned, little-endian
 *     float[] bDec = file.readFloats("b_dec");            // widened copy (F32, F16, BF16, F64, integers)
 *     String version = file.metadata().get("format");
 * }
 * }</pre>
 *
 * <p>Opening validates the whole header before any tensor is handed out, so a reader that exists is consistent:
 * <ol>
 *   <li>the file has at least 8 bytes; the header length N is at most {@link #MAX_HEADER_BYTES} and 8 + N is within
 *       the file;</li>
 *   <li>the header is a UTF-8 JSON object starting with <code>{</code>, optionally right-padded with spaces, with no
 *       duplicate keys and nothing after the object;</li>
 *   <li>{@code __metadata__}, if present, maps strings to strings;</li>
 *   <li>every other key is a tensor object with exactly the fields {@code dtype}, {@code shape} and
 *       {@code data_offsets}; the dtype is one of {@link SafetensorsDType}; dimensions are non-negative integers;
 *       offsets are two integers with begin &le; end; product(shape) &times; dtype size == end &minus; begin,
 *       computed without overflow;</li>
 *   <li>sorted by begin, the tensors cover the data buffer (the bytes after the header up to the end of the file)
 *       exactly: no holes, no overlaps, no trailing bytes.</li>
 * </ol>
 * Any violation throws {@link SafetensorsFormatException} whose message starts with the source name and names the
 * tensor involved; no other exception type escapes for malformed content.
 *
 * <p>Segments returned by {@link #segment(String)} may start at any byte address (unpadded headers put data at odd
 * offsets); read them with unaligned layouts such as {@link org.sae4j.tensor.Layouts#F32}.
 *
 * <p><b>Note:</b> immutable and thread-safe. The mapping lives as long as the {@link TensorArena} given to
 * {@link #open}; using a segment after that arena is closed throws {@link IllegalStateException}. Opening allocates
 * the parsed header only; the data is never copied.
 */
public final class SafetensorsFile {

    /** Largest accepted header, in bytes (100 MiB); real SAE headers are a few kilobytes. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** The reserved header key for the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";

    /** The only keys a tensor entry may have. */
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** Strict header parser: duplicate keys and trailing tokens are errors. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The path, or the caller's name for an in-memory image; starts every message. */
    private final String source;
    /** The data buffer: the bytes after the header up to the end of the file, read-only when mapped. */
    private final MemorySegment data;
    /** File offset of {@link #data}: {@code 8 + N}. */
    private final long dataStart;
    /** The {@code __metadata__} map, unmodifiable, in header order. */
    private final Map<String, String> metadata;
    /** Validated header entries by name, unmodifiable, in header order. */
    private final Map<String, SafetensorsTensor> tensors;

    /**
     * Wraps a validated header and its data buffer.
     *
     * @param source    name used in messages
     * @param data      the data buffer
     * @param dataStart file offset of the data buffer
     * @param metadata  the validated metadata
     * @param tensors   the validated entries
     */
    private SafetensorsFile(String source, MemorySegment data, long dataStart, Map<String, String> metadata,
            Map<String, SafetensorsTensor> tensors) {
        this.source = source;
        this.data = data;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /**
     * Maps {@code path} read-only into {@code owner}'s lifetime and validates it. The whole file is mapped once;
     * nothing is copied but the header.
     *
     * @param path  the file
     * @param owner owner of the mapping; segments handed out stay valid until it is closed
     * @return the validated file
     * @throws SafetensorsFormatException if the content breaks a rule listed in the class documentation
     * @throws IOException                if the file cannot be opened or mapped
     */
    public static SafetensorsFile open(Path path, TensorArena owner) throws IOException {
        return parse(FileMapping.mapReadOnly(path, owner), path.toString());
    }

    /**
     * Validates a complete safetensors image already in memory (a mapping, a heap array segment...). Tensor segments
     * are slices of {@code bytes}.
     *
     * @param bytes  the whole file, header length included
     * @param source name used in error messages
     * @return the validated file
     * @throws SafetensorsFormatException if the content breaks a rule listed in the class documentation
     */
    public static SafetensorsFile parse(MemorySegment bytes, String source) throws SafetensorsFormatException {
        long size = bytes.byteSize();
        if (size < Long.BYTES) {
            throw fail(source, "file has " + size + " bytes, fewer than the 8-byte header length");
        }
        long headerBytes = bytes.get(ElementCodec.I64, 0);
        if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) {
            throw fail(source, "header length " + Long.toUnsignedString(headerBytes) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (headerBytes > size - Long.BYTES) {
            throw fail(source, "header length " + headerBytes + " runs past the end of the file (" + size
                    + " bytes)");
        }
        if (headerBytes == 0 || bytes.get(ValueLayout.JAVA_BYTE, Long.BYTES) != '{') {
            throw fail(source, "header does not start with '{'");
        }
        byte[] header = bytes.asSlice(Long.BYTES, headerBytes).toArray(ValueLayout.JAVA_BYTE);
        String text = utf8(source, header);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof JacksonException json ? json.getOriginalMessage() : e.toString();
            throw new SafetensorsFormatException(source + ": header is not valid JSON: " + reason, e);
        }
        if (root == null || !root.isObject()) {
            throw fail(source, "header is not a JSON object");
        }
        long dataStart = Long.BYTES + headerBytes;
        long bufferBytes = size - dataStart;
        Map<String, String> metadata = Map.of();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(source, field.getValue());
            } else {
                tensors.put(name, parseTensor(source, name, field.getValue(), bufferBytes));
            }
        }
        checkCoverage(source, tensors.values(), bufferBytes);
        return new SafetensorsFile(source, bytes.asSlice(dataStart, bufferBytes), dataStart, metadata,
                Collections.unmodifiableMap(tensors));
    }

    /**
     * The {@code __metadata__} map (empty when absent), in header order.
     *
     * @return an unmodifiable map of strings to strings
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Every tensor, in header order.
     *
     * @return a new unmodifiable list of the header entries
     */
    public List<SafetensorsTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /**
     * Tensor names, in header order.
     *
     * @return an unmodifiable view of the names
     */
    public Set<String> names() {
        return tensors.keySet();
    }

    /**
     * Whether a tensor called {@code name} exists.
     *
     * @param name a tensor name
     * @return true if the header has an entry of that name
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The header entry of {@code name}.
     *
     * @param name a tensor name
     * @return its validated entry
     * @throws IllegalArgumentException if there is no such tensor (the message names the source)
     */
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(source + ": no tensor '" + name + "'");
        }
        return tensor;
    }

    /**
     * The tensor's bytes in place: a slice of the read-only mapping (or of the image given to {@link #parse}),
     * little-endian, possibly unaligned. No copy is made; the slice lives as long as the owner arena.
     *
     * @param name a tensor name
     * @return a slice of exactly {@link SafetensorsTensor#byteSize()} bytes
     * @throws IllegalArgumentException if there is no such tensor
     */
    public MemorySegment segment(String name) {
        SafetensorsTensor tensor = tensor(name);
        return data.asSlice(tensor.beginOffset(), tensor.byteSize());
    }

    /**
     * A new array holding the tensor widened (or, for F64 and wide integers, rounded) to float; row-major.
     *
     * @param name a tensor name
     * @return a new array of {@link SafetensorsTensor#elementCount()} floats
     * @throws IllegalArgumentException if there is no such tensor or it has more elements than a Java array holds
     */
    public float[] readFloats(String name) {
        SafetensorsTensor tensor = tensor(name);
        return ElementCodec.toFloats(segment(name), tensor.dtype(), tensor.elementCount(), describe(name));
    }

    /**
     * Writes the tensor as little-endian fp32 into {@code dst} starting at {@code dstByteOffset}; any alignment. The
     * allocation-free way to get fp32 engine tensors from any stored type.
     *
     * @param name          a tensor name
     * @param dst           the target; modified in {@code [dstByteOffset, dstByteOffset + 4·elementCount)}
     * @param dstByteOffset byte offset of the first float in {@code dst}
     * @throws IllegalArgumentException if there is no such tensor or it does not fit in {@code dst}
     */
    public void readFloats(String name, MemorySegment dst, long dstByteOffset) {
        SafetensorsTensor tensor = tensor(name);
        ElementCodec.toFloats(segment(name), tensor.dtype(), tensor.elementCount(), dst, dstByteOffset,
                describe(name));
    }

    /**
     * A new array holding the tensor as doubles: exact for every type except 64-bit integers beyond 2<sup>53</sup>.
     *
     * @param name a tensor name
     * @return a new array of {@link SafetensorsTensor#elementCount()} doubles
     * @throws IllegalArgumentException if there is no such tensor or it has more elements than a Java array holds
     */
    public double[] readDoubles(String name) {
        SafetensorsTensor tensor = tensor(name);
        return ElementCodec.toDoubles(segment(name), tensor.dtype(), tensor.elementCount(), describe(name));
    }

    /**
     * A new array holding an integer or {@code BOOL} tensor as longs: unsigned types are zero-extended (U8 byte 0xfd
     * reads as 253), {@code BOOL} reads as 0 or 1, U64 values above {@link Long#MAX_VALUE} keep their bits.
     *
     * @param name a tensor name
     * @return a new array of {@link SafetensorsTensor#elementCount()} longs
     * @throws IllegalArgumentException if there is no such tensor, it is a floating-point tensor, or it has more
     *                                  elements than a Java array holds
     */
    public long[] readLongs(String name) {
        SafetensorsTensor tensor = tensor(name);
        return ElementCodec.toLongs(segment(name), tensor.dtype(), tensor.elementCount(), describe(name));
    }

    /**
     * File offset of the data buffer ({@code 8 + N}); odd for old unpadded files.
     *
     * @return the byte offset of the first tensor byte in the file
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * The header length N: bytes of JSON, padding included, between the 8-byte length and the data buffer.
     *
     * @return N, as stored in the file's first 8 bytes; {@link #dataStart()} minus 8
     */
    public long headerLength() {
        return dataStart - Long.BYTES;
    }

    /**
     * Bytes in the data buffer: from {@link #dataStart()} to the end of the file, all covered by tensors.
     *
     * @return the size of the data buffer in bytes; 0 when no tensor has bytes
     */
    public long dataLength() {
        return data.byteSize();
    }

    /**
     * Unusual but valid properties of the layout, file-level ones first, then per tensor in header order: an
     * unpadded header ({@link LayoutFlag#UNPADDED_HEADER}), a data buffer not starting on a 64-byte boundary, tensor
     * starts not aligned to their element size (relative to the data buffer or to the file) or to 64 bytes, tensors
     * with a dimension of 0 and 0-d tensors. Alignment is not checked for tensors or buffers without bytes.
     *
     * @return an unmodifiable list, empty when nothing unusual was found; file-level findings name no tensor
     */
    public List<LayoutFinding> layoutFindings() {
        return LayoutChecks.safetensors(headerLength(), dataStart, data.byteSize(), tensors());
    }

    /**
     * The name used in messages (the path for files opened with {@link #open}).
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + tensors.size() + " tensors]";
    }

    /**
     * Names a tensor of this file in messages.
     *
     * @param name a tensor name
     * @return {@code "SOURCE: tensor 'NAME'"}
     */
    private String describe(String name) {
        return source + ": tensor '" + name + "'";
    }

    /**
     * The header text, decoded as strict UTF-8 as the format requires. Handing Jackson the bytes would let it guess
     * UTF-16 or UTF-32 from zero bytes and accept headers that the reference implementation rejects.
     *
     * @param source name used in messages
     * @param header the N header bytes that follow the 8-byte length, padding included
     * @return the decoded JSON text
     * @throws SafetensorsFormatException if the bytes are not well-formed UTF-8; the message gives the file offset
     *                                    (8 plus the index in {@code header}) at which decoding stopped
     */
    private static String utf8(String source, byte[] header) throws SafetensorsFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        // UTF-8 never decodes to more chars than it has bytes
        CharBuffer out = CharBuffer.allocate(header.length);
        if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) {
            throw fail(source, "header is not UTF-8: invalid byte sequence at file offset " + (Long.BYTES
                    + in.position()));
        }
        return out.flip().toString();
    }

    /**
     * Validates the {@code __metadata__} value: an object of string values.
     *
     * @param source name used in messages
     * @param node   the value of {@code __metadata__}
     * @return an unmodifiable map in header order
     * @throws SafetensorsFormatException if it is not an object of strings
     */
    private static Map<String, String> parseMetadata(String source, JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw fail(source, METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw fail(source, METADATA_KEY + " value of '" + entry.getKey() + "' is not a string");
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Validates one tensor entry: exactly {@code dtype}, {@code shape} and {@code data_offsets}, a supported dtype,
     * non-negative dimensions, offsets within the data buffer spanning exactly product(shape) × dtype size bytes.
     *
     * @param source      name used in messages
     * @param name        the entry's key
     * @param node        the entry's value
     * @param bufferBytes size of the data buffer
     * @return the validated entry
     * @throws SafetensorsFormatException naming the tensor and the broken rule
     */
    private static SafetensorsTensor parseTensor(String source, String name, JsonNode node, long bufferBytes)
            throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw fail(source, where + " is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!TENSOR_FIELDS.contains(field.getKey())) {
                throw fail(source, where + " has unknown field '" + field.getKey() + "'");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fail(source, where + " has no string dtype");
        }
        SafetensorsDType dtype = SafetensorsDType.fromHeader(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(source, where + " has unknown or unsupported dtype '" + dtypeNode.textValue() + "'");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw fail(source, where + " has no shape array");
        }
        List<Long> shape = new ArrayList<>(shapeNode.size());
        long count = 1;
        for (JsonNode dimNode : shapeNode) {
            long dim = nonNegativeLong(dimNode);
            if (dim < 0) {
                throw fail(source, where + " has an invalid dimension " + dimNode + " (must be a non-negative "
                        + "integer)");
            }
            shape.add(dim);
            count = multiplyOrMinusOne(count, dim);
        }
        JsonNode offsetsNode = node.get("data_offsets");
        if (offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw fail(source, where + " has no data_offsets pair [begin, end]");
        }
        long begin = nonNegativeLong(offsetsNode.get(0));
        long end = nonNegativeLong(offsetsNode.get(1));
        if (begin < 0 || end < 0 || begin > end) {
            throw fail(source, where + " has invalid data_offsets " + offsetsNode
                    + " (need non-negative integers, begin <= end)");
        }
        if (end > bufferBytes) {
            throw fail(source, where + " data_offsets " + offsetsNode + " lie outside the data buffer of "
                    + bufferBytes + " bytes");
        }
        long expected = multiplyOrMinusOne(count, dtype.byteSize());
        if (count < 0 || expected != end - begin) {
            throw fail(source, where + " shape " + shape + " of " + dtype + " needs "
                    + (expected < 0 ? "more than 2^63" : Long.toString(expected)) + " bytes but data_offsets span "
                    + (end - begin));
        }
        return new SafetensorsTensor(name, dtype, shape, begin, end);
    }

    /**
     * Checks that the entries, sorted by begin offset, tile the data buffer exactly: no overlap, no hole, no trailing
     * bytes.
     *
     * @param source      name used in messages
     * @param entries     the validated entries
     * @param bufferBytes size of the data buffer
     * @throws SafetensorsFormatException naming the tensors involved
     */
    private static void checkCoverage(String source, Iterable<SafetensorsTensor> entries, long bufferBytes)
            throws SafetensorsFormatException {
        List<SafetensorsTensor> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(SafetensorsTensor::beginOffset)
                .thenComparingLong(SafetensorsTensor::endOffset));
        long covered = 0;
        String previous = null;
        for (SafetensorsTensor tensor : sorted) {
            if (tensor.beginOffset() < covered) {
                throw fail(source, "tensor '" + tensor.name() + "' at bytes [" + tensor.beginOffset() + ", "
                        + tensor.endOffset() + ") overlaps tensor '" + previous + "' ending at " + covered);
            }
            if (tensor.beginOffset() > covered) {
                throw fail(source, "tensor '" + tensor.name() + "' starts at byte " + tensor.beginOffset()
                        + " leaving a hole after byte " + covered + " of the data buffer");
            }
            covered = tensor.endOffset();
            previous = tensor.name();
        }
        if (covered != bufferBytes) {
            throw fail(source, "tensors cover " + covered + " bytes but the data buffer has " + bufferBytes
                    + " (trailing or missing data)");
        }
    }

    /**
     * The value of an integral JSON number that fits a non-negative long, or -1 for anything else.
     *
     * @param node a shape dimension or offset; may be null
     * @return the value, or -1 when it is missing, not integral, negative or too large
     */
    private static long nonNegativeLong(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            return -1;
        }
        long value = node.longValue();
        return value < 0 ? -1 : value;
    }

    /**
     * a·b for non-negative a, b; -1 when a is already -1 or the product overflows.
     *
     * @param a a running product, or -1
     * @param b a non-negative factor
     * @return the product, or -1
     */
    private static long multiplyOrMinusOne(long a, long b) {
        if (a < 0) {
            return -1;
        }
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? -1 : product;
    }

    /**
     * An exception whose message is {@code "SOURCE: PROBLEM"}.
     *
     * @param source name of the file
     * @param problem what is wrong
     * @return the exception, for the caller to throw
     */
    private static SafetensorsFormatException fail(String source, String problem) {
        return new SafetensorsFormatException(source + ": " + problem);
    }
}
