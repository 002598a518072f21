package org.sae4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.TensorArena;

/**
 * Coverage-guided fuzzing of {@link NpzFile#open} with Jazzer. A normal test run replays the inputs in
 * {@code src/test/resources/org/sae4j/io/NpzCoverageFuzzTestInputs/}: stored and deflated archives of
 * {@link NpyWriter} members, plus every input a fuzzing run found failing. {@code src/test/fuzz.sh} fuzzes it for a
 * bounded time. Each input is written to a file because the reader opens archives through
 * {@link java.util.zip.ZipFile}. Only {@link FormatException} may escape, as in {@link NpzFuzzTest}, and every array of an archive that opens must
 * read back without error.
 */
final class NpzCoverageFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    void shouldOnlyThrowFormatExceptionWhenOpeningAnyBytes(byte[] bytes) throws IOException {
        Path file = dir.resolve("params.npz");
        Files.write(file, bytes);
        // The default member cap on purpose: only the archive's own size may bound what an input allocates.
        try (TensorArena arena = new TensorArena("npz fuzz")) {
            NpzFile npz;
            try {
                npz = NpzFile.open(file, arena);
            } catch (FormatException expected) {
                return;
            }
            for (String name : npz.names()) {
                NpyFile array = npz.array(name);
                array.readFloats();
                array.readDoubles();
                if (!array.dtype().isFloatingPoint()) {
                    array.readLongs();
                }
            }
        }
    }
}
