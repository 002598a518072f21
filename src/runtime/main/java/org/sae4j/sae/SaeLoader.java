package org.sae4j.sae;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sae4j.io.NpzFile;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Loads an SAE folder into a {@link Sae}, detecting its layout (sae-formats §5–§7):
 * <table>
 *   <caption>Recognised folders, checked in this order</caption>
 *   <tr><th>files</th><th>source</th></tr>
 *   <tr><td>{@code cfg.json} + {@code sae_weights.safetensors}</td><td>SAELens (v6 or legacy cfg)</td></tr>
 *   <tr><td>{@code cfg.json} + {@code sae.safetensors}</td><td>sparsify (topk, groupmax)</td></tr>
 *   <tr><td>{@code params.npz}</td><td>Gemma Scope v1 (JumpReLU)</td></tr>
 *   <tr><td>{@code hyperparams.json} + {@code checkpoints/final.safetensors}</td><td>Llama Scope (JumpReLU)</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(Path.of("blocks.8.hook_resid_pre"))) {
 *     SparseCode codes = sae.encodeSparse(x);
 * }
 * }</pre>
 *
 * <p>Weights end in engine orientation, fp32 (BF16, F16 and F64 converted once), in the model's own arena. A SAELens
 * or sparsify safetensors file stays mapped for the model's lifetime and its fp32 decoder (and the sparsify encoder)
 * is used in place, with no copy, unless a fold on load has to change it. SAELens {@code W_enc [d_in, d_sae]} is
 * copied as stored into the model's arena (latency tails were worse over the mapping), serves batches of one with a
 * transposed GEMV and is transposed on the first larger batch. Gemma Scope {@code W_enc} and Llama Scope
 * {@code decoder.weight} are transposed on load. Files are replaced, never rewritten in place, by sae4j's writers, so
 * a model keeps reading the bytes it opened. Every tensor's shape is checked against the configuration and every
 * value must be finite.
 *
 * <p>Conversions on load: JumpReLU {@code log_threshold} is exponentiated and a scalar threshold broadcast; a legacy
 * {@code scaling_factor} that is not all ones is folded into the decoder rows; {@code expected_average_only_in}
 * normalisation is folded (sae-formats §10: {@code W_enc·s}, {@code W_dec/s}, {@code b_dec/s}) with the factor
 * passed to {@link #load(Path, double)} or found in {@code activation_scaler.json}, and refused without one. The
 * resulting {@link SaeConfig} reports NONE and a warning naming the factor. Every fold done on load is appended to
 * {@link SaeConfig#folds()} after the folds the file already records ({@link SaeWriter} and {@link SparsifyWriter}
 * write them).
 *
 * <p>Skip connections: SAELens {@code skip_transcoder} folders and sparsify folders with
 * {@code skip_connection: true} must hold {@code W_skip [d_out, d_in]}, read as stored; a sparsify {@code W_skip}
 * without {@code skip_connection: true} is refused as inconsistent. sparsify folders with {@code signed: true} are
 * refused as not supported.
 *
 * <p>Every problem is a {@link SaeFormatException} (or the container reader's {@link org.sae4j.io.FormatException})
 * naming the file and the key or tensor. Gemma Scope embedding SAEs are read raw, without the √d_in rescaling
 * SAELens' loader applies (a warning says so).
 *
 * <p><b>Note:</b> stateless and thread-safe.
 */
public final class SaeLoader {

    /** Not instantiable: static loaders only. */
    private SaeLoader() {
    }

    /**
     * Loads the SAE in {@code path} (a folder, or a file inside it).
     *
     * @param path an SAE folder, or a file in one
     * @return the model, owning its arena (and the file mapping); the caller closes it
     * @throws SaeFormatException if the folder is not a recognised SAE or its content is invalid
     * @throws IOException        if a file cannot be read
     */
    public static Sae load(Path path) throws IOException {
        return load(path, Double.NaN);
    }

    /**
     * Loads the SAE in {@code path}, folding {@code normScalingFactor} (e.g. a registry {@code norm_scaling_factor})
     * into the weights when the configuration asks for {@code expected_average_only_in}; NaN means "none given".
     *
     * @param path              an SAE folder, or a file in one
     * @param normScalingFactor the dataset-wide input scaling factor, or NaN to read {@code activation_scaler.json}
     *                          (SAELens) or the hyperparameters (Llama Scope)
     * @return the model, owning its arena (and the file mapping); the caller closes it
     * @throws SaeFormatException       if the folder is not a recognised SAE or its content is invalid
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException if the factor is not NaN and not a finite positive number
     */
    public static Sae load(Path path, double normScalingFactor) throws IOException {
        if (!Double.isNaN(normScalingFactor) && !(normScalingFactor > 0 && Double.isFinite(normScalingFactor))) {
            throw new IllegalArgumentException("norm scaling factor must be finite and > 0, got "
                    + normScalingFactor);
        }
        Path dir = folder(path);
        return switch (detect(dir)) {
            case SAELENS -> loadSaeLens(dir, normScalingFactor);
            case SPARSIFY -> loadSparsify(dir);
            case GEMMA_SCOPE -> loadGemmaScope(dir);
            case LLAMA_SCOPE -> loadLlamaScope(dir, normScalingFactor);
            case MEMORY -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * The layout of the SAE folder {@code path} (or of the folder holding the file {@code path}), by the files present,
     * in the order of the class table.
     *
     * @param path an SAE folder, or a file in one
     * @return the layout; never {@link SaeSource#MEMORY}
     * @throws SaeFormatException if no recognised layout matches
     */
    public static SaeSource detect(Path path) throws SaeFormatException {
        Path dir = folder(path);
        boolean cfg = Files.isRegularFile(dir.resolve("cfg.json"));
        if (cfg && Files.isRegularFile(dir.resolve("sae_weights.safetensors"))) {
            return SaeSource.SAELENS;
        }
        if (cfg && Files.isRegularFile(dir.resolve("sae.safetensors"))) {
            return SaeSource.SPARSIFY;
        }
        if (Files.isRegularFile(dir.resolve("params.npz"))) {
            return SaeSource.GEMMA_SCOPE;
        }
        if (Files.isRegularFile(dir.resolve("hyperparams.json"))
                && Files.isRegularFile(dir.resolve("checkpoints").resolve("final.safetensors"))) {
            return SaeSource.LLAMA_SCOPE;
        }
        throw new SaeFormatException(dir + ": not a recognised SAE folder (expected cfg.json with "
                + "sae_weights.safetensors or sae.safetensors, params.npz, or hyperparams.json with "
                + "checkpoints/final.safetensors)");
    }

    /**
     * The folder of {@code path}: itself, or its parent for a regular file.
     *
     * @param path a folder or a file in one
     * @return the folder
     */
    private static Path folder(Path path) {
        return Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
    }

    /**
     * Loads a SAELens folder: {@code sae_weights.safetensors} mapped into the model's arena, the decoder used in place
     * unless a fold changes it, {@code W_enc} copied as stored.
     *
     * @param dir               the folder
     * @param normScalingFactor factor for {@code expected_average_only_in}, or NaN
     * @return the model
     * @throws IOException if a file cannot be read or its content is invalid
     */
    private static Sae loadSaeLens(Path dir, double normScalingFactor) throws IOException {
        SaeConfig config = SaeLensConfigReader.read(dir.resolve("cfg.json"));
        TensorArena owner = new TensorArena("sae " + dir.getFileName());
        try {
            // mapped into the model's own arena: fp32 tensors that nothing folds are used in place
            WeightSource weights = WeightSource.of(SafetensorsFile.open(dir.resolve("sae_weights.safetensors"),
                    owner));
            int dIn = config.dIn();
            int dSae = config.dSae();
            int dOut = config.dOut();
            boolean gated = config.architecture() == SaeArchitecture.GATED;
            boolean foldsEncoder = config.rescaleActsByDecoderNorm()
                    || config.normalisation() == Normalisation.EXPECTED_AVERAGE_ONLY_IN;
            boolean foldsDecoder = foldsEncoder || weights.contains("scaling_factor");
            EncoderMatrix encoder = foldsEncoder
                    ? EncoderMatrix.ofRows(weights.copyTransposed("W_enc", owner, dIn, dSae), dSae, dIn)
                    // copied as stored: a transposed GEMV over anonymous memory had a 99th percentile of ~5 ms
                    // where the same GEMV over the file mapping had ~23 ms
                    : EncoderMatrix.ofColumns(weights.copy("W_enc", owner, dIn, dSae), dSae, dIn, owner);
            MemorySegment encoderBias = weights.copy(gated ? "b_gate" : "b_enc", owner, dSae);
            MemorySegment decoder = foldsDecoder ? weights.copy("W_dec", owner, dSae, dOut)
                    : weights.view("W_dec", owner, dSae, dOut);
            MemorySegment decoderBias = weights.copy("b_dec", owner, dOut);
            MemorySegment threshold = config.architecture().hasThreshold() ? threshold(weights, owner, dSae) : null;
            float[] magnitudeBias = gated ? weights.copy("b_mag", owner, dSae).toArray(Layouts.F32) : null;
            float[] magnitudeLogScale = gated ? weights.copy("r_mag", owner, dSae).toArray(Layouts.F32) : null;
            MemorySegment skip = config.architecture().requiresSkip() ? weights.copy("W_skip", owner, dOut, dIn)
                    : null;
            if (weights.contains("scaling_factor")) {
                config = foldScalingFactor(config, weights.copy("scaling_factor", owner, dSae), decoder);
            }
            if (config.normalisation() == Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
                double factor = Double.isNaN(normScalingFactor) ? activationScaler(dir) : normScalingFactor;
                foldInputScaling(config, (float) factor, encoder.rows(), decoder, decoderBias);
                config = config.withNormalisation(Normalisation.NONE).withWarning(
                        "expected_average_only_in: scaling factor " + factor + " folded into the weights")
                        .withFold(new FoldRecord(FoldRecord.INPUT_SCALING_OP, factor,
                                "normalize_activations expected_average_only_in folded on load"));
            }
            return Sae.assemble(config, owner, encoder, encoderBias, decoder, decoderBias, threshold, magnitudeBias,
                    magnitudeLogScale, skip);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Loads a sparsify hookpoint folder: {@code sae.safetensors} mapped into the model's arena, the row-per-latent
     * encoder and decoder used in place unless a fold changes them.
     *
     * @param dir the folder
     * @return the model
     * @throws IOException if a file cannot be read or its content is invalid
     */
    private static Sae loadSparsify(Path dir) throws IOException {
        TensorArena owner = new TensorArena("sae " + dir.getFileName());
        try {
            // mapped into the model's own arena: the row-per-latent fp32 matrices are used in place
            SafetensorsFile file = SafetensorsFile.open(dir.resolve("sae.safetensors"), owner);
            WeightSource weights = WeightSource.of(file);
            if (!weights.contains("W_dec")) {
                throw new SaeFormatException(file.source() + ": tensor 'W_dec' is missing (encoder-only save)");
            }
            if (!weights.contains("b_dec")) {
                throw new SaeFormatException(file.source() + ": tensor 'b_dec' is missing");
            }
            long[] bDecShape = weights.shape("b_dec");
            if (bDecShape.length != 1 || bDecShape[0] < 1 || bDecShape[0] > Integer.MAX_VALUE) {
                throw new SaeFormatException(file.source() + ": tensor 'b_dec' must be one-dimensional, has "
                        + bDecShape.length + " dimensions");
            }
            String dtype = file.tensors().isEmpty() ? "float32" : torchName(file.tensors().getFirst().dtype().name());
            SparsifyConfigReader.Parsed parsed = SparsifyConfigReader.parse(dir.resolve("cfg.json"),
                    String.valueOf(dir.getFileName()), (int) bDecShape[0], dtype);
            SaeConfig config = parsed.config();
            if (weights.contains("W_skip") && !parsed.skipConnection()) {
                throw new SaeFormatException(file.source() + ": tensor 'W_skip' is present but cfg.json does not "
                        + "set skip_connection: true");
            }
            int dIn = config.dIn();
            int dSae = config.dSae();
            int dOut = config.dOut();
            boolean folds = config.rescaleActsByDecoderNorm();
            MemorySegment encoder = folds ? weights.copy("encoder.weight", owner, dSae, dIn)
                    : weights.view("encoder.weight", owner, dSae, dIn);
            MemorySegment encoderBias = weights.copy("encoder.bias", owner, dSae);
            MemorySegment decoder = folds ? weights.copy("W_dec", owner, dSae, dOut)
                    : weights.view("W_dec", owner, dSae, dOut);
            MemorySegment decoderBias = weights.copy("b_dec", owner, dOut);
            MemorySegment skip = parsed.skipConnection() ? weights.copy("W_skip", owner, dOut, dIn) : null;
            return Sae.assemble(config, owner, EncoderMatrix.ofRows(encoder, dSae, dIn), encoderBias, decoder,
                    decoderBias, null, null, null, skip);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Loads a Gemma Scope folder: {@code params.npz} inflated into a temporary arena, then every tensor copied (W_enc
     * transposed) into the model's.
     *
     * @param dir the folder
     * @return the model
     * @throws IOException if a file cannot be read or its content is invalid
     */
    private static Sae loadGemmaScope(Path dir) throws IOException {
        TensorArena owner = new TensorArena("sae " + dir.getFileName());
        try (TensorArena inflated = new TensorArena("npz " + dir.getFileName())) {
            NpzFile npz = NpzFile.open(dir.resolve("params.npz"), inflated);
            WeightSource weights = WeightSource.of(npz);
            String wEnc = gemmaName(weights, "W_enc");
            long[] shape = weights.shape(wEnc);
            if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE
                    || shape[1] > Integer.MAX_VALUE) {
                throw new SaeFormatException(npz.source() + ": array '" + wEnc + "' must be a non-empty "
                        + "[d_in, d_sae] matrix, has shape " + java.util.Arrays.toString(shape));
            }
            int dIn = (int) shape[0];
            int dSae = (int) shape[1];
            SaeConfig config = new SaeConfig(SaeSource.GEMMA_SCOPE, SaeArchitecture.JUMPRELU, dIn, dSae, dIn, 0,
                    "float32", Normalisation.NONE, false, false, "", "", java.util.List.of());
            if (dir.toString().contains("embedding")) {
                config = config.withWarning("Gemma Scope embedding SAE read raw: SAELens' loader divides W_enc and "
                        + "multiplies W_dec by sqrt(d_in)");
            }
            MemorySegment encoder = weights.copyTransposed(wEnc, owner, dIn, dSae);
            MemorySegment encoderBias = weights.copy(gemmaName(weights, "b_enc"), owner, dSae);
            MemorySegment decoder = weights.copy(gemmaName(weights, "W_dec"), owner, dSae, dIn);
            MemorySegment decoderBias = weights.copy(gemmaName(weights, "b_dec"), owner, dIn);
            MemorySegment threshold = weights.copyBroadcast(gemmaName(weights, "threshold"), owner, dSae);
            return Sae.assemble(config, owner, EncoderMatrix.ofRows(encoder, dSae, dIn), encoderBias, decoder,
                    decoderBias, threshold, null, null, null);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Loads a Llama Scope folder: the checkpoint mapped into a temporary arena, every tensor copied (the decoder
     * transposed) and the dataset-wise input scaling folded.
     *
     * @param dir               the folder
     * @param normScalingFactor factor overriding the hyperparameters' one, or NaN
     * @return the model
     * @throws IOException if a file cannot be read or its content is invalid
     */
    private static Sae loadLlamaScope(Path dir, double normScalingFactor) throws IOException {
        LlamaScopeConfigReader.Hyperparams hyperparams = LlamaScopeConfigReader.read(dir.resolve("hyperparams.json"));
        SaeConfig config = hyperparams.config();
        TensorArena owner = new TensorArena("sae " + dir.getFileName());
        try (TensorArena mapping = new TensorArena("mapping " + dir.getFileName())) {
            WeightSource weights = WeightSource.of(SafetensorsFile.open(
                    dir.resolve("checkpoints").resolve("final.safetensors"), mapping));
            int dIn = config.dIn();
            int dSae = config.dSae();
            MemorySegment encoder = weights.copy("encoder.weight", owner, dSae, dIn);
            MemorySegment encoderBias = weights.copy("encoder.bias", owner, dSae);
            MemorySegment decoder = weights.copyTransposed("decoder.weight", owner, dIn, dSae);
            MemorySegment decoderBias = weights.copy("decoder.bias", owner, dIn);
            MemorySegment threshold = owner.allocateFloats(dSae);
            for (int j = 0; j < dSae; j++) {
                threshold.setAtIndex(Layouts.F32, j, (float) hyperparams.threshold());
            }
            double factor = Double.isNaN(normScalingFactor) ? hyperparams.scalingFactor() : normScalingFactor;
            foldInputScaling(config, (float) factor, encoder, decoder, decoderBias);
            config = config.withFold(new FoldRecord(FoldRecord.INPUT_SCALING_OP, factor,
                    "Llama Scope dataset-wise input scaling folded on load"));
            return Sae.assemble(config, owner, EncoderMatrix.ofRows(encoder, dSae, dIn), encoderBias, decoder,
                    decoderBias, threshold, null, null, null);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * The JumpReLU thresholds: {@code threshold}, or {@code exp(log_threshold)}, a stored scalar broadcast.
     *
     * @param weights the stored tensors
     * @param owner   the model's arena
     * @param dSae    latents
     * @return [d_sae] fp32 thresholds
     * @throws SaeFormatException if neither tensor is there or an exponent overflows
     */
    private static MemorySegment threshold(WeightSource weights, TensorArena owner, int dSae)
            throws SaeFormatException {
        if (weights.contains("threshold")) {
            return weights.copyBroadcast("threshold", owner, dSae);
        }
        if (weights.contains("log_threshold")) {
            MemorySegment threshold = weights.copyBroadcast("log_threshold", owner, dSae);
            for (int j = 0; j < dSae; j++) {
                float value = (float) Math.exp(threshold.getAtIndex(Layouts.F32, j));
                if (!Float.isFinite(value)) {
                    throw new SaeFormatException(weights.source() + ": tensor 'log_threshold' element " + j
                            + " overflows when exponentiated");
                }
                threshold.setAtIndex(Layouts.F32, j, value);
            }
            return threshold;
        }
        throw new SaeFormatException(weights.source() + ": tensor 'threshold' is missing (nor is there a "
                + "'log_threshold')");
    }

    /**
     * Decoding (f ⊙ s)·W_dec equals decoding f with row j of W_dec scaled by s_j.
     *
     * @param config  the configuration as read
     * @param scaling [d_sae] the legacy {@code scaling_factor}
     * @param decoder [d_sae, d_out] a writable copy; modified
     * @return the config, with a warning and a fold recorded unless every factor is 1
     */
    private static SaeConfig foldScalingFactor(SaeConfig config, MemorySegment scaling, MemorySegment decoder) {
        int dOut = config.dOut();
        boolean allOnes = true;
        for (int j = 0; j < config.dSae(); j++) {
            float s = scaling.getAtIndex(Layouts.F32, j);
            if (s != 1f) {
                allOnes = false;
                Kernels.scale(dOut, s, decoder, (long) j * dOut);
            }
        }
        return allOnes ? config : config.withWarning("legacy scaling_factor folded into the decoder rows")
                .withFold(new FoldRecord(FoldRecord.LEGACY_SCALING_FACTOR_OP, Double.NaN,
                        "per-latent scaling_factor multiplied into the decoder rows on load"));
    }

    /**
     * sae-formats §10: W_enc·s, W_dec/s, b_dec/s; b_enc and thresholds unchanged.
     *
     * @param config      the model's shape
     * @param factor      s
     * @param encoder     [d_sae, d_in] rows; modified
     * @param decoder     [d_sae, d_out]; modified
     * @param decoderBias [d_out]; modified
     */
    private static void foldInputScaling(SaeConfig config, float factor, MemorySegment encoder, MemorySegment decoder,
            MemorySegment decoderBias) {
        for (int j = 0; j < config.dSae(); j++) {
            Kernels.scale(config.dIn(), factor, encoder, (long) j * config.dIn());
            Kernels.scale(config.dOut(), 1f / factor, decoder, (long) j * config.dOut());
        }
        Kernels.scale(config.dOut(), 1f / factor, decoderBias, 0);
    }

    /**
     * The {@code scaling_factor} of the folder's {@code activation_scaler.json}.
     *
     * @param dir the SAELens folder
     * @return the factor, &gt; 0
     * @throws IOException if the file is missing, unreadable or holds no positive factor
     */
    private static double activationScaler(Path dir) throws IOException {
        Path file = dir.resolve("activation_scaler.json");
        if (!Files.isRegularFile(file)) {
            throw new SaeFormatException(dir.resolve("cfg.json") + ": normalize_activations "
                    + "expected_average_only_in needs a scaling factor: pass one to SaeLoader.load(path, factor) or "
                    + "provide activation_scaler.json");
        }
        ConfigJson scaler = ConfigJson.read(file);
        if (!scaler.has("scaling_factor")) {
            throw scaler.fail("scaling_factor", "is missing or null; the SAE cannot run without its factor");
        }
        double factor = scaler.requireDouble("scaling_factor");
        if (!(factor > 0)) {
            throw scaler.fail("scaling_factor", "must be > 0, got " + factor);
        }
        return factor;
    }

    /**
     * The stored spelling of a Gemma Scope array, which may start with {@code w_} or {@code W_}.
     *
     * @param weights the stored arrays
     * @param name    the canonical name
     * @return the stored name
     * @throws SaeFormatException if no array matches ignoring case
     */
    private static String gemmaName(WeightSource weights, String name) throws SaeFormatException {
        String found = weights.findIgnoringCase(name);
        if (found == null) {
            throw new SaeFormatException(weights.source() + ": array '" + name + "' is missing");
        }
        return found;
    }

    /**
     * The {@code cfg.json} dtype spelling of a safetensors element type.
     *
     * @param safetensorsDType {@code "BF16"}, {@code "F16"}, {@code "F64"}...
     * @return bfloat16, float16, float64, or float32 for anything else
     */
    private static String torchName(String safetensorsDType) {
        return switch (safetensorsDType) {
            case "BF16" -> "bfloat16";
            case "F16" -> "float16";
            case "F64" -> "float64";
            default -> "float32";
        };
    }
}
