package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sae4j.tensor.TensorArena;

/**
 * A validated NumPy {@code .npy} array (format versions 1.0, 2.0 and 3.0, sae-formats §3) exposed zero-copy as a
 * slice of a read-only mapping.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("gemma-scope")) {
 *     NpyFile wEnc = NpyFile.open(Path.of("W_enc.npy"), arena);
 *     long[] shape = wEnc.shapeArray();                  // e.g. {2304, 16384}
 *     MemorySegment data = wEnc.segment();               // row-major, little-endian, unaligned
 * }
 * }</pre>
 *
 * <p>Accepted element descriptors: {@code <f8 <f4 <f2 <i8 <i4 <i2 <u8 <u4 <u2} and the one-byte {@code |i1 |u1 |b1}
 * (also spelled with {@code <}); they map to {@link SafetensorsDType} constants. Big-endian, object, structured and
 * string descriptors are rejected.
 *
 * <p><b>Fortran order is rejected</b> (with a message naming it) for arrays of two or more dimensions rather than
 * transposed: every sae4j consumer wants row-major data, a silent transpose of a multi-gigabyte weight would double
 * its memory, and NumPy writes C order unless asked otherwise. Zero- and one-dimensional arrays are accepted with
 * either flag, because both orders give the same bytes.
 *
 * <p>The header must be the dictionary literal {@code np.save} writes: keys {@code 'descr'}, {@code 'fortran_order'}
 * and {@code 'shape'}, each exactly once, with string, {@code True}/{@code False} and tuple-of-integers values; it is
 * parsed by a small strict parser, never evaluated. The data must fill the rest of the file exactly. Every violation
 * throws {@link NpyFormatException}, whose message starts with the source name.
 *
 * <p><b>Note:</b> immutable and thread-safe; the mapping lives as long as the {@link TensorArena} given to
 * {@link #open}.
 */
public final class NpyFile {

    /** Largest accepted header, in bytes; NumPy itself refuses headers above 10,000 bytes by default. */
    public static final long MAX_HEADER_BYTES = 1L << 20;

    /** The six bytes every {@code .npy} file starts with: {@code \x93NUMPY}. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** The path, or {@code archive!member.npy}, or the caller's name; starts every message. */
    private final String source;
    /** Format major version: 1, 2 or 3. */
    private final int majorVersion;
    /** The header's {@code fortran_order} flag (true only for arrays of at most one dimension). */
    private final boolean fortranOrder;
    /** Element type, mapped from the {@code descr} string. */
    private final SafetensorsDType dtype;
    /** Dimensions, row-major, unmodifiable. */
    private final List<Long> shape;
    /** Product of {@link #shape}. */
    private final long elementCount;
    /** Offset of the first data byte within the file image. */
    private final long dataStart;
    /** The data in place: exactly {@code elementCount·dtype.byteSize()} bytes. */
    private final MemorySegment data;

    /**
     * Wraps a validated header and its data.
     *
     * @param source       name used in messages
     * @param majorVersion format major version
     * @param fortranOrder the header's {@code fortran_order} flag
     * @param dtype        element type
     * @param shape        dimensions
     * @param elementCount product of the dimensions
     * @param dataStart    offset of the data in the image
     * @param data         the data slice
     */
    private NpyFile(String source, int majorVersion, boolean fortranOrder, SafetensorsDType dtype, List<Long> shape,
            long elementCount, long dataStart, MemorySegment data) {
        this.source = source;
        this.majorVersion = majorVersion;
        this.fortranOrder = fortranOrder;
        this.dtype = dtype;
        this.shape = shape;
        this.elementCount = elementCount;
        this.dataStart = dataStart;
        this.data = data;
    }

    /**
     * Maps {@code path} read-only into {@code owner}'s lifetime and validates it.
     *
     * @param path  the file
     * @param owner owner of the mapping; segments handed out stay valid until it is closed
     * @return the validated file
     * @throws NpyFormatException if the content is malformed or unsupported
     * @throws IOException        if the file cannot be opened or mapped
     */
    public static NpyFile open(Path path, TensorArena owner) throws IOException {
        return parse(FileMapping.mapReadOnly(path, owner), path.toString());
    }

    /**
     * Validates a complete {@code .npy} image already in memory; the data segment is a slice of {@code bytes}.
     *
     * @param bytes  the whole file
     * @param source name used in error messages
     * @return the validated file
     * @throws NpyFormatException if the content is malformed or unsupported
     */
    public static NpyFile parse(MemorySegment bytes, String source) throws NpyFormatException {
        long size = bytes.byteSize();
        if (size < MAGIC.length + 2) {
            throw fail(source, "file has " + size + " bytes, too short for the magic string and version");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                throw fail(source, "missing magic string \\x93NUMPY");
            }
        }
        int major = Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, 6));
        int minor = Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, 7));
        if (major < 1 || major > 3 || minor != 0) {
            throw fail(source, "unsupported format version " + major + "." + minor);
        }
        int lengthBytes = major == 1 ? 2 : 4;
        long prefix = 8L + lengthBytes;
        if (size < prefix) {
            throw fail(source, "file has " + size + " bytes, too short for the header length");
        }
        long headerBytes = major == 1
                ? Short.toUnsignedInt(bytes.get(ElementCodec.I16, 8))
                : Integer.toUnsignedLong(bytes.get(ElementCodec.I32, 8));
        if (headerBytes > MAX_HEADER_BYTES) {
            throw fail(source, "header length " + headerBytes + " exceeds the limit of " + MAX_HEADER_BYTES);
        }
        if (headerBytes > size - prefix) {
            throw fail(source, "header length " + headerBytes + " runs past the end of the file (" + size
                    + " bytes)");
        }
        byte[] raw = bytes.asSlice(prefix, headerBytes).toArray(ValueLayout.JAVA_BYTE);
        String header = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(source, header).parseDict();

        SafetensorsDType dtype = descr(source, require(source, dict, "descr", String.class));
        boolean fortran = require(source, dict, "fortran_order", Boolean.class);
        @SuppressWarnings("unchecked")
        List<Long> shape = List.copyOf((List<Long>) require(source, dict, "shape", List.class));
        if (fortran && shape.size() > 1) {
            throw fail(source, "Fortran-order (column-major) arrays are not supported; save a C-order copy "
                    + "(np.ascontiguousarray)");
        }
        long count = 1;
        for (long dim : shape) {
            count = multiplyOrMinusOne(count, dim);
        }
        long expected = multiplyOrMinusOne(count, dtype.byteSize());
        long dataStart = prefix + headerBytes;
        if (expected < 0 || expected != size - dataStart) {
            throw fail(source, "shape " + shape + " of " + dtype + " needs "
                    + (expected < 0 ? "more than 2^63" : Long.toString(expected)) + " data bytes but the file has "
                    + (size - dataStart) + " after the header");
        }
        return new NpyFile(source, major, fortran, dtype, shape, count, dataStart,
                bytes.asSlice(dataStart, expected));
    }

    /**
     * Element type.
     *
     * @return the type the {@code descr} string maps to
     */
    public SafetensorsDType dtype() {
        return dtype;
    }

    /**
     * Dimensions, row-major; empty for a 0-dimensional array.
     *
     * @return an unmodifiable list
     */
    public List<Long> shape() {
        return shape;
    }

    /**
     * The shape as a fresh {@code long[]}.
     *
     * @return a new array of the dimensions
     */
    public long[] shapeArray() {
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i);
        }
        return dims;
    }

    /**
     * Number of elements (1 for a 0-dimensional array).
     *
     * @return the product of the shape
     */
    public long elementCount() {
        return elementCount;
    }

    /**
     * Format major version: 1, 2 or 3.
     *
     * @return the version byte of the file
     */
    public int majorVersion() {
        return majorVersion;
    }

    /**
     * The header's {@code fortran_order} flag. Only zero- and one-dimensional arrays are accepted with {@code True},
     * and their bytes are the same in either order.
     *
     * @return {@code true} if the header says {@code 'fortran_order': True}
     */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /**
     * File offset of the first data byte.
     *
     * @return {@code 10 + N} for version 1, {@code 12 + N} for versions 2 and 3, N the header length
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * Unusual but valid properties of the data's placement, in a fixed order: a start that is not a multiple of the
     * element size or of 64 bytes ({@link LayoutFlag#FILE_OFFSET_NOT_ELEMENT_ALIGNED},
     * {@link LayoutFlag#FILE_OFFSET_NOT_64_BYTE_ALIGNED}; not checked for empty arrays), a dimension of 0
     * ({@link LayoutFlag#ZERO_SIZE}) and a 0-dimensional array ({@link LayoutFlag#SCALAR}). Offsets count from the
     * start of the parsed bytes: the file for {@link #open}, the member for arrays of an {@link NpzFile}.
     *
     * @return an unmodifiable list, empty when the data starts on a 64-byte boundary and the shape has at least one
     *         dimension, none of them 0; its findings name no array
     */
    public List<LayoutFinding> layoutFindings() {
        return LayoutChecks.array(null, dtype, shape, dataStart, data.byteSize());
    }

    /**
     * The data in place: row-major, little-endian, possibly unaligned; a slice of the read-only mapping (or of the
     * image given to {@link #parse}), valid as long as its owner arena. No copy is made.
     *
     * @return the data bytes
     */
    public MemorySegment segment() {
        return data;
    }

    /**
     * A new array holding the data widened (or, for {@code <f8} and wide integers, rounded) to float.
     *
     * @return a new array of {@link #elementCount()} floats
     * @throws IllegalArgumentException if the array has more elements than a Java array holds
     */
    public float[] readFloats() {
        return ElementCodec.toFloats(data, dtype, elementCount, source);
    }

    /**
     * Writes the data as little-endian fp32 into {@code dst} starting at {@code dstByteOffset}; any alignment. The
     * allocation-free way to get an fp32 engine tensor from any stored type.
     *
     * @param dst           the target; modified in {@code [dstByteOffset, dstByteOffset + 4·elementCount)}
     * @param dstByteOffset byte offset of the first float in {@code dst}
     * @throws IllegalArgumentException if the data does not fit in {@code dst}
     */
    public void readFloats(MemorySegment dst, long dstByteOffset) {
        ElementCodec.toFloats(data, dtype, elementCount, dst, dstByteOffset, source);
    }

    /**
     * A new array holding the data as doubles (exact except for 64-bit integers beyond 2<sup>53</sup>).
     *
     * @return a new array of {@link #elementCount()} doubles
     * @throws IllegalArgumentException if the array has more elements than a Java array holds
     */
    public double[] readDoubles() {
        return ElementCodec.toDoubles(data, dtype, elementCount, source);
    }

    /**
     * A new array holding integer or boolean data as longs (unsigned types zero-extended, booleans 0 or 1).
     *
     * @return a new array of {@link #elementCount()} longs
     * @throws IllegalArgumentException if the data is floating-point or too large for a Java array
     */
    public long[] readLongs() {
        return ElementCodec.toLongs(data, dtype, elementCount, source);
    }

    @Override
    public String toString() {
        return "NpyFile[" + source + ", " + dtype + " " + shape + "]";
    }

    /**
     * The element type of a {@code descr} string: little-endian or byte-order-free numeric types only.
     *
     * @param source name used in messages
     * @param descr  the header's {@code 'descr'} value
     * @return the matching constant
     * @throws NpyFormatException for big-endian, object, structured, string or other unsupported descriptors
     */
    private static SafetensorsDType descr(String source, String descr) throws NpyFormatException {
        SafetensorsDType type = switch (descr) {
            case "<f8" -> SafetensorsDType.F64;
            case "<f4" -> SafetensorsDType.F32;
            case "<f2" -> SafetensorsDType.F16;
            case "<i8" -> SafetensorsDType.I64;
            case "<i4" -> SafetensorsDType.I32;
            case "<i2" -> SafetensorsDType.I16;
            case "|i1", "<i1" -> SafetensorsDType.I8;
            case "<u8" -> SafetensorsDType.U64;
            case "<u4" -> SafetensorsDType.U32;
            case "<u2" -> SafetensorsDType.U16;
            case "|u1", "<u1" -> SafetensorsDType.U8;
            case "|b1", "<b1" -> SafetensorsDType.BOOL;
            default -> null;
        };
        if (type == null) {
            String why = descr.startsWith(">") ? "big-endian descr" : "unsupported descr";
            throw fail(source, why + " '" + descr + "'");
        }
        return type;
    }

    /**
     * The header value of {@code key}, which must be present with the given type.
     *
     * @param <T>    the expected value type
     * @param source name used in messages
     * @param dict   the parsed header dictionary
     * @param key    the key
     * @param type   the expected value type
     * @return the value
     * @throws NpyFormatException if the key is missing or its value has another type
     */
    private static <T> T require(String source, Map<String, Object> dict, String key, Class<T> type)
            throws NpyFormatException {
        Object value = dict.get(key);
        if (value == null) {
            throw fail(source, "header has no '" + key + "'");
        }
        if (!type.isInstance(value)) {
            throw fail(source, "header value of '" + key + "' has the wrong type: " + value);
        }
        return type.cast(value);
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
     * @param source  name of the file
     * @param problem what is wrong
     * @return the exception, for the caller to throw
     */
    static NpyFormatException fail(String source, String problem) {
        return new NpyFormatException(source + ": " + problem);
    }

    /**
     * Parses the subset of Python literal syntax that {@code np.save} headers use: a dict of quoted string keys to
     * quoted strings (no escapes), {@code True}/{@code False} and tuples of non-negative integers.
     */
    private static final class HeaderParser {

        /** Name used in messages. */
        private final String source;
        /** The header text being parsed. */
        private final String text;
        /** Index of the next character of {@link #text} to read. */
        private int pos;

        /**
         * A parser positioned at the start of {@code text}.
         *
         * @param source name used in messages
         * @param text   the decoded header
         */
        HeaderParser(String source, String text) {
            this.source = source;
            this.text = text;
        }

        /**
         * Parses the whole header as one dictionary, with nothing but whitespace after it.
         *
         * @return key to value: String, Boolean or List of Long (the shape)
         * @throws NpyFormatException on a syntax error, a duplicate key or trailing content
         */
        Map<String, Object> parseDict() throws NpyFormatException {
            Map<String, Object> dict = new HashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = parseValue();
                if (dict.put(key, value) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                char next = peek();
                pos++;
                if (next == '}') {
                    break;
                }
                if (next != ',') {
                    throw error("expected ',' or '}'");
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected content after the dictionary");
            }
            return dict;
        }

        /**
         * One value: a quoted string, a tuple, {@code True} or {@code False}.
         *
         * @return the value
         * @throws NpyFormatException for any other value
         */
        private Object parseValue() throws NpyFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString();
            }
            if (c == '(') {
                return parseTuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unsupported value");
        }

        /**
         * A string in single or double quotes, without escape sequences.
         *
         * @return the characters between the quotes
         * @throws NpyFormatException if it is unterminated or holds a backslash
         */
        private String parseString() throws NpyFormatException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw error("escape sequences in strings are not supported");
            }
            pos = end + 1;
            return value;
        }

        /**
         * A tuple of non-negative integers; a one-element tuple needs its trailing comma, as Python writes it.
         *
         * @return the integers in order
         * @throws NpyFormatException on malformed syntax
         */
        private List<Long> parseTuple() throws NpyFormatException {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                values.add(parseInteger());
                skipSpace();
                char next = peek();
                pos++;
                if (next == ')') {
                    if (values.size() == 1) {
                        throw error("a one-element tuple needs a trailing comma");
                    }
                    break;
                }
                if (next != ',') {
                    throw error("expected ',' or ')' in the shape tuple");
                }
            }
            return values;
        }

        /**
         * A non-negative decimal integer, optionally followed by Python 2's {@code L} suffix.
         *
         * @return its value
         * @throws NpyFormatException if there is no digit or the value overflows a long
         */
        private long parseInteger() throws NpyFormatException {
            int start = pos;
            long value = 0;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                int digit = text.charAt(pos) - '0';
                if (value > (Long.MAX_VALUE - digit) / 10) {
                    throw error("dimension too large");
                }
                value = value * 10 + digit;
                pos++;
            }
            if (pos == start) {
                throw error("expected a non-negative integer dimension");
            }
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++;
            }
            return value;
        }

        /** Advances past spaces, tabs and line breaks. */
        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        /**
         * The next character, without consuming it.
         *
         * @return the character at {@link #pos}
         * @throws NpyFormatException if the header ends here
         */
        private char peek() throws NpyFormatException {
            if (pos >= text.length()) {
                throw error("header ends early");
            }
            return text.charAt(pos);
        }

        /**
         * Consumes {@code c}.
         *
         * @param c the character that must come next
         * @throws NpyFormatException if another character (or the end) comes next
         */
        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /**
         * An exception naming the source, the character position and the problem.
         *
         * @param problem what is wrong
         * @return the exception, for the caller to throw
         */
        private NpyFormatException error(String problem) {
            return fail(source, "malformed header at character " + pos + ": " + problem);
        }
    }
}
