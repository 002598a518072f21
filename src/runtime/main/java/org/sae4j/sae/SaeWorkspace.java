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
 * {@code 8·max(d_sae, maxBatch·k)} bytes (topk, groupmax) or {@code 8·d_sae} bytes growing to the largest code
 * count seen (other architectures: a call that needs more grows them once), plus, for normalising models, per-row
 * statistics and one row of {@code max(d_in, d_out)} floats on the heap, and, for models with a skip connection, a
 * further {@code maxBatch·d_in} floats off-heap made by the first array call.
 *
 * <p><b>Note:</b> not thread-safe; use one workspace per thread. Results written into caller memory never alias
 * the workspace. Using it after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SaeWorkspace implements AutoCloseable {

    private final TensorArena arena;
    private final int maxBatch;
    private final int dIn;
    private final int dSae;
    private final int dOut;
    private final int k;
    private final MemorySegment input;    // [maxBatch, dIn] x' of the current call
    private final MemorySegment dense;    // [maxBatch, dSae] codes or pre-activations
    private final MemorySegment output;   // [maxBatch, dOut] reconstruction
    private final MemorySegment widened;  // [dOut] one bf16 decoder row in fp32
    private final int[] oneIndices;       // [dSae] codes of a single row
    private final float[] oneValues;      // [dSae]
    private final RowNormaliser[] normalisers = new RowNormaliser[Normalisation.values().length];
    private MemorySegment rawInput;        // [maxBatch, dIn] array input kept raw for a skip term; made on first use
    private SparseCode codes;

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

    /** Largest batch this workspace accepts. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Frees the off-heap scratch. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SaeWorkspace[" + dIn + " -> " + dSae + " -> " + dOut + ", maxBatch " + maxBatch + "]";
    }

    // ---- for the model classes of this package ----

    /** Throws unless this workspace fits {@code config} and {@code batch} rows. */
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

    MemorySegment input() {
        return input;
    }

    MemorySegment dense() {
        return dense;
    }

    MemorySegment output() {
        return output;
    }

    MemorySegment widened() {
        return widened;
    }

    int[] oneIndices() {
        return oneIndices;
    }

    float[] oneValues() {
        return oneValues;
    }

    /**
     * The statistics keeper for {@code mode}, sized for maxBatch rows of up to max(d_in, d_out) values; made once
     * per mode (the creating model's mode up front), so normalising calls allocate nothing afterwards.
     */
    RowNormaliser normaliser(Normalisation mode) {
        RowNormaliser normaliser = normalisers[mode.ordinal()];
        if (normaliser == null) {
            normaliser = new RowNormaliser(mode, maxBatch, Math.max(dIn, dOut));
            normalisers[mode.ordinal()] = normaliser;
        }
        return normaliser;
    }

    /** A [maxBatch, d_in] buffer that the encode path never writes, allocated on first use. */
    MemorySegment rawInput() {
        if (rawInput == null) {
            rawInput = arena.allocateFloats((long) maxBatch * dIn);
        }
        return rawInput;
    }

    /** The sparse buffer, grown (once, by half again) when it holds fewer than {@code nnz} entries. */
    SparseCode codes(int nnz) {
        if (nnz > codes.maxNnz()) {
            long grown = Math.max(nnz, codes.maxNnz() + (long) codes.maxNnz() / 2);
            codes = SparseCode.withCapacity(maxBatch, dSae, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
        return codes;
    }
}
