package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.TensorArena;

/**
 * A model's encoder, one row per latent ([d_sae, d_in], the layout every batch kernel reads), which may come from a
 * file that stores it one column per latent ([d_in, d_sae], SAELens {@code W_enc}). Such a matrix is kept as stored
 * and transposed only when a batch kernel first needs the rows: opening a model then copies nothing, and a batch of
 * one reads the stored layout directly with a transposed GEMV, which streams it as fast as the rows.
 *
 * <p><b>Note:</b> thread-safe; the rows are built at most once, into the model's arena.
 */
final class EncoderMatrix {

    /** Rows of the engine layout. */
    private final int latents;
    /** Columns of the engine layout. */
    private final int dIn;
    /** [dIn, latents] fp32 as stored, or null. */
    private final MemorySegment columns;
    /** The model's arena, where the rows are built; null when they already exist. */
    private final TensorArena owner;
    /** [latents, dIn] fp32 or bf16; built at most once, published through the volatile write. */
    private volatile MemorySegment rows;

    /**
     * An encoder in one layout or both.
     *
     * @param latents rows of the engine layout
     * @param dIn     columns of the engine layout
     * @param columns the stored column layout, or null
     * @param rows    the row layout, or null to build from {@code columns}
     * @param owner   where to build the rows, or null
     */
    private EncoderMatrix(int latents, int dIn, MemorySegment columns, MemorySegment rows, TensorArena owner) {
        this.latents = latents;
        this.dIn = dIn;
        this.columns = columns;
        this.rows = rows;
        this.owner = owner;
    }

    /**
     * An encoder already one row per latent.
     *
     * @param rows    [latents, dIn] fp32 or bf16
     * @param latents number of latents
     * @param dIn     input width
     * @return the matrix
     */
    static EncoderMatrix ofRows(MemorySegment rows, int latents, int dIn) {
        return new EncoderMatrix(latents, dIn, null, rows, null);
    }

    /**
     * An fp32 encoder stored one column per latent; its rows are built in {@code owner} on first use.
     *
     * @param columns [dIn, latents] fp32
     * @param latents number of latents
     * @param dIn     input width
     * @param owner   the model's arena
     * @return the matrix
     */
    static EncoderMatrix ofColumns(MemorySegment columns, int latents, int dIn, TensorArena owner) {
        return new EncoderMatrix(latents, dIn, columns, null, owner);
    }

    /**
     * [latents, d_in], transposing the stored columns on the first call (double-checked on the volatile field, so
     * concurrent first calls transpose once).
     *
     * @return the row layout
     */
    MemorySegment rows() {
        MemorySegment built = rows;
        if (built == null) {
            synchronized (this) {
                built = rows;
                if (built == null) {
                    built = owner.allocateFloats((long) latents * dIn);
                    Transpose.copy(columns, dIn, latents, built);
                    rows = built;
                }
            }
        }
        return built;
    }

    /**
     * The stored [d_in, latents] fp32 layout, or null when the encoder came one row per latent.
     *
     * @return the column layout, or null
     */
    MemorySegment columns() {
        return columns;
    }
}
