package org.sae4j.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzzing of {@link NpyFile#parse} with Jazzer. A normal test run replays the inputs in
 * {@code src/test/resources/org/sae4j/io/NpyCoverageFuzzTestInputs/}: seeds written by {@link NpyWriter} and
 * hand-built headers of versions 1.0 to 3.0, plus every input a fuzzing run found failing. {@code src/test/fuzz.sh}
 * fuzzes it for a bounded time. Only {@link NpyFormatException} may escape the parser, and an array it accepts must
 * read back without error.
 */
final class NpyCoverageFuzzTest {

    /** Header tokens; none may hold a line break, since Jazzer writes them one per line into a libFuzzer dictionary. */
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"'descr': ", "'fortran_order': ", "'shape': ", "True", "False", "'<f4'",
        "'<f8'", "'<i8'", "'|b1'", "'>f4'", "(1,)", ", }"})
    void shouldOnlyThrowNpyFormatExceptionWhenParsingAnyBytes(byte[] bytes) {
        NpyFile file;
        try {
            file = NpyFile.parse(MemorySegment.ofArray(bytes), "fuzz input");
        } catch (NpyFormatException expected) {
            return;
        }
        file.segment();
        file.readFloats();
        file.readDoubles();
        if (!file.dtype().isFloatingPoint()) {
            file.readLongs();
        }
    }
}
