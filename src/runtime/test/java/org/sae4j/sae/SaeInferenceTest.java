package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.testing.Tolerance;

/**
 * Every architecture written with {@link SaeWriter}, loaded with {@link SaeLoader} and run through every encode and
 * decode entry point, against the double-precision {@link SaeReference}.
 */
final class SaeInferenceTest {

    private static final int BATCH = 7;
    private static final int D_IN = SaeFixtures.D_IN;
    private static final int D_SAE = SaeFixtures.D_SAE;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeConfig topk = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(7);
        SaeConfig jumprelu = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        SaeConfig skipTranscoder = SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, D_IN, D_SAE).withDOut(17);
        SaeConfig groupmax = SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(8);
        return Stream.of(
                Arguments.of("standard", standard),
                Arguments.of("standard without b_dec on input", standard.withApplyBDecToInput(false)),
                Arguments.of("standard layer_norm", standard.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("standard constant_norm_rescale",
                        standard.withNormalisation(Normalisation.CONSTANT_NORM_RESCALE)),
                Arguments.of("topk k=7", topk),
                Arguments.of("topk k=7 rescaled by decoder norm", topk.withRescaleActsByDecoderNorm(true)),
                Arguments.of("topk k=7 layer_norm", topk.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("topk k > d_sae", topk.withK(D_SAE + 3)),
                Arguments.of("jumprelu", jumprelu),
                Arguments.of("jumprelu without b_dec on input", jumprelu.withApplyBDecToInput(false)),
                Arguments.of("gated", SaeConfig.of(SaeArchitecture.GATED, D_IN, D_SAE)),
                Arguments.of("transcoder", SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE).withDOut(17)),
                Arguments.of("jumprelu transcoder",
                        SaeConfig.of(SaeArchitecture.JUMPRELU_TRANSCODER, D_IN, D_SAE).withDOut(17)),
                Arguments.of("skip transcoder", skipTranscoder),
                Arguments.of("skip transcoder layer_norm", skipTranscoder.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("groupmax k=8", groupmax),
                Arguments.of("groupmax k=8 layer_norm", groupmax.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("groupmax k=d_sae", groupmax.withK(D_SAE)),
                Arguments.of("groupmax k=1", groupmax.withK(1)),
                Arguments.of("groupmax k=8 with W_skip", groupmax),
                Arguments.of("topk k=7 with W_skip", topk));
    }

    /** The cases a writer can hold: SAELens, or sparsify for its own variants (no input normalisation there). */
    static Stream<Arguments> writableCases() {
        return cases().filter(arguments -> {
            SaeConfig config = (SaeConfig) arguments.get()[1];
            return !sparsifyOnly((String) arguments.get()[0], config)
                    || config.normalisation() == Normalisation.NONE;
        });
    }

    /** Weights for a case; names ending in "with W_skip" get a skip matrix on top of the fixture. */
    static SaeWeights weights(String name, SaeConfig config, long seed) {
        SaeWeights weights = SaeFixtures.weights(config, seed);
        return name.endsWith("with W_skip") ? SaeFixtures.withSkip(config, weights, seed) : weights;
    }

    private static boolean sparsifyOnly(String name, SaeConfig config) {
        return config.architecture() == SaeArchitecture.GROUPMAX || name.endsWith("with W_skip");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writableCases")
    void shouldMatchReferenceWhenWrittenAndLoaded(String name, SaeConfig config) throws IOException {
        SaeWeights weights = weights(name, config, name.hashCode());
        boolean sparsify = sparsifyOnly(name, config);
        if (sparsify) {
            SparsifyWriter.write(dir, config, weights, SaeDType.FLOAT32);
        } else {
            SaeWriter.write(dir, config, weights);
        }
        float[] x = SaeFixtures.gaussian(name.hashCode() + 99L, BATCH * D_IN, 1.0, 0.4);
        SaeReference reference = new SaeReference(config, weights);
        try (Sae sae = SaeLoader.load(dir)) {
            assertEquals(sparsify ? SaeSource.SPARSIFY : SaeSource.SAELENS, sae.config().source());
            assertEquals(weights.skip() != null, sae.hasSkip(), "skip connection survives the round trip");
            checkAll(sae, reference, config, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchReferenceWhenBuiltInMemory(String name, SaeConfig config) {
        SaeWeights weights = weights(name, config, name.hashCode() + 7L);
        float[] x = SaeFixtures.gaussian(name.hashCode() + 5L, BATCH * D_IN, 2.0, -0.3);
        try (Sae sae = Sae.of(config, weights)) {
            checkAll(sae, new SaeReference(config, weights), config, x);
        }
    }

    /** Dense, sparse (both APIs), sparse decode, dense decode and forward against the reference. */
    static void checkAll(Sae sae, SaeReference reference, SaeConfig config, float[] x) {
        int batch = x.length / config.dIn();
        float[] z = sae.encode(x);
        checkCodes(reference.encode(x), z, config);

        SparseCode codes = sae.encodeSparse(x);
        checkSparseMatchesDense(codes, z, batch, config);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment xs = arena.allocate((long) x.length * Float.BYTES, 64);
            MemorySegment.copy(x, 0, xs, Layouts.F32, 0, x.length);
            SparseCode into = SparseCode.withCapacity(batch, config.dSae(), batch * config.dSae());
            sae.encodeSparse(DenseMatrix.f32(xs, batch, config.dIn()), into);
            checkSparseMatchesDense(into, z, batch, config);
            MemorySegment zs = arena.allocate((long) z.length * Float.BYTES, 64);
            zs.fill((byte) 0xff);  // NaN everywhere: every code must be written, not accumulated
            sae.encode(DenseMatrix.f32(xs, batch, config.dIn()), DenseMatrix.f32(zs, batch, config.dSae()));
            assertArrayEquals(z, zs.toArray(Layouts.F32), "segment encode equals array encode");
        }

        double[][] expected = reference.decode(z, batch);
        checkClose(expected[0], expected[1], sae.decode(codes), "sparse decode");
        checkClose(expected[0], expected[1], sae.decodeDense(z), "dense decode");

        double[][] stats = reference.normalisation(x);
        double[] restored = new double[expected[0].length];
        double[] restoredBounds = new double[restored.length];
        int dOut = config.dOut();
        for (int r = 0; r < batch; r++) {
            double shift = stats[r][0];
            double scale = stats[r][1];
            for (int i = 0; i < dOut; i++) {
                int at = r * dOut + i;
                double scaled = expected[0][at] * scale;
                restored[at] = scaled + shift;
                restoredBounds[at] = scale * expected[1][at]
                        + Tolerance.EPS * (2 * Math.abs(scaled) + 2 * Math.abs(shift) + Math.abs(restored[at]));
            }
        }
        double[][] skip = reference.skipTerm(x);
        if (skip != null) {
            // decode never sees x: the skip term appears in forward only, added after de-normalisation, possibly
            // accumulated onto the dictionary part (a sum of d_in + 1 terms)
            for (int at = 0; at < restored.length; at++) {
                restoredBounds[at] += skip[1][at] + 2 * Tolerance.gamma(config.dIn() + 1) * Math.abs(restored[at]);
                restored[at] += skip[0][at];
            }
        }
        checkClose(restored, restoredBounds, sae.forward(x), "forward");
    }

    static void checkCodes(SaeReference.Codes expected, float[] z, SaeConfig config) {
        assertEquals(expected.values().length, z.length, "code count");
        int ambiguous = 0;
        int active = 0;
        for (int at = 0; at < z.length; at++) {
            String where = config.architecture().saeLensName() + " code [" + at / config.dSae() + ", "
                    + at % config.dSae() + "]";
            if (expected.ambiguous()[at]) {
                ambiguous++;
                if (z[at] != 0f) {
                    Tolerance.assertWithin(Math.max(expected.preActivation()[at], 0), z[at], expected.bounds()[at],
                            where + " (near a decision boundary)");
                }
            } else if (expected.values()[at] == 0) {
                assertEquals(0f, z[at], where + ": expected no activation, pre-activation "
                        + expected.preActivation()[at]);
            } else {
                active++;
                Tolerance.assertWithin(expected.values()[at], z[at], expected.bounds()[at], where);
            }
        }
        assertTrue(ambiguous * 20 < z.length, ambiguous + " of " + z.length + " codes are ambiguous");
        assertTrue(active > 0 && active < z.length, "the test needs active and inactive codes, active " + active);
    }

    private static void checkSparseMatchesDense(SparseCode codes, float[] z, int batch, SaeConfig config) {
        assertEquals(batch, codes.rows());
        for (int r = 0; r < batch; r++) {
            float[] row = new float[config.dSae()];
            System.arraycopy(z, r * config.dSae(), row, 0, config.dSae());
            assertArrayEquals(row, codes.denseRow(r), "row " + r + " sparse equals dense");
            int[] indices = codes.rowIndices(r);
            for (int t = 0; t < indices.length; t++) {
                assertTrue(t == 0 || indices[t] > indices[t - 1], "indices ascending in row " + r);
                assertTrue(codes.values()[codes.rowStart(r) + t] != 0f, "no stored zeros in row " + r);
            }
            if (config.architecture().selectsK()) {
                assertTrue(indices.length <= config.k(), "row " + r + " has " + indices.length + " > k codes");
            }
            if (config.architecture() == SaeArchitecture.GROUPMAX) {
                int width = config.dSae() / config.k();
                for (int t = 1; t < indices.length; t++) {
                    assertTrue(indices[t] / width > indices[t - 1] / width, "row " + r + ": two latents of group "
                            + indices[t] / width);
                }
            }
        }
    }

    static void checkClose(double[] expected, double[] bounds, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < actual.length; i++) {
            Tolerance.assertWithin(expected[i], actual[i], bounds[i], what + " [" + i + "]");
        }
    }

    // ---- semantics pinned with exactly representable pre-activations (zero encoder: h = b_enc exactly) ----

    private static Sae biasOnly(SaeConfig config, float[] bias, float[] threshold) {
        SaeWeights weights = SaeWeights.of(new float[config.dSae() * config.dIn()], bias,
                SaeFixtures.gaussian(3, config.dSae() * config.dOut(), 1, 0), new float[config.dOut()]);
        return Sae.of(config, threshold == null ? weights : weights.withThreshold(threshold));
    }

    @Test
    void shouldZeroJumpReluCodeWhenPreActivationEqualsThreshold() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, 3, 5);
        float[] bias = {0.5f, 0.5f, -0.2f, 0.7f, -0.1f};
        float[] theta = {0.5f, Math.nextDown(0.5f), -0.5f, 0.0f, -0.1f};
        try (Sae sae = biasOnly(config, bias, theta)) {
            assertArrayEquals(new float[] {0f, 0.5f, 0f, 0.7f, 0f}, sae.encode(new float[] {1f, -2f, 3f}));
        }
    }

    @Test
    void shouldKeepLowerIndicesWhenTopKTies() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, 2, 6).withK(3);
        try (Sae sae = biasOnly(config, new float[] {1f, 2f, 1f, 1f, 1f, 2f}, null)) {
            SparseCode codes = sae.encodeSparse(new float[] {0.5f, 0.25f});
            assertArrayEquals(new int[] {0, 1, 5}, codes.rowIndices(0));
        }
    }

    @Test
    void shouldKeepFewerThanKWhenPreActivationsAreNotPositive() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, 2, 6).withK(4);
        try (Sae sae = biasOnly(config, new float[] {-1f, 0.3f, 0f, -2f, 0.9f, -0.5f}, null)) {
            SparseCode codes = sae.encodeSparse(new float[] {0.5f, 0.25f});
            assertArrayEquals(new int[] {1, 4}, codes.rowIndices(0));
            assertArrayEquals(new float[] {0f, 0.3f, 0f, 0f, 0.9f, 0f}, sae.encode(new float[] {0.5f, 0.25f}));
        }
    }

    @Test
    void shouldRejectInputsOfTheWrongSize() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, 4, 6);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 1))) {
            IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                    () -> sae.encode(new float[7]));
            assertTrue(length.getMessage().contains("not a multiple of 4"), length.getMessage());
            IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                    () -> sae.decode(SparseCode.withCapacity(1, 5, 5)));
            assertTrue(cols.getMessage().contains("5 latents"), cols.getMessage());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = arena.allocate(4 * Float.BYTES);
                IllegalArgumentException segment = assertThrows(IllegalArgumentException.class,
                        () -> sae.encode(DenseMatrix.f32(small, 2, sae.dIn()),
                                DenseMatrix.f32(arena.allocate(12 * Float.BYTES), 2, sae.dSae())));
                assertTrue(segment.getMessage().contains("exceeds a segment of 16 bytes"), segment.getMessage());
            }
        }
    }

    @Test
    void shouldRejectWeightsThatDoNotFitTheConfig() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, 4, 6);
        SaeWeights good = SaeFixtures.weights(config, 2);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Sae.of(config, good.withThreshold(null)));
        assertEquals("threshold is missing", missing.getMessage());
        float[] encoder = good.encoder().clone();
        encoder[5] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Sae.of(config,
                new SaeWeights(encoder, good.encoderBias(), good.decoder(), good.decoderBias(), good.threshold(),
                        null, null)));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        try {
            Sae.of(config, SaeWeights.of(good.encoder(), good.encoderBias(), new float[3], good.decoderBias()))
                    .close();
            fail("a decoder of the wrong length was accepted");
        } catch (IllegalArgumentException expected) {
            assertEquals("decoder has 3 values, expected 24", expected.getMessage());
        }
    }
}
