package org.sae4j.sae;

import java.util.Objects;

/**
 * One transformation folded into an SAE's weights (sae-formats §10), kept in {@link SaeConfig#folds()} and written
 * to {@code cfg.json} so that exported files and reported feature magnitudes are unambiguous.
 *
 * @param op     what was folded: one of the {@code *_OP} constants (other spellings read from files are kept)
 * @param factor the scalar factor, or NaN when the factor is per latent (decoder norms, legacy scaling factors)
 * @param note   a human-readable detail, never null
 */
public record FoldRecord(String op, double factor, String note) {

    /** Dataset-wide input scaling s: {@code W_enc·s, W_dec/s, b_dec/s}. */
    public static final String INPUT_SCALING_OP = "input_scaling";
    /** Decoder row norms n_j: {@code W_enc[j]·n_j, b_enc[j]·n_j, W_dec[j]/n_j} (thresholds and gated biases too). */
    public static final String DECODER_NORMS_OP = "decoder_norms";
    /** A legacy SAELens per-latent {@code scaling_factor} multiplied into the decoder rows. */
    public static final String LEGACY_SCALING_FACTOR_OP = "legacy_scaling_factor";

    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code op} is blank or the factor is infinite or not positive
     */
    public FoldRecord {
        Objects.requireNonNull(op, "op");
        note = note == null ? "" : note;
        if (op.isBlank()) {
            throw new IllegalArgumentException("fold op must not be blank");
        }
        if (!Double.isNaN(factor) && !(factor > 0 && Double.isFinite(factor))) {
            throw new IllegalArgumentException("fold '" + op + "' factor must be finite and > 0 (or NaN for per-latent "
                    + "factors), got " + factor);
        }
    }

    /**
     * Whether the fold used one scalar factor (rather than one per latent).
     *
     * @return false when {@link #factor()} is NaN
     */
    public boolean hasScalarFactor() {
        return !Double.isNaN(factor);
    }
}
