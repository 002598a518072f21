package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Reusable scratch for encoding and decoding up to {@link #maxBatch()} rows with models of one shape, so that
 * steady-state calls allocate nothing: the prepared input, the dense codes, the reconstruction and a sparse code
 * buffer, all sized on creation.
 *
 * <pre>{@code
 * try (SaeWorkspace ws = sae.newWorkspace(1)) {
 *     int[] indices = new int[sae.dSae()];
 *     float[] values = new float[sae.dSae()];
 *     for (float[] x : stream) {
 *         int active = sae.encodeOne(x, indices, values, ws);   // no allocation after warm-up
 *     }
 * }
 * }</pre>
 *
 * <p>A workspace serves every model with the same d_in, d_sae, d_out and k (for instance a model and its
 * {@link Sae#withBf16Weights() bf16 copy}) and every {@link WatchList} of those models. Off-heap memory:
 * {@code maxBatch·(d_in + d_sae + d_out) + d_out} floats, plus on-heap sparse buffers of about
 * {@code 8·max(d_sae, maxBatch·k)} bytes (topk, groupmax) or {@code 8·d_sae} bytes growing to the largest code count
 * seen (other architectures: a call that needs more grows them once), plus, for normalising models, per-row statistics
 * and one row of {@code max(d_in, d_out)} floats on the heap, and, for models with a skip connection, a further
 * {@code maxBatch·d_in} floats off-heap made by the first array call.
 *
 * <p>Threads: a {@link Sae} is shared, its workspaces are not. Give every thread that encodes its own workspace; two
 * threads using one workspace at once corrupt each other's results. The off-heap scratch is a shared arena, so the
 * kernel threads of a {@link org.sae4j.kernel.KernelContext} may still split one call's work.
 *
 * <p><b>Note:</b> not thread-safe; use one workspace per thread. Results written into caller memory never alias the
 * workspace, except the codes that {@link Sae#forward(org.sae4j.tensor.DenseMatrix, org.sae4j.tensor.DenseMatrix, SaeWorkspace)} returns, which
 * stay valid until the workspace's next call. The caller closes the workspace, once; using it after {@link #close()}
 * throws {@link IllegalStateException}.
 */
public final class SaeWorkspace implements AutoCloseable {

    /** Owns the off-heap buffers; closed by {@link #close()}. */
    private final TensorArena arena;
    /** Largest batch accepted. */
    private final int maxBatch;
    /** Input width of the models served. */
    private final int dIn;
    /** Latents of the models served. */
    private final int dSae;
    /** Output width of the models served. */
    private final int dOut;
    /** k of the models served (0 unless topk or groupmax). */
    private final int k;
    /** [maxBatch, dIn] x' of the current call: the input normalised, b_dec subtracted where the model does. */
    private final MemorySegment input;
    /** [maxBatch, dSae] dense codes or pre-activations. */
    private final MemorySegment dense;
    /** [maxBatch, dOut] reconstruction of the array entry points. */
    private final MemorySegment output;
    /** [dOut] one bf16 decoder row widened to fp32. */
    private final MemorySegment widened;
    /** [dSae] latent ids of a single-row call's codes. */
    private final int[] oneIndices;
    /** [dSae] values of a single-row call's codes, paired with {@link #oneIndices}. */
    private final float[] oneValues;
    /** One statistics keeper per {@link Normalisation}, indexed by ordinal; each made on first use. */
    private final RowNormaliser[] normalisers = new RowNormaliser[Normalisation.values().length];
    /** [maxBatch, dIn] array input kept raw for a skip term; made on first use. */
    private MemorySegment rawInput;
    /** The sparse buffer, replaced by a larger one when a call needs more entries. */
    private SparseCode codes;

    /**
     * Allocates the scratch for models shaped like {@code config}.
     *
     * @param config   the shape (d_in, d_sae, d_out, k), architecture and normalisation to size for
     * @param maxBatch largest batch, ≥ 1
     * @throws IllegalArgumentException if {@code maxBatch < 1}
     */
    SaeWorkspace(SaeConfig config, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.dIn = config.dIn();
        this.dSae = config.dSae();
        this.dOut = config.dOut();
        this.k = config.k();
        this.arena = new TensorArena("sae-workspace-" + dIn + "x" + dSae + "x" + maxBatch);
        try {
            input = arena.allocateFloats((long) maxBatch * dIn);
            dense = arena.allocateFloats((long) maxBatch * dSae);
            output = arena.allocateFloats((long) maxBatch * dOut);
            widened = arena.allocateFloats(dOut);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        oneIndices = new int[dSae];
        oneValues = new float[dSae];
        long topK = config.architecture().selectsK() ? (long) maxBatch * Math.min(k, dSae) : 0;
        if (config.normalisation() != Normalisation.NONE) {
            normaliser(config.normalisation());
        }
        codes = SparseCode.withCapacity(maxBatch, dSae, (int) Math.min(Math.max(topK, dSae), Integer.MAX_VALUE - 8));
    }

    /**
     * Largest batch this workspace accepts.
     *
     * @return the size given at creation
     */
    public int maxBatch() {
        return maxBatch;
    }

    /** Frees the off-heap scratch; not idempotent (a second call throws {@link IllegalStateException}). */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SaeWorkspace[" + dIn + " -> " + dSae + " -> " + dOut + ", maxBatch " + maxBatch + "]";
    }

    // ---- for the model classes of this package ----

    /**
     * Throws unless this workspace fits {@code config} and {@code batch} rows.
     *
     * @param config the calling model's configuration
     * @param batch  rows of the call
     * @throws IllegalArgumentException naming both shapes, or the batch and the capacity
     */
    void check(SaeConfig config, int batch) {
        if (config.dIn() != dIn || config.dSae() != dSae || config.dOut() != dOut || config.k() != k) {
            throw new IllegalArgumentException("workspace is for d_in " + dIn + ", d_sae " + dSae + ", d_out " + dOut
                    + ", k " + k + "; the model has " + config.dIn() + ", " + config.dSae() + ", " + config.dOut()
                    + ", " + config.k());
        }
        if (batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " exceeds the workspace's maxBatch " + maxBatch);
        }
    }

    /**
     * The prepared-input buffer.
     *
     * @return [maxBatch, d_in] fp32
     */
    MemorySegment input() {
        return input;
    }

    /**
     * The dense code (or pre-activation) buffer.
     *
     * @return [maxBatch, d_sae] fp32
     */
    MemorySegment dense() {
        return dense;
    }

    /**
     * The reconstruction buffer of the array entry points.
     *
     * @return [maxBatch, d_out] fp32
     */
    MemorySegment output() {
        return output;
    }

    /**
     * The one-row scratch of bf16 decoding.
     *
     * @return [d_out] fp32
     */
    MemorySegment widened() {
        return widened;
    }

    /**
     * The latent ids of a single-row call, paired with {@link #oneValues()}.
     *
     * @return an array of d_sae ints
     */
    int[] oneIndices() {
        return oneIndices;
    }

    /**
     * The codes of a single-row call.
     *
     * @return an array of d_sae floats
     */
    float[] oneValues() {
        return oneValues;
    }

    /**
     * The statistics keeper for {@code mode}, sized for maxBatch rows of up to max(d_in, d_out) values; made once per
     * mode (the creating model's mode up front), so normalising calls allocate nothing afterwards.
     *
     * @param mode a per-row normalisation
     * @return the keeper owned by this workspace
     */
    RowNormaliser normaliser(Normalisation mode) {
        RowNormaliser normaliser = normalisers[mode.ordinal()];
        if (normaliser == null) {
            normaliser = new RowNormaliser(mode, maxBatch, Math.max(dIn, dOut));
            normalisers[mode.ordinal()] = normaliser;
        }
        return normaliser;
    }

    /**
     * A [maxBatch, d_in] buffer that the encode path never writes, allocated on first use.
     *
     * @return the raw-input buffer
     */
    MemorySegment rawInput() {
        if (rawInput == null) {
            rawInput = arena.allocateFloats((long) maxBatch * dIn);
        }
        return rawInput;
    }

    /**
     * The sparse buffer, grown as {@link SparseCodes#withRoomFor} grows it when it holds fewer than {@code nnz}
     * entries.
     *
     * @param nnz entries the call needs
     * @return a buffer of at least {@code nnz} entries (capped below {@code Integer.MAX_VALUE})
     */
    SparseCode codes(int nnz) {
        codes = SparseCodes.withRoomFor(codes, nnz);
        return codes;
    }
}
