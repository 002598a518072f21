package org.sae4j.solve;

import java.lang.foreign.MemorySegment;

import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Scratch memory of {@link Fista} for one problem shape: up to {@code batch} samples, {@code latents} = N atoms,
 * {@code dModel} = M dimensions. Allocated once, reused by every solve, freed by {@link #close()}.
 *
 * <pre>{@code
 *   always              X copy [B, M]; Z, Z_prev, Y, gradient [B, N]; residuals R, R_prev, R_Y [B, M];
 *                       row scratch [B]; ones [N]; power-iteration vectors [M], [N], [M]
 *   when N < 2·M        Gram D·Dᵀ [N, N]; X·Dᵀ [B, N]; images P, P_prev [B, N]
 * }</pre>
 *
 * <p>The Gram buffers exist only where the Gram route can be the cheaper one: it costs 2·B·N² FLOPs per iteration
 * against 4·B·N·M for the residual route, so it never wins once N ≥ 2·M. About
 * {@code 4·(4BN + 4BM + B + 2N + 2M) [+ 4·(3BN + N²)]} bytes.
 *
 * <pre>{@code
 * try (FistaWorkspace workspace = new FistaWorkspace(1024, 16, 8)) {
 *     FistaResult result = Fista.solve(x, d, z, FistaOptions.of(0.0025f), workspace, null);
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe: one solve at a time per workspace. Memory is a shared {@link TensorArena}, so
 * the kernels may split work over their threads.
 */
public final class FistaWorkspace implements AutoCloseable {

    /** Largest batch B a solve may use. */
    final int capacity;
    /** Atoms N of the dictionary. */
    final int latents;
    /** Dimensions M of the dictionary and the observations. */
    final int dModel;
    /** Whether the Gram buffers exist: N &lt; 2·M. */
    final boolean gramCapable;

    /** [B, M] dense copy of the observations X. */
    final MemorySegment x;
    /** [B, N] the current iterate Z_k. */
    final MemorySegment codes;
    /** [B, N] the previous iterate Z_{k−1}, overwritten by the next one. */
    final MemorySegment codesPrev;
    /** [B, N] the FISTA point Y_k. */
    final MemorySegment extrapolated;
    /** [B, N] the gradient at Y_k; also scratch of the objective. */
    final MemorySegment gradient;
    /** [B, M] residual route: R = Z_k·D − X. */
    final MemorySegment residual;
    /** [B, M] residual route: the residual of Z_{k−1}. */
    final MemorySegment residualPrev;
    /** [B, M] residual route: the residual at Y_k, by linearity. */
    final MemorySegment residualY;
    /** [B] per-row norms and sums, summed in double by the caller. */
    final MemorySegment rows;
    /** [N] all ones, for row sums by GEMV. */
    final MemorySegment ones;
    /** [M] power-iteration vector v. */
    final MemorySegment powerV;
    /** [N] power-iteration vector u = D·v. */
    final MemorySegment powerU;
    /** [M] power-iteration vector w = Dᵀ·u. */
    final MemorySegment powerW;
    /** [N, N] G = D·Dᵀ, or null without the Gram route. */
    final MemorySegment gram;
    /** [B, N] C = X·Dᵀ, or null without the Gram route. */
    final MemorySegment xd;
    /** [B, N] Gram route: P = Z_k·G − C, the gradient at Z_k; or null. */
    final MemorySegment image;
    /** [B, N] Gram route: the image of Z_{k−1}; or null. */
    final MemorySegment imagePrev;

    /** Owns every buffer above; closed by {@link #close()}. */
    private final TensorArena arena;

    /**
     * Allocates the scratch for problems of up to {@code batch} samples over an N×M dictionary.
     *
     * @param batch   largest number of samples per solve, ≥ 1
     * @param latents N ≥ 1
     * @param dModel  M ≥ 1
     * @throws IllegalArgumentException when a size is not positive or the buffers exceed the addressable size
     */
    public FistaWorkspace(int batch, int latents, int dModel) {
        if (batch < 1 || latents < 1 || dModel < 1) {
            throw new IllegalArgumentException("batch, latents and dModel must be >= 1, got " + batch + ", "
                    + latents + ", " + dModel);
        }
        if ((long) batch * Math.max(latents, dModel) > Integer.MAX_VALUE
                || (long) latents * latents > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("workspace " + batch + "x" + latents + "x" + dModel
                    + " exceeds the largest kernel extent");
        }
        this.capacity = batch;
        this.latents = latents;
        this.dModel = dModel;
        this.gramCapable = latents < 2L * dModel;
        this.arena = new TensorArena("fista-" + batch + "x" + latents + "x" + dModel);
        long bn = (long) batch * latents;
        long bm = (long) batch * dModel;
        this.x = arena.allocateFloats(bm);
        this.codes = arena.allocateFloats(bn);
        this.codesPrev = arena.allocateFloats(bn);
        this.extrapolated = arena.allocateFloats(bn);
        this.gradient = arena.allocateFloats(bn);
        this.residual = arena.allocateFloats(bm);
        this.residualPrev = arena.allocateFloats(bm);
        this.residualY = arena.allocateFloats(bm);
        this.rows = arena.allocateFloats(batch);
        this.ones = arena.allocateFloats(latents);
        for (int i = 0; i < latents; i++) {
            ones.setAtIndex(Layouts.F32, i, 1f);
        }
        this.powerV = arena.allocateFloats(dModel);
        this.powerU = arena.allocateFloats(latents);
        this.powerW = arena.allocateFloats(dModel);
        if (gramCapable) {
            this.gram = arena.allocateFloats((long) latents * latents);
            this.xd = arena.allocateFloats(bn);
            this.image = arena.allocateFloats(bn);
            this.imagePrev = arena.allocateFloats(bn);
        } else {
            this.gram = null;
            this.xd = null;
            this.image = null;
            this.imagePrev = null;
        }
    }

    /**
     * Largest batch a solve may use.
     *
     * @return the batch given at construction
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Number of latents N.
     *
     * @return the atoms of the dictionary this workspace serves
     */
    public int latents() {
        return latents;
    }

    /**
     * Model dimension M.
     *
     * @return the width of the atoms and observations
     */
    public int dModel() {
        return dModel;
    }

    /**
     * Whether the Gram route is available (N &lt; 2·M).
     *
     * @return true when the Gram buffers were allocated
     */
    public boolean supportsGram() {
        return gramCapable;
    }

    /**
     * Bytes of scratch held.
     *
     * @return the off-heap bytes allocated at construction
     */
    public long allocatedBytes() {
        return arena.allocatedBytes();
    }

    /** Frees the scratch; later solves with this workspace fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "FistaWorkspace[batch " + capacity + ", latents " + latents + ", dModel " + dModel
                + (gramCapable ? ", gram" : "") + "]";
    }
}
