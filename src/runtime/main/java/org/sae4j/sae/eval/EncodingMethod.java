package org.sae4j.sae.eval;

import java.util.Arrays;
import org.sae4j.sae.Sae;

/**
 * How codes are inferred from activations: the SAE's own encoder ({@code amortised}) or a per-sample solver on its
 * decoder ({@link org.sae4j.sae.refine.SaeRefiner}).
 */
public enum EncodingMethod {
    /** The SAE's encoder, as {@link Sae#encodeSparse(float[])}. */
    AMORTISED("amortised", false),
    /** Non-negative FISTA on the decoder dictionary. */
    FISTA("fista", true),
    /** Non-negative matching pursuit on the decoder dictionary. */
    MATCHING_PURSUIT("mp", true),
    /** Orthogonal matching pursuit on the decoder dictionary (least-squares coefficients). */
    ORTHOGONAL_MATCHING_PURSUIT("omp", true);

    /** The command-line spelling. */
    private final String cliName;
    /** Whether the method takes a number of steps. */
    private final boolean iterative;

    /**
     * Binds a constant to its spelling.
     *
     * @param cliName   the command-line spelling
     * @param iterative whether the method takes a number of steps
     */
    EncodingMethod(String cliName, boolean iterative) {
        this.cliName = cliName;
        this.iterative = iterative;
    }

    /**
     * The name used on the command line.
     *
     * @return {@code "amortised"}, {@code "fista"}, {@code "mp"} or {@code "omp"}
     */
    public String cliName() {
        return cliName;
    }

    /**
     * Whether the method takes a number of steps.
     *
     * @return false only for {@link #AMORTISED}
     */
    public boolean iterative() {
        return iterative;
    }

    /**
     * The method named {@code name} on the command line.
     *
     * @param name a command-line spelling
     * @return the method
     * @throws IllegalArgumentException if no method has that name
     */
    public static EncodingMethod byName(String name) {
        for (EncodingMethod method : values()) {
            if (method.cliName.equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; expected one of "
                + Arrays.stream(values()).map(EncodingMethod::cliName).toList());
    }

    /**
     * An encoder of batches of up to {@code maxBatch} rows by this method.
     *
     * @param sae      the model; borrowed, not closed
     * @param maxBatch largest batch, ≥ 1
     * @param steps    FISTA iterations (0: {@value BatchEncoder#DEFAULT_FISTA_STEPS}) or a pursuit's target L0 (0: the
     *                 encoder's L0 on the first batch); must be 0 for the amortised method
     * @param lambda   FISTA's L1 weight; NaN matches the encoder's L0 on the first batch
     * @return a new encoder; the caller closes it
     * @throws IllegalArgumentException if steps are given to the amortised method, {@code maxBatch < 1},
     *                                  {@code steps < 0}, or the solver refuses the SAE
     */
    public BatchEncoder open(Sae sae, int maxBatch, int steps, float lambda) {
        return new BatchEncoder(this, sae, maxBatch, steps, lambda);
    }
}
