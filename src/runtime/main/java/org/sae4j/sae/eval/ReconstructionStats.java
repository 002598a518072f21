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

    /** Values per row. */
    private final int width;
    /** Rows added. */
    private long tokens;
    /** Σ_t ‖x_t − x̂_t‖². */
    private double squaredError;
    /** Σ_t ‖x̂_t‖². */
    private double reconstructionSquared;
    /** Σ_t x̂_t·x_t. */
    private double reconstructionDotTarget;
    /** Σ of cos(x, x̂) over tokens where both are non-zero. */
    private double cosineSum;
    /** Tokens counted in {@link #cosineSum}. */
    private long cosineTokens;
    /** Σ of ‖x̂‖/‖x‖ over tokens with non-zero x. */
    private double normRatioSum;
    /** Tokens counted in {@link #normRatioSum}. */
    private long normRatioTokens;
    /** [width] running mean of the targets (Chan's merge). */
    private final double[] mean;
    /** [width] running centred sum of squares M2 of the targets. */
    private final double[] centredSquares;
    /** [capacity] each token's ‖x − x̂‖², kept for the legacy pass; grown by doubling. */
    private double[] tokenErrors = new double[1024];
    /** Tokens replayed by the legacy pass so far. */
    private long legacyCursor;
    /** Σ of the legacy per-token ratios. */
    private double legacySum;
    /** Tokens counted in {@link #legacySum}. */
    private long legacyTokens;

    /**
     * Statistics over rows of {@code width} values.
     *
     * @param width values per row (d_out of the evaluated model), ≥ 1
     * @throws IllegalArgumentException if {@code width} is not positive
     */
    public ReconstructionStats(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        this.width = width;
        this.mean = new double[width];
        this.centredSquares = new double[width];
    }

    /**
     * Adds {@code rows} tokens: target and reconstruction are [rows, width] row-major, not modified. Allocates two
     * width-sized scratch arrays per call and grows the per-token error store.
     *
     * @param target         [rows, width] what the output should be; not modified
     * @param reconstruction [rows, width] the model's output; not modified
     * @param rows           tokens to add, ≥ 0
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
     * @param target         [rows, width] targets in the de-normalised space; not modified
     * @param reconstruction [rows, width] the model's outputs for those rows, same order; not modified
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
     * @param target [rows, width] the next targets, in the order of {@link #add}; not modified
     * @param rows   tokens to replay, ≥ 0
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

    /**
     * Tokens added.
     *
     * @return rows added so far
     */
    public long tokens() {
        return tokens;
    }

    /**
     * {@code mse_sum}: mean over tokens of Σ_d (x − x̂)².
     *
     * @return the mean; NaN before any token
     */
    public double mseSum() {
        return squaredError / tokens;
    }

    /**
     * {@code mse_mean}: mean over tokens and dimensions of (x − x̂)².
     *
     * @return the mean; NaN before any token
     */
    public double mseMean() {
        return squaredError / ((double) tokens * width);
    }

    /**
     * Σ_t ‖x_t − x̄‖², x̄ the mean over every token added.
     *
     * @return the total variance, from the merged per-dimension sums
     */
    public double totalVariance() {
        double sum = 0;
        for (double value : centredSquares) {
            sum += value;
        }
        return sum;
    }

    /**
     * Conventional FVU: Σ_t ‖x_t − x̂_t‖² / Σ_t ‖x_t − x̄‖² (NaN when every target is the same).
     *
     * @return the fraction of variance unexplained
     */
    public double fvu() {
        double variance = totalVariance();
        return variance > 0 ? squaredError / variance : Double.NaN;
    }

    /**
     * Explained variance 1 − FVU (conventional).
     *
     * @return 1 − {@link #fvu()}
     */
    public double explainedVariance() {
        return 1 - fvu();
    }

    /**
     * Legacy explained variance: mean over tokens of 1 − ‖x_t − x̂_t‖² / ‖x_t − x̄‖² (NaN when no token has a non-zero
     * centred norm).
     *
     * @return the mean of the per-token ratios
     * @throws IllegalStateException if the legacy pass has not replayed every token
     */
    public double legacyExplainedVariance() {
        if (legacyCursor != tokens) {
            throw new IllegalStateException("the legacy pass replayed " + legacyCursor + " of " + tokens + " tokens");
        }
        return legacyTokens > 0 ? legacySum / legacyTokens : Double.NaN;
    }

    /**
     * Mean over tokens with non-zero x and x̂ of cos(x, x̂).
     *
     * @return the mean, NaN when no token qualifies
     */
    public double cosineSimilarity() {
        return cosineTokens > 0 ? cosineSum / cosineTokens : Double.NaN;
    }

    /**
     * Mean over tokens with non-zero x of ‖x̂‖ / ‖x‖.
     *
     * @return the mean, NaN when no token qualifies
     */
    public double normRatio() {
        return normRatioTokens > 0 ? normRatioSum / normRatioTokens : Double.NaN;
    }

    /**
     * Relative reconstruction bias γ = Σ‖x̂‖² / Σ x̂·x (Gated SAE paper, eq. 10).
     *
     * @return γ; 1 for an unbiased reconstruction
     */
    public double relativeReconstructionBias() {
        return reconstructionSquared / reconstructionDotTarget;
    }

    /**
     * Checks that an array holds {@code rows} rows.
     *
     * @param values the array
     * @param rows   rows claimed
     * @param name   names the array in the message
     * @throws IllegalArgumentException if {@code rows} is negative or the array is too short
     */
    private void checkRows(float[] values, int rows, String name) {
        if (rows < 0 || (long) rows * width > values.length) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, " + rows + " rows of width "
                    + width + " need " + (long) rows * width);
        }
    }

    /**
     * Grows the per-token error store to hold {@code needed} tokens.
     *
     * @param needed tokens the store must hold
     * @throws IllegalArgumentException beyond the largest array
     */
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
