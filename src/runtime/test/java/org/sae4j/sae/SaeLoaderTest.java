package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.FormatException;
import org.sae4j.io.NpyWriter;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.io.SafetensorsFormatException;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;
import org.sae4j.testing.Tolerance;

/** Folder detection, every supported layout, conversions on load, and malformed folders. */
final class SaeLoaderTest {

    private static final int D_IN = SaeFixtures.D_IN;
    private static final int D_SAE = SaeFixtures.D_SAE;
    private static final String V6 = "\"metadata\": {\"sae_lens_version\": \"6.18.0\"}";

    @TempDir
    Path dir;

    /** SAELens-orientation W_enc [d_in, d_sae] from an engine encoder [d_sae, d_in]. */
    static float[] transpose(float[] matrix, int rows, int cols) {
        float[] out = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = matrix[r * cols + c];
            }
        }
        return out;
    }

    static float[] bf16Rounded(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Layouts.bf16ToFloat(Layouts.floatToBf16(values[i]));
        }
        return out;
    }

    static float[] scaled(float[] values, float factor) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private SafetensorsWriter saeLensTensors(SaeWeights weights, SafetensorsDType dtype, int dOut) {
        return new SafetensorsWriter()
                .addFloats("W_enc", dtype, new long[] {D_IN, D_SAE}, transpose(weights.encoder(), D_SAE, D_IN))
                .addFloats("b_enc", dtype, new long[] {D_SAE}, weights.encoderBias())
                .addFloats("W_dec", dtype, new long[] {D_SAE, dOut}, weights.decoder())
                .addFloats("b_dec", dtype, new long[] {dOut}, weights.decoderBias());
    }

    private void writeFolder(String cfg, SafetensorsWriter tensors) throws IOException {
        Files.writeString(dir.resolve("cfg.json"), cfg);
        tensors.write(dir.resolve("sae_weights.safetensors"));
    }

    private static String cfg(String architecture, String extra) {
        return "{\"architecture\": \"" + architecture + "\", \"d_in\": " + D_IN + ", \"d_sae\": " + D_SAE + extra
                + ", " + V6 + "}";
    }

    private String loadError(Path path) {
        return assertThrows(FormatException.class, () -> SaeLoader.load(path).close()).getMessage();
    }

    // ---- layouts ----

    @Test
    void shouldUpcastBf16WeightsWhenLoadingSaeLensFolder() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 11);
        writeFolder(cfg("standard", ", \"dtype\": \"torch.bfloat16\""),
                saeLensTensors(weights, SafetensorsDType.BF16, D_IN));
        SaeWeights rounded = SaeWeights.of(bf16Rounded(weights.encoder()), bf16Rounded(weights.encoderBias()),
                bf16Rounded(weights.decoder()), bf16Rounded(weights.decoderBias()));
        try (Sae sae = SaeLoader.load(dir.resolve("cfg.json"))) {
            assertEquals("bfloat16", sae.config().dtype());
            assertArrayEquals(rounded.encoder(), sae.weights().encoder(), "encoder transposed to rows, exact");
            SaeInferenceTest.checkAll(sae, new SaeReference(config, rounded), config,
                    SaeFixtures.gaussian(12, 5 * D_IN, 1, 0.2));
        }
    }

    @Test
    void shouldKeepSparsifyEncoderOrientation() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(5);
        SaeWeights weights = SaeFixtures.weights(config, 21);
        Path hookpoint = dir.resolve("layers.6");
        Files.createDirectories(hookpoint);
        Files.writeString(hookpoint.resolve("cfg.json"), "{\"d_in\": " + D_IN + ", \"num_latents\": " + D_SAE
                + ", \"k\": 5, \"activation\": \"topk\", \"normalize_decoder\": true}");
        new SafetensorsWriter()
                .addFloats("encoder.weight", new long[] {D_SAE, D_IN}, weights.encoder())
                .addFloats("encoder.bias", new long[] {D_SAE}, weights.encoderBias())
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, weights.decoder())
                .addFloats("b_dec", new long[] {D_IN}, weights.decoderBias())
                .write(hookpoint.resolve("sae.safetensors"));
        assertEquals(SaeSource.SPARSIFY, SaeLoader.detect(hookpoint));
        try (Sae sae = SaeLoader.load(hookpoint)) {
            assertEquals("layers.6", sae.config().hookName());
            assertArrayEquals(weights.encoder(), sae.weights().encoder());
            SaeInferenceTest.checkAll(sae, new SaeReference(config, weights), config,
                    SaeFixtures.gaussian(22, 6 * D_IN, 1, 0.3));
        }
    }

    /** Writes a params.npz with the given members, stored or deflated. */
    static void writeNpz(Path file, Map<String, byte[]> members, boolean deflate) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                ZipEntry entry = new ZipEntry(member.getKey());
                byte[] data = member.getValue();
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }

    @Test
    void shouldLoadGemmaScopeNpzWithLowercaseNames() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE).withApplyBDecToInput(false);
        SaeWeights weights = SaeFixtures.weights(config, 31);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("w_enc.npy", NpyWriter.toByteArray(new long[] {D_IN, D_SAE},
                transpose(weights.encoder(), D_SAE, D_IN)));
        members.put("w_dec.npy", NpyWriter.toByteArray(new long[] {D_SAE, D_IN}, weights.decoder()));
        members.put("b_enc.npy", NpyWriter.toByteArray(new long[] {D_SAE}, weights.encoderBias()));
        members.put("b_dec.npy", NpyWriter.toByteArray(new long[] {D_IN}, weights.decoderBias()));
        members.put("threshold.npy", NpyWriter.toByteArray(new long[] {D_SAE}, weights.threshold()));
        Path folder = dir.resolve("layer_12/width_16k/average_l0_41");
        Files.createDirectories(folder);
        writeNpz(folder.resolve("params.npz"), members, true);
        try (Sae sae = SaeLoader.load(folder.resolve("params.npz"))) {
            assertEquals(SaeSource.GEMMA_SCOPE, sae.config().source());
            assertEquals(SaeArchitecture.JUMPRELU, sae.config().architecture());
            assertFalse(sae.config().applyBDecToInput());
            SaeInferenceTest.checkAll(sae, new SaeReference(config, weights), config,
                    SaeFixtures.gaussian(32, 6 * D_IN, 1, 0.3));
        }
    }

    @Test
    void shouldFoldLlamaScopeScalingAndTransposeDecoder() throws IOException {
        int dIn = 16;
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, dIn, D_SAE).withApplyBDecToInput(false);
        SaeWeights raw = SaeFixtures.weights(config, 41);
        SaeWeights stored = SaeWeights.of(bf16Rounded(raw.encoder()), bf16Rounded(raw.encoderBias()),
                bf16Rounded(raw.decoder()), bf16Rounded(raw.decoderBias()));
        Files.writeString(dir.resolve("hyperparams.json"), "{\"d_model\": 16, \"d_sae\": " + D_SAE
                + ", \"hook_point_in\": \"blocks.3.hook_resid_post\", \"jump_relu_threshold\": 0.5, "
                + "\"dataset_average_activation_norm\": {\"in\": 8.0, \"out\": 8.0}}");
        Files.createDirectories(dir.resolve("checkpoints"));
        new SafetensorsWriter()
                .addFloats("encoder.weight", SafetensorsDType.BF16, new long[] {D_SAE, dIn}, raw.encoder())
                .addFloats("encoder.bias", SafetensorsDType.BF16, new long[] {D_SAE}, raw.encoderBias())
                .addFloats("decoder.weight", SafetensorsDType.BF16, new long[] {dIn, D_SAE},
                        transpose(raw.decoder(), D_SAE, dIn))
                .addFloats("decoder.bias", SafetensorsDType.BF16, new long[] {dIn}, raw.decoderBias())
                .write(dir.resolve("checkpoints/final.safetensors"));
        // s = √16 / 8 = 0.5 and θ = 0.5·s = 0.25 are powers of two, so folding is exact: the folded model on x
        // equals the stored model on 0.5·x, with its output divided by 0.5
        float[] threshold = new float[D_SAE];
        java.util.Arrays.fill(threshold, 0.25f);
        SaeReference reference = new SaeReference(config, stored.withThreshold(threshold));
        float[] x = SaeFixtures.gaussian(42, 5 * dIn, 3, 0.5);
        try (Sae sae = SaeLoader.load(dir)) {
            assertEquals(SaeSource.LLAMA_SCOPE, sae.config().source());
            assertEquals("blocks.3.hook_resid_post", sae.config().hookName());
            float[] z = sae.encode(x);
            SaeInferenceTest.checkCodes(reference.encode(scaled(x, 0.5f)), z, config);
            double[][] expected = reference.decode(z, 5);
            for (int i = 0; i < expected[0].length; i++) {
                expected[0][i] *= 2;
                expected[1][i] *= 2;
            }
            SaeInferenceTest.checkClose(expected[0], expected[1], sae.forward(x), "forward");
        }
    }

    @Test
    void shouldFoldExpectedAverageScalingFromActivationScalerOrArgument() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 51);
        writeFolder(cfg("standard", ", \"normalize_activations\": \"expected_average_only_in\""),
                saeLensTensors(weights, SafetensorsDType.F32, D_IN));
        assertTrue(loadError(dir).contains("expected_average_only_in needs a scaling factor"));

        Files.writeString(dir.resolve("activation_scaler.json"), "{\"scaling_factor\": null}");
        assertTrue(loadError(dir).endsWith("key 'scaling_factor' is missing or null; the SAE cannot run without "
                + "its factor"));

        SaeReference reference = new SaeReference(config, weights);
        float[] x = SaeFixtures.gaussian(52, 4 * D_IN, 1, 0.1);
        Files.writeString(dir.resolve("activation_scaler.json"), "{\"scaling_factor\": 2.0}");
        for (float factor : new float[] {2f, 0.25f}) {
            try (Sae sae = factor == 2f ? SaeLoader.load(dir) : SaeLoader.load(dir, factor)) {
                assertEquals(Normalisation.NONE, sae.config().normalisation());
                assertTrue(sae.config().warnings().stream().anyMatch(w -> w.contains("folded")));
                float[] z = sae.encode(x);
                SaeInferenceTest.checkCodes(reference.encode(scaled(x, factor)), z, config);
                double[][] expected = reference.decode(z, 4);
                for (int i = 0; i < expected[0].length; i++) {
                    expected[0][i] /= factor;
                    expected[1][i] /= factor;
                }
                SaeInferenceTest.checkClose(expected[0], expected[1], sae.forward(x), "forward, factor " + factor);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SaeLoader.load(dir, -1));
    }

    @Test
    void shouldExponentiateLogThresholdAndBroadcastScalarThreshold() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 61);
        float[] logTheta = new float[D_SAE];
        for (int j = 0; j < D_SAE; j++) {
            logTheta[j] = (float) Math.log(weights.threshold()[j] + 0.01);
        }
        writeFolder(cfg("jumprelu", ""), saeLensTensors(weights, SafetensorsDType.F32, D_IN)
                .addFloats("log_threshold", new long[] {D_SAE}, logTheta));
        try (Sae sae = SaeLoader.load(dir)) {
            float[] theta = sae.weights().threshold();
            for (int j = 0; j < D_SAE; j++) {
                assertEquals((float) Math.exp(logTheta[j]), theta[j], "threshold " + j);
            }
        }
        writeFolder(cfg("jumprelu", ""), saeLensTensors(weights, SafetensorsDType.F32, D_IN)
                .addFloats("threshold", new long[] {}, new float[] {0.375f}));
        try (Sae sae = SaeLoader.load(dir)) {
            float[] expected = new float[D_SAE];
            java.util.Arrays.fill(expected, 0.375f);
            assertArrayEquals(expected, sae.weights().threshold());
        }
    }

    @Test
    void shouldFoldLegacyScalingFactorIntoDecoderRows() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 71);
        float[] scaling = new float[D_SAE];
        float[] decoder = weights.decoder().clone();
        for (int j = 0; j < D_SAE; j++) {
            scaling[j] = j % 3 == 0 ? 2f : j % 3 == 1 ? 0.5f : 1f;
            for (int i = 0; i < D_IN; i++) {
                decoder[j * D_IN + i] *= scaling[j];
            }
        }
        Files.writeString(dir.resolve("cfg.json"), "{\"d_in\": " + D_IN + ", \"d_sae\": " + D_SAE
                + ", \"finetuning_scaling_factor\": true}");
        saeLensTensors(weights, SafetensorsDType.F32, D_IN).addFloats("scaling_factor", new long[] {D_SAE}, scaling)
                .write(dir.resolve("sae_weights.safetensors"));
        SaeWeights expected = SaeWeights.of(weights.encoder(), weights.encoderBias(), decoder, weights.decoderBias());
        try (Sae sae = SaeLoader.load(dir)) {
            assertArrayEquals(decoder, sae.weights().decoder(), "powers of two scale exactly");
            SaeInferenceTest.checkAll(sae, new SaeReference(config, expected), config,
                    SaeFixtures.gaussian(72, 3 * D_IN, 1, 0));
        }
    }

    // ---- writer ----

    @Test
    void shouldWriteSaeLensV6FolderThatLoadsBitExactly() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.GATED, D_IN, D_SAE).withHookName("blocks.2.hook_resid_pre");
        SaeWeights weights = SaeFixtures.weights(config, 81);
        try (Sae sae = Sae.of(config, weights)) {
            SaeWriter.write(dir, sae);
        }
        JsonNode cfg = JsonMapper.builder().build().readTree(dir.resolve("cfg.json").toFile());
        assertEquals("gated", cfg.get("architecture").textValue());
        assertEquals(SaeWriter.SAE_LENS_VERSION, cfg.get("metadata").get("sae_lens_version").textValue());
        assertEquals("blocks.2.hook_resid_pre", cfg.get("metadata").get("hook_name").textValue());
        try (TensorArena arena = new TensorArena("check")) {
            SafetensorsFile file = SafetensorsFile.open(dir.resolve("sae_weights.safetensors"), arena);
            assertEquals(0, file.dataStart() % 8, "header padded");
            assertArrayEquals(new long[] {D_IN, D_SAE}, file.tensor("W_enc").shapeArray(), "SAELens orientation");
            assertArrayEquals(transpose(weights.encoder(), D_SAE, D_IN), file.readFloats("W_enc"));
            assertFalse(file.contains("b_enc"));
        }
        try (Sae loaded = SaeLoader.load(dir)) {
            SaeWeights back = loaded.weights();
            assertArrayEquals(weights.encoder(), back.encoder());
            assertArrayEquals(weights.encoderBias(), back.encoderBias());
            assertArrayEquals(weights.decoder(), back.decoder());
            assertArrayEquals(weights.decoderBias(), back.decoderBias());
            assertArrayEquals(weights.magnitudeBias(), back.magnitudeBias());
            assertArrayEquals(weights.magnitudeLogScale(), back.magnitudeLogScale());
            assertEquals(config.withHookName("blocks.2.hook_resid_pre").architecture(),
                    loaded.config().architecture());
        }
    }

    @Test
    void shouldWriteFoldedTopKThatEncodesLikeTheOriginal() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(6)
                .withRescaleActsByDecoderNorm(true);
        float[] x = SaeFixtures.gaussian(92, 4 * D_IN, 1, 0);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 91))) {
            assertFalse(sae.config().rescaleActsByDecoderNorm());
            SaeWriter.write(dir, sae);
            try (Sae loaded = SaeLoader.load(dir)) {
                assertArrayEquals(sae.encode(x), loaded.encode(x));
                assertArrayEquals(sae.forward(x), loaded.forward(x));
            }
        }
    }

    // ---- malformed folders ----

    @Test
    void shouldNameTheMissingTensor() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 101);
        writeFolder(cfg("jumprelu", ""), saeLensTensors(weights, SafetensorsDType.F32, D_IN));
        assertTrue(loadError(dir).endsWith("tensor 'threshold' is missing (nor is there a 'log_threshold')"));
        writeFolder(cfg("gated", ""), saeLensTensors(weights, SafetensorsDType.F32, D_IN));
        assertTrue(loadError(dir).endsWith("tensor 'b_gate' is missing"));
        writeFolder(cfg("standard", ""), new SafetensorsWriter()
                .addFloats("W_enc", new long[] {D_IN, D_SAE}, transpose(weights.encoder(), D_SAE, D_IN))
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, weights.decoder())
                .addFloats("b_dec", new long[] {D_IN}, weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'b_enc' is missing"));
    }

    @Test
    void shouldNameTheTensorWithTheWrongShapeOrType() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 111);
        writeFolder(cfg("standard", ""), new SafetensorsWriter()
                .addFloats("W_enc", new long[] {D_SAE, D_IN}, weights.encoder())
                .addFloats("b_enc", new long[] {D_SAE}, weights.encoderBias())
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, weights.decoder())
                .addFloats("b_dec", new long[] {D_IN}, weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'W_enc' has shape [40, 24], expected [24, 40]"));
        writeFolder(cfg("standard", ""), saeLensTensors(weights, SafetensorsDType.F32, D_IN)
                .add("sparsity", SafetensorsDType.F32, new long[] {1}, MemorySegment.ofArray(new byte[4])));
        try (Sae sae = SaeLoader.load(dir)) {
            assertEquals(D_SAE, sae.dSae(), "extra tensors such as sparsity are ignored");
        }
        writeFolder(cfg("standard", ""), new SafetensorsWriter()
                .addFloats("W_enc", new long[] {D_IN, D_SAE}, transpose(weights.encoder(), D_SAE, D_IN))
                .add("b_enc", SafetensorsDType.I32, new long[] {D_SAE}, MemorySegment.ofArray(new int[D_SAE]))
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, weights.decoder())
                .addFloats("b_dec", new long[] {D_IN}, weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'b_enc' has integer dtype I32, expected a floating-point type"));
    }

    @Test
    void shouldRejectNonFiniteWeights() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 121);
        float[] decoder = weights.decoder().clone();
        decoder[5] = Float.NaN;
        SaeWriter.write(dir, config, SaeWeights.of(weights.encoder(), weights.encoderBias(), decoder,
                weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'W_dec' holds NaN at element 5; weights must be finite"));
        float[] bias = weights.encoderBias().clone();
        bias[3] = Float.NEGATIVE_INFINITY;
        SaeWriter.write(dir, config, SaeWeights.of(weights.encoder(), bias, weights.decoder(),
                weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'b_enc' holds -Infinity at element 3; weights must be finite"));
    }

    @Test
    void shouldServeTheStoredSaeLensEncoderLayoutLikeTheRowLayout() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights weights = SaeFixtures.weights(config, 141);
        SaeWriter.write(dir, config, weights);
        float[] x = SaeFixtures.gaussian(142, D_IN, 1, 0);
        float[] batch = SaeFixtures.gaussian(143, 3 * D_IN, 1, 0);
        try (Sae loaded = SaeLoader.load(dir); Sae built = Sae.of(config, weights);
                SaeWorkspace ws = loaded.newWorkspace(1);
                WatchList fromColumns = loaded.watchList(3, 17, 29); WatchList fromRows = built.watchList(3, 17, 29)) {
            // a batch of one reads W_enc as stored, [d_in, d_sae], with a transposed GEMV: same sums, other order,
            // and ReLU cannot widen the difference
            float[] expected = built.encode(x);
            float[] actual = loaded.encode(x);
            float[] encoder = weights.encoder();
            float[] bias = weights.encoderBias();
            for (int j = 0; j < D_SAE; j++) {
                double magnitude = Math.abs(bias[j]);
                for (int i = 0; i < D_IN; i++) {
                    magnitude += Math.abs(encoder[j * D_IN + i] * x[i]);
                }
                assertEquals(expected[j], actual[j], 2 * Tolerance.gamma(D_IN + 1) * magnitude, "latent " + j);
            }
            // watch-lists gather their rows from the stored layout: the same rows, so the same bits
            float[] watchedRows = new float[3];
            float[] watchedColumns = new float[3];
            fromRows.encodeOne(x, watchedRows, ws);
            fromColumns.encodeOne(x, watchedColumns, ws);
            assertArrayEquals(watchedRows, watchedColumns);
            // the row layout built for batches is the exact transpose
            assertArrayEquals(built.encode(batch), loaded.encode(batch));
            assertArrayEquals(encoder, loaded.encoder().toArray(Layouts.F32));
        }
    }

    @Test
    void shouldKeepServingAModelWhoseFolderIsOverwrittenWhileItIsOpen() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights before = SaeFixtures.weights(config, 131);
        SaeWeights after = SaeFixtures.weights(config, 132);
        float[] x = SaeFixtures.gaussian(133, 3 * D_IN, 1, 0);
        SaeWriter.write(dir, config, before);
        try (Sae open = SaeLoader.load(dir); Sae reference = Sae.of(config, before)) {
            // the open model reads its fp32 decoder in place from the mapping of the file being replaced
            SaeWriter.write(dir, config, after);
            assertArrayEquals(reference.forward(x), open.forward(x));
        }
        try (Sae reloaded = SaeLoader.load(dir); Sae reference = Sae.of(config, after)) {
            assertArrayEquals(reference.forward(x), reloaded.forward(x));
        }
    }

    @Test
    void shouldNameNonFiniteWeightsBeyondTheFirstCheckedChunk() throws IOException {
        int dIn = 512;
        int dSae = 160;
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, dIn, dSae);
        SaeWeights weights = SaeFixtures.weights(config, 123);
        float[] encoder = weights.encoder().clone();
        encoder[150 * dIn + 500] = Float.POSITIVE_INFINITY;  // stored W_enc [d_in, d_sae]: element 500·160 + 150
        SaeWriter.write(dir, config, SaeWeights.of(encoder, weights.encoderBias(), weights.decoder(),
                weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'W_enc' holds Infinity at element 80150; weights must be finite"),
                loadError(dir));
        float[] decoder = weights.decoder().clone();
        decoder[dSae * dIn - 1] = Float.NaN;
        SaeWriter.write(dir, config, SaeWeights.of(weights.encoder(), weights.encoderBias(), decoder,
                weights.decoderBias()));
        assertTrue(loadError(dir).endsWith("tensor 'W_dec' holds NaN at element 81919; weights must be finite"),
                loadError(dir));
    }

    @Test
    void shouldRejectUnrecognisedOrBrokenFolders() throws IOException {
        assertTrue(loadError(dir).contains("not a recognised SAE folder"));
        Files.writeString(dir.resolve("cfg.json"), cfg("standard", ""));
        assertTrue(loadError(dir).contains("not a recognised SAE folder"), "cfg.json alone is not an SAE");
        Files.write(dir.resolve("sae_weights.safetensors"), new byte[] {1, 2, 3});
        FormatException broken = assertThrows(SafetensorsFormatException.class, () -> SaeLoader.load(dir));
        assertTrue(broken.getMessage().contains("fewer than the 8-byte header length"), broken.getMessage());
        Files.writeString(dir.resolve("cfg.json"), "{\"architecture\": \"standard\"");
        assertTrue(loadError(dir).contains("cfg.json: not valid JSON"));
    }

    @Test
    void shouldRejectSparsifySkipMatrixTheConfigDoesNotDeclare() throws IOException {
        Files.writeString(dir.resolve("cfg.json"), "{\"d_in\": 4, \"num_latents\": 8, \"k\": 2}");
        new SafetensorsWriter()
                .addFloats("encoder.weight", new long[] {8, 4}, new float[32])
                .addFloats("encoder.bias", new long[] {8}, new float[8])
                .addFloats("W_dec", new long[] {8, 4}, new float[32])
                .addFloats("b_dec", new long[] {4}, new float[4])
                .addFloats("W_skip", new long[] {4, 4}, new float[16])
                .write(dir.resolve("sae.safetensors"));
        assertTrue(loadError(dir).endsWith("tensor 'W_skip' is present but cfg.json does not set skip_connection: "
                + "true"), loadError(dir));
        Files.writeString(dir.resolve("cfg.json"), "{\"d_in\": 4, \"num_latents\": 8, \"k\": 2, "
                + "\"skip_connection\": true}");
        try (Sae sae = SaeLoader.load(dir)) {
            assertTrue(sae.hasSkip(), "declared and present: loaded");
        }
    }

    @Test
    void shouldRejectGemmaScopeArchiveWithoutThreshold() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("W_enc.npy", NpyWriter.toByteArray(new long[] {4, 8}, new float[32]));
        members.put("W_dec.npy", NpyWriter.toByteArray(new long[] {8, 4}, new float[32]));
        members.put("b_enc.npy", NpyWriter.toByteArray(new long[] {8}, new float[8]));
        members.put("b_dec.npy", NpyWriter.toByteArray(new long[] {4}, new float[4]));
        writeNpz(dir.resolve("params.npz"), members, false);
        assertTrue(loadError(dir).endsWith("array 'threshold' is missing"));
    }
}
