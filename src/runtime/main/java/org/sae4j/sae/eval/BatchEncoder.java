package org.sae4j.sae.eval;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeWorkspace;
import org.sae4j.sae.SparseCodes;
import org.sae4j.sae.refine.LambdaCalibration;
import org.sae4j.sae.refine.RefinedBatch;
import org.sae4j.sae.refine.RefinementMethod;
import org.sae4j.sae.refine.SaeRefiner;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.SparseCode;

/**
 * Encodes a stream of batches by one {@link EncodingMethod}, keeping what the solvers settle once: FISTA's λ
 * (matched to the encoder's L0 on the first batch unless given) and a pursuit's target L0 (the encoder's, rounded,
 * unless given). Batches come as fp32 {@link DenseMatrix} views (a view of a mapped activation file, say) and leave as CSR codes in a
 * buffer of the encoder, or as dense codes written where the caller says, so a whole run reuses one set of buffers.
 *
 * <pre>{@code
 * try (BatchEncoder encoder = EncodingMethod.AMORTISED.open(sae, 1024, 0, Float.NaN)) {
 *     for (long first = 0; first < x.rows(); first += 1024) {
 *         int rows = (int) Math.min(1024, x.rows() - first);
 *         SparseCode codes = encoder.encode(x.rows(first, rows, scratch));   // valid until the next call
 *         writer.append(codes);
 *     }
 * }
 * }</pre>
 *
 * <p>The amortised method runs the SAE's encoder with one {@link SaeWorkspace} of the encoder's own, and
 * {@link #encode} returns the workspace's CSR buffer; the solvers run a {@link SaeRefiner} and compact its dense codes
 * into a CSR buffer of the encoder. Either way the codes {@link #encode} returns belong to the encoder and stay valid
 * only until its next call: a caller that keeps them copies them first. Whichever buffer is in use grows to the
 * largest batch's code count and is then reused.
 *
 * <p><b>Note:</b> not thread-safe (one encoder per thread). Owns, for {@code maxBatch} rows, the workspace (amortised)
 * or the refiner and the on-heap code buffer (solvers); {@link #close()} frees the workspace or the refiner. The SAE
 * is borrowed and must outlive the encoder. The amortised method allocates nothing in steady state; each solver batch allocates a little, as
 * {@link SaeRefiner#refine} does, and the first one runs the calibration.
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
    /** The encoder's scratch and code buffer for the amortised method; null for the solvers. */
    private final SaeWorkspace workspace;
    /** Runs the solvers on the SAE's decoder; null for the amortised method. */
    private final SaeRefiner refiner;
    /**
     * [maxBatch, d_sae] CSR codes of the last solver batch, replaced by a larger one when a batch needs more; null for
     * the amortised method.
     */
    private SparseCode codes;
    /**
     * FISTA iterations or a pursuit's target L0; for a pursuit given none, 0 until the first batch settles it; always
     * 0 for the amortised method.
     */
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
        this.refiner = method.iterative() ? new SaeRefiner(sae, maxBatch) : null;
        this.workspace = method.iterative() ? null : sae.newWorkspace(maxBatch);
        this.codes = method.iterative() ? SparseCode.withCapacity(maxBatch, sae.dSae(), sae.dSae()) : null;
    }

    /**
     * Sparse codes of x [rows, d_in] (rows ≤ maxBatch), indices ascending per row, only non-zero values kept, as the
     * SAE's decoder reads them. For the solvers, the first call settles the defaults on its first rows (at most 128).
     *
     * @param x fp32 [rows, d_in] raw activations, any row stride; rows in [0, maxBatch] for the amortised method,
     *          [1, maxBatch] for the solvers (the refiner refuses an empty batch); not modified
     * @return the workspace's code buffer (amortised) or this encoder's (solvers), valid until the next call
     * @throws org.sae4j.io.NonFiniteInputException if a value of x is NaN or infinite, for the methods that run the
     *                                              SAE's encoder (amortised, FISTA's warm start, a calibration)
     * @throws IllegalArgumentException              if x is not fp32, has another width than d_in, or its row count
     *                                               is outside the range above
     */
    public SparseCode encode(DenseMatrix x) {
        checkRows(x);
        if (refiner == null) {
            return sae.encodeSparse(x, workspace);
        }
        codes = SparseCodes.fromDense(refine(x).codes(), x.rows(), sae.dSae(), codes);
        return codes;
    }

    /**
     * Dense codes of x [rows, d_in] (rows ≤ maxBatch) into z. For the solvers, the first call settles the defaults
     * on its first rows (at most 128).
     *
     * @param x fp32 [rows, d_in] raw activations, any row stride; rows as for {@link #encode}; not modified
     * @param z fp32 [rows, d_sae] with contiguous rows (written as one packed block); modified: the codes, zeros for
     *          inactive latents
     * @return the number of non-zero codes written
     * @throws org.sae4j.io.NonFiniteInputException as {@link #encode}
     * @throws IllegalArgumentException              if a view is not fp32 or has the wrong width, z has another row
     *                                               count than x or non-contiguous rows, or the row count is outside
     *                                               the range above
     */
    public long encodeDense(DenseMatrix x, DenseMatrix z) {
        checkRows(x);
        int rows = x.rows();
        int dSae = sae.dSae();
        Objects.requireNonNull(z, "z").requirePackedF32("z", dSae, "d_sae");
        if (z.rows() != rows) {
            throw new IllegalArgumentException("z has " + z.rows() + " rows, x has " + rows);
        }
        MemorySegment out = z.packedSegment();
        if (refiner == null) {
            sae.encode(x, z, workspace);
        } else {
            MemorySegment.copy(refine(x).codes(), 0, out, 0, (long) rows * dSae * Float.BYTES);
        }
        return SparseCodes.countNonZero(out, rows, dSae);
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

    /** Frees the workspace (amortised) or the refiner (solvers); the SAE is untouched. Not idempotent. */
    @Override
    public void close() {
        if (refiner != null) {
            refiner.close();
        }
        if (workspace != null) {
            workspace.close();
        }
    }

    /**
     * Checks an input view: fp32, d_in columns, a row count within this encoder's capacity.
     *
     * @param x the input view
     * @throws IllegalArgumentException if x is not fp32, has another width, or its row count exceeds maxBatch
     */
    private void checkRows(DenseMatrix x) {
        Objects.requireNonNull(x, "x").requireF32("x", sae.dIn(), "d_in");
        int rows = x.rows();
        if (rows > maxBatch) {
            throw new IllegalArgumentException("batch of " + rows + " rows outside [0, " + maxBatch + "]");
        }
    }

    /**
     * Runs this encoder's solver on x, settling its defaults first.
     *
     * @param x fp32 [rows, d_in] raw activations, rows in [1, maxBatch]; not modified
     * @return the refiner's result, viewing its buffers until its next call
     * @throws IllegalStateException for the amortised method, which has no refiner
     */
    private RefinedBatch refine(DenseMatrix x) {
        settle(x);
        RefinementMethod solver = switch (method) {
            case FISTA -> new RefinementMethod.Fista(steps, lambda);
            case MATCHING_PURSUIT -> new RefinementMethod.MatchingPursuit(steps);
            case ORTHOGONAL_MATCHING_PURSUIT -> new RefinementMethod.OrthogonalMatchingPursuit(steps);
            case AMORTISED -> throw new IllegalStateException("the encoder needs no refiner");
        };
        return refiner.refine(x, solver);
    }

    /**
     * Resolves the defaults on the first batch, from the encoder's own sparsity on its first (at most 128) rows: a
     * pursuit's target L0 is the encoder's mean L0 rounded (at least 1); FISTA's λ is the one whose codes match that
     * L0 ({@link LambdaCalibration#matchL0}), or {@link SaeRefiner#estimateLambda}'s estimate when the encoder's codes
     * are all zero. Does nothing once settled, or when the caller gave the values.
     *
     * @param x fp32 [rows, d_in] raw activations, rows ≥ 1; not modified
     */
    private void settle(DenseMatrix x) {
        int rows = x.rows();
        boolean needsLambda = method == EncodingMethod.FISTA && Float.isNaN(lambda);
        boolean needsTarget = method != EncodingMethod.FISTA && steps == 0;
        if (!needsLambda && !needsTarget) {
            return;
        }
        int calibrationRows = Math.min(rows, CALIBRATION_ROWS);
        DenseMatrix calibration = x.rows(0, calibrationRows);
        RefinedBatch encoded = refiner.refine(calibration, new RefinementMethod.Amortised());
        double encoderL0 = (double) encoded.activeLatents() / calibrationRows;
        if (needsTarget) {
            steps = (int) Math.max(1, Math.round(encoderL0));
        } else if (encoderL0 > 0) {
            lambda = LambdaCalibration.matchL0(refiner, calibration, encoderL0, steps,
                    LambdaCalibration.DEFAULT_TOLERANCE, LambdaCalibration.DEFAULT_MAX_PROBES).lambda();
        } else {
            lambda = refiner.estimateLambda(calibration);
        }
    }
}
