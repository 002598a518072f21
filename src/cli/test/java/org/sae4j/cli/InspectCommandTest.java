package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sae4j.io.NpyWriter;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import picocli.CommandLine;

/** {@code sae4j inspect} on SAE folders, on files inside them and on single container files. */
final class InspectCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int inspect(Path path) {
        CommandLine line = new CommandLine(new InspectCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(path.toString());
    }

    @Test
    void shouldPrintArchitectureTensorsAndShapes() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, 3, 5).withK(2).withHookName("blocks.1.hook_resid_pre");
        SaeWriter.write(dir, config, SaeWeights.of(new float[15], new float[5], new float[15], new float[3]));
        assertEquals(0, inspect(dir), err.toString());
        String text = out.toString();
        assertTrue(text.contains("source:         saelens"), text);
        assertTrue(text.contains("architecture:   topk"), text);
        assertTrue(text.contains("k:              2"), text);
        assertTrue(text.contains("hook:           blocks.1.hook_resid_pre"), text);
        assertTrue(text.contains("normalisation:  none"), text);
        assertTrue(text.matches("(?s).*W_enc +F32 +\\[3, 5].*"), text);
        assertTrue(text.matches("(?s).*W_dec +F32 +\\[5, 3].*"), text);
        assertTrue(text.contains("warnings:       none"), text);
    }

    @Test
    void shouldExitWithTwoAndOneLineWhenTheFolderIsMalformed() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, 3, 5);
        float[] encoder = new float[15];
        encoder[4] = Float.NaN;
        SaeWriter.write(dir, config, SaeWeights.of(encoder, new float[5], new float[15], new float[3]));
        assertEquals(2, inspect(dir));
        String message = err.toString().strip();
        assertTrue(message.startsWith("sae4j inspect: "), message);
        // engine [5, 3] element 4 is row 1, column 1: element 1·5 + 1 = 6 of the stored W_enc [3, 5]
        assertTrue(message.endsWith("tensor 'W_enc' holds NaN at element 6; weights must be finite"), message);
        assertEquals(1, message.lines().count(), message);

        Files.writeString(dir.resolve("cfg.json"), "{\"architecture\": \"standard\", \"d_in\": 3}");
        err.getBuffer().setLength(0);
        assertEquals(2, inspect(dir));
        assertTrue(err.toString().strip().endsWith("key 'd_sae' is missing"), err.toString());
    }

    /** Header length 201: unpadded, so the data section starts at the odd byte 209. */
    private static final String UNPADDED = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"z\":{\"dtype\":\"F64\",\"shape\":[0,3],\"data_offsets\":[8,8]},"
            + "\"s\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[8,10]}}";

    /** The 8-byte little-endian length, {@code json} right-padded with spaces to {@code headerLength}, zero data. */
    private static byte[] safetensors(String json, int headerLength, int dataBytes) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer image = ByteBuffer.allocate(8 + headerLength + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        image.putLong(headerLength).put(text);
        for (int i = text.length; i < headerLength; i++) {
            image.put((byte) ' ');
        }
        return image.array();
    }

    private static byte[] deflatedZip(String member, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(member));
            zip.write(data);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void shouldDescribeMetadataTensorsAndRangesWhenASafetensorsFileIsNotInAnSaeFolder() throws IOException {
        Path file = dir.resolve("weights.safetensors");
        // the writer orders tensors by element size, then name: step (I64), W_enc, b_enc (F32), mask (BOOL)
        new SafetensorsWriter().metadata("format", "pt").metadata("source", "test")
                .addFloats("W_enc", new long[] {3, 2}, new float[6])
                .addFloats("b_enc", new long[] {2}, new float[2])
                .add("step", SafetensorsDType.I64, new long[] {}, MemorySegment.ofArray(new byte[8]))
                .add("mask", SafetensorsDType.BOOL, new long[] {0}, MemorySegment.ofArray(new byte[0]))
                .write(file);
        assertEquals(0, inspect(file), err.toString());
        // 281 bytes of JSON padded to 288, so the data section starts at 296: 8-byte but not 64-byte aligned
        assertEquals(List.of(
                "file:          " + file,
                "format:        safetensors",
                "size:          336 bytes",
                "header:        288 bytes at [8, 296)",
                "data:          40 bytes at [296, 336)",
                "metadata:      2 entries",
                "  format = pt",
                "  source = test",
                "tensors:       4",
                "  step   I64   []      data [0, 8)    file [296, 304)  file-offset-not-64-byte-aligned scalar",
                "  W_enc  F32   [3, 2]  data [8, 32)   file [304, 328)  file-offset-not-64-byte-aligned",
                "  b_enc  F32   [2]     data [32, 40)  file [328, 336)  file-offset-not-64-byte-aligned",
                "  mask   BOOL  [0]     data [40, 40)  file [336, 336)  zero-size",
                "flags:         6",
                "  data-start-not-64-byte-aligned: data section starts at byte 296, not a multiple of 64",
                "  tensor 'step' file-offset-not-64-byte-aligned: file offset 296 is not a multiple of 64",
                "  tensor 'step' scalar: 0-d shape [] holding one element",
                "  tensor 'W_enc' file-offset-not-64-byte-aligned: file offset 304 is not a multiple of 64",
                "  tensor 'b_enc' file-offset-not-64-byte-aligned: file offset 328 is not a multiple of 64",
                "  tensor 'mask' zero-size: dimension 0 of shape [0] is 0, so there are no elements"),
                outLines());
    }

    @Test
    void shouldFlagUnpaddedMisalignedZeroSizeAndScalarTensorsWhenTheBytesAreHandBuilt() throws IOException {
        Path file = dir.resolve("old.safetensors");
        Files.write(file, safetensors(UNPADDED, 201, 10));
        assertEquals(0, inspect(file), err.toString());
        List<String> lines = outLines();
        assertTrue(lines.contains("header:        201 bytes at [8, 209)"), out.toString());
        assertTrue(lines.contains("  a  F32  [2]     data [0, 8)   file [209, 217)  file-offset-not-element-aligned "
                + "file-offset-not-64-byte-aligned"), out.toString());
        assertTrue(lines.contains("  z  F64  [0, 3]  data [8, 8)   file [217, 217)  zero-size"), out.toString());
        assertTrue(lines.contains("  s  I16  []      data [8, 10)  file [217, 219)  file-offset-not-element-aligned "
                + "file-offset-not-64-byte-aligned scalar"), out.toString());
        assertEquals(List.of(
                "flags:         8",
                "  unpadded-header: header length 201 is not a multiple of 8, so the data section starts at byte 209",
                "  data-start-not-64-byte-aligned: data section starts at byte 209, not a multiple of 64",
                "  tensor 'a' file-offset-not-element-aligned: file offset 209 is not a multiple of 4 (F32 element "
                        + "size)",
                "  tensor 'a' file-offset-not-64-byte-aligned: file offset 209 is not a multiple of 64",
                "  tensor 'z' zero-size: dimension 0 of shape [0, 3] is 0, so there are no elements",
                "  tensor 's' file-offset-not-element-aligned: file offset 217 is not a multiple of 2 (I16 element "
                        + "size)",
                "  tensor 's' file-offset-not-64-byte-aligned: file offset 217 is not a multiple of 64",
                "  tensor 's' scalar: 0-d shape [] holding one element"),
                lines.subList(lines.indexOf("flags:         8"), lines.size()));
    }

    @Test
    void shouldDescribeDtypeShapeOrderVersionAndDataOffsetWhenTheFileIsNpy() throws IOException {
        Path file = dir.resolve("resid.npy");
        NpyWriter.writeFloats(file, new long[] {3, 4}, new float[12]);
        assertEquals(0, inspect(file), err.toString());
        assertEquals(List.of(
                "file:          " + file,
                "format:        npy",
                "size:          176 bytes",
                "version:       1.0",
                "dtype:         F32",
                "shape:         [3, 4]",
                "fortran order: False",
                "data:          48 bytes at [128, 176)",
                "flags:         none"), outLines());
    }

    @Test
    void shouldDescribeEveryMemberWhenTheFileIsNpz() throws IOException {
        Path file = dir.resolve("params.npz.d").resolve("weights.npz");
        Files.createDirectories(file.getParent());
        Files.write(file, deflatedZip("W_enc.npy", NpyWriter.toByteArray(new long[] {2, 3}, new float[6])));
        assertEquals(0, inspect(file), err.toString());
        List<String> lines = outLines();
        assertEquals("format:        npz", lines.get(1), out.toString());
        assertEquals("members:       1", lines.get(3), out.toString());
        // the compressed size depends on the deflate implementation; the uncompressed one is the .npy image
        assertTrue(lines.get(4).matches("  W_enc\\.npy  F32  \\[2, 3]  deflated  \\d+ of 152 bytes  npy 1\\.0, "
                + "data at member byte 128"), lines.get(4));
        assertEquals("flags:         none", lines.get(5), out.toString());
    }

    @Test
    void shouldPrintTheSaeWhenTheFileIsInsideAnSaeFolder() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, 3, 5);
        SaeWriter.write(dir, config, SaeWeights.of(new float[15], new float[5], new float[15], new float[3]));
        assertEquals(0, inspect(dir.resolve("sae_weights.safetensors")), err.toString());
        assertTrue(out.toString().contains("source:         saelens"), out.toString());
        assertTrue(out.toString().contains("architecture:   standard"), out.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cut.safetensors", "cut.npy", "cut.npz"})
    void shouldExitWithTwoAndOneLineNamingTheFileWhenASingleFileIsMalformed(String name) throws IOException {
        byte[] whole = switch (name) {
            case "cut.safetensors" -> safetensors(UNPADDED, 201, 10);
            case "cut.npy" -> NpyWriter.toByteArray(new long[] {3, 4}, new float[12]);
            default -> deflatedZip("W_enc.npy", NpyWriter.toByteArray(new long[] {2, 3}, new float[6]));
        };
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(whole, 150));
        assertEquals(2, inspect(file));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        String problem = switch (name) {
            case "cut.safetensors" -> "header length 201 runs past the end of the file (150 bytes)";
            case "cut.npy" -> "shape [3, 4] of F32 needs 48 data bytes but the file has 22 after the header";
            default -> "not a readable ZIP archive: zip END header not found";
        };
        assertEquals("sae4j inspect: " + file + ": " + problem, message);
        assertEquals("", out.toString());
    }

    @Test
    void shouldExitWithTwoWhenTheFileIsMissing() {
        Path file = dir.resolve("absent.safetensors");
        assertEquals(2, inspect(file));
        assertEquals("sae4j inspect: no such file: " + file, err.toString().strip());
    }

    @Test
    void shouldFlagTheUnpaddedUpstreamSampleWhenTheSharedFixturesArePresent() {
        String root = System.getProperty("sae4j.fixtures");
        Path file = root == null ? null : Path.of(root, "safetensors-samples", "overall.safetensors");
        assumeTrue(file != null && Files.isRegularFile(file),
                "safetensors samples not found: system property sae4j.fixtures=" + root
                        + " has no safetensors-samples/overall.safetensors");
        assertEquals(0, inspect(file), err.toString());
        List<String> lines = outLines();
        assertTrue(lines.contains("header:        526 bytes at [8, 534)"), out.toString());
        assertTrue(lines.contains("  test = a"), out.toString());
        assertTrue(lines.contains("  unpadded-header: header length 526 is not a multiple of 8, so the data section "
                + "starts at byte 534"), out.toString());
        // the upstream writer packed U32 'I' after 18 bytes of U8 and U16 data
        assertTrue(lines.contains("  tensor 'I' data-offset-not-element-aligned: data offset 18 is not a multiple of 4 "
                + "(U32 element size)"), out.toString());
        assertTrue(lines.contains("  tensor 'd' file-offset-not-element-aligned: file offset 582 is not a multiple "
                + "of 8 (F64 element size)"), out.toString());
    }
}
