package org.sae4j.sae;

/**
 * SAE parameters as plain arrays in engine orientation: both dictionaries one row per latent, row-major. Used to
 * build an SAE in memory ({@link Sae#of}) and to write one ({@link SaeWriter}); arrays are not copied here.
 *
 * @param encoder       [d_sae, d_in]: row j is column j of SAELens {@code W_enc}
 * @param encoderBias   [d_sae]: {@code b_enc}, or {@code b_gate} for gated SAEs
 * @param decoder       [d_sae, d_out]: SAELens {@code W_dec}
 * @param decoderBias   [d_out]: {@code b_dec}
 * @param threshold     [d_sae]: JumpReLU θ; {@code null} for other architectures
 * @param magnitudeBias [d_sae]: gated {@code b_mag}; {@code null} otherwise
 * @param magnitudeLogScale [d_sae]: gated {@code r_mag} (the magnitude path scales latent j by exp(r_mag[j]));
 *                      {@code null} otherwise
 * @param skip          [d_out, d_in]: {@code W_skip} in the orientation both SAELens ({@code skip_transcoder}) and
 *                      sparsify ({@code skip_connection}) store it, one row per output, so the output gains
 *                      {@code x·W_skipᵀ} of the raw input x; {@code null} without a skip connection
 */
public record SaeWeights(float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias,
        float[] threshold, float[] magnitudeBias, float[] magnitudeLogScale, float[] skip) {

    /**
     * Weights without a skip connection.
     *
     * @param encoder           [d_sae, d_in] one row per latent
     * @param encoderBias       [d_sae] b_enc, or b_gate for gated SAEs
     * @param decoder           [d_sae, d_out]
     * @param decoderBias       [d_out] b_dec
     * @param threshold         [d_sae] JumpReLU θ, or null
     * @param magnitudeBias     [d_sae] gated b_mag, or null
     * @param magnitudeLogScale [d_sae] gated r_mag, or null
     */
    public SaeWeights(float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias, float[] threshold,
            float[] magnitudeBias, float[] magnitudeLogScale) {
        this(encoder, encoderBias, decoder, decoderBias, threshold, magnitudeBias, magnitudeLogScale, null);
    }

    /**
     * Weights of a standard, topk, groupmax or transcoder SAE.
     *
     * @param encoder     [d_sae, d_in] one row per latent
     * @param encoderBias [d_sae] b_enc
     * @param decoder     [d_sae, d_out]
     * @param decoderBias [d_out] b_dec
     * @return the weights, sharing the arrays
     */
    public static SaeWeights of(float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias) {
        return new SaeWeights(encoder, encoderBias, decoder, decoderBias, null, null, null);
    }

    /**
     * These weights with a JumpReLU threshold.
     *
     * @param theta [d_sae] thresholds, shared
     * @return a new record sharing every other array
     */
    public SaeWeights withThreshold(float[] theta) {
        return new SaeWeights(encoder, encoderBias, decoder, decoderBias, theta, magnitudeBias, magnitudeLogScale,
                skip);
    }

    /**
     * These weights with the gated magnitude path; {@link #encoderBias} is then {@code b_gate}.
     *
     * @param bMag [d_sae] b_mag, shared
     * @param rMag [d_sae] r_mag, shared
     * @return a new record sharing every other array
     */
    public SaeWeights withMagnitude(float[] bMag, float[] rMag) {
        return new SaeWeights(encoder, encoderBias, decoder, decoderBias, threshold, bMag, rMag, skip);
    }

    /**
     * These weights with the skip matrix {@code wSkip} ([d_out, d_in], row-major), or without one for null.
     *
     * @param wSkip [d_out, d_in] W_skip, shared; or null
     * @return a new record sharing every other array
     */
    public SaeWeights withSkip(float[] wSkip) {
        return new SaeWeights(encoder, encoderBias, decoder, decoderBias, threshold, magnitudeBias,
                magnitudeLogScale, wSkip);
    }
}
