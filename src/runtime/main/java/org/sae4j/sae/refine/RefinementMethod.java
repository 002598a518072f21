package org.sae4j.sae.refine;

/**
 * How codes are inferred for a batch of inputs by a {@link SaeRefiner}.
 *
 * <pre>{@code
 * RefinementMethod encoder = new RefinementMethod.Amortised();
 * RefinementMethod fista   = new RefinementMethod.Fista(25, 0.05f);      // 25 steps from the encoder's codes
 * RefinementMethod greedy  = new RefinementMethod.MatchingPursuit(64);   // until 64 latents are active
 * }</pre>
 */
public sealed interface RefinementMethod {

    /**
     * Short name used in reports and on the command line.
     *
     * @return {@code "amortised"}, {@code "fista"}, {@code "mp"} or {@code "omp"}
     */
    String label();

    /** The SAE's own encoder, unchanged. */
    record Amortised() implements RefinementMethod {
        @Override
        public String label() {
            return "amortised";
        }
    }

    /**
     * Non-negative FISTA on {@code ½‖x' − b_dec − z·W_dec‖² + λ‖z‖₁}, started from the encoder's codes, for exactly
     * {@code steps} iterations (0 returns the encoder's codes).
     *
     * @param steps  iterations, ≥ 0
     * @param lambda L1 weight, finite and ≥ 0
     */
    record Fista(int steps, float lambda) implements RefinementMethod {
        /** Validates the arguments. */
        public Fista {
            if (steps < 0) {
                throw new IllegalArgumentException("FISTA steps must be >= 0, got " + steps);
            }
            if (!Float.isFinite(lambda) || lambda < 0f) {
                throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
            }
        }

        @Override
        public String label() {
            return "fista";
        }
    }

    /**
     * Non-negative matching pursuit from zero codes: repeatedly add to the latent whose decoder row best matches the
     * residual (largest positive correlation over row norm), by the exact line-search amount, until {@code targetL0}
     * distinct latents are active, no row correlates positively, or {@code 4·targetL0} picks were made.
     *
     * @param targetL0 active latents per row, ≥ 1
     */
    record MatchingPursuit(int targetL0) implements RefinementMethod {
        /** Validates the argument. */
        public MatchingPursuit {
            checkTarget(targetL0);
        }

        @Override
        public String label() {
            return "mp";
        }
    }

    /**
     * Orthogonal matching pursuit from zero codes: picks latents as {@link MatchingPursuit} does, but after each
     * pick refits all active coefficients by least squares on the chosen decoder rows, so the residual stays
     * orthogonal to them. The refit is unconstrained: a coefficient may turn negative, unlike an SAE code.
     *
     * @param targetL0 active latents per row, ≥ 1
     */
    record OrthogonalMatchingPursuit(int targetL0) implements RefinementMethod {
        /** Validates the argument. */
        public OrthogonalMatchingPursuit {
            checkTarget(targetL0);
        }

        @Override
        public String label() {
            return "omp";
        }
    }

    /**
     * Checks a pursuit's target.
     *
     * @param targetL0 active latents per row
     * @throws IllegalArgumentException if it is below 1
     */
    private static void checkTarget(int targetL0) {
        if (targetL0 < 1) {
            throw new IllegalArgumentException("target L0 must be >= 1, got " + targetL0);
        }
    }
}
