package org.sae4j.sae;

/**
 * The encode rule of an SAE (sae-formats §8.2), named as in SAELens {@code cfg.json}.
 *
 * <p>Transcoders encode like their SAE counterparts but decode to a different width {@code d_out} and never subtract
 * {@code b_dec} from the input. {@link #GROUPMAX} exists only in sparsify; its {@code saeLensName} is the sparsify
 * {@code activation} spelling, which SAELens does not accept.
 */
public enum SaeArchitecture {
    /** {@code f = ReLU(x'·W_enc + b_enc)}. */
    STANDARD("standard"),
    /** Keep the k largest pre-activations per row, then ReLU on the kept values. */
    TOPK("topk"),
    /**
     * sparsify {@code groupmax}: {@code p = ReLU(x'·W_enc + b_enc)} split into k contiguous groups of d_sae/k
     * latents; each group keeps its maximum (ties to the lower index) at its own index. A group whose maximum is 0
     * contributes nothing, so a row holds at most k actives.
     */
    GROUPMAX("groupmax"),
    /** {@code f = ReLU(h)·1[h > θ]}, strict comparison, per-latent θ. */
    JUMPRELU("jumprelu"),
    /** {@code f = 1[x'·W_enc + b_gate > 0] · ReLU(x'·(W_enc ⊙ exp(r_mag)) + b_mag)}. */
    GATED("gated"),
    /** Standard ReLU encoder decoding to {@code d_out}. */
    TRANSCODER("transcoder"),
    /** JumpReLU encoder decoding to {@code d_out}. */
    JUMPRELU_TRANSCODER("jumprelu_transcoder"),
    /** Standard ReLU transcoder whose output adds {@code x·W_skipᵀ} of the raw input x. */
    SKIP_TRANSCODER("skip_transcoder");

    /** The spelling in SAELens {@code cfg.json} (sparsify's {@code activation} for groupmax). */
    private final String saeLensName;

    /**
     * Binds a constant to its spelling.
     *
     * @param saeLensName the {@code architecture} value
     */
    SaeArchitecture(String saeLensName) {
        this.saeLensName = saeLensName;
    }

    /**
     * The spelling used in SAELens {@code cfg.json} (for {@link #GROUPMAX}, sparsify's {@code activation}).
     *
     * @return the spelling, e.g. {@code "jumprelu"}
     */
    public String saeLensName() {
        return saeLensName;
    }

    /**
     * Whether the decoder writes {@code d_out} values instead of reconstructing the input.
     *
     * @return true for the three transcoder architectures
     */
    public boolean isTranscoder() {
        return this == TRANSCODER || this == JUMPRELU_TRANSCODER || this == SKIP_TRANSCODER;
    }

    /**
     * Whether the encode rule keeps at most k latents per row chosen among all of them ({@link #TOPK},
     * {@link #GROUPMAX}): such models need {@code k > 0}, encode straight to sparse codes and cannot be encoded latent
     * by latent.
     *
     * @return true for topk and groupmax
     */
    public boolean selectsK() {
        return this == TOPK || this == GROUPMAX;
    }

    /**
     * Whether the model cannot run without a skip matrix {@code W_skip}.
     *
     * @return true for {@link #SKIP_TRANSCODER}
     */
    public boolean requiresSkip() {
        return this == SKIP_TRANSCODER;
    }

    /**
     * Whether a skip matrix {@code W_skip} may be present: always for {@link #SKIP_TRANSCODER}, optionally for the
     * sparsify rules {@link #TOPK} and {@link #GROUPMAX} ({@code skip_connection}).
     *
     * @return true for skip_transcoder, topk and groupmax
     */
    public boolean acceptsSkip() {
        return this == SKIP_TRANSCODER || selectsK();
    }

    /**
     * Whether the model has a per-latent JumpReLU threshold.
     *
     * @return true for jumprelu and jumprelu_transcoder
     */
    public boolean hasThreshold() {
        return this == JUMPRELU || this == JUMPRELU_TRANSCODER;
    }

    /**
     * The constant for a SAELens spelling, or {@code null} when sae4j does not implement it ({@code groupmax} included:
     * it is not a SAELens architecture).
     *
     * @param name the {@code architecture} value of a {@code cfg.json}; may be null
     * @return the constant, or {@code null}
     */
    public static SaeArchitecture fromSaeLens(String name) {
        for (SaeArchitecture architecture : values()) {
            if (architecture != GROUPMAX && architecture.saeLensName.equals(name)) {
                return architecture;
            }
        }
        return null;
    }
}
