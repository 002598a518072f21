package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.tensor.Layouts;

/**
 * Per-row input normalisation (sae-formats §9) and its inverse, keeping the statistics of the rows it normalised so
 * that {@link #denormalise} can map the reconstructions of those rows back.
 *
 * <pre>{@code
 * RowNormaliser norm = new RowNormaliser(Normalisation.LAYER_NORM, 256);
 * norm.normalise(x, 256, dIn);            // x [256, d_in] in place; (μ, σ) of each row kept
 * // ... encode and decode x
 * norm.denormalise(xHat, 256, dIn);       // xHat [256, d_in] back to the input space
 * }</pre>
 *
 * <p>Statistics are accumulated in double and each element is rounded to fp32 once; the O(batch·width) loops work on
 * one row copied to an array, far cheaper than the encoder GEMM they precede. The statistics and that row are allocated
 * once, so repeated calls allocate nothing (each {@link SaeWorkspace} keeps one); only a row wider than any seen before
 * grows the row buffer.
 *
 * <p><b>Note:</b> not thread-safe: the statistics of one call are read by the next {@link #denormalise}.
 */
public final class RowNormaliser {

    /** OpenAI's epsilon, added to the standard deviation (not the variance). */
    private static final float LAYER_NORM_EPS = 1e-5f;

    /** The normalisation applied. */
    private final Normalisation mode;
    /** [batch] μ for layer_norm, 0 otherwise. */
    private final float[] shift;
    /** [batch] σ for layer_norm, ‖x‖/√d_in for constant_norm_rescale. */
    private final float[] scale;
    /** One row being transformed; grows only when a wider row arrives. */
    private float[] row;

    /**
     * A normaliser for up to {@code batch} rows; its row buffer grows on the first call.
     *
     * @param mode  the normalisation; {@link Normalisation#NONE} makes both methods no-ops
     * @param batch largest number of rows, ≥ 0
     * @throws IllegalArgumentException for {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN}, which is folded into the
     *                                  weights instead of run, or a negative batch
     */
    public RowNormaliser(Normalisation mode, int batch) {
        this(mode, batch, 0);
    }

    /**
     * A normaliser for up to {@code maxBatch} rows whose row buffer already holds {@code maxWidth} values.
     *
     * @param mode     the normalisation
     * @param maxBatch largest number of rows, ≥ 0
     * @param maxWidth widest row expected, ≥ 0
     * @throws IllegalArgumentException for {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN} or a negative size
     */
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
     * Normalises rows [batch, width] in place and records each row's (shift, scale): layer_norm {@code (x − μ)/(σ +
     * 1e-5)} with the unbiased σ, constant_norm_rescale {@code x·√width/‖x‖}.
     *
     * @param rows  [batch, width] fp32; modified
     * @param batch rows, at most the size given at construction
     * @param width row width
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
     * Maps rows [batch, width] back with the statistics of the last {@link #normalise}: {@code row·scale + shift}, the
     * scale without the layer-norm epsilon. Row r uses the statistics of the r-th normalised row.
     *
     * @param rows  [batch, width] fp32; modified
     * @param batch rows, at most the size given at construction
     * @param width row width (d_out, which may differ from the normalised width for transcoders)
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

    /**
     * The row buffer, at least {@code width} long, after checking {@code batch} against the statistics.
     *
     * @param batch rows of the call
     * @param width row width
     * @return the (possibly grown) row buffer
     * @throws IllegalArgumentException if {@code batch} is outside [0, capacity]
     */
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
