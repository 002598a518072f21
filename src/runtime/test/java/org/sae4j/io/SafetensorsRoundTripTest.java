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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/** Writer to reader round trips: values, metadata, layout rules and byte-identical rewrites. */
final class SafetensorsRoundTripTest {

    private static final long SEED = 20261125L;

    @TempDir
    Path dir;

    /** A file with every float type, several integer types, a 0-rank and an empty tensor. */
    static SafetensorsWriter sample(long seed) {
        Random random = new Random(seed);
        float[] w = new float[6 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        byte[] ints = new byte[3 * Long.BYTES];
        MemorySegment intSeg = MemorySegment.ofArray(ints);
        intSeg.setAtIndex(ElementCodec.I64, 0, Long.MIN_VALUE);
        intSeg.setAtIndex(ElementCodec.I64, 1, -1);
        intSeg.setAtIndex(ElementCodec.I64, 2, 42);
        return new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("seed", Long.toString(seed))
                .addFloats("W_dec", new long[] {6, 5}, w)
                .addFloats("W_bf16", SafetensorsDType.BF16, new long[] {5, 6}, w)
                .addFloats("W_f16", SafetensorsDType.F16, new long[] {30}, w)
                .addFloats("b_f64", SafetensorsDType.F64, new long[] {3}, new float[] {1.5f, -2f, 1e-3f})
                .addFloats("scalar", new long[] {}, new float[] {7f})
                .addFloats("empty", new long[] {4, 0}, new float[0])
                .add("counts", SafetensorsDType.I64, new long[] {3}, intSeg)
                .add("mask", SafetensorsDType.BOOL, new long[] {4}, MemorySegment.ofArray(new byte[] {0, 1, 2, 0}))
                .add("bytes", SafetensorsDType.U8, new long[] {3}, MemorySegment.ofArray(new byte[] {-1, 0, 5}));
    }

    @Test
    void shouldReadBackValuesAndMetadataWhenWrittenToFile() throws IOException {
        Path path = dir.resolve("sample.safetensors");
        sample(SEED).write(path);
        try (TensorArena arena = new TensorArena("round-trip")) {
            SafetensorsFile file = SafetensorsFile.open(path, arena);
            assertEquals(Map.of("format", "pt", "seed", Long.toString(SEED)), file.metadata());
            assertEquals(0, file.dataStart() % 8, "data buffer must be 8-byte aligned");
            for (SafetensorsTensor tensor : file.tensors()) {
                assertEquals(0, tensor.beginOffset() % tensor.dtype().byteSize(), tensor.name());
            }
            float[] w = file.readFloats("W_dec");
            assertEquals(List.of(6L, 5L), file.tensor("W_dec").shape());
            float[] bf16 = file.readFloats("W_bf16");
            float[] f16 = file.readFloats("W_f16");
            for (int i = 0; i < w.length; i++) {
                assertEquals(Layouts.bf16ToFloat(Layouts.floatToBf16(w[i])), bf16[i], "bf16[" + i + "]");
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(w[i])), f16[i], "f16[" + i + "]");
            }
            assertArrayEquals(new double[] {1.5, -2, (double) 1e-3f}, file.readDoubles("b_f64"));
            assertArrayEquals(new float[] {7f}, file.readFloats("scalar"));
            assertEquals(1, file.tensor("scalar").elementCount());
            assertEquals(0, file.readFloats("empty").length);
            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 42}, file.readLongs("counts"));
            assertArrayEquals(new long[] {0, 1, 1, 0}, file.readLongs("mask"));
            assertArrayEquals(new long[] {255, 0, 5}, file.readLongs("bytes"));
        }
    }

    @Test
    void shouldProduceIdenticalBytesWhenRewritingWhatWasRead() throws IOException {
        byte[] first = sample(SEED).toByteArray();
        Path path = dir.resolve("first.safetensors");
        sample(SEED).write(path);
        assertArrayEquals(first, Files.readAllBytes(path), "file and byte-array output differ");
        SafetensorsFile read = SafetensorsFile.parse(MemorySegment.ofArray(first), "first");
        SafetensorsWriter again = new SafetensorsWriter().metadata(read.metadata());
        for (SafetensorsTensor tensor : read.tensors().reversed()) {
            again.add(tensor.name(), tensor.dtype(), tensor.shapeArray(), read.segment(tensor.name()));
        }
        assertArrayEquals(first, again.toByteArray());
    }

    @Test
    void shouldWidenIntoUnalignedSegmentWhenReadingFloatsIntoCallerMemory() throws SafetensorsFormatException {
        SafetensorsFile file = SafetensorsFile.parse(MemorySegment.ofArray(sample(SEED).toByteArray()), "sample");
        try (TensorArena arena = new TensorArena("widen")) {
            MemorySegment dst = arena.allocateFloats(40);
            file.readFloats("W_bf16", dst, 3);
            float[] expected = file.readFloats("W_bf16");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], dst.get(Layouts.F32, 3 + 4L * i), "element " + i);
            }
            IllegalArgumentException tooSmall = assertThrowsExactly(IllegalArgumentException.class,
                    () -> file.readFloats("W_dec", dst, 40L * 4 - 8));
            assertTrue(tooSmall.getMessage().contains("tensor 'W_dec'"), tooSmall.getMessage());
        }
    }

    @Test
    void shouldPadHeaderWithSpacesWhenWriting() {
        byte[] bytes = new SafetensorsWriter().addFloats("x", new long[] {1}, new float[] {1f}).toByteArray();
        long n = MemorySegment.ofArray(bytes).get(ElementCodec.I64, 0);
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals(56, n, "54 bytes of JSON padded so that 8 + N is a multiple of 8");
        assertEquals(json + "  ", new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals(8 + n + 4, bytes.length);
        assertEquals(1f, MemorySegment.ofArray(bytes).get(Layouts.F32, 8 + n));
    }

    @Test
    void shouldRejectInvalidTensorsWhenAddingToWriter() {
        SafetensorsWriter writer = new SafetensorsWriter().addFloats("a", new long[] {2}, new float[2]);
        IllegalArgumentException duplicate = assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.addFloats("a", new long[] {2}, new float[2]));
        assertEquals("tensor 'a' added twice", duplicate.getMessage());
        assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.addFloats("b", new long[] {3}, new float[2]));
        assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.addFloats("__metadata__", new long[] {2}, new float[2]));
        assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.addFloats("c", SafetensorsDType.I32, new long[] {2}, new float[2]));
    }
}
