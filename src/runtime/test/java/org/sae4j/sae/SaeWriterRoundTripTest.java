package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SAELens and sparsify writers: every architecture × dtype read back by {@link SaeLoader}; a value must come back
 * bit-identical for float32 and, for narrower types, equal to its round-to-nearest-even value and within the type's
 * rounding bound of the original (the bound is checked independently of the rounding function).
 */
final class SaeWriterRoundTripTest {

    private static final int D_OUT = 17;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Stream<Arguments> architecturesAndTypes() {
        List<Arguments> cases = new ArrayList<>();
        for (SaeArchitecture architecture : SaeArchitecture.values()) {
            if (architecture == SaeArchitecture.GROUPMAX) {
                continue;  // sparsify only, covered by the sparsify round trip
            }
            for (SaeDType dtype : SaeDType.values()) {
                cases.add(Arguments.of(architecture, dtype));
            }
        }
        return cases.stream();
    }

    private static SaeConfig config(SaeArchitecture architecture) {
        SaeConfig config = SaeConfig.of(architecture, SaeFixtures.D_IN, SaeFixtures.D_SAE);
        if (architecture == SaeArchitecture.TOPK) {
            config = config.withK(6);
        } else if (architecture == SaeArchitecture.GROUPMAX) {
            config = config.withK(8);
        }
        return architecture.isTranscoder() ? config.withDOut(D_OUT) : config;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("architecturesAndTypes")
    void shouldReadBackSaeLensFolderForEveryArchitectureAndType(SaeArchitecture architecture, SaeDType dtype)
            throws IOException {
        SaeConfig config = config(architecture);
        SaeWeights weights = SaeFixtures.weights(config, 40 + architecture.ordinal());
        SaeWriter.write(dir, config, weights, dtype);
        try (Sae sae = SaeLoader.load(dir)) {
            assertEquals(dtype.torchName(), sae.config().dtype());
            assertEquals(architecture, sae.config().architecture());
            assertEquals(config.dOut(), sae.config().dOut());
            assertSameWeights(weights, sae.weights(), dtype, architecture + " " + dtype);
        }
        assertHeaderPadded(dir.resolve("sae_weights.safetensors"), dtype);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SaeDType.class)
    void shouldReadBackSparsifyFolderForTopkAndTranscoders(SaeDType dtype) throws IOException {
        SaeConfig plain = config(SaeArchitecture.TOPK);
        SaeConfig transcoder = new SaeConfig(SaeSource.SPARSIFY, SaeArchitecture.TOPK, SaeFixtures.D_IN,
                SaeFixtures.D_SAE, D_OUT, 6, "float32", Normalisation.NONE, false, false, "", "", List.of());
        SaeConfig uncentred = plain.withApplyBDecToInput(false);
        for (SaeConfig config : List.of(plain, transcoder, uncentred)) {
            SaeWeights weights = SaeFixtures.weights(config, 70 + config.dOut());
            Path folder = dir.resolve("layers." + config.dOut() + "." + config.applyBDecToInput());
            SparsifyWriter.write(folder, config, weights, dtype);
            assertEquals(SaeSource.SPARSIFY, SaeLoader.detect(folder));
            try (Sae sae = SaeLoader.load(folder)) {
                SaeConfig read = sae.config();
                assertEquals(dtype.torchName(), read.dtype());
                assertEquals(config.dOut(), read.dOut());
                assertEquals(config.k(), read.k());
                assertEquals(config.applyBDecToInput(), read.applyBDecToInput());
                assertSameWeights(weights, sae.weights(), dtype, "sparsify " + dtype);
            }
            JsonNode cfg = JSON.readTree(folder.resolve("cfg.json").toFile());
            assertEquals(!config.applyBDecToInput(), cfg.get("transcode").booleanValue());
            assertEquals(SaeFixtures.D_SAE, cfg.get("num_latents").intValue());
            assertEquals("topk", cfg.get("activation").textValue());
            assertHeaderPadded(folder.resolve("sae.safetensors"), dtype);
        }
    }

    @Test
    void shouldWriteIdenticalBytesTwice() throws IOException {
        SaeConfig config = config(SaeArchitecture.GATED);
        SaeWeights weights = SaeFixtures.weights(config, 5);
        SaeWriter.write(dir.resolve("a"), config, weights, SaeDType.BFLOAT16);
        SaeWriter.write(dir.resolve("b"), config, weights, SaeDType.BFLOAT16);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/sae_weights.safetensors")),
                Files.readAllBytes(dir.resolve("b/sae_weights.safetensors")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/cfg.json")), Files.readAllBytes(dir.resolve("b/cfg.json")));
    }

    @Test
    void shouldRecordFoldsInMetadataAndReadThemBack() throws IOException {
        SaeConfig config = config(SaeArchitecture.JUMPRELU)
                .withFold(new FoldRecord(FoldRecord.INPUT_SCALING_OP, 2.5, "from a test"))
                .withFold(new FoldRecord(FoldRecord.DECODER_NORMS_OP, Double.NaN, ""));
        SaeWriter.write(dir, config, SaeFixtures.weights(config, 9), SaeDType.FLOAT32);
        JsonNode folds = JSON.readTree(dir.resolve("cfg.json").toFile()).get("metadata").get("sae4j_folds");
        assertEquals(2, folds.size());
        assertEquals("input_scaling", folds.get(0).get("op").textValue());
        assertEquals(2.5, folds.get(0).get("factor").doubleValue());
        assertTrue(folds.get(1).get("factor").isNull(), "per-latent factor written as null");
        try (Sae sae = SaeLoader.load(dir)) {
            assertEquals(config.folds(), sae.config().folds());
        }
        Path sparsify = dir.resolve("sparsify");
        SaeConfig topk = config(SaeArchitecture.TOPK).withFolds(config.folds());
        SparsifyWriter.write(sparsify, topk, SaeFixtures.weights(topk, 10), SaeDType.FLOAT16);
        try (Sae sae = SaeLoader.load(sparsify)) {
            assertEquals(config.folds(), sae.config().folds());
        }
    }

    @Test
    void shouldRecordTheExpectedAverageFoldDoneOnLoad() throws IOException {
        SaeConfig config = config(SaeArchitecture.STANDARD).withNormalisation(Normalisation.EXPECTED_AVERAGE_ONLY_IN);
        SaeWriter.write(dir, config, SaeFixtures.weights(config, 11));
        try (Sae sae = SaeLoader.load(dir, 0.5)) {
            assertEquals(List.of(new FoldRecord(FoldRecord.INPUT_SCALING_OP, 0.5,
                    "normalize_activations expected_average_only_in folded on load")), sae.config().folds());
            Path again = dir.resolve("again");
            SaeWriter.write(again, sae);
            try (Sae reread = SaeLoader.load(again)) {
                assertEquals(Normalisation.NONE, reread.config().normalisation());
                assertEquals(sae.config().folds(), reread.config().folds());
                assertArrayEquals(sae.weights().encoder(), reread.weights().encoder());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SaeDType.class)
    void shouldReadBackSparsifyGroupMaxAndSkipConnections(SaeDType dtype) throws IOException {
        SaeConfig groupmax = config(SaeArchitecture.GROUPMAX);
        SaeConfig transcoder = new SaeConfig(SaeSource.SPARSIFY, SaeArchitecture.GROUPMAX, SaeFixtures.D_IN,
                SaeFixtures.D_SAE, D_OUT, 4, "float32", Normalisation.NONE, false, false, "", "", List.of());
        SaeConfig topk = config(SaeArchitecture.TOPK);
        int folderNumber = 0;
        for (SaeConfig config : List.of(groupmax, transcoder, topk)) {
            for (boolean skip : new boolean[] {false, true}) {
                SaeWeights weights = SaeFixtures.weights(config, 90 + folderNumber);
                weights = skip ? SaeFixtures.withSkip(config, weights, 90 + folderNumber) : weights;
                Path folder = dir.resolve("layers." + folderNumber++);
                SparsifyWriter.write(folder, config, weights, dtype);
                String context = "sparsify " + config.architecture().saeLensName() + " d_out " + config.dOut()
                        + (skip ? " with W_skip " : " ") + dtype;
                try (Sae sae = SaeLoader.load(folder)) {
                    assertEquals(config.architecture(), sae.config().architecture(), context);
                    assertEquals(config.k(), sae.config().k(), context);
                    assertEquals(config.dOut(), sae.config().dOut(), context);
                    assertEquals(skip, sae.hasSkip(), context);
                    assertSameWeights(weights, sae.weights(), dtype, context);
                }
                JsonNode cfg = JSON.readTree(folder.resolve("cfg.json").toFile());
                assertEquals(config.architecture().saeLensName(), cfg.get("activation").textValue(), context);
                assertEquals(skip, cfg.get("skip_connection").booleanValue(), context);
                assertHeaderPadded(folder.resolve("sae.safetensors"), dtype);
            }
        }
    }

    @Test
    void shouldRefuseWhatSparsifyCannotHold() {
        SaeWeights standard = SaeFixtures.weights(config(SaeArchitecture.STANDARD), 1);
        assertEquals("sparsify stores topk and groupmax SAEs only, not standard", assertThrowsExactly(
                IllegalArgumentException.class, () -> SparsifyWriter.write(dir, config(SaeArchitecture.STANDARD),
                        standard, SaeDType.FLOAT32)).getMessage());
        SaeConfig topk = config(SaeArchitecture.TOPK);
        SaeWeights weights = SaeFixtures.weights(topk, 2);
        assertEquals("sparsify has no rescale_acts_by_decoder_norm: fold the decoder norms first",
                assertThrowsExactly(IllegalArgumentException.class, () -> SparsifyWriter.write(dir,
                        topk.withRescaleActsByDecoderNorm(true), weights, SaeDType.FLOAT32)).getMessage());
        assertEquals("sparsify has no input normalisation, the SAE uses layer_norm",
                assertThrowsExactly(IllegalArgumentException.class, () -> SparsifyWriter.write(dir,
                        topk.withNormalisation(Normalisation.LAYER_NORM), weights, SaeDType.FLOAT32)).getMessage());
        assertFalse(Files.exists(dir.resolve("sae.safetensors")), "nothing written");
    }

    @Test
    void shouldRefuseValuesThatOverflowTheTargetType() {
        SaeConfig config = config(SaeArchitecture.STANDARD);
        SaeWeights weights = SaeFixtures.weights(config, 3);
        weights.decoderBias()[4] = 70000f;
        assertEquals("tensor 'b_dec' element 4 = 70000.0 overflows float16 (largest finite value 65504.0)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> SaeWriter.write(dir, config, weights, SaeDType.FLOAT16)).getMessage());
    }

    @Test
    void shouldRefuseUnsupportedSparsifyVariantsWithReasons() throws IOException {
        SaeConfig topk = config(SaeArchitecture.TOPK);
        SparsifyWriter.write(dir, topk, SaeFixtures.weights(topk, 4), SaeDType.FLOAT32);
        Path cfg = dir.resolve("cfg.json");
        String base = "{\"d_in\": " + SaeFixtures.D_IN + ", \"num_latents\": " + SaeFixtures.D_SAE + ", \"k\": 6";
        Files.writeString(cfg, base + ", \"signed\": true}");
        assertTrue(loadError().endsWith("key 'signed' true is not supported (signed sparsify SAEs keep negative "
                + "activations; sae4j codes are non-negative)"), loadError());
        Files.writeString(cfg, base + ", \"activation\": \"groupmax\"}");
        assertTrue(loadError().endsWith("groupmax splits the latents into k equal groups: k 6 must divide d_sae "
                + SaeFixtures.D_SAE), loadError());
        Files.writeString(cfg, base + ", \"activation\": \"batchtopk\"}");
        assertTrue(loadError().endsWith("key 'activation' value 'batchtopk' is not supported (supported: topk, "
                + "groupmax)"), loadError());
        Files.writeString(cfg, base + ", \"skip_connection\": true}");
        assertTrue(loadError().contains("'W_skip'"), "skip_connection without its tensor: " + loadError());
    }

    private String loadError() {
        return assertThrowsExactly(SaeFormatException.class, () -> SaeLoader.load(dir).close()).getMessage();
    }

    static void assertSameWeights(SaeWeights written, SaeWeights read, SaeDType dtype, String context) {
        assertSame(written.encoder(), read.encoder(), dtype, context + " encoder");
        assertSame(written.encoderBias(), read.encoderBias(), dtype, context + " encoder bias");
        assertSame(written.decoder(), read.decoder(), dtype, context + " decoder");
        assertSame(written.decoderBias(), read.decoderBias(), dtype, context + " b_dec");
        assertSame(written.threshold(), read.threshold(), dtype, context + " threshold");
        assertSame(written.magnitudeBias(), read.magnitudeBias(), dtype, context + " b_mag");
        assertSame(written.magnitudeLogScale(), read.magnitudeLogScale(), dtype, context + " r_mag");
        assertSame(written.skip(), read.skip(), dtype, context + " W_skip");
    }

    private static void assertSame(float[] written, float[] read, SaeDType dtype, String context) {
        if (written == null) {
            assertNull(read, context);
            return;
        }
        assertEquals(written.length, read.length, context);
        for (int i = 0; i < written.length; i++) {
            if (dtype == SaeDType.FLOAT32) {
                assertEquals(Float.floatToRawIntBits(written[i]), Float.floatToRawIntBits(read[i]),
                        context + " element " + i + " must be bit-exact");
            } else {
                assertEquals(dtype.round(written[i]), read[i], 0f, context + " element " + i);
                double error = Math.abs((double) read[i] - written[i]);
                assertTrue(error <= dtype.roundingBound(written[i]), context + " element " + i + ": " + written[i]
                        + " read as " + read[i]);
            }
        }
    }

    private static void assertHeaderPadded(Path file, SaeDType dtype) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data starts on an 8-byte boundary");
        String header = new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.contains("\"dtype\":\"" + dtype.stored().name() + "\""), header);
    }
}
