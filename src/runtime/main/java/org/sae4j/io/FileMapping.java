package org.sae4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sae4j.tensor.TensorArena;

/** Read-only memory mapping shared by the file readers. */
final class FileMapping {

    /** Not instantiable: one static helper. */
    private FileMapping() {
    }

    /**
     * Maps all of {@code path} read-only into {@code owner}'s lifetime; the channel is closed on return, the mapping
     * stays valid until {@code owner} is closed. Writes through the segment throw.
     *
     * @param path  the file to map
     * @param owner the arena that owns (and later unmaps) the mapping
     * @return a read-only segment of the whole file
     * @throws IOException if the file cannot be opened or mapped
     */
    static MemorySegment mapReadOnly(Path path, TensorArena owner) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), owner.arena());
        }
    }
}
