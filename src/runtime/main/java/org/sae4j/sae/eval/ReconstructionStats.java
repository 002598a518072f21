package org.sae4j.sae.eval;

import java.util.Arrays;
import java.util.Objects;
import org.sae4j.tensor.DenseMatrix;

/**
 * Streaming reconstruction metrics (sae-formats §12.1, §12.2, §12.4) of a target {@code x} and a reconstruction
 * {@code x̂}, fed batch by batch; every sum is a double.
 *
 * <p>The total variance Σ_t ‖x_t − x̄‖² behind the conventional FVU is merged per dimension with Chan's pairwise
 * update (batch mean and centred sum of squares, then {@code M2 += M2_b + δ²·n_a·n_b/n}) rather than taken as
 * Σ‖x‖² − n‖x̄‖²: activations often sit far from the origin (a large shared mean), and the one-pass difference of
 * sums then loses about log10(‖x̄‖²/variance) digits to cancellation, while the merged form only ever subtracts
 * batch means that are close to each other.
 *
 * <p>The legacy explained variance is a mean of per-token ratios centred on the mean of the whole set, known only
 * at the end: {@link #add} keeps each token's squared error (8 bytes a token) and {@link #addLegacyPass} replays the
 * targets once more, in the same order, after the last {@link #add}.
 *
 * <p>Conventions: {@link #mseMean} averages over tokens and dimensions (torch's {@code F.mse_loss} with mean
 * reduction, also the sparse-coding paper's MSE), {@link #mseSum} over tokens of the per-token sum; {@link #fvu} is
 * the residual energy over the energy about the per-dimension mean of every token added. The lab's
 * {@code ReconstructionMetrics} takes its MSE and FVU from this class.
 *
 * <pre>{@code
 * ReconstructionStats stats = new ReconstructionStats(dIn);
 * for (...) {
 *     stats.add(x, xHat, rows);           // [rows, dIn] each
 * }
 * double fvu = stats.fvu();
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe.
 */
public final class ReconstructionStats {

    private final int width;
    private long tokens;
    private double squaredError;
    private double reconstructionSquared;
    private double reconstructionDotTarget;
    private double cosineSum;
    private long cosineTokens;
    private double normRatioSum;
    private long normRatioTokens;
    private final double[] mean;
    private final double[] centredSquares;
    private double[] tokenErrors = new double[1024];
    private long legacyCursor;
    private double legacySum;
    private long legacyTokens;

    /** Statistics over rows of {@code width} values. */
    public ReconstructionStats(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        this.width = width;
        this.mean = new double[width];
        this.centredSquares = new double[width];
    }

    /**
     * Adds {@code rows} tokens: target and reconstruction are [rows, width] row-major, not modified.
     *
     * @throws IllegalArgumentException if an array is shorter than rows·width
     * @throws IllegalStateException    if the legacy pass has started
     */
    public void add(float[] target, float[] reconstruction, int rows) {
        checkRows(target, rows, "target");
        checkRows(reconstruction, rows, "reconstruction");
        if (legacyCursor > 0) {
            throw new IllegalStateException("the legacy pass has started; no more tokens can be added");
        }
        if (rows == 0) {
            return;
        }
        ensureTokenCapacity(tokens + rows);
        double[] batchMean = new double[width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double error = 0;
            double targetSquared = 0;
            double hatSquared = 0;
            double dot = 0;
            for (int d = 0; d < width; d++) {
                double x = target[base + d];
                double hat = reconstruction[base + d];
                double diff = x - hat;
                error += diff * diff;
                targetSquared += x * x;
                hatSquared += hat * hat;
                dot += x * hat;
                batchMean[d] += x;
            }
            tokenErrors[(int) (tokens + r)] = error;
            squaredError += error;
            reconstructionSquared += hatSquared;
            reconstructionDotTarget += dot;
            if (targetSquared > 0) {
                normRatioSum += Math.sqrt(hatSquared / targetSquared);
                normRatioTokens++;
                if (hatSquared > 0) {
                    cosineSum += dot / Math.sqrt(targetSquared * hatSquared);
                    cosineTokens++;
                }
            }
        }
        for (int d = 0; d < width; d++) {
            batchMean[d] /= rows;
        }
        double[] batchSquares = new double[width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int d = 0; d < width; d++) {
                double centred = target[base + d] - batchMean[d];
                batchSquares[d] += centred * centred;
            }
        }
        double before = tokens;
        double after = tokens + rows;
        for (int d = 0; d < width; d++) {
            double delta = batchMean[d] - mean[d];
            mean[d] += delta * rows / after;
            centredSquares[d] += batchSquares[d] + delta * delta * before * rows / after;
        }
        tokens += rows;
    }

    /**
     * Adds every row of two [rows, width] views (fp32 or bf16, widened exactly; not modified), copied into arrays
     * {@value MatrixRows#CHUNK_ROWS} rows at a time: the same as {@link #add(float[], float[], int)} once per chunk,
     * so up to that many rows form one batch and the FVU's mean is then the two-pass mean of the whole set.
     * Allocates two chunk buffers.
     *
     * @throws IllegalArgumentException if the views are not [rows, width] with the same row count
     * @throws IllegalStateException    if the legacy pass has started
     */
    public void add(DenseMatrix target, DenseMatrix reconstruction) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reconstruction, "reconstruction");
        if (target.cols() != width || reconstruction.cols() != width || target.rows() != reconstruction.rows()) {
            throw new IllegalArgumentException("target is " + target.rows() + "x" + target.cols()
                    + " and reconstruction " + reconstruction.rows() + "x" + reconstruction.cols() + ", expected "
                    + "the same rows of width " + width);
        }
        int chunk = Math.min(MatrixRows.CHUNK_ROWS, target.rows());
        float[] targetRows = new float[chunk * width];          // [chunk, width]
        float[] reconstructionRows = new float[chunk * width];  // [chunk, width]
        for (int from = 0; from < target.rows(); from += chunk) {
            int to = Math.min(target.rows(), from + chunk);
            MatrixRows.copy(target, from, to, targetRows);
            MatrixRows.copy(reconstruction, from, to, reconstructionRows);
            add(targetRows, reconstructionRows, to - from);
        }
    }

    /**
     * Replays targets for the legacy explained variance, in the order they were added; tokens whose centred norm is
     * zero have no ratio and are left out of its mean.
     *
     * @throws IllegalArgumentException if the array is too short or more rows are replayed than were added
     */
    public void addLegacyPass(float[] target, int rows) {
        checkRows(target, rows, "target");
        if (legacyCursor + rows > tokens) {
            throw new IllegalArgumentException("legacy pass replays " + (legacyCursor + rows) + " tokens, only "
                    + tokens + " were added");
        }
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double centredSquared = 0;
            for (int d = 0; d < width; d++) {
                double centred = target[base + d] - mean[d];
                centredSquared += centred * centred;
            }
            if (centredSquared > 0) {
                legacySum += 1 - tokenErrors[(int) (legacyCursor + r)] / centredSquared;
                legacyTokens++;
            }
        }
        legacyCursor += rows;
    }

    /** Tokens added. */
    public long tokens() {
        return tokens;
    }

    /** {@code mse_sum}: mean over tokens of Σ_d (x − x̂)². */
    public double mseSum() {
        return squaredError / tokens;
    }

    /** {@code mse_mean}: mean over tokens and dimensions of (x − x̂)². */
    public double mseMean() {
        return squaredError / ((double) tokens * width);
    }

    /** Σ_t ‖x_t − x̄‖², x̄ the mean over every token added. */
    public double totalVariance() {
        double sum = 0;
        for (double value : centredSquares) {
            sum += value;
        }
        return sum;
    }

    /** Conventional FVU: Σ_t ‖x_t − x̂_t‖² / Σ_t ‖x_t − x̄‖² (NaN when every target is the same). */
    public double fvu() {
        double variance = totalVariance();
        return variance > 0 ? squaredError / variance : Double.NaN;
    }

    /** Explained variance 1 − FVU (conventional). */
    public double explainedVariance() {
        return 1 - fvu();
    }

    /**
     * Legacy explained variance: mean over tokens of 1 − ‖x_t − x̂_t‖² / ‖x_t − x̄‖² (NaN before the legacy pass).
     *
     * @throws IllegalStateException if the legacy pass has not replayed every token
     */
    public double legacyExplainedVariance() {
        if (legacyCursor != tokens) {
            throw new IllegalStateException("the legacy pass replayed " + legacyCursor + " of " + tokens + " tokens");
        }
        return legacyTokens > 0 ? legacySum / legacyTokens : Double.NaN;
    }

    /** Mean over tokens with non-zero x and x̂ of cos(x, x̂). */
    public double cosineSimilarity() {
        return cosineTokens > 0 ? cosineSum / cosineTokens : Double.NaN;
    }

    /** Mean over tokens with non-zero x of ‖x̂‖ / ‖x‖. */
    public double normRatio() {
        return normRatioTokens > 0 ? normRatioSum / normRatioTokens : Double.NaN;
    }

    /** Relative reconstruction bias γ = Σ‖x̂‖² / Σ x̂·x (Gated SAE paper, eq. 10). */
    public double relativeReconstructionBias() {
        return reconstructionSquared / reconstructionDotTarget;
    }

    private void checkRows(float[] values, int rows, String name) {
        if (rows < 0 || (long) rows * width > values.length) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, " + rows + " rows of width "
                    + width + " need " + (long) rows * width);
        }
    }

    private void ensureTokenCapacity(long needed) {
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " tokens in one evaluation");
        }
        if (needed > tokenErrors.length) {
            long grown = Math.max(needed, Math.min((long) tokenErrors.length * 2, Integer.MAX_VALUE - 8));
            tokenErrors = Arrays.copyOf(tokenErrors, (int) grown);
        }
    }
}
