package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * How far a reduced-precision copy of a model drifts from its fp32 original on a batch of inputs.
 *
 * <p>The pre-activation error is relative to {@code ‖w_j‖·‖x'‖} (w_j the fp32 encoder row, x' the prepared input
 * row) because that scale bounds it: rounding w to bf16 moves {@code h_j} by at most
 * {@code 2⁻⁸·Σ_i|w_ji·x'_i| ≤ 2⁻⁸·‖w_j‖·‖x'‖} (Cauchy–Schwarz), plus fp32 accumulation error in both models, so
 * {@link #maxRelativePreActivationError()} stays near or below 2⁻⁸ ≈ 0.0039 whatever the data.
 *
 * <pre>{@code
 * try (Sae bf16 = sae.withBf16Weights()) {
 *     PrecisionDrift drift = PrecisionDrift.measure(sae, bf16, x, batch);
 * }
 * }</pre>
 *
 * @param maxRelativePreActivationError  max over rows r and latents j of |Δh_rj| / (‖w_j‖·‖x'_r‖); pairs with a zero
 *                                       denominator are skipped
 * @param meanRelativePreActivationError the mean of the same ratios
 * @param meanActiveSetJaccard           mean over rows of |A ∩ B| / |A ∪ B| for the active latent sets (1 where both
 *                                       are empty)
 * @param relativeReconstructionDifference ‖x̂_reduced − x̂_fp32‖ / ‖x̂_fp32‖ over the whole batch (Frobenius norms,
 *                                       full {@link Sae#forward} outputs); 0 when both are zero
 */
public record PrecisionDrift(double maxRelativePreActivationError, double meanRelativePreActivationError,
        double meanActiveSetJaccard, double relativeReconstructionDifference) {

    /**
     * Compares {@code reduced} with {@code fp32} on x [batch, d_in]. Allocates scratch of about {@code batch·d_sae}
     * floats and codes, and two workspaces; a diagnostic, not a hot path.
     *
     * @param fp32    the reference model, fp32 weights
     * @param reduced the reduced-precision copy (usually {@link Sae#withBf16Weights()})
     * @param x       [batch, d_in] fp32 inputs; not modified
     * @param batch   rows, ≥ 1
     * @return the drift over the batch
     * @throws IllegalArgumentException if {@code fp32} does not hold fp32 weights, the models differ in shape,
     *                                  architecture or normalisation, {@code batch < 1}, or x is too small
     */
    public static PrecisionDrift measure(Sae fp32, Sae reduced, MemorySegment x, int batch) {
        Objects.requireNonNull(fp32, "fp32");
        Objects.requireNonNull(reduced, "reduced");
        Objects.requireNonNull(x, "x");
        if (fp32.weightPrecision() != DType.F32) {
            throw new IllegalArgumentException("the reference model holds " + fp32.weightPrecision()
                    + " weights; it must hold " + DType.F32);
        }
        SaeConfig a = fp32.config();
        SaeConfig b = reduced.config();
        if (a.architecture() != b.architecture() || a.dIn() != b.dIn() || a.dSae() != b.dSae()
                || a.dOut() != b.dOut() || a.k() != b.k() || a.normalisation() != b.normalisation()) {
            throw new IllegalArgumentException("the models differ: " + fp32 + " vs " + reduced);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (x.byteSize() < (long) batch * a.dIn() * Float.BYTES) {
            throw new IllegalArgumentException("x has " + x.byteSize() + " bytes, [" + batch + ", " + a.dIn()
                    + "] fp32 needs " + (long) batch * a.dIn() * Float.BYTES);
        }
        int dIn = a.dIn();
        int dSae = a.dSae();
        int dOut = a.dOut();
        try (TensorArena scratch = new TensorArena("precision-drift");
             SaeWorkspace wsFp32 = fp32.newWorkspace(batch);
             SaeWorkspace wsReduced = reduced.newWorkspace(batch)) {
            MemorySegment hFp32 = scratch.allocateFloats((long) batch * dSae);
            MemorySegment hReduced = scratch.allocateFloats((long) batch * dSae);
            MemorySegment rowNorms = scratch.allocateFloats(dSae);
            fp32.preActivations(x, batch, hFp32, wsFp32);
            reduced.preActivations(x, batch, hReduced, wsReduced);
            Kernels.rowNorms(dSae, dIn, fp32.encoder(), 0, dIn, rowNorms, 0);
            float[] weightNorms = rowNorms.toArray(Layouts.F32);
            float[] rowA = new float[dSae];
            float[] rowB = new float[dSae];
            double max = 0;
            double sum = 0;
            long counted = 0;
            for (int r = 0; r < batch; r++) {
                double inputNorm = Math.sqrt(Kernels.sumSquares(dIn, wsFp32.input(), (long) r * dIn));
                long offset = (long) r * dSae * Float.BYTES;
                MemorySegment.copy(hFp32, Layouts.F32, offset, rowA, 0, dSae);
                MemorySegment.copy(hReduced, Layouts.F32, offset, rowB, 0, dSae);
                for (int j = 0; j < dSae; j++) {
                    double scale = weightNorms[j] * inputNorm;
                    if (scale > 0) {
                        double relative = Math.abs((double) rowB[j] - rowA[j]) / scale;
                        max = Math.max(max, relative);
                        sum += relative;
                        counted++;
                    }
                }
            }
            double jaccard = meanJaccard(fp32, reduced, x, batch, wsFp32, wsReduced);
            MemorySegment outFp32 = scratch.allocateFloats((long) batch * dOut);
            MemorySegment outReduced = scratch.allocateFloats((long) batch * dOut);
            DenseMatrix input = DenseMatrix.f32(x, batch, dIn);
            fp32.forward(input, DenseMatrix.f32(outFp32, batch, dOut), wsFp32);
            reduced.forward(input, DenseMatrix.f32(outReduced, batch, dOut), wsReduced);
            double reconstruction = relativeDifference(outFp32, outReduced, (long) batch * dOut);
            return new PrecisionDrift(max, counted == 0 ? 0 : sum / counted, jaccard, reconstruction);
        }
    }

    /**
     * Mean over rows of the Jaccard index of the two models' active latent sets.
     *
     * @param fp32      the reference model
     * @param reduced   the reduced-precision copy
     * @param x         [batch, d_in] inputs; not modified
     * @param batch     rows
     * @param wsFp32    workspace of the reference
     * @param wsReduced workspace of the copy
     * @return the mean Jaccard index, 1 for rows where both sets are empty
     */
    private static double meanJaccard(Sae fp32, Sae reduced, MemorySegment x, int batch, SaeWorkspace wsFp32,
            SaeWorkspace wsReduced) {
        int dSae = fp32.dSae();
        int capacity = Math.toIntExact((long) batch * dSae);
        SparseCode a = SparseCode.withCapacity(batch, dSae, capacity);
        SparseCode b = SparseCode.withCapacity(batch, dSae, capacity);
        DenseMatrix input = DenseMatrix.f32(x, batch, fp32.dIn());
        fp32.encodeSparse(input, a, wsFp32);
        reduced.encodeSparse(input, b, wsReduced);
        double total = 0;
        for (int r = 0; r < batch; r++) {
            // both index lists ascend: count the intersection by merging
            int i = a.rowStart(r);
            int j = b.rowStart(r);
            int common = 0;
            while (i < a.rowStart(r + 1) && j < b.rowStart(r + 1)) {
                int left = a.indices()[i];
                int right = b.indices()[j];
                if (left == right) {
                    common++;
                    i++;
                    j++;
                } else if (left < right) {
                    i++;
                } else {
                    j++;
                }
            }
            int union = a.nnz(r) + b.nnz(r) - common;
            total += union == 0 ? 1 : (double) common / union;
        }
        return total / batch;
    }

    /**
     * ‖other − reference‖ / ‖reference‖ over {@code count} fp32 elements, summed in double.
     *
     * @param reference the reference values; not modified
     * @param other     the compared values; not modified
     * @param count     elements
     * @return the relative difference; 0 when both are zero, infinity when only the reference is
     */
    private static double relativeDifference(MemorySegment reference, MemorySegment other, long count) {
        double difference = 0;
        double norm = 0;
        for (long i = 0; i < count; i++) {
            double a = reference.getAtIndex(Layouts.F32, i);
            double d = other.getAtIndex(Layouts.F32, i) - a;
            difference += d * d;
            norm += a * a;
        }
        if (norm == 0) {
            return difference == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(difference / norm);
    }
}
