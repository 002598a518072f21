package org.sae4j.sae.eval;

import java.util.Objects;

/**
 * One line of a {@link VerificationReport}: what was checked, how it came out and a one-line explanation.
 *
 * @param name   what was checked, e.g. {@value SaeVerifier#FINITE_WEIGHTS}
 * @param status the outcome
 * @param detail one line (no line breaks) with the measured values or the first offending element
 */
public record VerificationCheck(String name, Status status, String detail) {

    /** The outcome of a check. */
    public enum Status {
        /** The property holds. */
        PASS,
        /** The property is violated: the SAE is not usable as it stands. */
        FAIL,
        /** The SAE works, but something looks wrong (dead rows, latents that act as plain ReLU). */
        WARN,
        /** The check does not apply to this SAE. */
        SKIP
    }

    /** Validates the fields. */
    public VerificationCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
