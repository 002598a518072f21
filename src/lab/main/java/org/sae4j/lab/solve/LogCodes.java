package org.sae4j.lab.solve;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;

import org.sae4j.kernel.Kernels;
import org.sae4j.optim.Parameter;
import org.sae4j.tensor.TensorArena;

/**
 * Log-parameterised per-sample codes Ŝ = exp(log S) and their reconstruction loss, the shared core of the paper's
 * inference-time optimisation and sparse coding (paper-spec §6.2, §6.4):
 *
 * <pre>{@code
 *   Ŝ = exp(log S) [B, N],   R = Ŝ·D − X [B, M],   L = (1/(B·M))·Σ R² + λ·(1/(B·N))·Σ Ŝ
 *   ∂L/∂log S = Ŝ ⊙ ((2/(B·M))·R·Dᵀ + λ/(B·N)),      ∂L/∂D = (2/(B·M))·Ŝᵀ·R
 * }</pre>
 *
 * <p>Codes are strictly positive, so |Ŝ| = Ŝ and sign(Ŝ) = 1. D is [N, M], one atom per row. Not thread-safe;
 * allocates nothing after construction.
 */
public final class LogCodes {

    private final int rows;
    private final int latents;
    private final int measurements;
    private final Parameter logCodes;
    private final MemorySegment codes;
    private final MemorySegment residual;

    /**
     * @param arena owner of the tensors
     * @throws IllegalArgumentException when a size is not positive or rows·N exceeds the kernel extent
     */
    public LogCodes(TensorArena arena, int rows, int latents, int measurements) {
        if (rows < 1 || latents < 1 || measurements < 1) {
            throw new IllegalArgumentException("rows, latents and measurements must be >= 1, got " + rows + ", "
                    + latents + ", " + measurements);
        }
        if ((long) rows * Math.max(latents, measurements) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows x width exceeds the largest kernel extent");
        }
        this.rows = rows;
        this.latents = latents;
        this.measurements = measurements;
        this.logCodes = new Parameter(arena, "log S", rows * latents);
        this.codes = arena.allocateFloats((long) rows * latents);
        this.residual = arena.allocateFloats((long) rows * measurements);
    }

    public int rows() {
        return rows;
    }

    /** The trainable log-codes. */
    public Parameter logCodes() {
        return logCodes;
    }

    /** Ŝ of the last {@link #forward}, [rows, N], live. */
    public MemorySegment codes() {
        return codes;
    }

    /** Sets every log-code to {@code value} and clears the Adam moments: a fresh optimisation. */
    public void reset(float value) {
        int count = logCodes.count();
        MemorySegment values = logCodes.values();
        for (int i = 0; i < count; i++) {
            values.setAtIndex(F32, i, value);
        }
        logCodes.clearMoments();
    }

    /**
     * Ŝ = exp(log S) and the residual against {@code x} through {@code atoms}.
     *
     * @param x     [rows, M]
     * @param atoms [N, M]
     */
    public void forward(MemorySegment x, MemorySegment atoms) {
        Kernels.exp(rows * latents, logCodes.values(), 0, codes, 0);
        Kernels.gemm(rows, measurements, latents, 1f, codes, 0, latents, atoms, 0, measurements, 0f, residual, 0,
                measurements);
        Kernels.axpy(rows * measurements, -1f, x, 0, residual, 0);
    }

    /** The loss MSE-mean + λ·mean Ŝ of the last {@link #forward}, summed in double. */
    public double loss(float lambda) {
        int residualCount = rows * measurements;
        double squares = 0;
        for (int i = 0; i < residualCount; i++) {
            double value = residual.getAtIndex(F32, i);
            squares += value * value;
        }
        int count = rows * latents;
        double magnitudes = 0;
        for (int i = 0; i < count; i++) {
            magnitudes += codes.getAtIndex(F32, i);
        }
        return squares / residualCount + lambda * (magnitudes / count);
    }

    /**
     * Gradients of the last {@link #forward}: ∂L/∂log S into the log-codes' gradient and, when
     * {@code atomGradient} is not null, ∂L/∂D into it.
     *
     * @param atoms        [N, M], the forward pass's dictionary
     * @param atomGradient [N, M] or null
     */
    public void backward(MemorySegment atoms, float lambda, MemorySegment atomGradient) {
        float scale = (float) (2.0 / ((double) rows * measurements));
        float sparsity = (float) (lambda / ((double) rows * latents));
        MemorySegment grad = logCodes.gradient();
        Kernels.gemmNT(rows, latents, measurements, scale, residual, 0, measurements, atoms, 0, measurements, 0f,
                grad, 0, latents);
        Kernels.scaleShifted(rows * latents, codes, 0, grad, 0, sparsity);
        if (atomGradient != null) {
            Kernels.gemmTN(latents, measurements, rows, scale, codes, 0, latents, residual, 0, measurements, 0f,
                    atomGradient, 0, measurements);
        }
    }
}
