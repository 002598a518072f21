package org.sae4j.sae;

/**
 * The encode rule of an SAE (sae-formats §8.2), named as in SAELens {@code cfg.json}.
 *
 * <p>Transcoders encode like their SAE counterparts but decode to a different width {@code d_out} and never subtract
 * {@code b_dec} from the input.
 */
public enum SaeArchitecture {
    /** {@code f = ReLU(x'·W_enc + b_enc)}. */
    STANDARD("standard"),
    /** Keep the k largest pre-activations per row, then ReLU on the kept values. */
    TOPK("topk"),
    /** {@code f = ReLU(h)·1[h > θ]}, strict comparison, per-latent θ. */
    JUMPRELU("jumprelu"),
    /** {@code f = 1[x'·W_enc + b_gate > 0] · ReLU(x'·(W_enc ⊙ exp(r_mag)) + b_mag)}. */
    GATED("gated"),
    /** Standard ReLU encoder decoding to {@code d_out}. */
    TRANSCODER("transcoder"),
    /** JumpReLU encoder decoding to {@code d_out}. */
    JUMPRELU_TRANSCODER("jumprelu_transcoder");

    private final String saeLensName;

    SaeArchitecture(String saeLensName) {
        this.saeLensName = saeLensName;
    }

    /** The spelling used in SAELens {@code cfg.json}. */
    public String saeLensName() {
        return saeLensName;
    }

    /** Whether the decoder writes {@code d_out} values instead of reconstructing the input. */
    public boolean isTranscoder() {
        return this == TRANSCODER || this == JUMPRELU_TRANSCODER;
    }

    /** Whether the model has a per-latent JumpReLU threshold. */
    public boolean hasThreshold() {
        return this == JUMPRELU || this == JUMPRELU_TRANSCODER;
    }

    /** The constant for a SAELens spelling, or {@code null} when sae4j does not implement it. */
    public static SaeArchitecture fromSaeLens(String name) {
        for (SaeArchitecture architecture : values()) {
            if (architecture.saeLensName.equals(name)) {
                return architecture;
            }
        }
        return null;
    }
}
