package org.sae4j.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzzing of {@link SafetensorsFile#parse} with Jazzer. A normal test run replays the inputs in
 * {@code src/test/resources/org/sae4j/io/SafetensorsCoverageFuzzTestInputs/}: seeds written by
 * {@link SafetensorsWriter} and hand-built unpadded headers, plus every input a fuzzing run found failing.
 * {@code src/test/fuzz.sh} fuzzes it for a bounded time. Only {@link SafetensorsFormatException} may escape the
 * parser, and every tensor of a file it accepts must read back without error.
 */
final class SafetensorsCoverageFuzzTest {

    /** Header tokens: the JSON parser is not instrumented, so without them valid headers are rarely reached. */
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\"dtype\":", "\"shape\":", "\"data_offsets\":", "\"__metadata__\":", "\"F32\"", "\"F16\"",
        "\"BF16\"", "\"F64\"", "\"I64\"", "\"U8\"", "\"BOOL\"", "[0,", "],", "{\"", "\"}", "9223372036854775807"})
    void shouldOnlyThrowSafetensorsFormatExceptionWhenParsingAnyBytes(byte[] bytes) {
        SafetensorsFile file;
        try {
            file = SafetensorsFile.parse(MemorySegment.ofArray(bytes), "fuzz input");
        } catch (SafetensorsFormatException expected) {
            return;
        }
        for (SafetensorsTensor tensor : file.tensors()) {
            file.segment(tensor.name());
            file.readFloats(tensor.name());
            file.readDoubles(tensor.name());
            if (!tensor.dtype().isFloatingPoint()) {
                file.readLongs(tensor.name());
            }
        }
    }
}
