package org.sae4j.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.lab.data.SyntheticConfig.Mode;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/** Invariants of the synthetic generator (paper-spec §3, §11.1 item 4) and numpy compatibility of S. */
final class SyntheticDataTest {

    private static final double FLOAT_EPSILON = 0x1p-23;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(SyntheticConfig.paper(20240625L)),
                Arguments.of(SyntheticConfig.paper(20240926L)),
                Arguments.of(SyntheticConfig.paper(20240927L).withMode(Mode.NATIVE)),
                Arguments.of(new SyntheticConfig(32, 16, 9, 300, 5L, 0.0, Mode.NUMPY_COMPATIBLE)),
                Arguments.of(new SyntheticConfig(64, 8, 15, 200, -77L, 0.0, Mode.NATIVE)),
                Arguments.of(new SyntheticConfig(5, 3, 5, 40, 9L, 0.0, Mode.NATIVE)),
                Arguments.of(new SyntheticConfig(5, 3, 5, 40, 9L, 0.0, Mode.NUMPY_COMPATIBLE)),
                Arguments.of(new SyntheticConfig(7, 4, 1, 50, 10L, 0.0, Mode.NATIVE)));
    }

    /**
     * CRC32 of S as little-endian float32 [2048, 16], computed with numpy 2.4 from the reference generate_data
     * (np.abs(normal(0, 1, 16)), choice(16, 3, replace=False)) and torch-style float32 rounding.
     */
    static Stream<Arguments> numpyChecksums() {
        return Stream.of(
                Arguments.of(20240625L, 2417976621L),
                Arguments.of(20240926L, 3590785256L),
                Arguments.of(20240927L, 1348597357L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldHaveExactlyKPositiveEntriesPerRowWhenGenerated(SyntheticConfig config) {
        SyntheticData data = SyntheticData.generate(config);
        float[] codes = data.codes();
        int latents = config.latents();
        assertEquals(config.totalSamples() * latents, codes.length);
        for (int r = 0; r < config.totalSamples(); r++) {
            int nonZero = 0;
            for (int j = 0; j < latents; j++) {
                float value = codes[r * latents + j];
                assertFalse(value < 0 || Float.isNaN(value), "negative or NaN code at (" + r + ", " + j + "), "
                        + config);
                if (value != 0.0f) {
                    nonZero++;
                }
            }
            assertEquals(config.activePerSample(), nonZero, "non-zeros in row " + r + ", " + config);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldHaveUnitNormAtomsWhenGenerated(SyntheticConfig config) {
        float[] dictionary = SyntheticData.generate(config).dictionary();
        int measurements = config.measurements();
        for (int i = 0; i < config.latents(); i++) {
            double squares = 0.0;
            for (int j = 0; j < measurements; j++) {
                squares += (double) dictionary[i * measurements + j] * dictionary[i * measurements + j];
            }
            assertEquals(1.0, Math.sqrt(squares), (measurements + 2) * FLOAT_EPSILON, "norm of atom " + i + ", "
                    + config);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldMatchCodesTimesDictionaryWithinFp32BoundWhenNoiseless(SyntheticConfig config) {
        SyntheticData data = SyntheticData.generate(config);
        float[] codes = data.codes();
        float[] dictionary = data.dictionary();
        float[] observations = data.observations();
        int latents = config.latents();
        int measurements = config.measurements();
        for (int r = 0; r < config.totalSamples(); r++) {
            for (int c = 0; c < measurements; c++) {
                double exact = 0.0;
                double magnitude = 0.0;
                for (int j = 0; j < latents; j++) {
                    double product = (double) codes[r * latents + j] * dictionary[j * measurements + c];
                    exact += product;
                    magnitude += Math.abs(product);
                }
                // One fp32 rounding of a double sum: |Δ| ≤ 2⁻²⁴·|x| ≤ 2⁻²³·Σ|s·d| with room for the double sum.
                double bound = FLOAT_EPSILON * magnitude + Double.MIN_NORMAL;
                assertEquals(exact, observations[r * measurements + c], bound, "X at (" + r + ", " + c + "), "
                        + config);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("numpyChecksums")
    void shouldMatchNumpyFloat32CodesWhenNumpyCompatible(long seed, long expectedCrc) {
        float[] codes = SyntheticData.generate(SyntheticConfig.paper(seed)).codes();
        ByteBuffer bytes = ByteBuffer.allocate(codes.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : codes) {
            bytes.putFloat(value);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.array());
        assertEquals(expectedCrc, crc.getValue(), "CRC32 of S, seed " + seed);
    }

    @Test
    void shouldPlaceSpecTestVectorsInCodesWhenSeed20240625() {
        float[] codes = SyntheticData.generate(SyntheticConfig.paper(20240625L)).trainCodes();
        assertEquals((float) 0.5430608403532358, codes[9], 0.0f);
        assertEquals((float) 1.474458145631712, codes[13], 0.0f);
        assertEquals((float) 1.1999758020819398, codes[11], 0.0f);
        assertEquals((float) 0.48672581735708204, codes[16 + 14], 0.0f);
        assertEquals((float) 1.5339972454814454, codes[16 + 11], 0.0f);
        assertEquals((float) 0.7762916354802343, codes[16 + 2], 0.0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldBeDeterministicWhenSeedRepeats(SyntheticConfig config) {
        SyntheticData first = SyntheticData.generate(config);
        SyntheticData second = SyntheticData.generate(config);
        assertArrayEquals(first.codes(), second.codes(), 0.0f);
        assertArrayEquals(first.dictionary(), second.dictionary(), 0.0f);
        assertArrayEquals(first.observations(), second.observations(), 0.0f);
        SyntheticData other = SyntheticData.generate(config.withSeed(config.seed() + 1));
        assertFalse(Arrays.equals(first.dictionary(), other.dictionary()), "another seed gives another D");
    }

    @Test
    void shouldSplit1024And1024WhenPaperConfigSeed20240625() {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625L));
        assertEquals(1024, data.trainSamples());
        assertEquals(1024, data.testSamples());
        float[] codes = data.codes();
        float[] observations = data.observations();
        assertArrayEquals(Arrays.copyOfRange(codes, 0, 1024 * 16), data.trainCodes(), 0.0f);
        assertArrayEquals(Arrays.copyOfRange(codes, 1024 * 16, 2048 * 16), data.testCodes(), 0.0f);
        assertArrayEquals(Arrays.copyOfRange(observations, 0, 1024 * 8), data.trainObservations(), 0.0f);
        assertArrayEquals(Arrays.copyOfRange(observations, 1024 * 8, 2048 * 8), data.testObservations(), 0.0f);
    }

    @Test
    void shouldKeepDictionaryWhenOnlyModeChangesSeed31() {
        SyntheticConfig numpy = new SyntheticConfig(16, 8, 3, 64, 31L, 0.0, Mode.NUMPY_COMPATIBLE);
        SyntheticData fromNumpy = SyntheticData.generate(numpy);
        SyntheticData fromNative = SyntheticData.generate(numpy.withMode(Mode.NATIVE));
        assertArrayEquals(fromNumpy.dictionary(), fromNative.dictionary(), 0.0f);
        assertFalse(Arrays.equals(fromNumpy.codes(), fromNative.codes()), "the mode changes S");
    }

    @Test
    void shouldTransposeDictionaryWhenAskedForColumnsSeed4() {
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(6, 4, 2, 8, 4L, 0.0, Mode.NATIVE));
        float[] rows = data.dictionary();          // [6, 4]
        float[] columns = data.dictionaryColumns(); // [4, 6]
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(rows[i * 4 + j], columns[j * 6 + i], 0.0f, "D[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void shouldAddNoiseOfRequestedScaleWhenNoiseStdPositiveSeed8() {
        double noiseStd = 0.05;
        SyntheticConfig clean = new SyntheticConfig(16, 8, 3, 2000, 8L, 0.0, Mode.NATIVE);
        SyntheticConfig noisy = new SyntheticConfig(16, 8, 3, 2000, 8L, noiseStd, Mode.NATIVE);
        float[] x0 = SyntheticData.generate(clean).observations();
        float[] x1 = SyntheticData.generate(noisy).observations();
        double sum = 0.0;
        double squares = 0.0;
        for (int i = 0; i < x0.length; i++) {
            double difference = (double) x1[i] - x0[i];
            sum += difference;
            squares += difference * difference;
        }
        double mean = sum / x0.length;
        double std = Math.sqrt(squares / x0.length - mean * mean);
        // 32,000 draws: the sample std is within 2 % of σ and the mean within 5 standard errors of 0.
        assertEquals(noiseStd, std, 0.02 * noiseStd, "noise std, seed 8");
        assertEquals(0.0, mean, 5 * noiseStd / Math.sqrt(x0.length), "noise mean, seed 8");
    }

    @Test
    void shouldCopyPartsOffHeapWithTheirShapesSeed20240625() {
        SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625L));
        try (TensorArena arena = new TensorArena("synthetic-test")) {
            DenseMatrix testCodes = data.matrix(arena, SyntheticData.Part.TEST_CODES);
            DenseMatrix trainX = data.matrix(arena, SyntheticData.Part.TRAIN_OBSERVATIONS);
            DenseMatrix atoms = data.matrix(arena, SyntheticData.Part.DICTIONARY);
            DenseMatrix columns = data.matrix(arena, SyntheticData.Part.DICTIONARY_COLUMNS);
            assertEquals(1024, testCodes.rows());
            assertEquals(16, testCodes.cols());
            assertEquals(1024, trainX.rows());
            assertEquals(8, trainX.cols());
            assertEquals(16, atoms.rows());
            assertEquals(8, columns.rows());
            float[] expected = data.testCodes();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], testCodes.segment().getAtIndex(Layouts.F32, i), 0.0f, "element " + i);
            }
        }
    }

    @Test
    void shouldReturnCopiesWhenAccessorsAreModified() {
        SyntheticData data = SyntheticData.generate(new SyntheticConfig(4, 2, 1, 3, 2L, 0.0, Mode.NATIVE));
        float[] codes = data.codes();
        Arrays.fill(codes, -1.0f);
        assertTrue(data.codes()[0] >= 0.0f, "internal codes unchanged");
    }

    @Test
    void shouldRejectInvalidConfigs() {
        assertEquals("activePerSample (K) must be in [0, N = 16], got 17",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(16, 8, 17, 10, 1L, 0.0, Mode.NATIVE)).getMessage());
        assertEquals("latents (N) must be >= 1, got -1",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(-1, 8, 0, 10, 1L, 0.0, Mode.NATIVE)).getMessage());
        assertEquals("measurements (M) must be >= 1, got 0",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(16, 0, 3, 10, 1L, 0.0, Mode.NATIVE)).getMessage());
        assertEquals("samplesPerSplit must be >= 1, got -5",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(16, 8, 3, -5, 1L, 0.0, Mode.NATIVE)).getMessage());
        assertEquals("noiseStd must be finite and >= 0, got NaN",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(16, 8, 3, 10, 1L, Double.NaN, Mode.NATIVE)).getMessage());
        assertEquals("NUMPY_COMPATIBLE seed must be in [0, 2^32 - 1], got -1",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new SyntheticConfig(16, 8, 3, 10, -1L, 0.0, Mode.NUMPY_COMPATIBLE)).getMessage());
        assertEquals("K must be in [0, N = 4], got 5",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> SyntheticData.drawNumpyCodeRow(new NumpyRandom(1L), 5, new double[4])).getMessage());
    }
}
