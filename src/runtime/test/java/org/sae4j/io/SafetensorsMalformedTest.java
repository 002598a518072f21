package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.TensorArena;

/** Hand-built malformed files: each must fail with {@link SafetensorsFormatException} and a precise message. */
final class SafetensorsMalformedTest {

    private static final String F32X6 = "\"x\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]}";

    /** The 8-byte length, the header text and {@code dataBytes} zero bytes. */
    static byte[] raw(String header, int dataBytes) {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        return withLength(text.length, text, dataBytes);
    }

    static byte[] withLength(long headerLength, byte[] text, int dataBytes) {
        byte[] out = new byte[8 + text.length + dataBytes];
        MemorySegment.ofArray(out).set(ElementCodec.I64, 0, headerLength);
        System.arraycopy(text, 0, out, 8, text.length);
        return out;
    }

    static Stream<Arguments> cases() {
        byte[] valid = raw("{" + F32X6 + "}", 24);
        return Stream.of(
                Arguments.of("empty file", new byte[0], "file has 0 bytes, fewer than the 8-byte header length"),
                Arguments.of("five bytes", new byte[5], "file has 5 bytes, fewer than the 8-byte header length"),
                Arguments.of("header cut", Arrays.copyOf(valid, 40), "header length 55 runs past the end of the "
                        + "file (40 bytes)"),
                Arguments.of("header length beyond file", withLength(1000, "{}".getBytes(StandardCharsets.UTF_8), 0),
                        "header length 1000 runs past the end of the file (10 bytes)"),
                Arguments.of("header length above cap", withLength(1L << 40, new byte[0], 0),
                        "header length 1099511627776 exceeds the limit of 104857600 bytes"),
                Arguments.of("header length negative as signed", withLength(-1, new byte[0], 0),
                        "header length 18446744073709551615 exceeds the limit"),
                Arguments.of("data cut", Arrays.copyOf(valid, valid.length - 4),
                        "tensor 'x' data_offsets [0,24] lie outside the data buffer of 20 bytes"),
                Arguments.of("not an object", raw("[1,2]", 0), "header does not start with '{'"),
                Arguments.of("invalid JSON", raw("{\"x\":", 0), "header is not valid JSON"),
                Arguments.of("trailing JSON", raw("{} {}", 0), "header is not valid JSON"),
                Arguments.of("unknown dtype", raw("{" + F32X6.replace("F32", "F8_E4M3") + "}", 24),
                        "tensor 'x' has unknown or unsupported dtype 'F8_E4M3'"),
                Arguments.of("shape size mismatch", raw("{" + F32X6.replace("[6]", "[7]") + "}", 24),
                        "tensor 'x' shape [7] of F32 needs 28 bytes but data_offsets span 24"),
                Arguments.of("shape overflow",
                        raw("{" + F32X6.replace("[6]", "[4294967296,4294967296,16]") + "}", 24),
                        "tensor 'x' shape [4294967296, 4294967296, 16] of F32 needs more than 2^63 bytes"),
                Arguments.of("offsets out of range", raw("{" + F32X6.replace("[0,24]", "[4,28]") + "}", 24),
                        "tensor 'x' data_offsets [4,28] lie outside the data buffer of 24 bytes"),
                Arguments.of("offsets reversed", raw("{" + F32X6.replace("[0,24]", "[24,0]") + "}", 24),
                        "tensor 'x' has invalid data_offsets [24,0]"),
                Arguments.of("offset too large", raw("{" + F32X6.replace("[0,24]", "[0,99999999999999999999]")
                        + "}", 24), "tensor 'x' has invalid data_offsets"),
                Arguments.of("overlapping tensors", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                        + "\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                        "tensor 'b' at bytes [4, 12) overlaps tensor 'a' ending at 8"),
                Arguments.of("hole between tensors", raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                        + "\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                        "tensor 'b' starts at byte 8 leaving a hole after byte 4"),
                Arguments.of("trailing data", raw("{" + F32X6 + "}", 32),
                        "tensors cover 24 bytes but the data buffer has 32"),
                Arguments.of("negative dimension", raw("{" + F32X6.replace("[6]", "[-6]") + "}", 24),
                        "tensor 'x' has an invalid dimension -6"),
                Arguments.of("fractional dimension", raw("{" + F32X6.replace("[6]", "[6.0]") + "}", 24),
                        "tensor 'x' has an invalid dimension 6.0"),
                Arguments.of("duplicate keys", raw("{" + F32X6 + "," + F32X6 + "}", 24),
                        "header is not valid JSON: Duplicate field 'x'"),
                Arguments.of("unknown field", raw("{" + F32X6.replace("}", ",\"extra\":1}") + "}", 24),
                        "tensor 'x' has unknown field 'extra'"),
                Arguments.of("missing dtype", raw("{\"x\":{\"shape\":[0],\"data_offsets\":[0,0]}}", 0),
                        "tensor 'x' has no string dtype"),
                Arguments.of("tensor not an object", raw("{\"x\":3}", 0), "tensor 'x' is not a JSON object"),
                Arguments.of("metadata not strings", raw("{\"__metadata__\":{\"k\":1}}", 0),
                        "__metadata__ value of 'k' is not a string"),
                Arguments.of("invalid UTF-8", withLength(4, new byte[] {'{', '"', (byte) 0xff, '}'}, 0),
                        "header is not UTF-8: invalid byte sequence at file offset 10"),
                // Jackson alone guessed UTF-16 from the zero bytes and accepted this header
                Arguments.of("UTF-16 header", withLength(4, "{}".getBytes(StandardCharsets.UTF_16LE), 0),
                        "header is not valid JSON: Illegal character ((CTRL-CHAR, code 0))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldThrowFormatExceptionWhenFileIsMalformed(String label, byte[] bytes, String expected) {
        SafetensorsFormatException e = assertThrowsExactly(SafetensorsFormatException.class,
                () -> SafetensorsFile.parse(MemorySegment.ofArray(bytes), "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> label + ": message was: " + e.getMessage());
    }

    @Test
    void shouldThrowFormatExceptionWhenOpeningTruncatedFile(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("short.safetensors");
        Files.write(path, new byte[3]);
        try (TensorArena arena = new TensorArena("malformed")) {
            FormatException e = assertThrowsExactly(SafetensorsFormatException.class,
                    () -> SafetensorsFile.open(path, arena));
            assertEquals(path + ": file has 3 bytes, fewer than the 8-byte header length", e.getMessage());
        }
    }
}
