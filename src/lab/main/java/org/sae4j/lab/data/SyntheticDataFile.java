package org.sae4j.lab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.sae4j.io.FormatException;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.io.SafetensorsTensor;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.tensor.TensorArena;

/**
 * Stores {@link SyntheticData} as a safetensors file that sae4j and any safetensors reader (Python peers included)
 * can load, with the generating {@link SyntheticConfig} in the header so that a read gives back the same data set.
 *
 * <pre>{@code
 *   codes         F32 [2B, N]   S, training rows [0, B) then test rows [B, 2B)
 *   observations  F32 [2B, M]   X, same row order
 *   dictionary    F32 [N, M]    D_gen, one unit-norm atom per row
 *   __metadata__  "format": "sae4j-synthetic", "version": "1",
 *                 "latents", "measurements", "activePerSample", "samplesPerSplit", "seed" (decimal integers),
 *                 "noiseStd" (Java's shortest round-trip decimal of the double), "mode" (SyntheticConfig.Mode name)
 * }</pre>
 *
 * <pre>{@code
 * SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625));
 * SyntheticDataFile.write(data, Path.of("known-d.safetensors"));
 * SyntheticData again = SyntheticDataFile.read(Path.of("known-d.safetensors"));   // same config, same arrays
 * }</pre>
 *
 * <p>Reading checks, in order: the safetensors container rules ({@link SafetensorsFile}), the format name and
 * version, that every configuration key is present and parses into a valid {@link SyntheticConfig}, that exactly
 * the three tensors above exist as F32 with the shapes the configuration implies, and that the stored arrays are
 * bit-identical to the ones the configuration generates. The last check exists because the generator is
 * deterministic and {@link SyntheticData} is built only by generating: a file whose arrays were produced by another
 * generator version or edited afterwards is rejected instead of being silently replaced. Metadata keys other than
 * the ones listed are ignored, so later versions may add provenance entries.
 *
 * <p><b>Note:</b> stateless and thread-safe. Writing copies the three arrays once; reading maps the file, copies the
 * tensors to the heap and regenerates the data set for comparison (O(2B·(N + M) + N·M) time and memory).
 */
public final class SyntheticDataFile {

    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "sae4j-synthetic";
    /** Value of the {@code version} metadata entry this class writes and reads. */
    public static final String VERSION = "1";

    /** Tensor name of S, [2B, N]. */
    public static final String CODES = "codes";
    /** Tensor name of X, [2B, M]. */
    public static final String OBSERVATIONS = "observations";
    /** Tensor name of D_gen, [N, M]. */
    public static final String DICTIONARY = "dictionary";

    private static final String FORMAT_KEY = "format";
    private static final String VERSION_KEY = "version";
    private static final String LATENTS_KEY = "latents";
    private static final String MEASUREMENTS_KEY = "measurements";
    private static final String ACTIVE_KEY = "activePerSample";
    private static final String SAMPLES_KEY = "samplesPerSplit";
    private static final String SEED_KEY = "seed";
    private static final String NOISE_KEY = "noiseStd";
    private static final String MODE_KEY = "mode";

    private static final Set<String> TENSOR_NAMES = Set.of(CODES, OBSERVATIONS, DICTIONARY);

    private SyntheticDataFile() {
    }

    /**
     * The {@code __metadata__} entries that describe {@code config}, as a new mutable map in a fixed order.
     *
     * @throws NullPointerException when config is null
     */
    public static Map<String, String> metadata(SyntheticConfig config) {
        Objects.requireNonNull(config, "config");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(FORMAT_KEY, FORMAT);
        entries.put(VERSION_KEY, VERSION);
        entries.put(LATENTS_KEY, Integer.toString(config.latents()));
        entries.put(MEASUREMENTS_KEY, Integer.toString(config.measurements()));
        entries.put(ACTIVE_KEY, Integer.toString(config.activePerSample()));
        entries.put(SAMPLES_KEY, Integer.toString(config.samplesPerSplit()));
        entries.put(SEED_KEY, Long.toString(config.seed()));
        // Double.toString is the shortest decimal that parses back to the same double, so the round trip is exact.
        entries.put(NOISE_KEY, Double.toString(config.noiseStd()));
        entries.put(MODE_KEY, config.mode().name());
        return entries;
    }

    /**
     * Writes {@code data} to {@code file}, replacing an existing file.
     *
     * @throws NullPointerException when an argument is null
     * @throws IOException          when the file cannot be written
     */
    public static void write(SyntheticData data, Path file) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(file, "file");
        SyntheticConfig config = data.config();
        long rows = config.totalSamples();
        new SafetensorsWriter()
                .metadata(metadata(config))
                .addFloats(CODES, new long[] {rows, config.latents()}, data.codes())
                .addFloats(OBSERVATIONS, new long[] {rows, config.measurements()}, data.observations())
                .addFloats(DICTIONARY, new long[] {config.latents(), config.measurements()}, data.dictionary())
                .write(file);
    }

    /**
     * Reads a file written by {@link #write}: the returned data has an equal configuration and bit-identical arrays.
     *
     * @throws NullPointerException when file is null
     * @throws FormatException      (or its subclass {@link org.sae4j.io.SafetensorsFormatException} for container
     *                              errors) when the file breaks a rule listed in the class documentation; the message
     *                              names the file and the problem
     * @throws IOException          when the file cannot be opened or mapped
     */
    public static SyntheticData read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        try (TensorArena arena = new TensorArena("synthetic-data-file")) {
            SafetensorsFile safetensors = SafetensorsFile.open(file, arena);
            SyntheticConfig config = config(safetensors.metadata(), source);
            checkTensorNames(safetensors, source);
            long rows = config.totalSamples();
            float[] codes = tensor(safetensors, CODES, rows, config.latents(), source);
            float[] observations = tensor(safetensors, OBSERVATIONS, rows, config.measurements(), source);
            float[] dictionary = tensor(safetensors, DICTIONARY, config.latents(), config.measurements(), source);
            return matchGenerated(config, codes, observations, dictionary, source);
        }
    }

    /**
     * Parses the configuration entries of a {@code __metadata__} map written by {@link #metadata}.
     *
     * @param source name used in error messages
     * @throws FormatException when the format or version differ, an entry is missing or unparsable, or the values
     *                         do not form a valid configuration
     */
    public static SyntheticConfig config(Map<String, String> metadata, String source) throws FormatException {
        Objects.requireNonNull(metadata, "metadata");
        String format = required(metadata, FORMAT_KEY, source);
        if (!format.equals(FORMAT)) {
            throw fail(source, "metadata format is '" + format + "', expected '" + FORMAT + "'");
        }
        String version = required(metadata, VERSION_KEY, source);
        if (!version.equals(VERSION)) {
            throw fail(source, "metadata version is '" + version + "', this reader understands version " + VERSION);
        }
        int latents = intEntry(metadata, LATENTS_KEY, source);
        int measurements = intEntry(metadata, MEASUREMENTS_KEY, source);
        int active = intEntry(metadata, ACTIVE_KEY, source);
        int samples = intEntry(metadata, SAMPLES_KEY, source);
        long seed = longEntry(metadata, SEED_KEY, source);
        double noise = doubleEntry(metadata, NOISE_KEY, source);
        SyntheticConfig.Mode mode = modeEntry(metadata, source);
        try {
            return new SyntheticConfig(latents, measurements, active, samples, seed, noise, mode);
        } catch (IllegalArgumentException e) {
            throw new FormatException(source + ": metadata does not describe a valid configuration: "
                    + e.getMessage(), e);
        }
    }

    private static void checkTensorNames(SafetensorsFile file, String source) throws FormatException {
        for (String name : TENSOR_NAMES) {
            if (!file.contains(name)) {
                throw fail(source, "missing tensor '" + name + "'");
            }
        }
        for (String name : file.names()) {
            if (!TENSOR_NAMES.contains(name)) {
                throw fail(source, "unexpected tensor '" + name + "' (expected only " + CODES + ", "
                        + OBSERVATIONS + ", " + DICTIONARY + ")");
            }
        }
    }

    private static float[] tensor(SafetensorsFile file, String name, long rows, long cols, String source)
            throws FormatException {
        SafetensorsTensor tensor = file.tensor(name);
        if (tensor.dtype() != SafetensorsDType.F32) {
            throw fail(source, "tensor '" + name + "' has dtype " + tensor.dtype() + ", expected F32");
        }
        List<Long> expected = List.of(rows, cols);
        if (!tensor.shape().equals(expected)) {
            throw fail(source, "tensor '" + name + "' has shape " + tensor.shape() + " but the metadata implies "
                    + expected);
        }
        return file.readFloats(name);
    }

    /** Returns the generated data set after checking the stored arrays reproduce it bit for bit. */
    private static SyntheticData matchGenerated(SyntheticConfig config, float[] codes, float[] observations,
                                                float[] dictionary, String source) throws FormatException {
        SyntheticData generated = SyntheticData.generate(config);
        checkSame(CODES, codes, generated.codes(), config.latents(), source);
        checkSame(OBSERVATIONS, observations, generated.observations(), config.measurements(), source);
        checkSame(DICTIONARY, dictionary, generated.dictionary(), config.measurements(), source);
        return generated;
    }

    private static void checkSame(String name, float[] stored, float[] generated, int cols, String source)
            throws FormatException {
        // Bit patterns, not float equality: NaN payloads and the sign of zero must match too.
        for (int i = 0; i < stored.length; i++) {
            if (Float.floatToRawIntBits(stored[i]) != Float.floatToRawIntBits(generated[i])) {
                throw fail(source, "tensor '" + name + "' differs at [" + i / cols + ", " + i % cols + "]: stored "
                        + stored[i] + ", the metadata's configuration generates " + generated[i]
                        + " (written by another generator version, or modified)");
            }
        }
    }

    private static String required(Map<String, String> metadata, String key, String source) throws FormatException {
        String value = metadata.get(key);
        if (value == null) {
            throw fail(source, "metadata entry '" + key + "' is missing");
        }
        return value;
    }

    private static int intEntry(Map<String, String> metadata, String key, String source) throws FormatException {
        String value = required(metadata, key, source);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new FormatException(source + ": metadata entry '" + key + "' = '" + value
                    + "' is not a 32-bit decimal integer", e);
        }
    }

    private static long longEntry(Map<String, String> metadata, String key, String source) throws FormatException {
        String value = required(metadata, key, source);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new FormatException(source + ": metadata entry '" + key + "' = '" + value
                    + "' is not a 64-bit decimal integer", e);
        }
    }

    private static double doubleEntry(Map<String, String> metadata, String key, String source)
            throws FormatException {
        String value = required(metadata, key, source);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new FormatException(source + ": metadata entry '" + key + "' = '" + value
                    + "' is not a decimal number", e);
        }
    }

    private static SyntheticConfig.Mode modeEntry(Map<String, String> metadata, String source)
            throws FormatException {
        String value = required(metadata, MODE_KEY, source);
        for (SyntheticConfig.Mode mode : SyntheticConfig.Mode.values()) {
            if (mode.name().equals(value)) {
                return mode;
            }
        }
        throw fail(source, "metadata entry '" + MODE_KEY + "' = '" + value + "' is not one of "
                + Arrays.toString(SyntheticConfig.Mode.values()));
    }

    private static FormatException fail(String source, String problem) {
        return new FormatException(source + ": " + problem);
    }
}
