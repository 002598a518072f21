package org.sae4j.lab.metrics;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Mean correlation coefficients between true and estimated sparse codes and dictionaries, as the paper computes
 * them (paper-spec §8.1–8.3, reference {@code experiments/metrics.py}).
 *
 * <pre>{@code
 *   C[i, j] = Pearson(truth[:, i], estimate[:, j])           over the B samples   // [N_true, N_est]
 *           = 0 when var(truth[:, i]) < 1e-12 or var(estimate[:, j]) < 1e-12  (population variance)
 *   MCC     = (1/P) · max_σ Σ_i |C[i, σ(i)]|,  σ injective,  P = min(N_true, N_est)
 * }</pre>
 *
 * <p>Because of the absolute value, MCC is invariant to permuting columns, rescaling a column by any non-zero
 * factor (positive or negative) and appending zero-variance columns to the estimate (they score 0). MCC(S, S) = 1
 * exactly when S has no degenerate column. Greedy MCC ({@link #greedy}) picks pairs by repeated arg-max of |C| and
 * then re-runs the Hungarian matching on the selected columns; dictionary MCC ({@link #dictionary}) is greedy MCC
 * with atoms as the variables and the model dimensions as the samples (Pearson, not cosine; see
 * {@link #dictionaryCosine} for the cosine metric).
 *
 * <pre>{@code
 * DenseMatrix truth = DenseMatrix.f32(MemorySegment.ofArray(sTest), 1024, 16);      // [B, N]
 * DenseMatrix estimate = DenseMatrix.f32(MemorySegment.ofArray(sHat), 1024, 16);    // [B, N]
 * double mcc = Mcc.hungarian(truth, estimate);
 * }</pre>
 *
 * <p>Where the reference differs: for unequal widths the reference {@code mcc} wrapper falls back to comparing
 * column i with column i without matching; sae4j always matches and averages over the min(N_true, N_est) matched
 * pairs, which is what the reference's Hungarian step ({@code munkres} on a rectangular matrix) returns.
 *
 * <p>Precision: columns are centred and reduced in double. While N_true·N_est·B ≤ {@value #DOUBLE_PATH_LIMIT}
 * multiply-adds (every synthetic experiment of the paper) the cross products are summed in double too; above it
 * the unit-norm centred columns are rounded to fp32 and multiplied with {@link Kernels#gemmTN}, which bounds each
 * |ΔC[i, j]| by about (B + 2)·2⁻²⁴.
 *
 * <p><b>Note:</b> stateless and thread-safe. Inputs may be any fp32 or bf16 {@link DenseMatrix} (heap segments from
 * {@link MemorySegment#ofArray(float[])} included) and are not modified. Each call allocates O((N_true + N_est)·B)
 * doubles plus the N_true×N_est correlation matrix; the fp32 path also allocates and frees an off-heap arena.
 */
public final class Mcc {

    /** Columns whose population variance is below this correlate 0 with everything (reference {@code tol}). */
    public static final double DEGENERATE_VARIANCE = 1e-12;

    /** Largest N_true·N_est·B computed entirely in double; larger products use fp32 GEMM. */
    public static final long DOUBLE_PATH_LIMIT = 1L << 24;

    /** What greedy matching does once every remaining correlation is 0 (paper-spec §8.2). */
    public enum GreedyMode {
        /**
         * Skips rows and columns already matched, so every pick is a new pair; when all remaining correlations are
         * 0 the lowest unused row and column are paired. The default.
         */
        SKIP_EXHAUSTED,
        /**
         * Reproduces the reference: the arg-max of an all-zero remainder is (0, 0), so row 0 and column 0 are
         * picked again and the re-run Hungarian matching sees duplicated columns.
         */
        PAPER_COMPATIBLE
    }

    private Mcc() {
    }

    /**
     * The signed Pearson correlation matrix between the columns of two code matrices, degenerate columns giving 0.
     *
     * @param truth    [B, N_true] true codes, finite; not modified
     * @param estimate [B, N_est] estimated codes, finite; not modified
     * @return [N_true, N_est] row-major, entries in [−1, 1]
     * @throws IllegalArgumentException when B differs, B or a width is 0, or an entry is NaN or infinite
     */
    public static double[] correlationMatrix(DenseMatrix truth, DenseMatrix estimate) {
        checkSameSamples(truth, estimate);
        return correlation(columns(truth, "truth"), columns(estimate, "estimate"));
    }

    /**
     * The mean Pearson correlation of each true latent with the estimated latent of the same index, no matching: the
     * metric of the known-codes experiment (paper-spec §6.6). Signed, so an anti-correlated latent lowers the mean.
     *
     * @param truth    [B, N]; not modified
     * @param estimate [B, N]; not modified
     * @return the mean of the diagonal of {@link #correlationMatrix}, in [−1, 1]
     * @throws IllegalArgumentException when the widths differ, or as {@link #correlationMatrix}
     */
    public static double pairwise(DenseMatrix truth, DenseMatrix estimate) {
        if (truth.cols() != estimate.cols()) {
            throw new IllegalArgumentException("pairwise correlation needs equal widths, got " + truth.cols() + " and "
                    + estimate.cols());
        }
        double[] correlations = correlationMatrix(truth, estimate);
        int n = truth.cols();
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += correlations[j * n + j];
        }
        return sum / n;
    }

    /**
     * MCC with an optimal (Hungarian) one-to-one matching on |C| (paper-spec §8.1).
     *
     * @param truth    [B, N_true]; not modified
     * @param estimate [B, N_est]; not modified
     * @return the mean matched |C| over min(N_true, N_est) pairs, in [0, 1]
     * @throws IllegalArgumentException as {@link #correlationMatrix}
     */
    public static double hungarian(DenseMatrix truth, DenseMatrix estimate) {
        return hungarianMatching(truth, estimate).score();
    }

    /**
     * The optimal matching behind {@link #hungarian}: which estimated latent each true latent is matched to.
     *
     * @throws IllegalArgumentException as {@link #correlationMatrix}
     */
    public static LatentMatching hungarianMatching(DenseMatrix truth, DenseMatrix estimate) {
        double[] absolute = absolute(correlationMatrix(truth, estimate));
        return matchOptimally(absolute, truth.cols(), estimate.cols());
    }

    /**
     * Greedy MCC in the default {@link GreedyMode#SKIP_EXHAUSTED} mode.
     *
     * @throws IllegalArgumentException as {@link #correlationMatrix}
     */
    public static double greedy(DenseMatrix truth, DenseMatrix estimate) {
        return greedy(truth, estimate, GreedyMode.SKIP_EXHAUSTED);
    }

    /**
     * Greedy MCC (paper-spec §8.2): P = min(N_true, N_est) times take the first arg-max of |C| in row-major order,
     * record the pair and zero its row and column; then the Hungarian MCC of the selected true columns against the
     * selected estimated columns. In {@link GreedyMode#SKIP_EXHAUSTED} mode the result is never larger than
     * {@link #hungarian} and equals it when the widths are equal; in {@link GreedyMode#PAPER_COMPATIBLE} mode the
     * duplicated columns can move it either way.
     *
     * @param truth    [B, N_true]; not modified
     * @param estimate [B, N_est]; not modified
     * @param mode     behaviour once all remaining correlations are 0
     * @return the greedy MCC in [0, 1]
     * @throws IllegalArgumentException as {@link #correlationMatrix}
     */
    public static double greedy(DenseMatrix truth, DenseMatrix estimate, GreedyMode mode) {
        Objects.requireNonNull(mode, "mode");
        double[] absolute = absolute(correlationMatrix(truth, estimate));
        return greedyScore(absolute, truth.cols(), estimate.cols(), mode);
    }

    /**
     * Dictionary MCC as the paper computes it (paper-spec §8.3): greedy MCC where the atoms are the variables and
     * the d_model coordinates are the samples, i.e. the absolute Pearson correlation of mean-centred atoms.
     * Atoms are rows here (the sae4j dictionary layout); the paper's M×N matrix D is the transpose.
     *
     * @param trueAtoms    [N_true, d_model] one atom per row; not modified
     * @param learnedAtoms [N_learned, d_model] one atom per row; not modified
     * @return the greedy MCC ({@link GreedyMode#SKIP_EXHAUSTED}) in [0, 1]
     * @throws IllegalArgumentException when d_model differs, a size is 0, or an entry is NaN or infinite
     */
    public static double dictionary(DenseMatrix trueAtoms, DenseMatrix learnedAtoms) {
        return dictionary(trueAtoms, learnedAtoms, GreedyMode.SKIP_EXHAUSTED);
    }

    /**
     * Dictionary MCC with an explicit greedy mode; see {@link #dictionary(DenseMatrix, DenseMatrix)}.
     *
     * @throws IllegalArgumentException when d_model differs, a size is 0, or an entry is NaN or infinite
     */
    public static double dictionary(DenseMatrix trueAtoms, DenseMatrix learnedAtoms, GreedyMode mode) {
        Objects.requireNonNull(mode, "mode");
        checkSameDimension(trueAtoms, learnedAtoms);
        double[] absolute = absolute(correlation(rows(trueAtoms, "trueAtoms"), rows(learnedAtoms, "learnedAtoms")));
        return greedyScore(absolute, trueAtoms.rows(), learnedAtoms.rows(), mode);
    }

    /**
     * Mean cosine similarity of optimally matched atoms, a separate metric from {@link #dictionary}:
     *
     * <pre>{@code
     *   cos[i, j] = ⟨t_i, l_j⟩ / (‖t_i‖·‖l_j‖),  0 when either norm is 0
     *   score     = (1/P) · max_σ Σ_i cos[i, σ(i)],  P = min(N_true, N_learned)
     * }</pre>
     *
     * <p>The cosine is signed: with non-negative codes an atom and its negation are different atoms, so a flipped
     * atom scores −1, not 1.
     *
     * @param trueAtoms    [N_true, d_model] one atom per row; not modified
     * @param learnedAtoms [N_learned, d_model] one atom per row; not modified
     * @return the matching; its score lies in [−1, 1]
     * @throws IllegalArgumentException when d_model differs, a size is 0, or an entry is NaN or infinite
     */
    public static LatentMatching dictionaryCosine(DenseMatrix trueAtoms, DenseMatrix learnedAtoms) {
        checkSameDimension(trueAtoms, learnedAtoms);
        double[][] truth = rows(trueAtoms, "trueAtoms");
        double[][] learned = rows(learnedAtoms, "learnedAtoms");
        double[] truthNorms = norms(truth);
        double[] learnedNorms = norms(learned);
        int nTrue = truth.length;
        int nLearned = learned.length;
        double[] cosine = new double[nTrue * nLearned];   // [N_true, N_learned]
        for (int i = 0; i < nTrue; i++) {
            for (int j = 0; j < nLearned; j++) {
                if (truthNorms[i] == 0.0 || learnedNorms[j] == 0.0) {
                    continue;
                }
                double value = dot(truth[i], learned[j]) / (truthNorms[i] * learnedNorms[j]);
                cosine[i * nLearned + j] = Math.clamp(value, -1.0, 1.0);
            }
        }
        return matchOptimally(cosine, nTrue, nLearned);
    }

    static double[] correlationInDouble(double[][] truth, double[][] estimate) {
        int samples = truth[0].length;
        double[] truthSquares = centre(truth);
        double[] estimateSquares = centre(estimate);
        int nTrue = truth.length;
        int nEst = estimate.length;
        double[] correlation = new double[nTrue * nEst];   // [N_true, N_est]
        for (int i = 0; i < nTrue; i++) {
            if (degenerate(truthSquares[i], samples)) {
                continue;
            }
            for (int j = 0; j < nEst; j++) {
                if (degenerate(estimateSquares[j], samples)) {
                    continue;
                }
                // sqrt of the product (not a product of square roots) makes identical columns correlate exactly 1.
                double value = dot(truth[i], estimate[j]) / Math.sqrt(truthSquares[i] * estimateSquares[j]);
                correlation[i * nEst + j] = Math.clamp(value, -1.0, 1.0);
            }
        }
        return correlation;
    }

    static double[] correlationWithKernels(double[][] truth, double[][] estimate) {
        int samples = truth[0].length;
        int nTrue = truth.length;
        int nEst = estimate.length;
        double[] truthSquares = centre(truth);
        double[] estimateSquares = centre(estimate);
        try (TensorArena arena = new TensorArena("mcc-correlation")) {
            MemorySegment truthUnit = unitColumns(arena, truth, truthSquares, samples);         // [B, N_true]
            MemorySegment estimateUnit = unitColumns(arena, estimate, estimateSquares, samples);  // [B, N_est]
            MemorySegment product = arena.allocateFloats((long) nTrue * nEst);                    // [N_true, N_est]
            Kernels.gemmTN(nTrue, nEst, samples, 1.0f, truthUnit, 0, nTrue, estimateUnit, 0, nEst, 0.0f, product, 0,
                    nEst);
            double[] correlation = new double[nTrue * nEst];
            for (int index = 0; index < correlation.length; index++) {
                correlation[index] = Math.clamp(product.getAtIndex(Layouts.F32, index), -1.0, 1.0);
            }
            return correlation;
        }
    }

    private static double[] correlation(double[][] truth, double[][] estimate) {
        long work = (long) truth.length * estimate.length * truth[0].length;
        return work <= DOUBLE_PATH_LIMIT ? correlationInDouble(truth, estimate)
                : correlationWithKernels(truth, estimate);
    }

    private static MemorySegment unitColumns(TensorArena arena, double[][] centred, double[] squares, int samples) {
        int width = centred.length;
        MemorySegment segment = arena.allocateFloats((long) samples * width);
        for (int j = 0; j < width; j++) {
            if (degenerate(squares[j], samples)) {
                continue;   // the arena zero-fills, so a degenerate column correlates exactly 0
            }
            double inverseNorm = 1.0 / Math.sqrt(squares[j]);
            double[] column = centred[j];
            for (int b = 0; b < samples; b++) {
                segment.setAtIndex(Layouts.F32, (long) b * width + j, (float) (column[b] * inverseNorm));
            }
        }
        return segment;
    }

    private static LatentMatching matchOptimally(double[] similarity, int nTrue, int nEst) {
        int[] assignment = Hungarian.maximise(similarity, nTrue, nEst);
        double[] matched = new double[nTrue];
        double sum = 0.0;
        for (int i = 0; i < nTrue; i++) {
            if (assignment[i] >= 0) {
                matched[i] = similarity[i * nEst + assignment[i]];
                sum += matched[i];
            }
        }
        return new LatentMatching(sum / Math.min(nTrue, nEst), assignment, matched);
    }

    static double greedyScore(double[] absolute, int nTrue, int nEst, GreedyMode mode) {
        int pairs = Math.min(nTrue, nEst);
        double[] remaining = absolute.clone();
        boolean[] rowUsed = new boolean[nTrue];
        boolean[] colUsed = new boolean[nEst];
        int[] pickedRows = new int[pairs];
        int[] pickedCols = new int[pairs];
        boolean skip = mode == GreedyMode.SKIP_EXHAUSTED;
        for (int p = 0; p < pairs; p++) {
            int bestRow = -1;
            int bestCol = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < nTrue; i++) {
                if (skip && rowUsed[i]) {
                    continue;
                }
                for (int j = 0; j < nEst; j++) {
                    if (skip && colUsed[j]) {
                        continue;
                    }
                    // Strict '>' keeps the first maximum in row-major order, like numpy's argmax.
                    if (remaining[i * nEst + j] > best) {
                        best = remaining[i * nEst + j];
                        bestRow = i;
                        bestCol = j;
                    }
                }
            }
            pickedRows[p] = bestRow;
            pickedCols[p] = bestCol;
            rowUsed[bestRow] = true;
            colUsed[bestCol] = true;
            for (int j = 0; j < nEst; j++) {
                remaining[bestRow * nEst + j] = 0.0;
            }
            for (int i = 0; i < nTrue; i++) {
                remaining[i * nEst + bestCol] = 0.0;
            }
        }
        // The re-run correlates the selected columns again; those entries are exactly the ones already in |C|.
        double[] selected = new double[pairs * pairs];
        for (int a = 0; a < pairs; a++) {
            for (int b = 0; b < pairs; b++) {
                selected[a * pairs + b] = absolute[pickedRows[a] * nEst + pickedCols[b]];
            }
        }
        return matchOptimally(selected, pairs, pairs).score();
    }

    private static double[] absolute(double[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.abs(values[i]);
        }
        return result;
    }

    /** Centres each variable in place; returns Σ (x − mean)² per variable. */
    private static double[] centre(double[][] variables) {
        double[] squares = new double[variables.length];
        for (int v = 0; v < variables.length; v++) {
            double[] values = variables[v];
            double sum = 0.0;
            for (double value : values) {
                sum += value;
            }
            double mean = sum / values.length;
            for (int b = 0; b < values.length; b++) {
                values[b] -= mean;
            }
            // The same reduction as the cross products, so that C[i, i] of identical columns is exactly 1.
            squares[v] = dot(values, values);
        }
        return squares;
    }

    private static boolean degenerate(double sumSquares, int samples) {
        return sumSquares / samples < DEGENERATE_VARIANCE;
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0.0;
        for (int i = 0; i < x.length; i++) {
            sum = Math.fma(x[i], y[i], sum);
        }
        return sum;
    }

    private static double[] norms(double[][] vectors) {
        double[] norms = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            norms[v] = Math.sqrt(dot(vectors[v], vectors[v]));
        }
        return norms;
    }

    /** Copies the columns of a [samples, variables] matrix, variable-major. */
    private static double[][] columns(DenseMatrix matrix, String name) {
        double[][] variables = new double[matrix.cols()][matrix.rows()];
        for (int b = 0; b < matrix.rows(); b++) {
            for (int v = 0; v < matrix.cols(); v++) {
                variables[v][b] = element(matrix, b, v, name);
            }
        }
        return variables;
    }

    /** Copies the rows of a [variables, samples] matrix, variable-major. */
    private static double[][] rows(DenseMatrix matrix, String name) {
        double[][] variables = new double[matrix.rows()][matrix.cols()];
        for (int v = 0; v < matrix.rows(); v++) {
            for (int b = 0; b < matrix.cols(); b++) {
                variables[v][b] = element(matrix, v, b, name);
            }
        }
        return variables;
    }

    private static double element(DenseMatrix matrix, int row, int col, String name) {
        long index = matrix.offset() + (long) row * matrix.rowStride() + col;
        float value = matrix.dtype() == DType.F32
                ? matrix.segment().getAtIndex(Layouts.F32, index)
                : Layouts.bf16ToFloat(matrix.segment().getAtIndex(Layouts.BF16, index));
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " has non-finite value " + value + " at (" + row + ", " + col
                    + ")");
        }
        return value;
    }

    private static void checkSameSamples(DenseMatrix truth, DenseMatrix estimate) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(estimate, "estimate");
        if (truth.rows() != estimate.rows()) {
            throw new IllegalArgumentException("truth has " + truth.rows() + " samples but estimate has "
                    + estimate.rows());
        }
        if (truth.rows() == 0) {
            throw new IllegalArgumentException("no samples (B = 0)");
        }
        if (truth.cols() == 0 || estimate.cols() == 0) {
            throw new IllegalArgumentException("no latents: truth has " + truth.cols() + " columns, estimate has "
                    + estimate.cols());
        }
    }

    private static void checkSameDimension(DenseMatrix trueAtoms, DenseMatrix learnedAtoms) {
        Objects.requireNonNull(trueAtoms, "trueAtoms");
        Objects.requireNonNull(learnedAtoms, "learnedAtoms");
        if (trueAtoms.cols() != learnedAtoms.cols()) {
            throw new IllegalArgumentException("trueAtoms have d_model " + trueAtoms.cols()
                    + " but learnedAtoms have " + learnedAtoms.cols());
        }
        if (trueAtoms.cols() == 0) {
            throw new IllegalArgumentException("atoms have d_model = 0");
        }
        if (trueAtoms.rows() == 0 || learnedAtoms.rows() == 0) {
            throw new IllegalArgumentException("no atoms: trueAtoms has " + trueAtoms.rows()
                    + " rows, learnedAtoms has " + learnedAtoms.rows());
        }
    }
}
