package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.tensor.Layouts;

/**
 * Per-row input normalisation (sae-formats §9) and its inverse, keeping the statistics of the rows it normalised.
 *
 * <p>Statistics are accumulated in double and each element is rounded to fp32 once; the O(batch·width) loops work on
 * one row copied to an array, far cheaper than the encoder GEMM they precede. The statistics and that row are
 * allocated once, so repeated calls allocate nothing (each {@link SaeWorkspace} keeps one).
 */
public final class RowNormaliser {

    /** OpenAI's epsilon, added to the standard deviation (not the variance). */
    private static final float LAYER_NORM_EPS = 1e-5f;

    private final Normalisation mode;
    private final float[] shift;  // [batch] μ for layer_norm, 0 otherwise
    private final float[] scale;  // [batch] σ for layer_norm, ‖x‖/√d_in for constant_norm_rescale
    private float[] row;          // one row being transformed; grows only when a wider row arrives

    /**
     * A normaliser for up to {@code batch} rows.
     *
     * @throws IllegalArgumentException for {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN}, which is folded into the
     *                                  weights instead of run
     */
    public RowNormaliser(Normalisation mode, int batch) {
        this(mode, batch, 0);
    }

    /** A normaliser for up to {@code maxBatch} rows whose row buffer already holds {@code maxWidth} values. */
    RowNormaliser(Normalisation mode, int maxBatch, int maxWidth) {
        Objects.requireNonNull(mode, "mode");
        if (mode == Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
            throw new IllegalArgumentException("expected_average_only_in is folded into the weights, not run");
        }
        if (maxBatch < 0 || maxWidth < 0) {
            throw new IllegalArgumentException("negative size: batch " + maxBatch + ", width " + maxWidth);
        }
        this.mode = mode;
        this.shift = new float[maxBatch];
        this.scale = new float[maxBatch];
        this.row = new float[maxWidth];
    }

    /**
     * Normalises rows [batch, width] in place and records each row's (shift, scale).
     *
     * @throws IllegalArgumentException if {@code batch} exceeds the rows this normaliser was made for
     */
    public void normalise(MemorySegment rows, int batch, int width) {
        if (mode == Normalisation.NONE) {
            return;
        }
        float[] row = rowOf(batch, width);
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * width * Float.BYTES;
            MemorySegment.copy(rows, Layouts.F32, offset, row, 0, width);
            if (mode == Normalisation.LAYER_NORM) {
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    sum += row[i];
                }
                double mean = sum / width;
                double squares = 0;
                for (int i = 0; i < width; i++) {
                    squares += (row[i] - mean) * (row[i] - mean);
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
                for (int i = 0; i < width; i++) {
                    squares += (double) row[i] * row[i];
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

    /**
     * Maps rows [batch, width] back: {@code row·scale + shift}, the scale without the layer-norm epsilon.
     *
     * @throws IllegalArgumentException if {@code batch} exceeds the rows this normaliser was made for
     */
    public void denormalise(MemorySegment rows, int batch, int width) {
        if (mode == Normalisation.NONE) {
            return;
        }
        float[] row = rowOf(batch, width);
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * width * Float.BYTES;
            MemorySegment.copy(rows, Layouts.F32, offset, row, 0, width);
            for (int i = 0; i < width; i++) {
                row[i] = (float) ((double) row[i] * scale[r] + shift[r]);
            }
            MemorySegment.copy(row, 0, rows, Layouts.F32, offset, width);
        }
    }

    /** The row buffer, at least {@code width} long, after checking {@code batch} against the statistics. */
    private float[] rowOf(int batch, int width) {
        if (batch < 0 || batch > scale.length) {
            throw new IllegalArgumentException("batch " + batch + " outside [0, " + scale.length + "]");
        }
        if (row.length < width) {
            row = new float[width];
        }
        return row;
    }
}
