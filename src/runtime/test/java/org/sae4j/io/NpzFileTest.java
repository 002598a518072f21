package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sae4j.tensor.TensorArena;

/** {@link NpzFile}: stored and deflated round trips through java.util.zip and {@link NpyWriter}, and rejections. */
final class NpzFileTest {

    @TempDir
    Path dir;

    /** A ZIP image holding {@code members} (name to bytes), each stored or deflated. */
    static byte[] zip(Map<String, byte[]> members, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                ZipEntry entry = new ZipEntry(member.getKey());
                byte[] data = member.getValue();
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path write(byte[] image) throws IOException {
        Path file = dir.resolve("params.npz");
        Files.write(file, image);
        return file;
    }

    private static Map<String, byte[]> sample() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("W_enc.npy", NpyWriter.toByteArray(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
        members.put("b_dec.npy", NpyWriter.toByteArray(new long[] {4}, new float[] {0.25f, -1, 0, 1e-30f}));
        members.put("scalar.npy", NpyWriter.toByteArray(new long[] {}, new float[] {7}));
        return members;
    }

    @ParameterizedTest(name = "deflate={0}")
    @ValueSource(booleans = {false, true})
    void shouldReadEveryMemberWhenStoredOrDeflated(boolean deflate) throws IOException {
        Path file = write(zip(sample(), deflate));
        try (TensorArena arena = new TensorArena("npz")) {
            NpzFile npz = NpzFile.open(file, arena);
            assertEquals(List.of("W_enc", "b_dec", "scalar"), List.copyOf(npz.names()));
            assertArrayEquals(new long[] {2, 3}, npz.array("W_enc").shapeArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, npz.array("W_enc").readFloats());
            assertArrayEquals(new float[] {0.25f, -1, 0, 1e-30f}, npz.array("b_dec").readFloats());
            assertArrayEquals(new long[] {}, npz.array("scalar").shapeArray());
            assertArrayEquals(new float[] {7}, npz.array("scalar").readFloats());
            assertEquals(SafetensorsDType.F32, npz.array("b_dec").dtype());
            assertTrue(npz.contains("b_dec"));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> npz.array("W_dec"));
            assertTrue(missing.getMessage().endsWith("no array 'W_dec'"), missing.getMessage());
        }
    }

    private String openError(byte[] image) throws IOException {
        Path file = write(image);
        try (TensorArena arena = new TensorArena("npz")) {
            return assertThrows(FormatException.class, () -> NpzFile.open(file, arena)).getMessage();
        }
    }

    @Test
    void shouldRejectFilesThatAreNotZipArchives() throws IOException {
        assertTrue(openError("not a zip at all".getBytes(StandardCharsets.US_ASCII))
                .contains("not a readable ZIP archive"));
        assertTrue(openError(new byte[0]).contains("not a readable ZIP archive"));
    }

    @Test
    void shouldRejectMembersThatAreNotNpyFiles() throws IOException {
        Map<String, byte[]> members = sample();
        members.put("notes.txt", new byte[] {1});
        assertTrue(openError(zip(members, true)).endsWith("member 'notes.txt' is not a .npy file"));
        Map<String, byte[]> stemless = new LinkedHashMap<>();
        stemless.put(".npy", NpyWriter.toByteArray(new long[] {1}, new float[] {1}));
        assertTrue(openError(zip(stemless, false)).endsWith("member '.npy' is not a .npy file"));
    }

    @Test
    void shouldRejectDuplicateMemberNames() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("aa.npy", NpyWriter.toByteArray(new long[] {1}, new float[] {1}));
        members.put("bb.npy", NpyWriter.toByteArray(new long[] {1}, new float[] {2}));
        byte[] image = zip(members, false);
        // java.util.zip refuses to write duplicates, so rename the second member in place (same length, CRC intact)
        String text = new String(image, StandardCharsets.ISO_8859_1).replace("bb.npy", "aa.npy");
        assertTrue(openError(text.getBytes(StandardCharsets.ISO_8859_1)).endsWith("duplicate member 'aa.npy'"));
    }

    @Test
    void shouldRejectMembersAboveTheSizeCap() throws IOException {
        Path file = write(zip(sample(), true));
        try (TensorArena arena = new TensorArena("npz")) {
            FormatException error = assertThrows(FormatException.class, () -> NpzFile.open(file, arena, 100));
            assertTrue(error.getMessage().contains("member 'W_enc.npy' has 152 bytes uncompressed, above the cap of "
                    + "100"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> NpzFile.open(file, arena, -1));
        }
    }

    @Test
    void shouldReportTheMemberWhenItsNpyHeaderIsMalformed() throws IOException {
        Map<String, byte[]> members = sample();
        byte[] bad = members.get("b_dec.npy").clone();
        bad[1] = 'X';
        members.put("b_dec.npy", bad);
        Path file = write(zip(members, true));
        try (TensorArena arena = new TensorArena("npz")) {
            NpyFormatException error = assertThrowsExactly(NpyFormatException.class, () -> NpzFile.open(file, arena));
            assertTrue(error.getMessage().endsWith("params.npz!b_dec.npy: missing magic string \\x93NUMPY"),
                    error.getMessage());
        }
    }

    @Test
    void shouldRejectTruncatedOrCorruptedArchives() throws IOException {
        byte[] image = zip(sample(), true);
        assertTrue(openError(Arrays.copyOf(image, image.length / 2)).contains("not a readable ZIP archive"));
        byte[] corrupted = image.clone();
        // flip bytes inside the first member's deflated data (the local header is 30 bytes plus the name)
        for (int i = 45; i < 60; i++) {
            corrupted[i] ^= (byte) 0x5a;
        }
        String message = openError(corrupted);
        assertTrue(message.contains("params.npz"), message);
    }
}
