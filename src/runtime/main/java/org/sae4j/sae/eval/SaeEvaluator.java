package org.sae4j.sae.eval;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeWorkspace;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Evaluates an SAE (or transcoder) on activations batch by batch, so only one batch of codes and reconstructions is
 * ever held: reconstruction metrics against the target in the de-normalised space ({@link Sae#forward}), sparsity
 * and feature density over the codes, and a second, SAE-free pass over the targets for the legacy explained
 * variance. Rows holding a NaN or an infinity are refused, skipped or zeroed as {@link EvalOptions#nonFinite()} says,
 * before they reach the SAE.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("eval");
 *      Sae sae = SaeLoader.load(Path.of("blocks.8.hook_resid_pre"))) {
 *     ActivationFile input = ActivationFile.open(Path.of("resid_pre_8.npy"), null, arena);
 *     EvalResult result = SaeEvaluator.evaluate(sae, input, null, EvalOptions.defaults(), done -> { });
 *     double fvu = result.fvu();
 * }
 * }</pre>
 *
 * <p><b>Note:</b> stateless and thread-safe. One evaluation uses one workspace and two batch buffers of its own, and
 * allocates per batch (the rows read from the files and the reconstruction copied out).
 */
public final class SaeEvaluator {

    /** Not instantiable: one static evaluation. */
    private SaeEvaluator() {
    }

    /**
     * Evaluates {@code sae} on {@code input}.
     *
     * @param sae      the model; borrowed, not closed
     * @param input    [rows, d_in] activations the model encodes
     * @param target   what the output is compared with: required for transcoders (their output activations);
     *                 {@code null} means the input itself
     * @param options  batch size, dense threshold and what to do with rows holding a NaN or an infinity
     *                 ({@link EvalOptions#nonFinite()}): refuse them, leave them out of every metric (a row of the
     *                 input or of the target leaves the pair out), or evaluate them as zeros
     * @param progress told the number of rows done after each batch of the encoding pass
     * @return the reconstruction, sparsity and density metrics over the rows kept, with the counts of rows skipped
     *         or zeroed and the wall time
     * @throws org.sae4j.io.NonFiniteInputException with {@link NonFinitePolicy#REFUSE}, naming the file, row and
     *                                              column of the first NaN or infinity of the input or target
     * @throws IllegalArgumentException             if a width or row count does not match, the input is empty,
     *                                              every row is skipped, or a transcoder has no target
     */
    public static EvalResult evaluate(Sae sae, ActivationFile input, ActivationFile target, EvalOptions options,
            LongConsumer progress) {
        Objects.requireNonNull(sae, "sae");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        input.requireCols(sae.dIn(), "the SAE's d_in");
        if (target == null && sae.config().architecture().isTranscoder()) {
            throw new IllegalArgumentException("a transcoder is evaluated against its output activations: give "
                    + "--target with [rows, " + sae.dOut() + "]");
        }
        ActivationFile compared = target != null ? target : input;
        compared.requireCols(sae.dOut(), "the SAE's d_out");
        if (compared.rows() != input.rows()) {
            throw new IllegalArgumentException(compared.source() + " has " + compared.rows() + " rows, "
                    + input.source() + " has " + input.rows());
        }
        if (input.rows() == 0) {
            throw new IllegalArgumentException(input.source() + " has no rows");
        }
        long start = System.nanoTime();
        NonFinitePolicy policy = options.nonFinite();
        int dIn = sae.dIn();
        int dOut = sae.dOut();
        ReconstructionStats reconstruction = new ReconstructionStats(dOut);
        LatentStats latents = new LatentStats(sae.dSae());
        long affected = 0;
        int batch = (int) Math.min(options.batchRows(), input.rows());
        // a shared arena: the kernel threads of the caller's context may read and write these buffers, where a
        // confined one kept every batch on the calling thread
        try (SaeWorkspace ws = sae.newWorkspace(batch); TensorArena buffers = new TensorArena("eval-batches")) {
            MemorySegment xs = buffers.allocateFloats((long) batch * dIn);
            MemorySegment out = buffers.allocateFloats((long) batch * dOut);
            for (long first = 0; first < input.rows(); first += batch) {
                int rows = (int) Math.min(batch, input.rows() - first);
                float[] x = input.readRows(first, rows);
                float[] y = target != null ? target.readRows(first, rows) : x;
                int changed = applyPolicy(policy, input, x, target, y, rows, first);
                affected += changed;
                int kept = policy == NonFinitePolicy.SKIP_ROWS ? rows - changed : rows;
                if (kept > 0) {
                    MemorySegment.copy(x, 0, xs, Layouts.F32, 0, kept * dIn);
                    // one encode gives both the codes and the de-normalised output (skip term included)
                    SparseCode codes = sae.forward(DenseMatrix.f32(xs, kept, dIn), DenseMatrix.f32(out, kept, dOut), ws);
                    float[] xHat = out.asSlice(0, (long) kept * dOut * Float.BYTES).toArray(Layouts.F32);
                    reconstruction.add(y, xHat, kept);
                    latents.add(codes);
                }
                progress.accept(first + rows);
            }
        }
        if (reconstruction.tokens() == 0) {
            throw new IllegalArgumentException(input.source() + ": every one of its " + input.rows() + " rows"
                    + (target != null ? " (or its target row)" : "") + " holds a NaN or an infinity; nothing is "
                    + "left to evaluate");
        }
        // the legacy pass replays the same rows: skipped ones are found again, zeroed ones zeroed again
        for (long first = 0; first < compared.rows(); first += batch) {
            int rows = (int) Math.min(batch, compared.rows() - first);
            float[] y = compared.readRows(first, rows);
            int kept = rows;
            if (policy == NonFinitePolicy.SKIP_ROWS && target != null) {
                kept -= applyPolicy(policy, input, input.readRows(first, rows), target, y, rows, first);
            } else if (policy != NonFinitePolicy.REFUSE) {
                int changed = policy.apply(y, rows, dOut, compared.source(), first);
                if (policy == NonFinitePolicy.SKIP_ROWS) {
                    kept -= changed;
                }
            }
            reconstruction.addLegacyPass(y, kept);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long skipped = policy == NonFinitePolicy.SKIP_ROWS ? affected : 0;
        long zeroed = policy == NonFinitePolicy.ZERO_ROWS ? affected : 0;
        return new EvalResult(reconstruction.tokens(), reconstruction.mseSum(), reconstruction.mseMean(),
                reconstruction.fvu(), reconstruction.explainedVariance(), reconstruction.legacyExplainedVariance(),
                latents.l0(), latents.l1(), reconstruction.cosineSimilarity(), reconstruction.normRatio(),
                reconstruction.relativeReconstructionBias(), latents.density(options.denseThreshold()), skipped,
                zeroed, seconds);
    }

    /**
     * Applies {@code policy} to one batch of inputs and, when there is one, of targets read in step; returns the
     * rows skipped or zeroed.
     *
     * @param policy what to do with non-finite rows
     * @param input  the input file, for its width and its name in messages
     * @param x      [rows, d_in] input rows; modified by the policy (not by {@link NonFinitePolicy#REFUSE})
     * @param target the target file, or null when the input is its own target
     * @param y      [rows, d_out] target rows read in step with x; modified likewise; ignored when target is null
     * @param rows   rows in the batch
     * @param first  the files' row that is the batch's row 0, for messages
     * @return the rows skipped or zeroed; 0 for {@link NonFinitePolicy#REFUSE}, which throws instead
     * @throws org.sae4j.io.NonFiniteInputException with {@link NonFinitePolicy#REFUSE}, at the first non-finite value
     */
    private static int applyPolicy(NonFinitePolicy policy, ActivationFile input, float[] x, ActivationFile target,
            float[] y, int rows, long first) {
        return target == null
                ? policy.apply(x, rows, input.cols(), input.source(), first)
                : policy.apply(x, input.cols(), input.source(), y, target.cols(), target.source(), rows, first);
    }
}
