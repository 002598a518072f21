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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafetensorsFile#layoutFindings()} and the safetensors {@link FileDescription}, on hand-built layouts. */
final class SafetensorsLayoutTest {

    /** Header length 201: unpadded, so the data section starts at the odd byte 209. */
    static final String UNPADDED = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"z\":{\"dtype\":\"F64\",\"shape\":[0,3],\"data_offsets\":[8,8]},"
            + "\"s\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[8,10]}}";

    @TempDir
    Path dir;

    /** The 8-byte length, {@code json} right-padded with spaces to {@code headerLength} bytes, then zero data. */
    static byte[] image(String json, int headerLength, int dataBytes) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] header = Arrays.copyOf(text, headerLength);
        Arrays.fill(header, text.length, headerLength, (byte) ' ');
        return SafetensorsMalformedTest.withLength(headerLength, header, dataBytes);
    }

    private static SafetensorsFile parse(byte[] image) throws SafetensorsFormatException {
        return SafetensorsFile.parse(MemorySegment.ofArray(image), "layout");
    }

    @Test
    void shouldFlagUnpaddedHeaderOddStartsZeroSizeAndScalarWhenHeaderIsUnpadded() throws IOException {
        SafetensorsFile file = parse(image(UNPADDED, 201, 10));
        assertEquals(201, file.headerLength());
        assertEquals(209, file.dataStart());
        assertEquals(10, file.dataLength());
        assertEquals(List.of(
                new LayoutFinding(LayoutFlag.UNPADDED_HEADER, null,
                        "header length 201 is not a multiple of 8, so the data section starts at byte 209"),
                new LayoutFinding(LayoutFlag.DATA_START_NOT_64_BYTE_ALIGNED, null,
                        "data section starts at byte 209, not a multiple of 64"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_ELEMENT_ALIGNED, "a",
                        "file offset 209 is not a multiple of 4 (F32 element size)"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_64_BYTE_ALIGNED, "a",
                        "file offset 209 is not a multiple of 64"),
                // no alignment findings for 'z': a tensor without bytes has nothing to align
                new LayoutFinding(LayoutFlag.ZERO_SIZE, "z", "dimension 0 of shape [0, 3] is 0, so there are no "
                        + "elements"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_ELEMENT_ALIGNED, "s",
                        "file offset 217 is not a multiple of 2 (I16 element size)"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_64_BYTE_ALIGNED, "s",
                        "file offset 217 is not a multiple of 64"),
                new LayoutFinding(LayoutFlag.SCALAR, "s", "0-d shape [] holding one element")),
                file.layoutFindings());
    }

    @Test
    void shouldFlagDataOffsetWhenATensorIsMisalignedInsideAnAlignedDataSection() throws IOException {
        String json = "{\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}";
        SafetensorsFile file = parse(image(json, 120, 6));
        assertEquals(128, file.dataStart());
        assertEquals(List.of(
                new LayoutFinding(LayoutFlag.DATA_OFFSET_NOT_ELEMENT_ALIGNED, "f",
                        "data offset 2 is not a multiple of 4 (F32 element size)"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_ELEMENT_ALIGNED, "f",
                        "file offset 130 is not a multiple of 4 (F32 element size)"),
                new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_64_BYTE_ALIGNED, "f",
                        "file offset 130 is not a multiple of 64")),
                file.layoutFindings());
    }

    @Test
    void shouldFindNothingWhenEveryTensorStartsOnA64ByteBoundary() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":[0,64]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":[64,128]}}";
        assertEquals(List.of(), parse(image(json, 120, 128)).layoutFindings());
    }

    @Test
    void shouldOnlyFindWideAlignmentWhenWrittenBySafetensorsWriter() throws IOException {
        SafetensorsFile file = parse(SafetensorsRoundTripTest.sample(7).toByteArray());
        assertEquals(0, file.headerLength() % 8, "the writer pads the header");
        for (LayoutFinding finding : file.layoutFindings()) {
            boolean expected = switch (finding.flag()) {
                case DATA_START_NOT_64_BYTE_ALIGNED, FILE_OFFSET_NOT_64_BYTE_ALIGNED -> true;
                // the sample holds one empty and one 0-d tensor on purpose
                case ZERO_SIZE -> finding.tensor().equals("empty");
                case SCALAR -> finding.tensor().equals("scalar");
                default -> false;
            };
            assertTrue(expected, "writer output has " + finding);
        }
    }

    @Test
    void shouldPrintRangesFlagsAndMetadataWhenDescribingAFile() throws IOException {
        Path path = dir.resolve("odd.safetensors");
        Files.write(path, image(UNPADDED, 201, 10));
        FileDescription description = FileDescription.of(path);
        assertEquals("safetensors", description.format());
        assertEquals(List.of(
                "file:          " + path,
                "format:        safetensors",
                "size:          219 bytes",
                "header:        201 bytes at [8, 209)",
                "data:          10 bytes at [209, 219)",
                "metadata:      none",
                "tensors:       3",
                "  a  F32  [2]     data [0, 8)   file [209, 217)  file-offset-not-element-aligned "
                        + "file-offset-not-64-byte-aligned",
                "  z  F64  [0, 3]  data [8, 8)   file [217, 217)  zero-size",
                "  s  I16  []      data [8, 10)  file [217, 219)  file-offset-not-element-aligned "
                        + "file-offset-not-64-byte-aligned scalar",
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
                description.lines());
        assertEquals(parse(image(UNPADDED, 201, 10)).layoutFindings(), description.findings());
    }

    @Test
    void shouldKeepEveryEntryOnOneLineWhenMetadataHoldsLineBreaks() throws IOException {
        Path path = dir.resolve("meta.safetensors");
        new SafetensorsWriter().metadata("note", "two\nlines").addFloats("x\ty", new long[] {1}, new float[] {1})
                .write(path);
        List<String> lines = FileDescription.of(path).lines();
        assertTrue(lines.contains("  note = two\\u000alines"), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("  x\\u0009y  F32  [1]  data [0, 4)")),
                lines.toString());
    }

    @Test
    void shouldThrowTheReadersExceptionWhenDescribingAMalformedFile() throws IOException {
        Path path = dir.resolve("cut.safetensors");
        Files.write(path, Arrays.copyOf(image(UNPADDED, 201, 10), 100));
        SafetensorsFormatException error = assertThrowsExactly(SafetensorsFormatException.class,
                () -> FileDescription.of(path));
        assertEquals(path + ": header length 201 runs past the end of the file (100 bytes)", error.getMessage());
    }

    @Test
    void shouldRefuseToDescribeAFileWithAnotherExtension() throws IOException {
        Path path = dir.resolve("weights.bin");
        Files.write(path, new byte[8]);
        assertTrue(FileDescription.isDescribable(dir.resolve("W.SafeTensors")));
        assertTrue(!FileDescription.isDescribable(path));
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class,
                () -> FileDescription.of(path));
        assertEquals(path + ": expected a .safetensors, .npy or .npz file", error.getMessage());
    }
}
