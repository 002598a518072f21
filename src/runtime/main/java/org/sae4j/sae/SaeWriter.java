package org.sae4j.sae;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes an SAELens v6 folder (sae-formats §13): {@code cfg.json} with {@code architecture} and
 * {@code metadata.sae_lens_version} 6.0.0 (so SAELens skips its legacy path), and {@code sae_weights.safetensors} in
 * SAELens orientation ({@code W_enc [d_in, d_sae]}, {@code W_dec [d_sae, d_out]}) in float32, bfloat16 or float16
 * (rounded to nearest even), header padded to 8 bytes, deterministic bytes.
 *
 * <pre>{@code
 * SaeWriter.write(Path.of("out/my-sae"), SaeConfig.of(SaeArchitecture.STANDARD, 24, 40), weights);
 * SaeWriter.write(Path.of("out/my-sae-bf16"), sae, SaeDType.BFLOAT16);
 * try (Sae sae = SaeLoader.load(Path.of("out/my-sae"))) { ... }
 * }</pre>
 *
 * <p>Tensors per architecture: {@code W_enc, b_enc, W_dec, b_dec}, plus {@code threshold} for JumpReLU models and
 * {@code W_skip [d_out, d_in]} (stored as the engine holds it) for skip transcoders; gated models write
 * {@code b_gate, b_mag, r_mag} instead of {@code b_enc}. groupmax models and topk models with a skip matrix (both
 * sparsify-only) are refused. The config keys written are {@code architecture,
 * d_in, d_sae, dtype (the written type), device (cpu), apply_b_dec_to_input, normalize_activations,
 * reshape_activations (none)}, {@code k} and {@code rescale_acts_by_decoder_norm} for topk, {@code d_out} for
 * transcoders, and {@code metadata} with {@code sae_lens_version}, {@code hook_name}, {@code model_name} and
 * {@code sae4j_folds} (the config's {@link SaeConfig#folds()}: a list of {@code {op, factor, note}}, factor null
 * when per latent; SAELens keeps unknown metadata keys).
 *
 * <p><b>Note:</b> stateless and thread-safe; the folder is created if needed and existing files are replaced.
 */
public final class SaeWriter {

    /** The SAELens version written to {@code metadata}: the first v6 layout. */
    public static final String SAE_LENS_VERSION = "6.0.0";

    /** Writes the pretty-printed {@code cfg.json}. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Not instantiable: static writers only. */
    private SaeWriter() {
    }

    /**
     * Writes {@code weights} (engine orientation) with {@code config} to {@code dir} in float32; values are written as
     * given (non-finite values included, so malformed fixtures can be made).
     *
     * @param dir     the folder, created if needed
     * @param config  what the model computes
     * @param weights its parameters; not modified
     * @throws IllegalArgumentException if an array needed by the architecture is missing or has the wrong length, a
     *                                  non-transcoder has d_out different from d_in (a sparsify transcoder), the model
     *                                  is groupmax, or a model other than skip_transcoder has W_skip
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, SaeConfig config, SaeWeights weights) throws IOException {
        write(dir, config, weights, SaeDType.FLOAT32);
    }

    /**
     * Writes {@code weights} (engine orientation) with {@code config} to {@code dir}, every tensor stored as
     * {@code dtype}. The weights file is replaced by rename, so a model that maps the old file keeps working;
     * {@code cfg.json} is overwritten.
     *
     * @param dir     the folder, created if needed
     * @param config  what the model computes
     * @param weights its parameters; not modified
     * @param dtype   the stored type of every tensor
     * @throws IllegalArgumentException as {@link #write(Path, SaeConfig, SaeWeights)}, or if a finite value overflows
     *                                  {@code dtype}
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, SaeConfig config, SaeWeights weights, SaeDType dtype) throws IOException {
        Objects.requireNonNull(dtype, "dtype");
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        if (!config.architecture().isTranscoder() && dOut != dIn) {
            throw new IllegalArgumentException("SAELens has no " + config.architecture().saeLensName()
                    + " transcoder: d_out " + dOut + " differs from d_in " + dIn);
        }
        if (config.architecture() == SaeArchitecture.GROUPMAX) {
            throw new IllegalArgumentException("SAELens has no groupmax architecture (a sparsify activation): write "
                    + "it with SparsifyWriter");
        }
        if (weights.skip() != null && !config.architecture().requiresSkip()) {
            throw new IllegalArgumentException("SAELens has no skip connection for " + config.architecture()
                    .saeLensName() + " (only skip_transcoder has W_skip): write it with SparsifyWriter");
        }
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        SaeFolding.requireLength("encoder", weights.encoder(), (long) dSae * dIn);
        SaeFolding.requireLength(gated ? "b_gate" : "b_enc", weights.encoderBias(), dSae);
        SaeFolding.requireLength("decoder", weights.decoder(), (long) dSae * dOut);
        SaeFolding.requireLength("b_dec", weights.decoderBias(), dOut);
        float[] wEnc = new float[weights.encoder().length];
        for (int j = 0; j < dSae; j++) {
            for (int i = 0; i < dIn; i++) {
                wEnc[i * dSae + j] = weights.encoder()[j * dIn + i];
            }
        }
        TensorList tensors = new TensorList(dtype)
                .add("W_enc", new long[] {dIn, dSae}, wEnc)
                .add(gated ? "b_gate" : "b_enc", new long[] {dSae}, weights.encoderBias())
                .add("W_dec", new long[] {dSae, dOut}, weights.decoder())
                .add("b_dec", new long[] {dOut}, weights.decoderBias());
        if (config.architecture().hasThreshold()) {
            SaeFolding.requireLength("threshold", weights.threshold(), dSae);
            tensors.add("threshold", new long[] {dSae}, weights.threshold());
        }
        if (gated) {
            SaeFolding.requireLength("b_mag", weights.magnitudeBias(), dSae);
            SaeFolding.requireLength("r_mag", weights.magnitudeLogScale(), dSae);
            tensors.add("b_mag", new long[] {dSae}, weights.magnitudeBias())
                    .add("r_mag", new long[] {dSae}, weights.magnitudeLogScale());
        }
        if (config.architecture().requiresSkip()) {
            SaeFolding.requireLength("W_skip", weights.skip(), (long) dOut * dIn);
            tensors.add("W_skip", new long[] {dOut, dIn}, weights.skip());
        }
        Files.createDirectories(dir);
        tensors.writer().write(dir.resolve("sae_weights.safetensors"));
        Files.writeString(dir.resolve("cfg.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(cfgJson(config, dtype)));
    }

    /**
     * Writes a loaded model in float32 (its weights after any folding done on load, and its effective config).
     *
     * @param dir the folder, created if needed
     * @param sae the model; read, not modified
     * @throws IllegalArgumentException if the model has no SAELens equivalent (a sparsify transcoder, groupmax, a topk
     *                                  model with W_skip)
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, Sae sae) throws IOException {
        write(dir, sae, SaeDType.FLOAT32);
    }

    /**
     * Writes a loaded model with every tensor stored as {@code dtype}.
     *
     * @param dir   the folder, created if needed
     * @param sae   the model; read, not modified
     * @param dtype the stored type of every tensor
     * @throws IllegalArgumentException if the model has no SAELens equivalent (a sparsify transcoder, groupmax, a topk
     *                                  model with W_skip) or a value overflows {@code dtype}
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, Sae sae, SaeDType dtype) throws IOException {
        write(dir, sae.config(), sae.weights(), dtype);
    }

    /**
     * The v6 {@code cfg.json} object for {@code config} with its tensors stored as float32.
     *
     * @param config the configuration
     * @return a new JSON object
     */
    static ObjectNode cfgJson(SaeConfig config) {
        return cfgJson(config, SaeDType.FLOAT32);
    }

    /**
     * The v6 {@code cfg.json} object for {@code config} with its tensors stored as {@code dtype}.
     *
     * @param config the configuration
     * @param dtype  the stored type, written as {@code dtype}
     * @return a new JSON object
     */
    static ObjectNode cfgJson(SaeConfig config, SaeDType dtype) {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", config.architecture().saeLensName());
        cfg.put("d_in", config.dIn());
        cfg.put("d_sae", config.dSae());
        if (config.architecture().isTranscoder()) {
            cfg.put("d_out", config.dOut());
        }
        cfg.put("dtype", dtype.torchName());
        cfg.put("device", "cpu");
        cfg.put("apply_b_dec_to_input", config.applyBDecToInput());
        cfg.put("normalize_activations", config.normalisation().saeLensName());
        cfg.put("reshape_activations", "none");
        if (config.architecture() == SaeArchitecture.TOPK) {
            cfg.put("k", config.k());
            cfg.put("rescale_acts_by_decoder_norm", config.rescaleActsByDecoderNorm());
        }
        ObjectNode metadata = cfg.putObject("metadata");
        metadata.put("sae_lens_version", SAE_LENS_VERSION);
        metadata.put("hook_name", config.hookName());
        metadata.put("model_name", config.modelName());
        if (!config.folds().isEmpty()) {
            FoldJson.write(metadata, config.folds());
        }
        return cfg;
    }
}
