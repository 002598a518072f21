package org.sae4j.sae;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes an EleutherAI sparsify hookpoint folder (sae-formats §6): {@code cfg.json} and {@code sae.safetensors}
 * with {@code encoder.weight [num_latents, d_in]} (one row per latent, the engine's own orientation),
 * {@code encoder.bias [num_latents]}, {@code W_dec [num_latents, d_out]}, {@code b_dec [d_out]} and, for a model with a
 * skip connection, {@code W_skip [d_out, d_in]} (the engine's orientation, as sparsify stores it), all stored as
 * one {@link SaeDType}, header padded to 8 bytes, deterministic bytes. {@link SaeLoader} reads the folder back to the
 * same values (exactly for float32, rounded once for narrower types).
 *
 * <pre>{@code
 * SparsifyWriter.write(Path.of("out/layers.6"), sae, SaeDType.BFLOAT16);
 * }</pre>
 *
 * <p>Only topk and groupmax models fit the format. sparsify subtracts {@code b_dec} from the input exactly when it is
 * not a transcoder, so {@code transcode} is written as {@code !apply_b_dec_to_input}: a topk SAE that does not centre
 * its input is written (and read back) as a same-width transcoder, which computes the same thing. Config keys written:
 * {@code activation (topk or groupmax), expansion_factor, normalize_decoder (false), num_latents, k, multi_topk
 * (false), skip_connection (whether W_skip is written), transcode, d_in}, and {@code sae4j_folds} when the config
 * records folds (sparsify drops unknown keys when it loads a config). {@code normalize_decoder} is false because the
 * writer makes no claim that decoder rows have unit norm, and SAELens' sparsify conversion reads it as "subtract b_dec"
 * (sae-formats §14 trap 11), which is what sparsify itself does.
 *
 * <p><b>Note:</b> stateless and thread-safe; the folder is created if needed and existing files are replaced.
 */
public final class SparsifyWriter {

    /** Writes the pretty-printed {@code cfg.json}. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Not instantiable: static writers only. */
    private SparsifyWriter() {
    }

    /**
     * Writes {@code weights} (engine orientation) with {@code config} to {@code dir}, every tensor stored as
     * {@code dtype}.
     *
     * @param dir     the hookpoint folder, created if needed
     * @param config  what the model computes
     * @param weights its parameters; not modified
     * @param dtype   the stored type of every tensor
     * @throws IllegalArgumentException if the model is neither topk nor groupmax, still asks for
     *                                  {@code rescale_acts_by_decoder_norm} (fold it first), uses an input
     *                                  normalisation (sparsify has none), is a transcoder-shaped model that subtracts
     *                                  {@code b_dec}, an array has the wrong length, or a finite value overflows
     *                                  {@code dtype}
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, SaeConfig config, SaeWeights weights, SaeDType dtype) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(dtype, "dtype");
        requireExpressible(config);
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        SaeFolding.requireLength("encoder", weights.encoder(), (long) dSae * dIn);
        SaeFolding.requireLength("b_enc", weights.encoderBias(), dSae);
        SaeFolding.requireLength("decoder", weights.decoder(), (long) dSae * dOut);
        SaeFolding.requireLength("b_dec", weights.decoderBias(), dOut);
        boolean skip = weights.skip() != null;
        if (skip) {
            SaeFolding.requireLength("W_skip", weights.skip(), (long) dOut * dIn);
        }
        TensorList tensors = new TensorList(dtype)
                .add("encoder.weight", new long[] {dSae, dIn}, weights.encoder())
                .add("encoder.bias", new long[] {dSae}, weights.encoderBias())
                .add("W_dec", new long[] {dSae, dOut}, weights.decoder())
                .add("b_dec", new long[] {dOut}, weights.decoderBias());
        if (skip) {
            tensors.add("W_skip", new long[] {dOut, dIn}, weights.skip());
        }
        Files.createDirectories(dir);
        tensors.writer().write(dir.resolve("sae.safetensors"));
        Files.writeString(dir.resolve("cfg.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(cfgJson(config, skip)));
    }

    /**
     * Writes a loaded model with every tensor stored as {@code dtype}.
     *
     * @param dir   the hookpoint folder, created if needed
     * @param sae   the model; read, not modified
     * @param dtype the stored type of every tensor
     * @throws IllegalArgumentException as {@link #write(Path, SaeConfig, SaeWeights, SaeDType)}
     * @throws IOException              if a file cannot be written
     */
    public static void write(Path dir, Sae sae, SaeDType dtype) throws IOException {
        write(dir, sae.config(), sae.weights(), dtype);
    }

    /**
     * Checks that sparsify can express {@code config}.
     *
     * @param config the configuration
     * @throws IllegalArgumentException naming the reason when it cannot
     */
    public static void requireExpressible(SaeConfig config) {
        String name = config.architecture().saeLensName();
        if (!config.architecture().selectsK()) {
            throw new IllegalArgumentException("sparsify stores topk and groupmax SAEs only, not " + name);
        }
        if (config.rescaleActsByDecoderNorm()) {
            throw new IllegalArgumentException("sparsify has no rescale_acts_by_decoder_norm: fold the decoder norms "
                    + "first");
        }
        if (config.normalisation() != Normalisation.NONE) {
            throw new IllegalArgumentException("sparsify has no input normalisation, the SAE uses "
                    + config.normalisation().saeLensName());
        }
        if (config.applyBDecToInput() && config.dOut() != config.dIn()) {
            throw new IllegalArgumentException("sparsify transcoders never subtract b_dec, but this SAE with d_out "
                    + config.dOut() + " != d_in " + config.dIn() + " does");
        }
    }

    /**
     * The sparsify {@code cfg.json} object for {@code config} without a skip connection.
     *
     * @param config the configuration
     * @return a new JSON object
     */
    static ObjectNode cfgJson(SaeConfig config) {
        return cfgJson(config, false);
    }

    /**
     * The sparsify {@code cfg.json} object for {@code config}, declaring W_skip when {@code skip}.
     *
     * @param config the configuration
     * @param skip   whether {@code skip_connection} is true
     * @return a new JSON object
     */
    static ObjectNode cfgJson(SaeConfig config, boolean skip) {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("activation", config.architecture().saeLensName());
        cfg.put("expansion_factor", Math.max(1, config.dSae() / config.dIn()));
        cfg.put("normalize_decoder", false);
        cfg.put("num_latents", config.dSae());
        cfg.put("k", config.k());
        cfg.put("multi_topk", false);
        cfg.put("skip_connection", skip);
        cfg.put("transcode", !config.applyBDecToInput());
        cfg.put("d_in", config.dIn());
        if (!config.folds().isEmpty()) {
            FoldJson.write(cfg, config.folds());
        }
        return cfg;
    }
}
