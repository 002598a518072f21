package org.sae4j.sae.refine;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.sae.RowNormaliser;
import org.sae4j.sae.Sae;
import org.sae4j.solve.Fista;
import org.sae4j.solve.FistaOptions;
import org.sae4j.solve.FistaResult;
import org.sae4j.solve.FistaWorkspace;
import org.sae4j.solve.Pursuit;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Infers codes for a loaded SAE by any {@link RefinementMethod}, decoding them with the SAE's own decoder.
 *
 * <pre>{@code
 * try (SaeRefiner refiner = new SaeRefiner(sae, 256)) {
 *     RefinedBatch amortised = refiner.refine(x, new RefinementMethod.Amortised());   // x: a 256 x d_in DenseMatrix
 *     double errorBefore = amortised.squaredError();                  // read before the next call reuses the buffers
 *     RefinedBatch refined = refiner.refine(x, new RefinementMethod.Fista(25, 0.05f));
 *     double errorAfter = refined.squaredError();
 * }
 * }</pre>
 *
 * <p>Every method solves the same problem: the target is {@code t = normalise(x) − b_dec} and the reconstruction
 * {@code z·W_dec + b_dec}, de-normalised, because that is how the SAE decodes, whether or not its encoder subtracts
 * {@code b_dec} from its input. FISTA's step is {@code 1/L} with L the power-iteration bound of
 * {@link Fista#lipschitzBound} on the decoder, estimated once on first use. Transcoders are refused: their target is
 * another layer's activations, which a refiner of the input cannot see.
 *
 * <p><b>Note:</b> not thread-safe (one refiner per thread); owns off-heap buffers of about
 * {@code 4·maxBatch·(d_sae + d_in)} floats plus, created on first use, the FISTA workspace and the pursuit, all freed
 * by {@link #close()}. The SAE must outlive the refiner. Each {@link #refine} allocates a little on the heap (a
 * {@link RowNormaliser}, the encoder's temporary workspace, the result record); the buffers its result points to are
 * the refiner's own and are overwritten by the next call.
 */
public final class SaeRefiner implements AutoCloseable {

    /** The model whose decoder defines the problem. */
    private final Sae sae;
    /** Largest batch per call. */
    private final int maxBatch;
    /** Input width. */
    private final int dIn;
    /** Latents. */
    private final int dSae;
    /** Owns the four buffers below. */
    private final TensorArena arena;
    /** [maxBatch, dIn] t = x' − b_dec. */
    private final MemorySegment target;
    /** [maxBatch, dSae] the codes of the last call. */
    private final MemorySegment codes;
    /** [maxBatch, dIn] the last call's reconstruction in the input space. */
    private final MemorySegment reconstruction;
    /** [maxBatch, dIn] residuals. */
    private final MemorySegment scratch;
    /** [dSae] one row of codes, for counting. */
    private final float[] codeRow;
    /** FISTA's scratch, made on first use. */
    private FistaWorkspace fistaWorkspace;
    /** The pursuit over the decoder, made on first use; its correlation buffer also serves {@link #estimateLambda}. */
    private Pursuit pursuit;
    /** FISTA's step 1/L; 0 until estimated. */
    private float stepSize;

    /**
     * A refiner for batches of up to {@code maxBatch} rows.
     *
     * @param sae      an fp32 SAE that reconstructs its input; read, not modified
     * @param maxBatch largest batch, ≥ 1
     * @throws IllegalArgumentException if {@code maxBatch < 1}, the SAE is a transcoder, has a skip connection or keeps
     *                                  bf16 weights
     */
    public SaeRefiner(Sae sae, int maxBatch) {
        this.sae = Objects.requireNonNull(sae, "sae");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (sae.config().architecture().isTranscoder()) {
            throw new IllegalArgumentException(sae.config().architecture().saeLensName()
                    + " writes another layer's activations; refinement needs an SAE that reconstructs its input");
        }
        if (sae.hasSkip()) {
            throw new IllegalArgumentException("the SAE has a skip connection (W_skip): its output is not the "
                    + "decoder's alone, so refining codes against its input is not defined here");
        }
        if (sae.weightPrecision() != DType.F32) {
            throw new IllegalArgumentException("refinement reads the decoder in fp32; refine with the fp32 model, "
                    + "not its " + sae.weightPrecision() + " copy");
        }
        this.maxBatch = maxBatch;
        this.dIn = sae.dIn();
        this.dSae = sae.dSae();
        this.arena = new TensorArena("sae-refiner-" + maxBatch + "x" + dSae + "x" + dIn);
        this.target = arena.allocateFloats((long) maxBatch * dIn);
        this.codes = arena.allocateFloats((long) maxBatch * dSae);
        this.reconstruction = arena.allocateFloats((long) maxBatch * dIn);
        this.scratch = arena.allocateFloats((long) maxBatch * dIn);
        this.codeRow = new float[dSae];
    }

    /**
     * Largest batch one call accepts.
     *
     * @return the size given at construction
     */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The SAE whose decoder defines the problem.
     *
     * @return the model given at construction
     */
    public Sae sae() {
        return sae;
    }

    /**
     * FISTA's step {@code 1/L}; estimated by power iteration on the first call.
     *
     * @return the step, &gt; 0
     * @throws IllegalStateException if the decoder is all zeros
     */
    public float stepSize() {
        if (stepSize == 0f) {
            double lipschitz = Fista.lipschitzBound(decoder(), fista(), FistaOptions.DEFAULT_POWER_ITERATIONS,
                    FistaOptions.DEFAULT_POWER_SEED);
            if (lipschitz <= 0) {
                throw new IllegalStateException("the decoder is all zeros: no codes can reconstruct anything");
            }
            stepSize = (float) (1 / lipschitz);
        }
        return stepSize;
    }

    /**
     * Infers codes for x [batch, d_in] (raw activations, fp32, native) and measures their reconstruction; only the
     * inference itself is timed.
     *
     * @param x      [batch, d_in] raw activations, fp32, any row stride (copied row by row); batch in [1, maxBatch];
     *               not modified
     * @param method how the codes are inferred
     * @return the codes, the reconstruction and their measures; the segments are this refiner's buffers, valid until
     *         its next call
     * @throws IllegalArgumentException if x is not fp32, has another width than d_in, or its row count is outside
     *                                  [1, maxBatch]
     */
    public RefinedBatch refine(DenseMatrix x, RefinementMethod method) {
        Objects.requireNonNull(x, "x").requireF32("x", dIn, "d_in");
        Objects.requireNonNull(method, "method");
        int batch = x.rows();
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], got " + batch);
        }
        if (method instanceof RefinementMethod.Fista) {
            stepSize();  // estimated once, outside the timed region
        }
        RowNormaliser normaliser = new RowNormaliser(sae.config().normalisation(), batch);
        long start = System.nanoTime();
        prepareTarget(x, normaliser);
        long flops = switch (method) {
            case RefinementMethod.Amortised amortised -> encode(x);
            case RefinementMethod.Fista solve -> encode(x) + runFista(batch, solve);
            case RefinementMethod.MatchingPursuit mp -> pursuit().run(batch, mp.targetL0(), false);
            case RefinementMethod.OrthogonalMatchingPursuit omp -> pursuit().run(batch, omp.targetL0(), true);
        };
        long nanos = System.nanoTime() - start;
        return measure(x, normaliser, nanos, flops);
    }

    /**
     * An estimate of the L1 weight at which the SAE's own codes would be optimal: for a minimiser of the non-negative
     * lasso, every active latent j satisfies {@code (t − z·W_dec)·W_dec[j] = λ}, so the mean of that correlation over
     * the encoder's active latents is the λ its codes are closest to obeying. Falls back to 5% of the mean per-row
     * {@code max_j t·W_dec[j]} (the λ above which all codes vanish) when no latent is active or the mean is not
     * positive. Overwrites the buffers of the last {@link #refine}.
     *
     * @param x [batch, d_in] raw activations, fp32, any row stride; batch in [1, maxBatch]; not modified
     * @return the estimate, ≥ 0
     * @throws IllegalArgumentException as {@link #refine}
     */
    public float estimateLambda(DenseMatrix x) {
        refine(x, new RefinementMethod.Amortised());
        int batch = x.rows();
        MemorySegment correlations = pursuit().correlations();
        residualOfCodes(batch);
        Kernels.gemmNT(batch, dSae, dIn, 1f, scratch, 0, dIn, sae.decoder(), 0, dIn, 0f, correlations, 0, dSae);
        double sum = 0;
        long count = 0;
        float[] correlationRow = new float[dSae];
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(codes, Layouts.F32, (long) r * dSae * Float.BYTES, codeRow, 0, dSae);
            MemorySegment.copy(correlations, Layouts.F32, (long) r * dSae * Float.BYTES, correlationRow, 0, dSae);
            for (int j = 0; j < dSae; j++) {
                if (codeRow[j] != 0f) {
                    sum += correlationRow[j];
                    count++;
                }
            }
        }
        if (count > 0 && sum > 0) {
            return (float) (sum / count);
        }
        Kernels.gemmNT(batch, dSae, dIn, 1f, target, 0, dIn, sae.decoder(), 0, dIn, 0f, correlations, 0, dSae);
        double maxima = 0;
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(correlations, Layouts.F32, (long) r * dSae * Float.BYTES, correlationRow, 0, dSae);
            float max = 0f;
            for (float c : correlationRow) {
                max = Math.max(max, c);
            }
            maxima += max;
        }
        return (float) (0.05 * maxima / batch);
    }

    /**
     * Frees the buffers, the FISTA workspace and the pursuit; the SAE is untouched. Not idempotent: a second call
     * throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (fistaWorkspace != null) {
            fistaWorkspace.close();
        }
        if (pursuit != null) {
            pursuit.close();
        }
        arena.close();
    }

    // ---- internals ----

    /**
     * {@code t = normalise(x) − b_dec} into the target buffer, recording the rows' statistics.
     *
     * @param x          [batch, d_in] raw activations; not modified
     * @param normaliser receives the statistics
     */
    private void prepareTarget(DenseMatrix x, RowNormaliser normaliser) {
        int batch = x.rows();
        copyRows(x, target);
        normaliser.normalise(target, batch, dIn);
        for (int r = 0; r < batch; r++) {
            Kernels.axpy(dIn, -1f, sae.decoderBias(), 0, target, (long) r * dIn);
        }
    }

    /**
     * The SAE's own codes of x into the code buffer.
     *
     * @param x [batch, d_in] raw activations; not modified
     * @return the FLOPs counted for the encoder, {@code 2·batch·d_sae·d_in}
     */
    private long encode(DenseMatrix x) {
        sae.encode(x, DenseMatrix.f32(codes, x.rows(), dSae));
        return 2L * x.rows() * dSae * dIn;
    }

    /**
     * Warm-started non-negative FISTA from the codes in the buffer, for exactly {@code solve.steps()} iterations.
     *
     * @param batch rows
     * @param solve the steps and λ
     * @return FLOPs spent
     */
    private long runFista(int batch, RefinementMethod.Fista solve) {
        if (solve.steps() == 0) {
            return 0;
        }
        FistaOptions options = FistaOptions.of(solve.lambda())
                .withConstraint(FistaOptions.Constraint.NON_NEGATIVE)
                .withMethod(FistaOptions.Method.FISTA)
                .withStart(FistaOptions.Start.WARM)
                .withMaxIterations(solve.steps())
                .withTolerance(0)
                .withStepSize(stepSize);
        FistaResult result = Fista.solve(DenseMatrix.f32(target, batch, dIn), decoder(),
                DenseMatrix.f32(codes, batch, dSae), options, fista(), null);
        return result.totalFlops();
    }

    /**
     * scratch = t − z·W_dec for the first {@code batch} rows.
     *
     * @param batch rows
     */
    private void residualOfCodes(int batch) {
        MemorySegment.copy(target, 0, scratch, 0, (long) batch * dIn * Float.BYTES);
        Kernels.gemm(batch, dIn, dSae, -1f, codes, 0, dSae, sae.decoder(), 0, dIn, 1f, scratch, 0, dIn);
    }

    /**
     * Decodes the codes, maps the reconstruction back to the input space and measures it against x.
     *
     * @param x          [batch, d_in] raw activations; not modified
     * @param normaliser the statistics of the rows' normalisation
     * @param nanos      time of the inference
     * @param flops      FLOPs of the inference
     * @return the result, viewing this refiner's buffers
     */
    private RefinedBatch measure(DenseMatrix x, RowNormaliser normaliser, long nanos, long flops) {
        int batch = x.rows();
        residualOfCodes(batch);
        double codingError = sumRowSquares(scratch, batch);
        // x̂' = t − residual + b_dec, then back to the input space
        MemorySegment.copy(target, 0, reconstruction, 0, (long) batch * dIn * Float.BYTES);
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * dIn;
            Kernels.axpy(dIn, -1f, scratch, offset, reconstruction, offset);
            Kernels.axpy(dIn, 1f, sae.decoderBias(), 0, reconstruction, offset);
        }
        normaliser.denormalise(reconstruction, batch, dIn);
        copyRows(x, scratch);
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * dIn;
            Kernels.axpy(dIn, -1f, reconstruction, offset, scratch, offset);
        }
        double squaredError = sumRowSquares(scratch, batch);
        long active = 0;
        double l1 = 0;
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(codes, Layouts.F32, (long) r * dSae * Float.BYTES, codeRow, 0, dSae);
            for (float v : codeRow) {
                if (v != 0f) {
                    active++;
                    l1 += Math.abs(v);
                }
            }
        }
        return new RefinedBatch(batch, codes.asSlice(0, (long) batch * dSae * Float.BYTES),
                reconstruction.asSlice(0, (long) batch * dIn * Float.BYTES), squaredError, codingError, active, l1,
                nanos, flops);
    }

    /**
     * Copies the rows of x into the front of {@code packed}: one block when x's rows are contiguous, else row by row.
     *
     * @param x      [batch, d_in] fp32 rows, any row stride; not modified
     * @param packed [maxBatch, d_in] buffer; modified in its first batch rows
     */
    private void copyRows(DenseMatrix x, MemorySegment packed) {
        long rowBytes = (long) dIn * Float.BYTES;
        if (x.isPacked()) {
            MemorySegment.copy(x.segment(), x.offset() * Float.BYTES, packed, 0, x.rows() * rowBytes);
            return;
        }
        for (int r = 0; r < x.rows(); r++) {
            MemorySegment.copy(x.segment(), (x.offset() + (long) r * x.rowStride()) * Float.BYTES, packed,
                    r * rowBytes, rowBytes);
        }
    }

    /**
     * Σ over rows of ‖row‖², summed in double.
     *
     * @param rows  [batch, d_in]; not modified
     * @param batch rows
     * @return the sum
     */
    private double sumRowSquares(MemorySegment rows, int batch) {
        double sum = 0;
        for (int r = 0; r < batch; r++) {
            sum += Kernels.sumSquares(dIn, rows, (long) r * dIn);
        }
        return sum;
    }

    /**
     * The SAE's decoder as a dictionary view.
     *
     * @return [d_sae, d_in] fp32
     */
    private DenseMatrix decoder() {
        return DenseMatrix.f32(sae.decoder(), dSae, dIn);
    }

    /**
     * FISTA's workspace, made on first use.
     *
     * @return the workspace for (maxBatch, d_sae, d_in)
     */
    private FistaWorkspace fista() {
        if (fistaWorkspace == null) {
            fistaWorkspace = new FistaWorkspace(maxBatch, dSae, dIn);
        }
        return fistaWorkspace;
    }

    /**
     * The pursuit over the decoder and this refiner's buffers, made on first use.
     *
     * @return the pursuit
     */
    private Pursuit pursuit() {
        if (pursuit == null) {
            pursuit = new Pursuit(sae.decoder(), dSae, dIn, maxBatch, target, codes, scratch);
        }
        return pursuit;
    }
}
