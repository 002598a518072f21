package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * The encode rule of one set of latents (a whole model or a watch-list), shared by every entry point so that the
 * per-architecture logic exists once: fp32 or bf16 weights, batch 1 or a batch, dense or sparse output.
 *
 * <p>Kernel choice: a batch of one runs as a GEMV followed by the element-wise epilogue, because the fused GEMM
 * encoders pack the whole weight matrix per call, which at m = 1 costs as much memory traffic as the product itself
 * (both routes split the latents over the kernel threads). Larger fp32 batches use the fused encoders; bf16 batches
 * use the bf16 GEMM then the epilogue row by row. Gated SAEs have no fused encoder: one projection, shared by gate
 * and magnitude, then the gated epilogue in place, at every batch size and precision.
 *
 * <p>Inputs are the prepared rows x' (normalised, b_dec subtracted); nothing here allocates.
 */
final class EncodePlan {

    /** The encode rule. */
    private final SaeArchitecture architecture;
    /** How the encoder weights are held: F32 or BF16. */
    private final DType precision;
    /** Latents computed: d_sae for a model, |S| for a watch-list. */
    private final int latents;
    /** Input width. */
    private final int dIn;
    /** k for topk and groupmax; 0 otherwise (and for watch-lists). */
    private final int k;
    /** [latents, dIn] encoder rows (W_enc transposed, or W_gate for gated), fp32 or bf16. */
    private final EncoderMatrix weights;
    /** [latents] b_enc, or b_gate for gated; fp32. */
    private final MemorySegment bias;
    /** [latents] JumpReLU max(θ, 0), since the fused kernel has no separate ReLU; null for other rules. */
    private final MemorySegment activeThreshold;
    /** [latents] gated exp(r_mag), computed once; null for other rules. */
    private final MemorySegment magnitudeScale;
    /** [latents] gated b_mag; null for other rules. */
    private final MemorySegment magnitudeBias;

    /**
     * Binds the prepared parameters; see {@link #of} and {@link #select}.
     *
     * @param architecture    the encode rule
     * @param precision       element type of the weights
     * @param latents         latents computed
     * @param dIn             input width
     * @param k               k for topk and groupmax, else 0
     * @param weights         [latents, dIn] encoder rows
     * @param bias            [latents] b_enc or b_gate
     * @param activeThreshold [latents] max(θ, 0), or null
     * @param magnitudeScale  [latents] exp(r_mag), or null
     * @param magnitudeBias   [latents] b_mag, or null
     */
    private EncodePlan(SaeArchitecture architecture, DType precision, int latents, int dIn, int k,
            EncoderMatrix weights, MemorySegment bias, MemorySegment activeThreshold, MemorySegment magnitudeScale,
            MemorySegment magnitudeBias) {
        this.architecture = architecture;
        this.precision = precision;
        this.latents = latents;
        this.dIn = dIn;
        this.k = k;
        this.weights = weights;
        this.bias = bias;
        this.activeThreshold = activeThreshold;
        this.magnitudeScale = magnitudeScale;
        this.magnitudeBias = magnitudeBias;
    }

    /**
     * The plan of a whole model; the JumpReLU threshold is clamped at 0 into {@code owner}, exp(r_mag) computed
     * once and, with b_mag, copied into {@code owner} too.
     *
     * @param config            the model's configuration: architecture, d_sae, d_in and k
     * @param precision         element type of {@code weights}
     * @param weights           the encoder rows (and the stored column layout when the model kept one); read, not
     *                          copied
     * @param bias              [d_sae] b_enc, or b_gate for gated; fp32, read, not copied
     * @param threshold         [d_sae] JumpReLU θ, fp32; null for other rules; read, not modified
     * @param magnitudeBias     [d_sae] gated b_mag; null for other rules; not modified
     * @param magnitudeLogScale [d_sae] gated r_mag; null for other rules; not modified
     * @param owner             the model's arena, which receives the derived parameters
     * @return the plan, valid while {@code owner} and the weights' memory are open
     */
    static EncodePlan of(SaeConfig config, DType precision, EncoderMatrix weights, MemorySegment bias,
            MemorySegment threshold, float[] magnitudeBias, float[] magnitudeLogScale, TensorArena owner) {
        int latents = config.dSae();
        MemorySegment active = null;
        if (threshold != null) {
            active = owner.allocateFloats(latents);
            for (int j = 0; j < latents; j++) {
                active.setAtIndex(Layouts.F32, j, Math.max(threshold.getAtIndex(Layouts.F32, j), 0f));
            }
        }
        MemorySegment scale = null;
        if (magnitudeLogScale != null) {
            scale = owner.allocateFloats(latents);
            for (int j = 0; j < latents; j++) {
                scale.setAtIndex(Layouts.F32, j, (float) Math.exp(magnitudeLogScale[j]));
            }
        }
        MemorySegment magnitude = null;
        if (magnitudeBias != null) {
            magnitude = owner.allocateFloats(latents);
            MemorySegment.copy(magnitudeBias, 0, magnitude, Layouts.F32, 0, latents);
        }
        return new EncodePlan(config.architecture(), precision, latents, config.dIn(), config.k(), weights, bias,
                active, scale, magnitude);
    }

    /**
     * A plan over the chosen latents only, their weight rows and parameters copied in order into {@code owner}
     * (validated by the caller: distinct, in range, not topk).
     *
     * @param chosen latent ids, in output column order
     * @param owner  the watch-list's arena
     * @return a plan of {@code chosen.length} latents
     */
    EncodePlan select(int[] chosen, TensorArena owner) {
        int count = chosen.length;
        long rowBytes = (long) dIn * precision.byteSize();
        MemorySegment rows = precision == DType.BF16 ? owner.allocateBf16((long) count * dIn)
                : owner.allocateFloats((long) count * dIn);
        MemorySegment chosenBias = owner.allocateFloats(count);
        MemorySegment chosenThreshold = activeThreshold == null ? null : owner.allocateFloats(count);
        MemorySegment chosenScale = magnitudeScale == null ? null : owner.allocateFloats(count);
        MemorySegment chosenMagnitudeBias = magnitudeBias == null ? null : owner.allocateFloats(count);
        MemorySegment columns = weights.columns();
        for (int s = 0; s < count; s++) {
            int j = chosen[s];
            if (columns != null) {
                // gathered from the stored layout, so a watch-list never makes the model transpose its encoder
                for (int i = 0; i < dIn; i++) {
                    rows.setAtIndex(Layouts.F32, (long) s * dIn + i,
                            columns.getAtIndex(Layouts.F32, (long) i * latents + j));
                }
            } else {
                MemorySegment.copy(weights.rows(), j * rowBytes, rows, s * rowBytes, rowBytes);
            }
            chosenBias.setAtIndex(Layouts.F32, s, bias.getAtIndex(Layouts.F32, j));
            if (chosenThreshold != null) {
                chosenThreshold.setAtIndex(Layouts.F32, s, activeThreshold.getAtIndex(Layouts.F32, j));
            }
            if (chosenScale != null) {
                chosenScale.setAtIndex(Layouts.F32, s, magnitudeScale.getAtIndex(Layouts.F32, j));
                chosenMagnitudeBias.setAtIndex(Layouts.F32, s, magnitudeBias.getAtIndex(Layouts.F32, j));
            }
        }
        return new EncodePlan(architecture, precision, count, dIn, 0, EncoderMatrix.ofRows(rows, count, dIn),
                chosenBias, chosenThreshold, chosenScale, chosenMagnitudeBias);
    }

    /**
     * Number of latents this plan computes.
     *
     * @return d_sae, or |S| for a watch-list
     */
    int latents() {
        return latents;
    }

    /**
     * Dense codes z [batch, latents] of prepared rows x [batch, d_in]. TopK and groupmax go through {@code codes}
     * (capacity checked by the caller) and {@code scratch} ([batch, latents] floats, may not be z).
     *
     * @param x       prepared rows; not modified
     * @param batch   rows
     * @param z       [batch, latents]; modified
     * @param codes   topk and groupmax only: the selection buffer; modified
     * @param scratch topk and groupmax only: [batch, latents] floats; modified
     */
    void encodeDense(MemorySegment x, int batch, MemorySegment z, SparseCode codes, MemorySegment scratch) {
        switch (architecture) {
            case STANDARD, TRANSCODER, SKIP_TRANSCODER -> reluActivations(x, batch, z);
            case JUMPRELU, JUMPRELU_TRANSCODER -> {
                if (fusedEncoder(batch)) {
                    Kernels.encodeJumpRelu(batch, latents, dIn, x, 0, dIn, weights.rows(), 0, dIn, bias, 0, activeThreshold,
                            0, z, 0, latents);
                } else {
                    project(x, batch, z);
                    for (int r = 0; r < batch; r++) {
                        long at = (long) r * latents;
                        Kernels.biasJumpRelu(latents, z, at, bias, 0, activeThreshold, 0, z, at);
                    }
                }
            }
            case GATED -> {
                // Gate and magnitude share one projection; the per-latent epilogue then runs in place, row by row.
                project(x, batch, z);
                for (int r = 0; r < batch; r++) {
                    Kernels.gatedRelu(latents, z, (long) r * latents, bias, 0, magnitudeScale, 0, magnitudeBias, 0);
                }
            }
            case TOPK, GROUPMAX -> {
                encodeSelected(x, batch, codes, scratch);
                SparseCodes.scatter(codes, z, latents);
            }
        }
    }

    /**
     * The at most k selected latents per row (topk: top-k then ReLU; groupmax: each group's ReLU maximum) of
     * prepared rows x [batch, d_in] into {@code codes} (capacity batch·min(k, latents), checked by the caller);
     * {@code scratch} holds [batch, latents] floats for the unfused routes and groupmax. Selected values that are not
     * positive are dropped, so a row may keep fewer than k.
     *
     * @param x       [batch, d_in] prepared rows; not modified
     * @param batch   rows
     * @param codes   receives the selection, rows in order, indices ascending within a row; modified
     * @param scratch [batch, latents] floats; modified (unused by the fused fp32 topk route)
     */
    void encodeSelected(MemorySegment x, int batch, SparseCode codes, MemorySegment scratch) {
        int kept = Math.min(k, latents);
        if (architecture == SaeArchitecture.GROUPMAX) {
            reluActivations(x, batch, scratch);
            codes.resetFixed(batch, kept);
            for (int r = 0; r < batch; r++) {
                Kernels.groupMax(latents, k, scratch, (long) r * latents, codes.indices(), codes.values(), r * kept);
            }
        } else if (fusedEncoder(batch)) {
            Kernels.encodeTopK(batch, latents, dIn, x, 0, dIn, weights.rows(), 0, dIn, bias, 0, k, codes);
        } else {
            codes.resetFixed(batch, kept);
            preActivations(x, batch, scratch);
            for (int r = 0; r < batch; r++) {
                Kernels.topK(latents, scratch, (long) r * latents, k, codes.indices(), codes.values(), r * kept);
            }
        }
        SparseCodes.dropNonPositive(codes);
    }

    /**
     * The selected latents of one prepared row x [d_in] into {@code indices/values} (at least min(k, latents)
     * long), as {@link #encodeSelected}; returns the number kept, indices ascending. {@code scratch} holds
     * [latents] floats.
     *
     * @param x       [d_in] one prepared row; not modified
     * @param indices receives the kept latents' ids in its first entries; modified
     * @param values  receives the kept values, all positive; modified
     * @param scratch [latents] floats, the row's activations; modified
     * @return the number of entries kept, at most min(k, latents)
     */
    int encodeSelectedOne(MemorySegment x, int[] indices, float[] values, MemorySegment scratch) {
        int selected;
        if (architecture == SaeArchitecture.GROUPMAX) {
            reluActivations(x, 1, scratch);
            Kernels.groupMax(latents, k, scratch, 0, indices, values, 0);
            selected = k;
        } else {
            preActivations(x, 1, scratch);
            selected = Kernels.topK(latents, scratch, 0, k, indices, values, 0);
        }
        int kept = 0;
        for (int t = 0; t < selected; t++) {
            if (values[t] > 0f) {
                indices[kept] = indices[t];
                values[kept] = values[t];
                kept++;
            }
        }
        return kept;
    }

    /**
     * {@code h = x·Wᵀ + bias} for prepared rows x [batch, d_in] (the gate pre-activation for gated).
     *
     * @param x     prepared rows; not modified
     * @param batch rows
     * @param h     [batch, latents]; modified
     */
    void preActivations(MemorySegment x, int batch, MemorySegment h) {
        project(x, batch, h);
        for (int r = 0; r < batch; r++) {
            Kernels.axpy(latents, 1f, bias, 0, h, (long) r * latents);
        }
    }

    /**
     * {@code h = x·Wᵀ}, a GEMV for one row (over the stored column layout when the model kept one), else a GEMM.
     *
     * @param x     prepared rows [batch, d_in]; not modified
     * @param batch rows
     * @param h     [batch, latents]; modified
     */
    private void project(MemorySegment x, int batch, MemorySegment h) {
        boolean bf16 = precision == DType.BF16;
        if (batch == 1) {
            MemorySegment columns = weights.columns();
            if (bf16) {
                Kernels.gemvBf16(latents, dIn, 1f, weights.rows(), 0, dIn, x, 0, 0f, h, 0);
            } else if (columns != null) {
                Kernels.gemvTransposed(dIn, latents, 1f, columns, 0, latents, x, 0, 0f, h, 0);
            } else {
                Kernels.gemv(latents, dIn, 1f, weights.rows(), 0, dIn, x, 0, 0f, h, 0);
            }
        } else if (bf16) {
            Kernels.gemmNTBf16(batch, latents, dIn, 1f, x, 0, dIn, weights.rows(), 0, dIn, 0f, h, 0, latents);
        } else {
            Kernels.gemmNT(batch, latents, dIn, 1f, x, 0, dIn, weights.rows(), 0, dIn, 0f, h, 0, latents);
        }
    }

    /**
     * {@code z = ReLU(x·Wᵀ + bias)}: fused for fp32 batches, else projection then the bias-ReLU epilogue.
     *
     * @param x     prepared rows [batch, d_in]; not modified
     * @param batch rows
     * @param z     [batch, latents]; modified
     */
    private void reluActivations(MemorySegment x, int batch, MemorySegment z) {
        if (fusedEncoder(batch)) {
            Kernels.encodeRelu(batch, latents, dIn, x, 0, dIn, weights.rows(), 0, dIn, bias, 0, z, 0, latents);
        } else {
            project(x, batch, z);
            for (int r = 0; r < batch; r++) {
                long at = (long) r * latents;
                Kernels.biasRelu(latents, z, at, bias, 0, z, at);
            }
        }
    }

    /**
     * Whether a batch goes to a fused fp32 encoder (no fused route for bf16 nor for a single row, see the class
     * comment).
     *
     * @param batch rows
     * @return true for fp32 batches of more than one row
     */
    private boolean fusedEncoder(int batch) {
        return batch > 1 && precision == DType.F32;
    }
}
