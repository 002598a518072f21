package org.sae4j.sae.eval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.sae4j.io.ActivationFile;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeWorkspace;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

/**
 * Evaluates an SAE (or transcoder) on activations batch by batch, so only one batch of codes and reconstructions is
 * ever held: reconstruction metrics against the target in the de-normalised space ({@link Sae#forward}), sparsity and
 * feature density over the codes, and a second, SAE-free pass over the targets for the legacy explained variance.
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
     * @param options  batch size and dense threshold
     * @param progress told, after each batch of the encoding pass, the number of rows done so far (a running total, up
     *                 to the row count)
     * @return the metrics
     * @throws IllegalArgumentException if a width or row count does not match, the input is empty, or a transcoder has
     *                                  no target
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
        ReconstructionStats reconstruction = new ReconstructionStats(sae.dOut());
        LatentStats latents = new LatentStats(sae.dSae());
        int batch = (int) Math.min(options.batchRows(), input.rows());
        try (SaeWorkspace ws = sae.newWorkspace(batch); Arena buffers = Arena.ofConfined()) {
            MemorySegment xs = buffers.allocate((long) batch * sae.dIn() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            MemorySegment out = buffers.allocate((long) batch * sae.dOut() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            for (long first = 0; first < input.rows(); first += batch) {
                int rows = (int) Math.min(batch, input.rows() - first);
                float[] x = input.readRows(first, rows);
                MemorySegment.copy(x, 0, xs, Layouts.F32, 0, x.length);
                // one encode gives both the codes and the de-normalised output (skip term included)
                SparseCode codes = sae.forward(xs, rows, out, ws);
                float[] xHat = out.asSlice(0, (long) rows * sae.dOut() * Float.BYTES).toArray(Layouts.F32);
                float[] y = target != null ? target.readRows(first, rows) : x;
                reconstruction.add(y, xHat, rows);
                latents.add(codes);
                progress.accept(first + rows);
            }
        }
        for (long first = 0; first < compared.rows(); first += batch) {
            int rows = (int) Math.min(batch, compared.rows() - first);
            reconstruction.addLegacyPass(compared.readRows(first, rows), rows);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EvalResult(reconstruction.tokens(), reconstruction.mseSum(), reconstruction.mseMean(),
                reconstruction.fvu(), reconstruction.explainedVariance(), reconstruction.legacyExplainedVariance(),
                latents.l0(), latents.l1(), reconstruction.cosineSimilarity(), reconstruction.normRatio(),
                reconstruction.relativeReconstructionBias(), latents.density(options.denseThreshold()), seconds);
    }
}
