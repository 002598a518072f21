package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpyFile#fortranOrder()}, {@link NpyFile#layoutFindings()} and the npy {@link FileDescription}. */
final class NpyLayoutTest {

    @TempDir
    Path dir;

    private static NpyFile parse(byte[] image) throws NpyFormatException {
        return NpyFile.parse(MemorySegment.ofArray(image), "layout");
    }

    @Test
    void shouldFindNothingWhenWrittenByNpyWriter() throws IOException {
        NpyFile file = parse(NpyWriter.toByteArray(new long[] {3, 4}, new float[12]));
        assertFalse(file.fortranOrder());
        assertEquals(List.of(), file.layoutFindings());
    }

    @Test
    void shouldFlagScalarAndZeroSizeArraysWithoutAlignmentFindingsForEmptyData() throws IOException {
        assertEquals(List.of(new LayoutFinding(LayoutFlag.SCALAR, null, "0-d shape [] holding one element")),
                parse(NpyWriter.toByteArray(new long[] {}, new float[] {1})).layoutFindings());
        // an unpadded header puts the data at byte 72, not on a 64-byte boundary, but there are no bytes to align
        NpyFile empty = parse(NpyFileTest.npy(2, NpyFileTest.dict("<i2", false, "(0, 5)"), new byte[0]));
        assertEquals(72, empty.dataStart());
        assertEquals(List.of(new LayoutFinding(LayoutFlag.ZERO_SIZE, null,
                "dimension 0 of shape [0, 5] is 0, so there are no elements")), empty.layoutFindings());
    }

    @Test
    void shouldPrintVersionFortranOrderAndDataOffsetWhenDescribingAFile() throws IOException {
        Path path = dir.resolve("vector.npy");
        // header text of 56 bytes plus its newline after the 10-byte prefix: the data starts at the odd byte 67
        Files.write(path, NpyFileTest.npy(1, NpyFileTest.dict("<f4", true, "(2,)"), new byte[8]));
        FileDescription description = FileDescription.of(path);
        assertTrue(NpyFile.parse(MemorySegment.ofArray(Files.readAllBytes(path)), "vector").fortranOrder());
        assertEquals("npy", description.format());
        assertEquals(List.of(
                "file:          " + path,
                "format:        npy",
                "size:          75 bytes",
                "version:       1.0",
                "dtype:         F32",
                "shape:         [2]",
                "fortran order: True",
                "data:          8 bytes at [67, 75)",
                "flags:         2",
                "  file-offset-not-element-aligned: file offset 67 is not a multiple of 4 (F32 element size)",
                "  file-offset-not-64-byte-aligned: file offset 67 is not a multiple of 64"),
                description.lines());
    }

    @Test
    void shouldPrintFormatVersionThreeWhenTheHeaderIsUtf8() throws IOException {
        Path path = dir.resolve("flags.npy");
        Files.write(path, NpyFileTest.npy(3, NpyFileTest.dict("|b1", false, "(1, 3)"), new byte[3]));
        List<String> lines = FileDescription.of(path).lines();
        assertTrue(lines.contains("version:       3.0"), lines.toString());
        assertTrue(lines.contains("dtype:         BOOL"), lines.toString());
        assertTrue(lines.contains("shape:         [1, 3]"), lines.toString());
    }
}
