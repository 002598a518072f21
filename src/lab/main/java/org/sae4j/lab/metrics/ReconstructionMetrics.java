package org.sae4j.lab.metrics;

import java.util.Objects;

import org.sae4j.sae.eval.LatentStats;
import org.sae4j.sae.eval.ReconstructionStats;
import org.sae4j.tensor.DenseMatrix;

/**
 * Reconstruction and sparsity metrics of paper-spec §8.4 over whole matrices, computed by the runtime's streaming
 * statistics ({@link ReconstructionStats}, {@link LatentStats}); this class only names the paper's conventions.
 *
 * <pre>{@code
 *   mse(X, X̂)        = (1/(B·M)) · Σ (X − X̂)²                       X, X̂ [B, M]    ReconstructionStats.mseMean
 *   fvu(X, X̂)        = Σ (X − X̂)² / Σ (X − mean_b X)²                (mean over samples, per dimension)  .fvu
 *   meanAbs(S)       = (1/(B·N)) · Σ |S|                             S [B, N]        LatentStats.meanAbs
 *   l0Fraction(S, τ) = (1/(B·N)) · #{ |S| > τ }                      (the paper's "L0"; true value K/N)  .l0Fraction
 *   l0PerSample(S,τ) = (1/B) · #{ |S| > τ }                          (per-sample count, SAELens' L0)     .l0
 *   testLoss         = mse(X, X̂) + λ · meanAbs(Ŝ),  λ = 0.01 in the paper
 * }</pre>
 *
 * <p>Where the paper differs from the runtime's SAELens-style report: its L0 is a fraction of all B·N entries, not a
 * count per sample, and is read at the thresholds τ = 0, 1e-5, 1e-4 and 1e-3; its L1 is the mean |S| over B·N
 * entries, not the per-sample sum; its test loss adds λ = {@value #PAPER_L1} times that mean to the MSE; and a
 * zero-variance FVU is an error here rather than NaN.
 *
 * <p>Non-finite entries propagate (a diverged run reports NaN); the L0 counts treat NaN as not above the threshold.
 * MSE and FVU sum each sample's squared error before adding it to the total, as the runtime does.
 *
 * <p><b>Note:</b> stateless and thread-safe; inputs (fp32 or bf16 views) are not modified. Each call allocates the
 * runtime statistics' buffers (row copies of at most 4096 samples, 8 bytes of squared error per sample).
 */
public final class ReconstructionMetrics {

    /** The L1 coefficient λ of the paper's test loss. */
    public static final double PAPER_L1 = 0.01;

    private ReconstructionMetrics() {
    }

    /**
     * Mean squared error over all B·M entries (torch {@code F.mse_loss} with mean reduction).
     *
     * @param observations    [B, M]; not modified
     * @param reconstructions [B, M]; not modified
     * @throws IllegalArgumentException when the shapes differ or are empty
     */
    public static double mse(DenseMatrix observations, DenseMatrix reconstructions) {
        return reconstruction(observations, reconstructions).mseMean();
    }

    /**
     * Fraction of variance unexplained: residual energy over the energy of the observations around their
     * per-dimension mean; 0 is perfect, 1 is no better than predicting the mean.
     *
     * @param observations    [B, M]; not modified
     * @param reconstructions [B, M]; not modified
     * @throws IllegalArgumentException when the shapes differ or are empty, or the observations have zero variance
     */
    public static double fvu(DenseMatrix observations, DenseMatrix reconstructions) {
        ReconstructionStats stats = reconstruction(observations, reconstructions);
        if (stats.totalVariance() == 0.0) {
            throw new IllegalArgumentException("observations have zero variance; FVU is undefined");
        }
        return stats.fvu();
    }

    /**
     * Mean absolute code value over all B·N entries (the L1 term without its coefficient).
     *
     * @param codes [B, N]; not modified
     * @throws IllegalArgumentException when the matrix is empty
     */
    public static double meanAbs(DenseMatrix codes) {
        return latents(codes, 0).meanAbs();
    }

    /**
     * The paper's L0: the fraction of entries with {@code |s| > threshold} (0, 1e-5, 1e-4 or 1e-3 in the paper).
     *
     * @param codes     [B, N]; not modified
     * @param threshold finite and ≥ 0
     * @return a fraction in [0, 1]
     * @throws IllegalArgumentException when the matrix is empty or the threshold is negative or not finite
     */
    public static double l0Fraction(DenseMatrix codes, double threshold) {
        return latents(codes, threshold).l0Fraction();
    }

    /**
     * Mean number of entries per sample with {@code |s| > threshold}; equals N·{@link #l0Fraction}.
     *
     * @param codes     [B, N]; not modified
     * @param threshold finite and ≥ 0
     * @throws IllegalArgumentException when the matrix is empty or the threshold is negative or not finite
     */
    public static double l0PerSample(DenseMatrix codes, double threshold) {
        return latents(codes, threshold).l0();
    }

    /**
     * The paper's test loss {@code mse(X, X̂) + l1·meanAbs(Ŝ)}.
     *
     * @param observations    [B, M]; not modified
     * @param reconstructions [B, M]; not modified
     * @param codes           [B, N] the codes that produced the reconstructions; not modified
     * @param l1              finite and ≥ 0 ({@link #PAPER_L1} in the paper)
     * @throws IllegalArgumentException when shapes differ or are empty, or l1 is negative or not finite
     */
    public static double testLoss(DenseMatrix observations, DenseMatrix reconstructions, DenseMatrix codes,
                                  double l1) {
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("l1 must be finite and >= 0, got " + l1);
        }
        checkSameShape(observations, reconstructions);
        checkNonEmpty(codes, "codes");
        if (codes.rows() != observations.rows()) {
            throw new IllegalArgumentException("codes have " + codes.rows() + " samples but observations have "
                    + observations.rows());
        }
        return mse(observations, reconstructions) + l1 * meanAbs(codes);
    }

    private static ReconstructionStats reconstruction(DenseMatrix observations, DenseMatrix reconstructions) {
        checkSameShape(observations, reconstructions);
        ReconstructionStats stats = new ReconstructionStats(observations.cols());
        stats.add(observations, reconstructions);
        return stats;
    }

    private static LatentStats latents(DenseMatrix codes, double threshold) {
        checkNonEmpty(codes, "codes");
        LatentStats stats = new LatentStats(codes.cols(), threshold);
        stats.add(codes);
        return stats;
    }

    private static void checkSameShape(DenseMatrix observations, DenseMatrix reconstructions) {
        checkNonEmpty(observations, "observations");
        checkNonEmpty(reconstructions, "reconstructions");
        if (observations.rows() != reconstructions.rows() || observations.cols() != reconstructions.cols()) {
            throw new IllegalArgumentException("observations are " + observations.rows() + "x" + observations.cols()
                    + " but reconstructions are " + reconstructions.rows() + "x" + reconstructions.cols());
        }
    }

    private static void checkNonEmpty(DenseMatrix matrix, String name) {
        Objects.requireNonNull(matrix, name);
        if (matrix.rows() == 0 || matrix.cols() == 0) {
            throw new IllegalArgumentException(name + " is empty (" + matrix.rows() + "x" + matrix.cols() + ")");
        }
    }
}
