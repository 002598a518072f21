package org.sae4j.lab.experiment;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sae4j.kernel.Kernels;
import org.sae4j.lab.metrics.ReconstructionMetrics;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * The final test-split statistics every run records (paper-spec §8.4): reconstruction MSE and FVU through the
 * dictionary the method decodes with, mean |Ŝ|, and L0 as the fraction of entries above 0, 1e-5, 1e-4 and 1e-3.
 *
 * <p>Convention: the paper's, through {@link ReconstructionMetrics}, which computes them with the runtime's
 * {@code ReconstructionStats} and {@code LatentStats}. The numbers differ from an SAE evaluation's
 * ({@code org.sae4j.sae.eval.EvalResult}) only in normalisation: {@code l0>0} here is {@code LatentStats.l0()} / N
 * (a fraction of the B·N entries, not active latents per sample) and {@code meanAbs} is {@code LatentStats.l1()} / N
 * (mean |Ŝ| per entry, not Σ|Ŝ| per sample); {@code mse} is the mean over B·M entries and {@code fvu} the
 * conventional FVU, as there.
 */
final class CodeStatistics {

    static final String MSE = "mse";
    static final String FVU = "fvu";
    static final String L1 = "meanAbs";
    static final String L0 = "l0";

    private static final double[] THRESHOLDS = {0, 1e-5, 1e-4, 1e-3};

    private CodeStatistics() {
    }

    /**
     * @param x      [B, M] observations
     * @param codes  [B, N] codes
     * @param atoms  [N, M] the decoding dictionary
     */
    static Map<String, Double> of(MemorySegment x, MemorySegment codes, MemorySegment atoms, int rows, int latents,
                                  int measurements) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (TensorArena arena = new TensorArena("code-statistics")) {
            MemorySegment reconstruction = arena.allocateFloats((long) rows * measurements);
            Kernels.gemm(rows, measurements, latents, 1f, codes, 0, latents, atoms, 0, measurements, 0f,
                    reconstruction, 0, measurements);
            DenseMatrix observations = DenseMatrix.f32(x, rows, measurements);
            DenseMatrix reconstructed = DenseMatrix.f32(reconstruction, rows, measurements);
            DenseMatrix codeMatrix = DenseMatrix.f32(codes, rows, latents);
            metrics.put(MSE, ReconstructionMetrics.mse(observations, reconstructed));
            metrics.put(FVU, ReconstructionMetrics.fvu(observations, reconstructed));
            metrics.put(L1, ReconstructionMetrics.meanAbs(codeMatrix));
            for (double threshold : THRESHOLDS) {
                metrics.put(l0Key(threshold), ReconstructionMetrics.l0Fraction(codeMatrix, threshold));
            }
        }
        return metrics;
    }

    /** The metric name of the L0 fraction above {@code threshold}: {@code l0>0}, {@code l0>1e-05}, … */
    static String l0Key(double threshold) {
        return threshold == 0 ? L0 + ">0" : L0 + ">" + String.format(java.util.Locale.ROOT, "%.0e", threshold);
    }
}
