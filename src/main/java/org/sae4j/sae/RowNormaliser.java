package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.Layouts;

/**
 * Per-row input normalisation (sae-formats §9) and its inverse, keeping the statistics of the rows it normalised.
 *
 * <p>Statistics are accumulated in double and each element is rounded to fp32 once; the O(batch·width) loops work on
 * one row copied to an array, far cheaper than the encoder GEMM they precede.
 */
public final class RowNormaliser {

    /** OpenAI's epsilon, added to the standard deviation (not the variance). */
    private static final float LAYER_NORM_EPS = 1e-5f;

    private final Normalisation mode;
    private final float[] shift;  // [batch] μ for layer_norm, 0 otherwise
    private final float[] scale;  // [batch] σ for layer_norm, ‖x‖/√d_in for constant_norm_rescale

    /**
     * A normaliser for up to {@code batch} rows.
     *
     * @throws IllegalArgumentException for {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN}, which is folded into the
     *                                  weights instead of run
     */
    public RowNormaliser(Normalisation mode, int batch) {
        if (mode == Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
            throw new IllegalArgumentException("expected_average_only_in is folded into the weights, not run");
        }
        this.mode = mode;
        this.shift = new float[batch];
        this.scale = new float[batch];
    }

    /** Normalises rows [batch, width] in place and records each row's (shift, scale). */
    public void normalise(MemorySegment rows, int batch, int width) {
        if (mode == Normalisation.NONE) {
            return;
        }
        float[] row = new float[width];
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * width * Float.BYTES;
            MemorySegment.copy(rows, Layouts.F32, offset, row, 0, width);
            if (mode == Normalisation.LAYER_NORM) {
                double sum = 0;
                for (float v : row) {
                    sum += v;
                }
                double mean = sum / width;
                double squares = 0;
                for (float v : row) {
                    squares += (v - mean) * (v - mean);
                }
                // PyTorch's std is the unbiased (n - 1) estimator
                shift[r] = (float) mean;
                scale[r] = (float) Math.sqrt(squares / (width - 1));
                double divisor = (double) scale[r] + LAYER_NORM_EPS;
                for (int i = 0; i < width; i++) {
                    row[i] = (float) ((row[i] - mean) / divisor);
                }
            } else {
                double squares = 0;
                for (float v : row) {
                    squares += (double) v * v;
                }
                double factor = Math.sqrt(width) / Math.sqrt(squares);
                scale[r] = (float) (1 / factor);
                for (int i = 0; i < width; i++) {
                    row[i] = (float) (row[i] * factor);
                }
            }
            MemorySegment.copy(row, 0, rows, Layouts.F32, offset, width);
        }
    }

    /** Maps rows [batch, width] back: {@code row·scale + shift}, the scale without the layer-norm epsilon. */
    public void denormalise(MemorySegment rows, int batch, int width) {
        if (mode == Normalisation.NONE) {
            return;
        }
        float[] row = new float[width];
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * width * Float.BYTES;
            MemorySegment.copy(rows, Layouts.F32, offset, row, 0, width);
            for (int i = 0; i < width; i++) {
                row[i] = (float) ((double) row[i] * scale[r] + shift[r]);
            }
            MemorySegment.copy(row, 0, rows, Layouts.F32, offset, width);
        }
    }
}
