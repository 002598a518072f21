package org.sae4j.sae.eval;

import java.util.List;

/**
 * The checks {@link SaeVerifier} ran, in the order it ran them.
 *
 * @param checks one entry per check; copied, unmodifiable
 */
public record VerificationReport(List<VerificationCheck> checks) {

    /** Copies the list. */
    public VerificationReport {
        checks = List.copyOf(checks);
    }

    /**
     * Number of checks with status {@link VerificationCheck.Status#FAIL}.
     *
     * @return the count, 0 when every check passed, warned or was skipped
     */
    public long failed() {
        return checks.stream().filter(c -> c.status() == VerificationCheck.Status.FAIL).count();
    }

    /**
     * Whether no check failed (warnings and skips allowed).
     *
     * @return true when {@link #failed()} is 0
     */
    public boolean passed() {
        return failed() == 0;
    }

    /**
     * The check called {@code name}.
     *
     * @param name the check's name, e.g. {@value SaeVerifier#FINITE_WEIGHTS}
     * @return the first check of that name
     * @throws IllegalArgumentException if no check has that name
     */
    public VerificationCheck check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named '" + name + "' in "
                        + checks.stream().map(VerificationCheck::name).toList()));
    }
}
