package org.sae4j.sae.refine;

import java.util.Objects;
import org.sae4j.tensor.DenseMatrix;

/**
 * The L1 weight at which FISTA refinement keeps the SAE's own sparsity: refined codes with as many active latents
 * per row, on average, as the encoder's. A comparison at equal L0 is the fair one; a smaller λ always lowers the
 * error by spending more latents.
 *
 * <p>Search: start from {@link SaeRefiner#estimateLambda} (the λ for which the encoder's codes best satisfy the
 * lasso's optimality condition), widen by factors of 4 until the target is bracketed, then bisect geometrically. L0
 * after a fixed number of steps falls as λ grows (more soft-thresholding), up to ties; each probe is one refinement of
 * the calibration rows. The search stops within {@code tolerance} of the target or after {@code maxProbes} probes and
 * returns the closest probe either way.
 *
 * @param lambda     the chosen λ
 * @param achievedL0 mean active latents per row at that λ
 * @param targetL0   the L0 asked for
 * @param estimate   the starting estimate
 * @param probes     refinements run
 */
public record LambdaCalibration(float lambda, double achievedL0, double targetL0, float estimate, int probes) {

    /** Default relative L0 tolerance. */
    public static final double DEFAULT_TOLERANCE = 0.02;

    /** Default probe budget. */
    public static final int DEFAULT_MAX_PROBES = 14;

    /**
     * Finds λ for {@code steps} FISTA steps on the rows of x. Every probe overwrites the refiner's buffers.
     *
     * @param refiner   the refiner of the SAE
     * @param x         [rows, d_in] raw activations, fp32, any row stride; the calibration rows, in
     *                  [1, refiner.maxBatch()]; not modified
     * @param targetL0  mean active latents per row to reach, positive and finite
     * @param steps     FISTA steps of each probe, ≥ 1
     * @param tolerance relative L0 tolerance that ends the search, e.g. {@link #DEFAULT_TOLERANCE}
     * @param maxProbes largest number of refinements, ≥ 1
     * @return the closest probe, with the search's record
     * @throws IllegalArgumentException if {@code targetL0} is not positive and finite, {@code steps < 1},
     *                                  {@code maxProbes < 1}, or as {@link SaeRefiner#refine}
     */
    public static LambdaCalibration matchL0(SaeRefiner refiner, DenseMatrix x, double targetL0, int steps,
            double tolerance, int maxProbes) {
        Objects.requireNonNull(refiner, "refiner");
        if (!(targetL0 > 0) || Double.isInfinite(targetL0)) {
            throw new IllegalArgumentException("target L0 must be positive and finite, got " + targetL0
                    + " (an SAE whose encoder never fires has no sparsity to match)");
        }
        if (steps < 1 || maxProbes < 1) {
            throw new IllegalArgumentException("steps and maxProbes must be >= 1, got " + steps + ", " + maxProbes);
        }
        float estimate = refiner.estimateLambda(x);
        Probe best = probe(refiner, x, steps, estimate);
        int probes = 1;
        double below = Double.NaN;  // largest λ seen with L0 above the target
        double above = Double.NaN;  // smallest λ seen with L0 at or below the target
        Probe current = best;
        while (probes < maxProbes && !close(current.l0, targetL0, tolerance)) {
            if (current.l0 > targetL0) {
                below = Double.isNaN(below) ? current.lambda : Math.max(below, current.lambda);
            } else {
                above = Double.isNaN(above) ? current.lambda : Math.min(above, current.lambda);
            }
            double next;
            if (Double.isNaN(above)) {
                next = below * 4;
            } else if (Double.isNaN(below)) {
                next = above / 4;
            } else {
                next = Math.sqrt(below * above);
            }
            if (!(next > 0) || Double.isInfinite(next) || (float) next == current.lambda) {
                break;
            }
            current = probe(refiner, x, steps, (float) next);
            probes++;
            if (Math.abs(current.l0 - targetL0) < Math.abs(best.l0 - targetL0)) {
                best = current;
            }
        }
        return new LambdaCalibration(best.lambda, best.l0, targetL0, estimate, probes);
    }

    /**
     * One refinement at {@code lambda} and its mean L0.
     *
     * @param refiner the refiner
     * @param x       [rows, d_in] raw activations, the calibration rows
     * @param steps   FISTA steps
     * @param lambda  the λ probed
     * @return the probe
     */
    private static Probe probe(SaeRefiner refiner, DenseMatrix x, int steps, float lambda) {
        RefinedBatch batch = refiner.refine(x, new RefinementMethod.Fista(steps, lambda));
        return new Probe(lambda, (double) batch.activeLatents() / x.rows());
    }

    /**
     * Whether an L0 is within the relative tolerance of the target.
     *
     * @param l0        the achieved L0
     * @param target    the target L0
     * @param tolerance relative tolerance
     * @return {@code |l0 − target| ≤ tolerance·target}
     */
    private static boolean close(double l0, double target, double tolerance) {
        return Math.abs(l0 - target) <= tolerance * target;
    }

    /**
     * One point of the search.
     *
     * @param lambda the λ probed
     * @param l0     mean active latents per row at that λ
     */
    private record Probe(float lambda, double l0) {
    }
}
