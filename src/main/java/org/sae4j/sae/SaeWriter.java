package org.sae4j.sae;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.tensor.Layouts;

/**
 * Writes an SAELens v6 folder (sae-formats §13): {@code cfg.json} with {@code architecture} and
 * {@code metadata.sae_lens_version} 6.0.0 (so SAELens skips its legacy path), and {@code sae_weights.safetensors} in
 * SAELens orientation ({@code W_enc [d_in, d_sae]}, {@code W_dec [d_sae, d_out]}), F32, header padded to 8 bytes,
 * deterministic bytes.
 *
 * <pre>{@code
 * SaeWriter.write(Path.of("out/my-sae"), SaeConfig.of(SaeArchitecture.STANDARD, 24, 40), weights);
 * try (Sae sae = SaeLoader.load(Path.of("out/my-sae"))) { ... }
 * }</pre>
 *
 * <p>Tensors per architecture: {@code W_enc, b_enc, W_dec, b_dec}, plus {@code threshold} for JumpReLU models; gated
 * models write {@code b_gate, b_mag, r_mag} instead of {@code b_enc}. The config keys written are {@code architecture,
 * d_in, d_sae, dtype (float32), device (cpu), apply_b_dec_to_input, normalize_activations, reshape_activations
 * (none)}, {@code k} and {@code rescale_acts_by_decoder_norm} for topk, {@code d_out} for transcoders, and
 * {@code metadata} with {@code sae_lens_version}, {@code hook_name} and {@code model_name}.
 *
 * <p><b>Note:</b> stateless and thread-safe; the folder is created if needed and existing files are replaced.
 */
public final class SaeWriter {

    /** The SAELens version written to {@code metadata}: the first v6 layout. */
    public static final String SAE_LENS_VERSION = "6.0.0";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SaeWriter() {
    }

    /**
     * Writes {@code weights} (engine orientation) with {@code config} to {@code dir}; values are written as given
     * (non-finite values included, so malformed fixtures can be made).
     *
     * @throws IllegalArgumentException if an array needed by the architecture is missing or has the wrong length,
     *                                  or a non-transcoder has d_out different from d_in (a sparsify transcoder)
     */
    public static void write(Path dir, SaeConfig config, SaeWeights weights) throws IOException {
        int dIn = config.dIn();
        int dSae = config.dSae();
        requireLength("encoder", weights.encoder(), (long) dSae * dIn);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment encoder = scratch.allocate((long) dSae * dIn * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            MemorySegment.copy(weights.encoder(), 0, encoder, Layouts.F32, 0, weights.encoder().length);
            write(dir, config, encoder, weights);
        }
    }

    /**
     * Writes a loaded model (its weights after any folding done on load, and its effective config).
     *
     * @throws IllegalArgumentException if the model has no SAELens equivalent (a sparsify transcoder)
     */
    public static void write(Path dir, Sae sae) throws IOException {
        SaeWeights weights = sae.weights();
        write(dir, sae.config(), sae.encoder(), weights);
    }

    private static void write(Path dir, SaeConfig config, MemorySegment encoder, SaeWeights weights)
            throws IOException {
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        if (!config.architecture().isTranscoder() && dOut != dIn) {
            throw new IllegalArgumentException("SAELens has no " + config.architecture().saeLensName()
                    + " transcoder: d_out " + dOut + " differs from d_in " + dIn);
        }
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        requireLength(gated ? "b_gate" : "b_enc", weights.encoderBias(), dSae);
        requireLength("decoder", weights.decoder(), (long) dSae * dOut);
        requireLength("b_dec", weights.decoderBias(), dOut);
        Files.createDirectories(dir);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment wEnc = scratch.allocate((long) dIn * dSae * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            for (long j = 0; j < dSae; j++) {
                for (long i = 0; i < dIn; i++) {
                    wEnc.setAtIndex(Layouts.F32, i * dSae + j, encoder.getAtIndex(Layouts.F32, j * dIn + i));
                }
            }
            SafetensorsWriter tensors = new SafetensorsWriter()
                    .metadata("format", "pt")
                    .add("W_enc", SafetensorsDType.F32, new long[] {dIn, dSae}, wEnc)
                    .addFloats(gated ? "b_gate" : "b_enc", new long[] {dSae}, weights.encoderBias())
                    .addFloats("W_dec", new long[] {dSae, dOut}, weights.decoder())
                    .addFloats("b_dec", new long[] {dOut}, weights.decoderBias());
            if (config.architecture().hasThreshold()) {
                requireLength("threshold", weights.threshold(), dSae);
                tensors.addFloats("threshold", new long[] {dSae}, weights.threshold());
            }
            if (gated) {
                requireLength("b_mag", weights.magnitudeBias(), dSae);
                requireLength("r_mag", weights.magnitudeLogScale(), dSae);
                tensors.addFloats("b_mag", new long[] {dSae}, weights.magnitudeBias())
                        .addFloats("r_mag", new long[] {dSae}, weights.magnitudeLogScale());
            }
            tensors.write(dir.resolve("sae_weights.safetensors"));
        }
        Files.writeString(dir.resolve("cfg.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(cfgJson(config)));
    }

    /** The v6 {@code cfg.json} object for {@code config}. */
    static ObjectNode cfgJson(SaeConfig config) {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", config.architecture().saeLensName());
        cfg.put("d_in", config.dIn());
        cfg.put("d_sae", config.dSae());
        if (config.architecture().isTranscoder()) {
            cfg.put("d_out", config.dOut());
        }
        cfg.put("dtype", "float32");
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
        return cfg;
    }

    private static void requireLength(String name, float[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }
}
