package org.sae4j.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.io.FormatException;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.io.SafetensorsFormatException;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.lab.data.SyntheticConfig.Mode;
import org.sae4j.tensor.TensorArena;

/** Round trips and rejected files of {@link SyntheticDataFile}. */
final class SyntheticDataFileTest {

    /** A small valid configuration; the malformed-file tests edit one thing of its file at a time. */
    private static final SyntheticConfig SMALL = new SyntheticConfig(6, 4, 2, 10, 11L, 0.0, Mode.NUMPY_COMPATIBLE);

    @TempDir
    Path folder;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(SyntheticConfig.paper(20240625L)),
                Arguments.of(SyntheticConfig.paper(20240926L).withMode(Mode.NATIVE)),
                Arguments.of(new SyntheticConfig(32, 16, 9, 300, 4_294_967_295L, 0.0, Mode.NUMPY_COMPATIBLE)),
                // 0.1 + 0.2 has no short decimal form: the noise level must survive the text round trip exactly.
                Arguments.of(new SyntheticConfig(7, 3, 1, 50, -77L, 0.1 + 0.2, Mode.NATIVE)),
                Arguments.of(new SyntheticConfig(5, 9, 5, 1, Long.MIN_VALUE, 1e-300, Mode.NATIVE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldReproduceConfigAndArraysBitForBitWhenWrittenAndRead(SyntheticConfig config) throws IOException {
        SyntheticData data = SyntheticData.generate(config);
        Path file = folder.resolve("data.safetensors");

        SyntheticDataFile.write(data, file);
        SyntheticData read = SyntheticDataFile.read(file);

        assertEquals(config, read.config());
        assertBitsEqual(data.codes(), read.codes(), "codes");
        assertBitsEqual(data.observations(), read.observations(), "observations");
        assertBitsEqual(data.dictionary(), read.dictionary(), "dictionary");
    }

    @Test
    void shouldStoreTensorsAndConfigAsStringsWhenWritten() throws IOException {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625L));
        Path file = folder.resolve("paper.safetensors");

        SyntheticDataFile.write(data, file);

        try (TensorArena arena = new TensorArena("test")) {
            SafetensorsFile safetensors = SafetensorsFile.open(file, arena);
            assertEquals(Map.of("format", "sae4j-synthetic", "version", "1", "latents", "16", "measurements", "8",
                    "activePerSample", "3", "samplesPerSplit", "1024", "seed", "20240625", "noiseStd", "0.0",
                    "mode", "NUMPY_COMPATIBLE"), safetensors.metadata());
            assertEquals(List.of(2048L, 16L), safetensors.tensor("codes").shape());
            assertEquals(List.of(2048L, 8L), safetensors.tensor("observations").shape());
            assertEquals(List.of(16L, 8L), safetensors.tensor("dictionary").shape());
            // Independent of SyntheticDataFile's reader: the generic reader sees the generator's arrays.
            assertBitsEqual(data.codes(), safetensors.readFloats("codes"), "codes");
            assertBitsEqual(data.observations(), safetensors.readFloats("observations"), "observations");
            assertBitsEqual(data.dictionary(), safetensors.readFloats("dictionary"), "dictionary");
        }
    }

    @Test
    void shouldRejectFileWhenFormatIsNotSyntheticData() throws IOException {
        Path file = writeSmall(metadata("format", "pt"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata format is 'pt', expected 'sae4j-synthetic'", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenVersionIsUnknown() throws IOException {
        Path file = writeSmall(metadata("version", "2"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata version is '2', this reader understands version 1", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenConfigEntryIsMissing() throws IOException {
        Map<String, String> metadata = SyntheticDataFile.metadata(SMALL);
        metadata.remove("seed");
        Path file = writeSmall(metadata, tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata entry 'seed' is missing", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenIntegerEntryIsNotAnInteger() throws IOException {
        Path file = writeSmall(metadata("latents", "6.0"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata entry 'latents' = '6.0' is not a 32-bit decimal integer",
                thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenNoiseIsNotANumber() throws IOException {
        Path file = writeSmall(metadata("noiseStd", "none"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata entry 'noiseStd' = 'none' is not a decimal number", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenModeIsUnknown() throws IOException {
        Path file = writeSmall(metadata("mode", "numpy"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata entry 'mode' = 'numpy' is not one of [NUMPY_COMPATIBLE, NATIVE]",
                thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenMetadataIsNotAValidConfig() throws IOException {
        Path file = writeSmall(metadata("activePerSample", "7"), tensors(SMALL));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": metadata does not describe a valid configuration: activePerSample (K) must be in "
                + "[0, N = 6], got 7", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenShapeDisagreesWithMetadata() throws IOException {
        // A file that is valid for 12 samples per split, labelled as 10.
        SyntheticConfig larger = new SyntheticConfig(6, 4, 2, 12, 11L, 0.0, Mode.NUMPY_COMPATIBLE);
        Path file = writeSmall(SyntheticDataFile.metadata(SMALL), tensors(larger));

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": tensor 'codes' has shape [24, 6] but the metadata implies [20, 6]",
                thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenDictionaryIsTransposed() throws IOException {
        SyntheticData data = SyntheticData.generate(SMALL);
        Map<String, Tensor> tensors = tensors(SMALL);
        tensors.put("dictionary", new Tensor(new long[] {4, 6}, data.dictionaryColumns()));
        Path file = writeSmall(SyntheticDataFile.metadata(SMALL), tensors);

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": tensor 'dictionary' has shape [4, 6] but the metadata implies [6, 4]",
                thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenTensorIsMissing() throws IOException {
        Map<String, Tensor> tensors = tensors(SMALL);
        tensors.remove("observations");
        Path file = writeSmall(SyntheticDataFile.metadata(SMALL), tensors);

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": missing tensor 'observations'", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenExtraTensorIsPresent() throws IOException {
        Map<String, Tensor> tensors = tensors(SMALL);
        tensors.put("labels", new Tensor(new long[] {2}, new float[] {1f, 2f}));
        Path file = writeSmall(SyntheticDataFile.metadata(SMALL), tensors);

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": unexpected tensor 'labels' (expected only codes, observations, dictionary)",
                thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenTensorIsNotF32() throws IOException {
        SyntheticData data = SyntheticData.generate(SMALL);
        SafetensorsWriter writer = new SafetensorsWriter().metadata(SyntheticDataFile.metadata(SMALL))
                .addFloats("codes", new long[] {20, 6}, data.codes())
                .addFloats("observations", SafetensorsDType.F64, new long[] {20, 4}, data.observations())
                .addFloats("dictionary", new long[] {6, 4}, data.dictionary());
        Path file = folder.resolve("f64.safetensors");
        writer.write(file);

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": tensor 'observations' has dtype F64, expected F32", thrown.getMessage());
    }

    @Test
    void shouldRejectFileWhenStoredValueDiffersFromGeneratedOne() throws IOException {
        SyntheticData data = SyntheticData.generate(SMALL);
        float[] observations = data.observations();
        float original = observations[2 * 4 + 3];
        observations[2 * 4 + 3] = Math.nextUp(original);
        Map<String, Tensor> tensors = tensors(SMALL);
        tensors.put("observations", new Tensor(new long[] {20, 4}, observations));
        Path file = writeSmall(SyntheticDataFile.metadata(SMALL), tensors);

        FormatException thrown = assertThrowsExactly(FormatException.class, () -> SyntheticDataFile.read(file));
        assertEquals(file + ": tensor 'observations' differs at [2, 3]: stored " + Math.nextUp(original)
                + ", the metadata's configuration generates " + original
                + " (written by another generator version, or modified)", thrown.getMessage());
    }

    @Test
    void shouldReportContainerErrorWhenFileIsTruncated() throws IOException {
        Path file = folder.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});

        SafetensorsFormatException thrown = assertThrowsExactly(SafetensorsFormatException.class,
                () -> SyntheticDataFile.read(file));
        assertEquals(file + ": file has 3 bytes, fewer than the 8-byte header length", thrown.getMessage());
    }

    @Test
    void shouldIgnoreUnknownMetadataWhenReading() throws IOException {
        Path file = writeSmall(metadata("writtenBy", "a later sae4j"), tensors(SMALL));

        assertEquals(SMALL, SyntheticDataFile.read(file).config());
    }

    /** One tensor to write: shape and F32 values. */
    private record Tensor(long[] shape, float[] values) {
    }

    private static Map<String, Tensor> tensors(SyntheticConfig config) {
        SyntheticData data = SyntheticData.generate(config);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("codes", new Tensor(new long[] {config.totalSamples(), config.latents()}, data.codes()));
        tensors.put("observations",
                new Tensor(new long[] {config.totalSamples(), config.measurements()}, data.observations()));
        tensors.put("dictionary", new Tensor(new long[] {config.latents(), config.measurements()},
                data.dictionary()));
        return tensors;
    }

    /** The metadata of {@link #SMALL} with one entry replaced or added. */
    private static Map<String, String> metadata(String key, String value) {
        Map<String, String> metadata = SyntheticDataFile.metadata(SMALL);
        metadata.put(key, value);
        return metadata;
    }

    private Path writeSmall(Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata(metadata);
        tensors.forEach((name, tensor) -> writer.addFloats(name, tensor.shape(), tensor.values()));
        Path file = folder.resolve("edited.safetensors");
        writer.write(file);
        return file;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        int[] expectedBits = new int[expected.length];
        int[] actualBits = new int[actual.length];
        for (int i = 0; i < expected.length; i++) {
            expectedBits[i] = Float.floatToRawIntBits(expected[i]);
            actualBits[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(expectedBits, actualBits, what);
    }
}
