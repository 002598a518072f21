package org.sae4j.lab.metrics;

import java.util.Objects;

import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

/**
 * Reconstruction and sparsity metrics of paper-spec §8.4, accumulated in double in row-major order (deterministic).
 *
 * <pre>{@code
 *   mse(X, X̂)        = (1/(B·M)) · Σ (X − X̂)²                       X, X̂ [B, M]
 *   fvu(X, X̂)        = Σ (X − X̂)² / Σ (X − mean_b X)²                (mean over samples, per dimension)
 *   meanAbs(S)       = (1/(B·N)) · Σ |S|                             S [B, N]
 *   l0Fraction(S, τ) = (1/(B·N)) · #{ |S| > τ }                      (the paper's "L0"; true value K/N)
 *   l0PerSample(S,τ) = (1/B) · #{ |S| > τ }                          (per-sample count, for comparison)
 *   testLoss         = mse(X, X̂) + λ · meanAbs(Ŝ),  λ = 0.01 in the paper
 * }</pre>
 *
 * <p>Non-finite entries propagate (a diverged run reports NaN); the L0 counts treat NaN as not above the threshold.
 *
 * <p><b>Note:</b> stateless and thread-safe; inputs (fp32 or bf16 views) are not modified; nothing is allocated.
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
        checkSameShape(observations, reconstructions);
        return squaredError(observations, reconstructions) / ((double) observations.rows() * observations.cols());
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
        checkSameShape(observations, reconstructions);
        int rows = observations.rows();
        int cols = observations.cols();
        double[] means = new double[cols];
        for (int b = 0; b < rows; b++) {
            for (int c = 0; c < cols; c++) {
                means[c] += get(observations, b, c);
            }
        }
        for (int c = 0; c < cols; c++) {
            means[c] /= rows;
        }
        double total = 0.0;
        for (int b = 0; b < rows; b++) {
            for (int c = 0; c < cols; c++) {
                double centred = get(observations, b, c) - means[c];
                total += centred * centred;
            }
        }
        if (total == 0.0) {
            throw new IllegalArgumentException("observations have zero variance; FVU is undefined");
        }
        return squaredError(observations, reconstructions) / total;
    }

    /**
     * Mean absolute code value over all B·N entries (the L1 term without its coefficient).
     *
     * @param codes [B, N]; not modified
     * @throws IllegalArgumentException when the matrix is empty
     */
    public static double meanAbs(DenseMatrix codes) {
        checkNonEmpty(codes, "codes");
        double sum = 0.0;
        for (int b = 0; b < codes.rows(); b++) {
            for (int j = 0; j < codes.cols(); j++) {
                sum += Math.abs(get(codes, b, j));
            }
        }
        return sum / ((double) codes.rows() * codes.cols());
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
        checkNonEmpty(codes, "codes");
        return (double) countAbove(codes, threshold) / ((double) codes.rows() * codes.cols());
    }

    /**
     * Mean number of entries per sample with {@code |s| > threshold}; equals N·{@link #l0Fraction}.
     *
     * @param codes     [B, N]; not modified
     * @param threshold finite and ≥ 0
     * @throws IllegalArgumentException when the matrix is empty or the threshold is negative or not finite
     */
    public static double l0PerSample(DenseMatrix codes, double threshold) {
        checkNonEmpty(codes, "codes");
        return (double) countAbove(codes, threshold) / codes.rows();
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

    private static long countAbove(DenseMatrix codes, double threshold) {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite and >= 0, got " + threshold);
        }
        long count = 0;
        for (int b = 0; b < codes.rows(); b++) {
            for (int j = 0; j < codes.cols(); j++) {
                if (Math.abs(get(codes, b, j)) > threshold) {
                    count++;
                }
            }
        }
        return count;
    }

    private static double squaredError(DenseMatrix observations, DenseMatrix reconstructions) {
        double sum = 0.0;
        for (int b = 0; b < observations.rows(); b++) {
            for (int c = 0; c < observations.cols(); c++) {
                double difference = (double) get(observations, b, c) - get(reconstructions, b, c);
                sum += difference * difference;
            }
        }
        return sum;
    }

    private static float get(DenseMatrix matrix, int row, int col) {
        long index = matrix.offset() + (long) row * matrix.rowStride() + col;
        return matrix.dtype() == DType.F32
                ? matrix.segment().getAtIndex(Layouts.F32, index)
                : Layouts.bf16ToFloat(matrix.segment().getAtIndex(Layouts.BF16, index));
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
