package org.sae4j.sae.refine;

import java.lang.foreign.MemorySegment;

/**
 * The outcome of one {@link SaeRefiner#refine} call. The segments are views of the refiner's buffers: valid until
 * its next call, read-only by contract.
 *
 * @param rows           rows refined
 * @param codes          [rows, d_sae] codes in the SAE's normalised space
 * @param reconstruction [rows, d_in] the decoded codes mapped back to the input space
 * @param squaredError   Σ over rows of ‖x − x̂‖² in the input space
 * @param codingError    Σ over rows of ‖x' − b_dec − z·W_dec‖² in the normalised space (twice the data term of the
 *                       FISTA objective)
 * @param activeLatents  number of non-zero codes over all rows
 * @param l1             Σ over rows of ‖z‖₁
 * @param nanos          wall time of the inference alone (encoder and solver, not the measurements above)
 * @param flops          floating-point operations of the inference: 2 per multiply-add in matrix products, as in
 *                       the paper lab's FLOP counters ({@code org.sae4j.lab.metrics.Flops})
 */
public record RefinedBatch(int rows, MemorySegment codes, MemorySegment reconstruction, double squaredError,
        double codingError, long activeLatents, double l1, long nanos, long flops) {
}
