package org.sae4j.sae;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;

/**
 * Folding operations on SAE parameters (sae-formats §10): each returns new weights that compute the same
 * reconstructions (up to fp32 rounding) and a config with the fold recorded in {@link SaeConfig#folds()}.
 *
 * <pre>{@code
 * FoldedSae unit = SaeFolding.foldDecoderNorms(config, weights);     // codes now in "unit decoder row" magnitudes
 * FoldedSae plain = SaeFolding.foldInputScaling(config, weights, s); // runs on unscaled inputs
 * SaeWriter.write(dir, unit.config(), unit.weights(), SaeDType.BFLOAT16);
 * }</pre>
 *
 * <p>Factors are computed in double and each folded value is rounded once to fp32.
 *
 * <p><b>Note:</b> stateless and thread-safe; the input arrays are never modified.
 */
public final class SaeFolding {

    /** Not instantiable: static folds only. */
    private SaeFolding() {
    }

    /**
     * Folds a dataset-wide input scaling factor {@code s} (the model expects {@code s·x}) into the weights:
     * {@code W_enc·s}, {@code W_dec/s}, {@code b_dec/s}; encoder biases, thresholds and gated magnitude parameters are
     * unchanged. A config asking for {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN} then reports
     * {@link Normalisation#NONE}.
     *
     * @param config  the model's configuration
     * @param weights its parameters; not modified
     * @param s       the factor the model multiplies its inputs by, finite and &gt; 0
     * @return a new config (with the fold recorded) and new arrays
     * @throws IllegalArgumentException if {@code s} is not finite and positive, the config uses a per-row normalisation
     *                                  (constant_norm_rescale, layer_norm: the factor would be normalised away), or an
     *                                  array has the wrong length
     */
    public static FoldedSae foldInputScaling(SaeConfig config, SaeWeights weights, double s) {
        checkShapes(config, weights);
        if (!(s > 0 && Double.isFinite(s))) {
            throw new IllegalArgumentException("input scaling factor must be finite and > 0, got " + s);
        }
        Normalisation mode = config.normalisation();
        if (mode != Normalisation.NONE && mode != Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
            throw new IllegalArgumentException("cannot fold an input scaling factor into an SAE with "
                    + mode.saeLensName() + " normalisation: the per-row normalisation removes any input scale");
        }
        float[] encoder = scaled(weights.encoder(), s);
        float[] decoder = scaled(weights.decoder(), 1 / s);
        float[] decoderBias = scaled(weights.decoderBias(), 1 / s);
        SaeWeights folded = new SaeWeights(encoder, weights.encoderBias().clone(), decoder, decoderBias,
                copyOrNull(weights.threshold()), copyOrNull(weights.magnitudeBias()),
                copyOrNull(weights.magnitudeLogScale()), copyOrNull(weights.skip()));
        SaeConfig next = config.withNormalisation(Normalisation.NONE).withFold(new FoldRecord(
                FoldRecord.INPUT_SCALING_OP, s, "W_enc*s, W_dec/s, b_dec/s; inputs are no longer scaled"));
        return new FoldedSae(next, folded);
    }

    /**
     * Folds the decoder row norms {@code n_j = ‖W_dec[j]‖} into the encoder: {@code W_enc[j]·n_j},
     * {@code b_enc[j]·n_j}, JumpReLU {@code θ_j·n_j}, gated {@code b_gate[j]·n_j} and {@code b_mag[j]·n_j}, and
     * {@code W_dec[j]/n_j}. Codes become {@code n_j·f_j}; reconstructions are unchanged. Rows with zero norm keep their
     * (zero) decoder row and get a zero encoder row: the latent contributed nothing and still does not.
     *
     * <p>A topk model is accepted only with {@code rescale_acts_by_decoder_norm}, which the fold makes explicit (the
     * flag is false afterwards, as {@link Sae} does on load); without it, scaling the pre-activations would change
     * which k latents are selected.
     *
     * <p>The skip matrix, which reads the raw input and adds to the output, is copied unchanged by both folds.
     *
     * @param config  the model's configuration
     * @param weights its parameters; not modified
     * @return a new config (with the fold recorded) and new arrays
     * @throws IllegalArgumentException for topk without {@code rescale_acts_by_decoder_norm}, for groupmax, or an array
     *                                  of the wrong length
     */
    public static FoldedSae foldDecoderNorms(SaeConfig config, SaeWeights weights) {
        checkShapes(config, weights);
        if (config.architecture() == SaeArchitecture.GROUPMAX) {
            throw new IllegalArgumentException("cannot fold decoder norms into a groupmax SAE: scaling the "
                    + "pre-activations would change which latent is each group's maximum");
        }
        boolean topk = config.architecture() == SaeArchitecture.TOPK;
        if (topk && !config.rescaleActsByDecoderNorm()) {
            throw new IllegalArgumentException("cannot fold decoder norms into a topk SAE without "
                    + "rescale_acts_by_decoder_norm: scaling the pre-activations would change which k latents are "
                    + "selected");
        }
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        float[] encoder = weights.encoder().clone();
        float[] encoderBias = weights.encoderBias().clone();
        float[] decoder = weights.decoder().clone();
        float[] threshold = copyOrNull(weights.threshold());
        float[] magnitudeBias = copyOrNull(weights.magnitudeBias());
        for (int j = 0; j < dSae; j++) {
            double norm = rowNorm(decoder, j, dOut);
            for (int i = 0; i < dIn; i++) {
                encoder[j * dIn + i] = (float) (encoder[j * dIn + i] * norm);
            }
            encoderBias[j] = (float) (encoderBias[j] * norm);
            if (threshold != null) {
                threshold[j] = (float) (threshold[j] * norm);
            }
            if (magnitudeBias != null) {
                magnitudeBias[j] = (float) (magnitudeBias[j] * norm);
            }
            if (norm > 0) {
                for (int i = 0; i < dOut; i++) {
                    decoder[j * dOut + i] = (float) (decoder[j * dOut + i] / norm);
                }
            }
        }
        SaeWeights folded = new SaeWeights(encoder, encoderBias, decoder, weights.decoderBias().clone(), threshold,
                magnitudeBias, copyOrNull(weights.magnitudeLogScale()), copyOrNull(weights.skip()));
        SaeConfig next = (topk ? config.withRescaleActsByDecoderNorm(false) : config).withFold(new FoldRecord(
                FoldRecord.DECODER_NORMS_OP, Double.NaN, "decoder rows have unit norm; codes scaled by the former "
                        + "row norms"));
        return new FoldedSae(next, folded);
    }

    /**
     * {@code h_j·n_j} before selection and {@code f_j / n_j} on decode equal scaling encoder row j and b_enc[j] by n_j
     * and dividing decoder row j by n_j (sae-formats §8.2, §10); done in place on a model's own segments.
     *
     * @param config      the model's shape
     * @param encoder     [d_sae, d_in] fp32; modified
     * @param encoderBias [d_sae] fp32; modified
     * @param decoder     [d_sae, d_out] fp32; modified: rows of unit norm (zero rows stay zero)
     */
    static void foldDecoderNormsInPlace(SaeConfig config, MemorySegment encoder, MemorySegment encoderBias,
            MemorySegment decoder) {
        int dSae = config.dSae();
        int dIn = config.dIn();
        int dOut = config.dOut();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment norms = scratch.allocate((long) dSae * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            Kernels.rowNorms(dSae, dOut, decoder, 0, dOut, norms, 0);
            for (int j = 0; j < dSae; j++) {
                float norm = norms.getAtIndex(Layouts.F32, j);
                Kernels.scale(dIn, norm, encoder, (long) j * dIn);
                encoderBias.setAtIndex(Layouts.F32, j, encoderBias.getAtIndex(Layouts.F32, j) * norm);
                if (norm > 0f) {
                    Kernels.scale(dOut, 1f / norm, decoder, (long) j * dOut);
                }
            }
        }
    }

    /**
     * The Euclidean norm of row {@code j} of a row-major matrix with {@code width} columns, in double.
     *
     * @param matrix the matrix; not modified
     * @param j      row index
     * @param width  columns
     * @return ‖matrix[j]‖₂
     */
    static double rowNorm(float[] matrix, int j, int width) {
        double squares = 0;
        for (int i = 0; i < width; i++) {
            double value = matrix[j * width + i];
            squares += value * value;
        }
        return Math.sqrt(squares);
    }

    /**
     * A copy of {@code values} multiplied by {@code factor}, each product rounded once.
     *
     * @param values the values; not modified
     * @param factor the factor
     * @return a new array
     */
    private static float[] scaled(float[] values, double factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] * factor);
        }
        return out;
    }

    /**
     * A copy of an optional array.
     *
     * @param values the array, or null
     * @return a clone, or null
     */
    private static float[] copyOrNull(float[] values) {
        return values == null ? null : values.clone();
    }

    /**
     * Checks every array the architecture needs against the config's shape.
     *
     * @param config  the configuration
     * @param weights the parameters
     * @throws IllegalArgumentException naming the missing or mis-sized array
     */
    private static void checkShapes(SaeConfig config, SaeWeights weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        requireLength("encoder", weights.encoder(), (long) config.dSae() * config.dIn());
        requireLength(gated ? "b_gate" : "b_enc", weights.encoderBias(), config.dSae());
        requireLength("decoder", weights.decoder(), (long) config.dSae() * config.dOut());
        requireLength("b_dec", weights.decoderBias(), config.dOut());
        if (config.architecture().hasThreshold()) {
            requireLength("threshold", weights.threshold(), config.dSae());
        }
        if (gated) {
            requireLength("b_mag", weights.magnitudeBias(), config.dSae());
            requireLength("r_mag", weights.magnitudeLogScale(), config.dSae());
        }
        if (config.architecture().requiresSkip() || weights.skip() != null) {
            requireLength("W_skip", weights.skip(), (long) config.dOut() * config.dIn());
        }
    }

    /**
     * Throws unless {@code values} is present with exactly {@code expected} elements.
     *
     * @param name     names the array in the message
     * @param values   the array, or null
     * @param expected required length
     * @throws IllegalArgumentException if it is missing or has another length
     */
    static void requireLength(String name, float[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }
}
