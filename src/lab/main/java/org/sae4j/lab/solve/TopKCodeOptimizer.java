package org.sae4j.lab.solve;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.kernel.Kernels;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;
import org.sae4j.tensor.TensorArena;

/**
 * The reference's OptimizeTopK (paper-spec §6.5): raw per-sample codes S, initialised to 0, optimised by Adam on the
 * pure reconstruction MSE with top-k applied inside the forward pass, Ŝ = topk(S) row by row, the dictionary frozen.
 * Only the kept entries receive gradient. From all-zero codes every selection is tied; ties go to the lower index
 * (§12.13), so the first step moves latents 0..k−1.
 *
 * <p>Not thread-safe; allocates nothing per iteration.
 */
public final class TopKCodeOptimizer implements AutoCloseable {

    /** The reference's learning rate, 0.9. */
    public static final float PAPER_LEARNING_RATE = 0.9f;

    private final int rows;
    private final int latents;
    private final int measurements;
    private final int k;
    private final TensorArena arena;
    private final Parameter raw;
    private final MemorySegment codes;
    private final MemorySegment residual;
    private final int[] indices;
    private final float[] values;

    /**
     * @throws IllegalArgumentException when a size is not positive or k is outside [1, N]
     */
    public TopKCodeOptimizer(int rows, int latents, int measurements, int k) {
        if (rows < 1 || latents < 1 || measurements < 1) {
            throw new IllegalArgumentException("rows, latents and measurements must be >= 1");
        }
        if (k < 1 || k > latents) {
            throw new IllegalArgumentException("k must be in [1, " + latents + "], got " + k);
        }
        this.rows = rows;
        this.latents = latents;
        this.measurements = measurements;
        this.k = k;
        this.arena = new TensorArena("topk-code-optimizer");
        this.raw = new Parameter(arena, "S", rows * latents);
        this.codes = arena.allocateFloats((long) rows * latents);
        this.residual = arena.allocateFloats((long) rows * measurements);
        this.indices = new int[k];
        this.values = new float[k];
    }

    /**
     * Runs {@code iterations} Adam steps from zero codes and returns the final top-k codes [rows, N] (live until
     * the next run).
     *
     * @param x     [rows, M]
     * @param atoms [N, M]
     */
    public MemorySegment run(MemorySegment x, MemorySegment atoms, AdamOptions adam, int iterations) {
        Objects.requireNonNull(adam, "adam");
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        raw.values().fill((byte) 0);
        raw.clearMoments();
        float scale = (float) (2.0 / ((double) rows * measurements));
        for (int t = 1; t <= iterations; t++) {
            selectTopK();
            Kernels.gemm(rows, measurements, latents, 1f, codes, 0, latents, atoms, 0, measurements, 0f, residual, 0,
                    measurements);
            Kernels.axpy(rows * measurements, -1f, x, 0, residual, 0);
            MemorySegment grad = raw.gradient();
            Kernels.gemmNT(rows, latents, measurements, scale, residual, 0, measurements, atoms, 0, measurements, 0f,
                    grad, 0, latents);
            maskToSelection(grad);
            raw.adamStep(t, adam);
        }
        selectTopK();
        return codes;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** codes ← S with all but the k largest entries of each row set to 0. */
    private void selectTopK() {
        MemorySegment values = raw.values();
        codes.fill((byte) 0);
        for (int row = 0; row < rows; row++) {
            long offset = (long) row * latents;
            int kept = Kernels.topK(latents, values, offset, k, indices, this.values, 0);
            for (int i = 0; i < kept; i++) {
                codes.setAtIndex(F32, offset + indices[i], this.values[i]);
            }
        }
    }

    /** Zeroes the gradient outside the current selection (selected entries may themselves be 0). */
    private void maskToSelection(MemorySegment grad) {
        MemorySegment values = raw.values();
        for (int row = 0; row < rows; row++) {
            long offset = (long) row * latents;
            int kept = Kernels.topK(latents, values, offset, k, indices, this.values, 0);
            int next = 0;
            for (int j = 0; j < latents; j++) {
                if (next < kept && indices[next] == j) {
                    next++;
                } else {
                    grad.setAtIndex(F32, offset + j, 0f);
                }
            }
        }
    }
}
