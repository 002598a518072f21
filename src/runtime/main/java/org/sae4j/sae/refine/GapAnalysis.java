package org.sae4j.sae.refine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.sae4j.sae.Sae;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

/**
 * Measures the amortisation gap of a loaded SAE on real activations: how much reconstruction error its encoder
 * leaves that sparse inference on its own decoder removes, and at what cost.
 *
 * <pre>{@code
 * GapReport report = GapAnalysis.run(sae, activations, rows, GapOptions.defaults(), done -> { });
 * System.out.println(report.amortised().fvu() + " -> " + report.bestFista().fvu());
 * }</pre>
 *
 * <p>Order of work: one untimed warm-up batch, the encoder over every row (its mean L0 is the sparsity the other
 * methods are held to), the λ calibration on the first rows, one pass per FISTA budget (each from the encoder's
 * codes, timed on its own), then the pursuits. Every pass sees the same rows in the same batches, so the rows of a
 * report differ only by method.
 */
public final class GapAnalysis {

    /** Not instantiable: static runs only. */
    private GapAnalysis() {
    }

    /**
     * Runs the report over x [rows, d_in] (raw activations, fp32, native). Creates (and closes) one {@link SaeRefiner};
     * allocates per batch as it does.
     *
     * @param sae      an fp32 SAE that reconstructs its input
     * @param x        [rows, d_in] raw activations; not modified
     * @param rows     rows to evaluate, ≥ 1
     * @param options  budgets, λ, batch size, calibration rows, pursuits
     * @param progress receives, after each batch of each pass, the number of rows that batch finished (an increment;
     *                 the increments add up to {@link #work(int, GapOptions)})
     * @return the report
     * @throws IllegalArgumentException if {@code rows < 1}, x is too small, or as {@link SaeRefiner}
     */
    public static GapReport run(Sae sae, MemorySegment x, int rows, GapOptions options, LongConsumer progress) {
        Objects.requireNonNull(sae, "sae");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        int dIn = sae.dIn();
        if (rows < 1) {
            throw new IllegalArgumentException("at least one input row is needed, got " + rows);
        }
        if (x.byteSize() < (long) rows * dIn * Float.BYTES) {
            throw new IllegalArgumentException("x has " + x.byteSize() + " bytes, [" + rows + ", " + dIn
                    + "] fp32 needs " + (long) rows * dIn * Float.BYTES);
        }
        double spread = squaredDeviationFromMean(x, rows, dIn);
        int batch = Math.min(options.batch(), rows);
        try (SaeRefiner refiner = new SaeRefiner(sae, batch)) {
            DenseMatrix all = DenseMatrix.f32(x, rows, dIn);
            refiner.refine(all.rows(0, batch), new RefinementMethod.Amortised());
            Totals encoder = pass(refiner, x, rows, new RefinementMethod.Amortised(), progress);
            double targetL0 = (double) encoder.active / rows;
            int calibrationRows = Math.min(options.calibrationRows(), batch);
            LambdaCalibration calibration = null;
            float lambda = options.lambda();
            if (Float.isNaN(lambda)) {
                if (options.maxBudget() > 0 && targetL0 > 0) {
                    calibration = LambdaCalibration.matchL0(refiner, all.rows(0, calibrationRows), targetL0,
                            options.maxBudget(), LambdaCalibration.DEFAULT_TOLERANCE,
                            LambdaCalibration.DEFAULT_MAX_PROBES);
                    lambda = calibration.lambda();
                } else {
                    lambda = refiner.estimateLambda(all.rows(0, calibrationRows));
                }
            }
            GapRow amortised = encoder.row("amortised", 0, rows, spread, lambda);
            List<GapRow> fista = new ArrayList<>();
            for (int budget : options.budgets()) {
                fista.add(budget == 0
                        ? encoder.row("fista", 0, rows, spread, lambda)
                        : pass(refiner, x, rows, new RefinementMethod.Fista(budget, lambda), progress)
                                .row("fista", budget, rows, spread, lambda));
            }
            List<GapRow> pursuits = new ArrayList<>();
            if (options.pursuits() && targetL0 > 0) {
                int target = (int) Math.max(1, Math.round(targetL0));
                pursuits.add(pass(refiner, x, rows, new RefinementMethod.MatchingPursuit(target), progress)
                        .row("mp", target, rows, spread, lambda));
                pursuits.add(pass(refiner, x, rows, new RefinementMethod.OrthogonalMatchingPursuit(target), progress)
                        .row("omp", target, rows, spread, lambda));
            }
            String hook = sae.config().hookName().isEmpty() ? "" : " at " + sae.config().hookName();
            return new GapReport(sae + hook, rows, dIn, sae.dSae(), lambda, calibration, amortised, fista,
                    pursuits);
        }
    }

    /**
     * Rows processed by a full run: one pass for the encoder, one per positive budget and two for the pursuits.
     *
     * @param rows    rows evaluated
     * @param options the run's options
     * @return the total the progress increments of {@link #run} add up to
     */
    public static long work(int rows, GapOptions options) {
        long passes = 1;
        for (int budget : options.budgets()) {
            if (budget > 0) {
                passes++;
            }
        }
        if (options.pursuits()) {
            passes += 2;
        }
        return passes * rows;
    }

    /**
     * One pass of {@code method} over every row, batch by batch.
     *
     * @param refiner  the refiner
     * @param x        [rows, d_in] raw activations
     * @param rows     rows
     * @param method   the method
     * @param progress told each batch's row count
     * @return the sums over the pass
     */
    private static Totals pass(SaeRefiner refiner, MemorySegment x, int rows, RefinementMethod method,
            LongConsumer progress) {
        Totals totals = new Totals();
        int dIn = refiner.sae().dIn();
        for (int start = 0; start < rows; start += refiner.maxBatch()) {
            int count = Math.min(refiner.maxBatch(), rows - start);
            MemorySegment slice = x.asSlice((long) start * dIn * Float.BYTES, (long) count * dIn * Float.BYTES);
            totals.add(refiner.refine(DenseMatrix.f32(slice, count, dIn), method));
            progress.accept(count);
        }
        return totals;
    }

    /**
     * Σ_t ‖x_t − x̄‖², with the mean taken in a first pass so that nothing cancels.
     *
     * @param x    [rows, d_in]; not modified
     * @param rows rows
     * @param dIn  row width
     * @return the total squared deviation, in double
     */
    private static double squaredDeviationFromMean(MemorySegment x, int rows, int dIn) {
        double[] mean = new double[dIn];
        float[] row = new float[dIn];
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(x, Layouts.F32, (long) r * dIn * Float.BYTES, row, 0, dIn);
            for (int i = 0; i < dIn; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < dIn; i++) {
            mean[i] /= rows;
        }
        double squares = 0;
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(x, Layouts.F32, (long) r * dIn * Float.BYTES, row, 0, dIn);
            for (int i = 0; i < dIn; i++) {
                double deviation = row[i] - mean[i];
                squares += deviation * deviation;
            }
        }
        return squares;
    }

    /** Sums over the batches of one pass. */
    private static final class Totals {
        /** Σ‖x − x̂‖² in the input space. */
        private double squaredError;
        /** Σ‖t − z·W_dec‖² in the normalised space. */
        private double codingError;
        /** Non-zero codes. */
        private long active;
        /** Σ‖z‖₁. */
        private double l1;
        /** Inference time, nanoseconds. */
        private long nanos;
        /** Inference FLOPs. */
        private long flops;

        /** An empty total; {@link #add} accumulates the batches of one pass. */
        private Totals() {
        }

        /**
         * Adds one batch.
         *
         * @param batch the refiner's result
         */
        void add(RefinedBatch batch) {
            squaredError += batch.squaredError();
            codingError += batch.codingError();
            active += batch.activeLatents();
            l1 += batch.l1();
            nanos += batch.nanos();
            flops += batch.flops();
        }

        /**
         * The report row of this pass: means per row, FVU against the data's spread.
         *
         * @param method the method's label
         * @param steps  FISTA steps or a pursuit's target
         * @param rows   rows evaluated
         * @param spread Σ‖x − x̄‖² of the data
         * @param lambda the report's λ, for the objective
         * @return the row
         */
        GapRow row(String method, int steps, int rows, double spread, double lambda) {
            return new GapRow(method, steps, squaredError / rows, spread > 0 ? squaredError / spread : Double.NaN,
                    (double) active / rows, l1 / rows, (0.5 * codingError + lambda * l1) / rows,
                    nanos / 1e3 / rows, (double) flops / rows);
        }
    }
}
