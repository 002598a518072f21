package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Encoding restricted to a chosen set S of latents (sae-formats §8.5): the chosen encoder rows, biases, thresholds and
 * gated parameters are copied into one contiguous block, so a row costs O(|S|·d_in) instead of O(d_sae·d_in). Column s
 * of the output is latent {@link #latents()}{@code [s]} with the value the full {@link Sae#encode} gives it (the same
 * kernels run on the copied rows).
 *
 * <pre>{@code
 * try (WatchList watch = sae.watchList(1234, 77, 9001);
 *      SaeWorkspace ws = sae.newWorkspace(1)) {
 *     float[] activity = new float[3];
 *     watch.encodeOne(x, activity, ws);        // activity[0] is latent 1234
 * }
 * }</pre>
 *
 * <p>Valid for standard, jumprelu, gated and transcoder models; topk and groupmax are refused because whether a latent
 * survives depends on other latents' pre-activations. The list applies its model's normalisation and {@code b_dec}
 * centring, reading the model's {@code b_dec}: close it no later than the model.
 *
 * <p><b>Note:</b> immutable and thread-safe given one workspace per thread; the workspace overloads allocate nothing in
 * steady state with a workspace made by the model (or one of its shape and normalisation). The list owns an arena with
 * the copied parameters, closed by {@link #close()}; using it afterwards throws {@link IllegalStateException}.
 */
public final class WatchList implements AutoCloseable {

    /** The model whose normalisation, b_dec and workspaces the list uses. */
    private final Sae sae;
    /** The watched ids, in output column order; a private copy. */
    private final int[] latents;
    /** Owns the copied parameters. */
    private final TensorArena arena;
    /** The encode rule over the watched latents only. */
    private final EncodePlan plan;

    /**
     * Wraps a validated selection.
     *
     * @param sae     the model
     * @param latents the watched ids
     * @param arena   owner of the copied parameters
     * @param plan    the selected plan
     */
    private WatchList(Sae sae, int[] latents, TensorArena arena, EncodePlan plan) {
        this.sae = sae;
        this.latents = latents;
        this.arena = arena;
        this.plan = plan;
    }

    /**
     * Validates the ids and copies their parameters out of {@code full}.
     *
     * @param sae     the model
     * @param full    the model's plan over every latent
     * @param latents the ids to watch; copied
     * @return the watch-list, with a new arena
     * @throws IllegalArgumentException if the model is topk or groupmax, the list is empty, or an id is out of range or
     *                                  repeated
     */
    static WatchList of(Sae sae, EncodePlan full, int[] latents) {
        Objects.requireNonNull(latents, "latents");
        SaeArchitecture architecture = sae.config().architecture();
        if (architecture.selectsK()) {
            throw new IllegalArgumentException("a watch-list cannot encode a " + architecture.saeLensName()
                    + " SAE: whether a latent is kept depends on the pre-activations of the other latents (all of "
                    + "them for topk, its group for groupmax), not only the watched ones");
        }
        if (latents.length == 0) {
            throw new IllegalArgumentException("a watch-list needs at least one latent");
        }
        boolean[] seen = new boolean[sae.dSae()];
        for (int id : latents) {
            if (id < 0 || id >= sae.dSae()) {
                throw new IllegalArgumentException("latent " + id + " is outside [0, " + sae.dSae() + ")");
            }
            if (seen[id]) {
                throw new IllegalArgumentException("latent " + id + " is listed twice");
            }
            seen[id] = true;
        }
        int[] chosen = latents.clone();
        TensorArena owner = new TensorArena("watch-list-" + chosen.length);
        try {
            return new WatchList(sae, chosen, owner, full.select(chosen, owner));
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * The watched latent ids, in output column order (a copy).
     *
     * @return a new array of |S| ids
     */
    public int[] latents() {
        return latents.clone();
    }

    /**
     * Number of watched latents |S|.
     *
     * @return the width of the output
     */
    public int size() {
        return latents.length;
    }

    /**
     * {@code out[r, s] = encode(x)[r, latents[s]]}: only the watched latents are computed. Allocates nothing in steady
     * state (with an output view at offset 0).
     *
     * @param x   [batch, d_in] raw activations, fp32, any row stride (copied into the workspace); not modified
     * @param out [batch, |S|] fp32 with contiguous rows (the encode epilogue writes packed rows); modified
     * @param ws  scratch from {@link Sae#newWorkspace(int)}; its input buffer is overwritten
     * @throws org.sae4j.io.NonFiniteInputException if a value of x is NaN or infinite, as {@link Sae#encode}
     * @throws IllegalArgumentException              if a view is not fp32, has the wrong width or row count, out's
     *                                               rows are not contiguous, the batch exceeds the workspace, or the
     *                                               workspace was made for another shape
     */
    public void encode(DenseMatrix x, DenseMatrix out, SaeWorkspace ws) {
        sae.checkInput(x);
        int batch = x.rows();
        MemorySegment target = Sae.packedOutput("out", out, batch, latents.length, "the watch-list's size");
        sae.checkWorkspace(ws, batch);
        MemorySegment input = sae.prepareInput(x, ws, sae.normaliser(ws));
        plan.encodeDense(input, batch, target, null, null);
    }

    /**
     * The watched codes of one row: {@code out[s] = encode(x)[latents[s]]}; allocates nothing in steady state with
     * {@link Normalisation#NONE}.
     *
     * @param x   [d_in], not modified
     * @param out [|S|], modified
     * @param ws  scratch from {@link Sae#newWorkspace(int)}
     * @throws org.sae4j.io.NonFiniteInputException if a value of x is NaN or infinite, as {@link Sae#encodeOne}
     * @throws IllegalArgumentException              if an array has the wrong length or the workspace does not fit
     */
    public void encodeOne(float[] x, float[] out, SaeWorkspace ws) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(out, "out");
        if (x.length != sae.dIn() || out.length != latents.length) {
            throw new IllegalArgumentException("x needs " + sae.dIn() + " values and out " + latents.length
                    + ", got " + x.length + " and " + out.length);
        }
        sae.checkWorkspace(ws, 1);
        MemorySegment.copy(x, 0, ws.input(), Layouts.F32, 0, x.length);
        MemorySegment input = sae.prepareInput(ws.input(), 1, ws, sae.normaliser(ws));
        MemorySegment codes = ws.dense();
        plan.encodeDense(input, 1, codes, null, null);
        MemorySegment.copy(codes, Layouts.F32, 0, out, 0, latents.length);
    }

    /**
     * Frees the copied parameters; the model is untouched. Not idempotent: a second call throws
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "WatchList[" + latents.length + " of " + sae.dSae() + " latents]";
    }
}
