package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.TensorArena;

/** {@link NpzFile#entries()} and the npz {@link FileDescription}. */
final class NpzEntriesTest {

    @TempDir
    Path dir;

    /** A 2 x 3 matrix and a 0-d array, both written by {@link NpyWriter} (data at byte 128 of each member). */
    private static Map<String, byte[]> members() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("W_enc.npy", NpyWriter.toByteArray(new long[] {2, 3}, new float[6]));
        members.put("scalar.npy", NpyWriter.toByteArray(new long[] {}, new float[] {7}));
        return members;
    }

    private Path write(boolean deflate) throws IOException {
        Path path = dir.resolve(deflate ? "deflated.npz" : "stored.npz");
        Files.write(path, NpzFileTest.zip(members(), deflate));
        return path;
    }

    @Test
    void shouldRecordCompressionAndSizesOfEveryMemberInArchiveOrder() throws IOException {
        try (TensorArena arena = new TensorArena("npz")) {
            assertEquals(List.of(new NpzEntry("W_enc", "W_enc.npy", false, 152, 152),
                    new NpzEntry("scalar", "scalar.npy", false, 132, 132)),
                    NpzFile.open(write(false), arena).entries());
            List<NpzEntry> deflated = NpzFile.open(write(true), arena).entries();
            assertEquals(List.of("W_enc", "scalar"), deflated.stream().map(NpzEntry::name).toList());
            for (NpzEntry entry : deflated) {
                assertEquals("deflated", entry.compression(), entry.memberName());
                // mostly spaces and zeros: deflate must shrink them
                assertTrue(entry.compressedBytes() < entry.uncompressedBytes(), entry.toString());
            }
            assertEquals(List.of(152L, 132L), deflated.stream().map(NpzEntry::uncompressedBytes).toList());
        }
    }

    @Test
    void shouldPrintEveryMemberWithCompressionSizesAndShapeFlagsWhenDescribingAnArchive() throws IOException {
        Path path = write(false);
        FileDescription description = FileDescription.of(path);
        assertEquals("npz", description.format());
        assertEquals(List.of(
                "file:          " + path,
                "format:        npz",
                "size:          " + Files.size(path) + " bytes",
                "members:       2",
                "  W_enc.npy   F32  [2, 3]  stored  152 of 152 bytes  npy 1.0, data at member byte 128",
                "  scalar.npy  F32  []      stored  132 of 132 bytes  npy 1.0, data at member byte 128  scalar",
                "flags:         1",
                "  array 'scalar' scalar: 0-d shape [] holding one element"),
                description.lines());
        assertEquals(List.of(new LayoutFinding(LayoutFlag.SCALAR, "scalar", "0-d shape [] holding one element")),
                description.findings());
    }
}
