package org.sae4j.sae.eval;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SparseCodes;
import org.sae4j.sae.refine.LambdaCalibration;
import org.sae4j.sae.refine.RefinedBatch;
import org.sae4j.sae.refine.RefinementMethod;
import org.sae4j.sae.refine.SaeRefiner;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Encodes batches of activations by one {@link EncodingMethod}, keeping what the solvers settle once: FISTA's λ
 * (matched to the encoder's L0 on the first batch unless given) and a pursuit's target L0 (the encoder's, rounded,
 * unless given). Created by {@link EncodingMethod#open}.
 *
 * <pre>{@code
 * try (BatchEncoder encoder = EncodingMethod.FISTA.open(sae, 1024, 0, Float.NaN)) {   // 25 steps, λ calibrated
 *     SparseCode codes = encoder.encode(rows);                          // rows: [n ≤ 1024, d_in]
 *     float lambda = encoder.lambda();                                  // settled on the first batch
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe; owns an input buffer of {@code maxBatch·d_in} floats and, for solvers, a
 * {@link SaeRefiner}, freed by {@link #close()} (the SAE is not closed). Every {@link #encode} allocates its result,
 * and the amortised method a temporary workspace per call.
 */
public final class BatchEncoder implements AutoCloseable {

    /** FISTA steps when none are given. */
    public static final int DEFAULT_FISTA_STEPS = 25;

    /** Rows of the first batch used to calibrate λ or the target L0. */
    private static final int CALIBRATION_ROWS = 128;

    /** The method. */
    private final EncodingMethod method;
    /** The model, borrowed. */
    private final Sae sae;
    /** Largest batch per call. */
    private final int maxBatch;
    /** Owns {@link #input}. */
    private final TensorArena arena;
    /** [maxBatch, d_in] the current batch, for the refiner. */
    private final MemorySegment input;
    /** The solver over the decoder; null for the amortised method. */
    private final SaeRefiner refiner;
    /** FISTA steps or a pursuit's target L0; 0 until settled for a pursuit. */
    private int steps;
    /** FISTA's λ; NaN until calibrated. */
    private float lambda;

    /**
     * An encoder of batches of up to {@code maxBatch} rows.
     *
     * @param method   how codes are inferred
     * @param sae      the model; borrowed, not closed
     * @param maxBatch largest batch, ≥ 1
     * @param steps    FISTA iterations or a pursuit's target L0; 0 picks the default described in the class notes
     * @param lambda   FISTA's L1 weight; NaN calibrates it
     * @throws IllegalArgumentException if {@code maxBatch < 1}, {@code steps < 0}, steps are given to the amortised
     *                                  method, or the solver refuses the SAE (transcoders)
     */
    BatchEncoder(EncodingMethod method, Sae sae, int maxBatch, int steps, float lambda) {
        this.method = Objects.requireNonNull(method, "method");
        this.sae = Objects.requireNonNull(sae, "sae");
        if (maxBatch < 1 || steps < 0) {
            throw new IllegalArgumentException("maxBatch must be >= 1 and steps >= 0, got " + maxBatch + ", "
                    + steps);
        }
        if (!method.iterative() && steps != 0) {
            throw new IllegalArgumentException("--steps applies to iterative methods, not " + method.cliName());
        }
        this.maxBatch = maxBatch;
        this.steps = method == EncodingMethod.FISTA && steps == 0 ? DEFAULT_FISTA_STEPS : steps;
        this.lambda = lambda;
        this.arena = new TensorArena("batch-encoder-" + method.cliName());
        try {
            this.input = arena.allocateFloats((long) maxBatch * sae.dIn());
            this.refiner = method.iterative() ? new SaeRefiner(sae, maxBatch) : null;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Sparse codes of x [rows, d_in] (rows ≤ maxBatch), indices ascending per row, in the SAE's normalised space. The
     * first call settles the defaults on its first rows.
     *
     * @param x [rows, d_in] raw activations; not modified
     * @return new codes of {@code rows} rows over d_sae latents
     * @throws IllegalArgumentException if x is not a whole number of rows or holds more than maxBatch rows
     */
    public SparseCode encode(float[] x) {
        Objects.requireNonNull(x, "x");
        int dIn = sae.dIn();
        if (x.length % dIn != 0 || x.length / dIn > maxBatch) {
            throw new IllegalArgumentException("x has " + x.length + " values: not a whole number of rows of "
                    + dIn + " up to " + maxBatch + " rows");
        }
        if (refiner == null) {
            return sae.encodeSparse(x);
        }
        int rows = x.length / dIn;
        MemorySegment.copy(x, 0, input, Layouts.F32, 0, x.length);
        settle(rows);
        RefinementMethod solver = switch (method) {
            case FISTA -> new RefinementMethod.Fista(steps, lambda);
            case MATCHING_PURSUIT -> new RefinementMethod.MatchingPursuit(steps);
            case ORTHOGONAL_MATCHING_PURSUIT -> new RefinementMethod.OrthogonalMatchingPursuit(steps);
            case AMORTISED -> throw new IllegalStateException("the encoder needs no refiner");
        };
        RefinedBatch refined = refiner.refine(input, rows, solver);
        return SparseCodes.fromDense(refined.codes(), rows, sae.dSae());
    }

    /**
     * FISTA steps or target L0 in use (after the first batch for defaults); 0 for the amortised method.
     *
     * @return the steps or target
     */
    public int steps() {
        return steps;
    }

    /**
     * FISTA's λ in use (after the first batch when calibrated); NaN for other methods.
     *
     * @return λ, or NaN
     */
    public float lambda() {
        return method == EncodingMethod.FISTA ? lambda : Float.NaN;
    }

    /** Frees the input buffer and the refiner; the SAE is untouched. */
    @Override
    public void close() {
        if (refiner != null) {
            refiner.close();
        }
        arena.close();
    }

    /**
     * Resolves the defaults on the first batch, from the encoder's own sparsity there.
     *
     * @param rows rows of the batch in the input buffer
     */
    private void settle(int rows) {
        boolean needsLambda = method == EncodingMethod.FISTA && Float.isNaN(lambda);
        boolean needsTarget = method != EncodingMethod.FISTA && steps == 0;
        if (!needsLambda && !needsTarget) {
            return;
        }
        int calibrationRows = Math.min(rows, CALIBRATION_ROWS);
        RefinedBatch encoded = refiner.refine(input, calibrationRows, new RefinementMethod.Amortised());
        double encoderL0 = (double) encoded.activeLatents() / calibrationRows;
        if (needsTarget) {
            steps = (int) Math.max(1, Math.round(encoderL0));
        } else if (encoderL0 > 0) {
            lambda = LambdaCalibration.matchL0(refiner, input, calibrationRows, encoderL0, steps,
                    LambdaCalibration.DEFAULT_TOLERANCE, LambdaCalibration.DEFAULT_MAX_PROBES).lambda();
        } else {
            lambda = refiner.estimateLambda(input, calibrationRows);
        }
    }
}
