package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.TensorArena;

/** The upstream unpadded sample files (shared/fixtures/safetensors-samples, see its README). */
final class SafetensorsFixturesTest {

    private static final long[] VALUES = {-3, -2, -1, 0, 1, 2};

    private static Path samples() {
        String root = System.getProperty("sae4j.fixtures");
        Path dir = root == null ? null : Path.of(root, "safetensors-samples");
        assumeTrue(dir != null && Files.isDirectory(dir),
                "safetensors samples not found: system property sae4j.fixtures=" + root
                        + " has no safetensors-samples folder");
        return dir;
    }

    static Stream<String> files() {
        return Stream.of("B", "b", "H", "h", "I", "i", "e", "f", "d");
    }

    @ParameterizedTest(name = "{0}.safetensors")
    @MethodSource("files")
    void shouldReadMinusThreeToTwoWhenOpeningSingleTensorSample(String name) throws IOException {
        try (TensorArena arena = new TensorArena("fixture-" + name)) {
            SafetensorsFile file = SafetensorsFile.open(samples().resolve(name + ".safetensors"), arena);
            assertEquals(Map.of("test", "a"), file.metadata());
            assertEquals(List.of(name), List.copyOf(file.names()));
            assertEquals(List.of(6L), file.tensor(name).shape());
            assertEquals(1, file.dataStart() % 2, "unpadded sample must put the data at an odd offset");
            checkValues(file, name);
        }
    }

    @Test
    void shouldReadAllNineTensorsWhenOpeningOverallSample() throws IOException {
        Path dir = samples();
        try (TensorArena arena = new TensorArena("fixture-overall")) {
            SafetensorsFile overall = SafetensorsFile.open(dir.resolve("overall.safetensors"), arena);
            assertEquals(534, overall.dataStart());
            assertEquals(List.of("B", "H", "I", "b", "d", "e", "f", "h", "i"), List.copyOf(overall.names()));
            assertEquals(48, overall.tensor("d").beginOffset());
            for (String name : overall.names()) {
                checkValues(overall, name);
                SafetensorsFile single = SafetensorsFile.open(dir.resolve(name + ".safetensors"), arena);
                assertArrayEquals(single.segment(name).toArray(ValueLayout.JAVA_BYTE),
                        overall.segment(name).toArray(ValueLayout.JAVA_BYTE), name);
            }
        }
    }

    private static void checkValues(SafetensorsFile file, String name) {
        SafetensorsDType dtype = file.tensor(name).dtype();
        double[] doubles = file.readDoubles(name);
        float[] floats = file.readFloats(name);
        long[] expected = new long[VALUES.length];
        for (int i = 0; i < VALUES.length; i++) {
            expected[i] = dtype.isUnsigned() ? VALUES[i] & ((1L << (8 * dtype.byteSize())) - 1) : VALUES[i];
            assertEquals((double) expected[i], doubles[i], name + "[" + i + "]");
            assertEquals((float) expected[i], floats[i], name + "[" + i + "]");
        }
        if (!dtype.isFloatingPoint()) {
            assertArrayEquals(expected, file.readLongs(name), name);
        }
    }
}
