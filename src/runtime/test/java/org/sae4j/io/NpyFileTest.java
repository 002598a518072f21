package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/** {@link NpyFile} and {@link NpyWriter}: round trips, every accepted descriptor, header versions, rejections. */
final class NpyFileTest {

    @TempDir
    Path dir;

    /** A .npy image with the given version, header dict text (unpadded) and data bytes. */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.UTF_8);
        int prefix = major == 1 ? 10 : 12;
        byte[] out = new byte[prefix + text.length + data.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = (byte) major;
        MemorySegment segment = MemorySegment.ofArray(out);
        if (major == 1) {
            segment.set(ElementCodec.I16, 8, (short) text.length);
        } else {
            segment.set(ElementCodec.I32, 8, text.length);
        }
        System.arraycopy(text, 0, out, prefix, text.length);
        System.arraycopy(data, 0, out, prefix + text.length, data.length);
        return out;
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
                + ", }";
    }

    @Test
    void shouldMatchNumpyHeaderWhenWritingFloats() {
        byte[] bytes = NpyWriter.toByteArray(new long[] {3}, new float[] {0f, 1f, 2f});
        assertEquals(128 + 12, bytes.length);
        assertEquals(118, MemorySegment.ofArray(bytes).get(ElementCodec.I16, 8), "np.save header length");
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
        assertEquals('\n', header.charAt(117));
        assertEquals(2f, MemorySegment.ofArray(bytes).get(Layouts.F32, 128 + 8));
    }

    @Test
    void shouldReadBackValuesWhenRoundTrippingThroughFile() throws IOException {
        float[] values = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3f, -7f};
        Path path = dir.resolve("x.npy");
        NpyWriter.writeFloats(path, new long[] {2, 3}, values);
        assertArrayEquals(NpyWriter.toByteArray(new long[] {2, 3}, values), Files.readAllBytes(path));
        try (TensorArena arena = new TensorArena("npy")) {
            NpyFile file = NpyFile.open(path, arena);
            assertEquals(List.of(2L, 3L), file.shape());
            assertEquals(SafetensorsDType.F32, file.dtype());
            assertEquals(1, file.majorVersion());
            assertEquals(0, file.dataStart() % 64);
            assertArrayEquals(values, file.readFloats());
            MemorySegment dst = arena.allocateFloats(8);
            file.readFloats(dst, 1);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(dst.get(Layouts.F32, 1 + 4)));
            NpyWriter.write(dir.resolve("y.npy"), file.shapeArray(), file.segment());
            assertArrayEquals(Files.readAllBytes(path), Files.readAllBytes(dir.resolve("y.npy")));
        }
    }

    @Test
    void shouldWriteScalarAndEmptyArraysWhenShapeHasNoElementsOrNoDimensions() throws NpyFormatException {
        NpyFile scalar = NpyFile.parse(MemorySegment.ofArray(NpyWriter.toByteArray(new long[] {}, new float[] {4f})),
                "scalar");
        assertEquals(List.of(), scalar.shape());
        assertArrayEquals(new float[] {4f}, scalar.readFloats());
        NpyFile empty = NpyFile.parse(MemorySegment.ofArray(NpyWriter.toByteArray(new long[] {0, 5}, new float[0])),
                "empty");
        assertEquals(0, empty.readFloats().length);
    }

    static Stream<Arguments> descriptors() {
        return Stream.of(
                Arguments.of("<f8", new byte[] {0, 0, 0, 0, 0, 0, 8, -64, 0, 0, 0, 0, 0, 0, 0, 64},
                        new double[] {-3, 2}),
                Arguments.of("<f2", new byte[] {0, -62, 0, 64}, new double[] {-3, 2}),
                Arguments.of("<i4", new byte[] {-3, -1, -1, -1, 2, 0, 0, 0}, new double[] {-3, 2}),
                Arguments.of("<u4", new byte[] {-3, -1, -1, -1, 2, 0, 0, 0}, new double[] {4294967293.0, 2}),
                Arguments.of("<i8", new byte[] {-3, -1, -1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 0, 0, 0},
                        new double[] {-3, 2}),
                Arguments.of("<i2", new byte[] {-3, -1, 2, 0}, new double[] {-3, 2}),
                Arguments.of("|i1", new byte[] {-3, 2}, new double[] {-3, 2}),
                Arguments.of("|u1", new byte[] {-3, 2}, new double[] {253, 2}),
                Arguments.of("|b1", new byte[] {0, 1}, new double[] {0, 1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void shouldConvertValuesWhenReadingDescriptor(String descr, byte[] data, double[] expected)
            throws NpyFormatException {
        for (int major = 1; major <= 3; major++) {
            NpyFile file = NpyFile.parse(MemorySegment.ofArray(npy(major, dict(descr, false, "(2,)"), data)), descr);
            assertEquals(major, file.majorVersion());
            assertArrayEquals(expected, file.readDoubles(), descr);
            float[] floats = file.readFloats();
            for (int i = 0; i < expected.length; i++) {
                assertEquals((float) expected[i], floats[i], descr + "[" + i + "]");
            }
            if (!file.dtype().isFloatingPoint()) {
                long[] longs = file.readLongs();
                assertEquals((long) expected[0], longs[0], descr);
            }
        }
    }

    @Test
    void shouldAcceptFortranFlagWhenArrayHasOneDimension() throws NpyFormatException {
        byte[] bytes = npy(1, dict("<f4", true, "(1,)"), new byte[] {0, 0, -128, 63});
        assertArrayEquals(new float[] {1f}, NpyFile.parse(MemorySegment.ofArray(bytes), "f").readFloats());
    }

    static Stream<Arguments> malformed() {
        byte[] valid = NpyWriter.toByteArray(new long[] {2, 2}, new float[4]);
        byte[] badMagic = valid.clone();
        badMagic[1] = 'X';
        byte[] badVersion = valid.clone();
        badVersion[6] = 4;
        byte[] longHeader = valid.clone();
        MemorySegment.ofArray(longHeader).set(ElementCodec.I16, 8, (short) 4000);
        return Stream.of(
                Arguments.of("too short", new byte[4], "file has 4 bytes, too short"),
                Arguments.of("bad magic", badMagic, "missing magic string"),
                Arguments.of("bad version", badVersion, "unsupported format version 4.0"),
                Arguments.of("header cut", Arrays.copyOf(valid, 50), "header length 118 runs past the end"),
                Arguments.of("header length beyond file", longHeader, "header length 4000 runs past the end"),
                Arguments.of("data cut", Arrays.copyOf(valid, valid.length - 1),
                        "shape [2, 2] of F32 needs 16 data bytes but the file has 15"),
                Arguments.of("trailing data", Arrays.copyOf(valid, valid.length + 4),
                        "needs 16 data bytes but the file has 20"),
                Arguments.of("fortran order", npy(1, dict("<f4", true, "(2, 2)"), new byte[16]),
                        "Fortran-order (column-major) arrays are not supported"),
                Arguments.of("big endian", npy(1, dict(">f4", false, "(1,)"), new byte[4]), "big-endian descr '>f4'"),
                Arguments.of("object dtype", npy(1, dict("|O", false, "(1,)"), new byte[8]), "unsupported descr '|O'"),
                Arguments.of("missing shape", npy(1, "{'descr': '<f4', 'fortran_order': False}", new byte[4]),
                        "header has no 'shape'"),
                Arguments.of("duplicate key", npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
                        + "'shape': (1,)}", new byte[4]), "duplicate key 'descr'"),
                Arguments.of("wrong value type", npy(1, dict("<f4", false, "'x'"), new byte[4]),
                        "header value of 'shape' has the wrong type"),
                Arguments.of("negative dimension", npy(1, dict("<f4", false, "(-1,)"), new byte[4]),
                        "expected a non-negative integer dimension"),
                Arguments.of("huge dimension", npy(1, dict("<f4", false, "(99999999999999999999,)"), new byte[4]),
                        "dimension too large"),
                Arguments.of("shape overflow", npy(1, dict("<f4", false, "(4294967296, 4294967296, 16)"),
                        new byte[4]), "needs more than 2^63 data bytes"),
                Arguments.of("expression", npy(1, "{'descr': __import__('os')}", new byte[4]), "unsupported value"),
                Arguments.of("unterminated", npy(1, "{'descr': '<f4", new byte[0]), "unterminated string"),
                Arguments.of("content after dict", npy(1, dict("<f4", false, "(1,)") + "x", new byte[4]),
                        "unexpected content after the dictionary"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldThrowFormatExceptionWhenFileIsMalformed(String label, byte[] bytes, String expected) {
        NpyFormatException e = assertThrowsExactly(NpyFormatException.class,
                () -> NpyFile.parse(MemorySegment.ofArray(bytes), "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> label + ": message was: " + e.getMessage());
    }
}
