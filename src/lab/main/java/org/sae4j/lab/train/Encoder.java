package org.sae4j.lab.train;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sae4j.kernel.Kernels;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;
import org.sae4j.tensor.TensorArena;

/**
 * An amortised encoder of {@link EncoderSpec} shape with its forward pass and backpropagation, for full-batch
 * training of up to {@code capacity} rows.
 *
 * <pre>{@code
 *   A₀ = X [B, w₀]       layer l = 1..L:  P_l = A_{l−1}·W_lᵀ + b_l,  W_l [w_l, w_{l−1}]
 *   A_l = ReLU(P_l) for hidden layers;  A_L = σ(P_L) = Ŝ, σ = ReLU or top-k then ReLU
 *   backward from ∂L/∂Ŝ:  G_l = ∂L/∂A_l ⊙ 1[A_l > 0],  ∂L/∂W_l = G_lᵀ·A_{l−1},  ∂L/∂b_l = G_lᵀ·1,
 *                         ∂L/∂A_{l−1} = G_l·W_l
 * }</pre>
 *
 * <p>Every activation is non-negative and is positive exactly where its derivative is 1, so one mask
 * {@code A > 0} serves ReLU and top-k alike. Initialisation is PyTorch's default {@code Linear} init
 * (paper-spec §5): W_l and b_l drawn from U(−1/√w_{l−1}, +1/√w_{l−1}), layer by layer, weights before bias, each value
 * {@code (float) ((2u − 1)/√fan_in)} with u a 53-bit uniform double of the given generator.
 *
 * <p>The O(B·w·w') work runs through the {@link Kernels} GEMMs, so results are identical for any kernel thread count.
 * Not thread-safe; allocates nothing after construction.
 */
public final class Encoder {

    private final EncoderSpec spec;
    private final int[] widths;
    private final int capacity;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final MemorySegment zeroBias;
    private final MemorySegment[] activations;
    private final MemorySegment[] hiddenGradients;
    private final MemorySegment ones;
    private final int[] topIndices;
    private final float[] topValues;

    /**
     * @param arena    owner of every tensor
     * @param spec     encoder shape
     * @param inputs   input width M ≥ 1
     * @param latents  code width N ≥ 1
     * @param capacity largest batch a forward pass accepts, ≥ 1
     * @param init     generator of the initial weights
     * @throws IllegalArgumentException when a size is not positive, or top-k has k &gt; N
     */
    public Encoder(TensorArena arena, EncoderSpec spec, int inputs, int latents, int capacity,
                   SplittableRandom init) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(init, "init");
        if (inputs < 1 || latents < 1 || capacity < 1) {
            throw new IllegalArgumentException("inputs, latents and capacity must be >= 1, got " + inputs + ", "
                    + latents + ", " + capacity);
        }
        if (spec.activation() instanceof CodeActivation.TopK(int k) && k > latents) {
            throw new IllegalArgumentException("top-k needs k <= latents, got k = " + k + ", N = " + latents);
        }
        this.widths = spec.widths(inputs, latents);
        this.capacity = capacity;
        int layers = spec.layers();
        int widest = 0;
        for (int width : widths) {
            widest = Math.max(widest, width);
            if ((long) capacity * width > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("capacity x width exceeds the largest kernel extent");
            }
        }
        this.weights = new Parameter[layers];
        this.biases = new Parameter[layers];
        this.activations = new MemorySegment[layers];
        this.hiddenGradients = new MemorySegment[layers];
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            weights[l] = new Parameter(arena, "W" + (l + 1), out * in);
            biases[l] = spec.bias() ? new Parameter(arena, "b" + (l + 1), out) : null;
            activations[l] = arena.allocateFloats((long) capacity * out);
            hiddenGradients[l] = l < layers - 1 ? arena.allocateFloats((long) capacity * out) : null;
            fillUniform(weights[l].values(), out * in, in, init);
            if (biases[l] != null) {
                fillUniform(biases[l].values(), out, in, init);
            }
        }
        this.zeroBias = arena.allocateFloats(widest);
        this.ones = arena.allocateFloats(capacity);
        for (int i = 0; i < capacity; i++) {
            ones.setAtIndex(F32, i, 1f);
        }
        int k = spec.activation() instanceof CodeActivation.TopK topK ? topK.k() : 0;
        this.topIndices = new int[k];
        this.topValues = new float[k];
    }

    public EncoderSpec spec() {
        return spec;
    }

    public int inputs() {
        return widths[0];
    }

    public int latents() {
        return widths[widths.length - 1];
    }

    public int capacity() {
        return capacity;
    }

    /** Weights then bias of each layer, input side first. */
    public List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            parameters.add(weights[l]);
            if (biases[l] != null) {
                parameters.add(biases[l]);
            }
        }
        return Collections.unmodifiableList(parameters);
    }

    /**
     * Ŝ = encoder(X) for {@code rows} rows; the returned codes and the hidden activations stay valid until the next
     * forward pass.
     *
     * @param x    [rows, M] row-major
     * @param rows 1..capacity
     * @return the codes [rows, N] row-major (the encoder's own scratch)
     * @throws IllegalArgumentException when rows is out of range
     */
    public MemorySegment forward(MemorySegment x, int rows) {
        checkRows(rows);
        MemorySegment input = x;
        for (int l = 0; l < weights.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            MemorySegment output = activations[l];
            MemorySegment bias = biases[l] == null ? zeroBias : biases[l].values();
            Kernels.encodeRelu(rows, out, in, input, 0, in, weights[l].values(), 0, in, bias, 0, output, 0, out);
            input = output;
        }
        if (spec.activation() instanceof CodeActivation.TopK(int k)) {
            keepLargest(activations[weights.length - 1], rows, latents(), k, topIndices, topValues);
        }
        return activations[weights.length - 1];
    }

    /** The codes of the last {@link #forward}, [rows, N] row-major (the encoder's own scratch). */
    public MemorySegment codes() {
        return activations[weights.length - 1];
    }

    /**
     * Backpropagates ∂L/∂Ŝ through the last {@link #forward} (which must have been on the same {@code x} and
     * {@code rows}), overwriting every parameter gradient.
     *
     * @param x         [rows, M], the forward pass's input
     * @param rows      the forward pass's row count
     * @param codeGrad  [rows, N] ∂L/∂Ŝ less {@code codeShift}; overwritten with ∂L/∂P_L
     * @param codeShift a constant part of ∂L/∂Ŝ on the active codes, added here (the L1 term's λ/(B·N))
     * @throws IllegalArgumentException when rows is out of range
     */
    public void backward(MemorySegment x, int rows, MemorySegment codeGrad, float codeShift) {
        checkRows(rows);
        MemorySegment grad = codeGrad;
        for (int l = weights.length - 1; l >= 0; l--) {
            int in = widths[l];
            int out = widths[l + 1];
            Kernels.reluGradient(rows * out, activations[l], 0, grad, 0, l == weights.length - 1 ? codeShift : 0f);
            MemorySegment input = l == 0 ? x : activations[l - 1];
            Kernels.gemmTN(out, in, rows, 1f, grad, 0, out, input, 0, in, 0f, weights[l].gradient(), 0, in);
            if (biases[l] != null) {
                Kernels.gemvTransposed(rows, out, 1f, grad, 0, out, ones, 0, 0f, biases[l].gradient(), 0);
            }
            if (l > 0) {
                MemorySegment below = hiddenGradients[l - 1];
                Kernels.gemm(rows, in, out, 1f, grad, 0, out, weights[l].values(), 0, in, 0f, below, 0, in);
                grad = below;
            }
        }
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > capacity) {
            throw new IllegalArgumentException("rows must be in [1, " + capacity + "], got " + rows);
        }
    }

    /**
     * Keeps the k largest entries of each row of {@code codes} [rows, latents] (ties to the lower index, as
     * {@link Kernels#topK}) and sets the others to +0.
     *
     * @param indices scratch of at least k entries
     * @param values  scratch of at least k entries
     */
    public static void keepLargest(MemorySegment codes, int rows, int latents, int k, int[] indices, float[] values) {
        for (int row = 0; row < rows; row++) {
            long offset = (long) row * latents;
            int kept = Kernels.topK(latents, codes, offset, k, indices, values, 0);
            codes.asSlice(offset * Float.BYTES, (long) latents * Float.BYTES).fill((byte) 0);
            for (int i = 0; i < kept; i++) {
                codes.setAtIndex(F32, offset + indices[i], values[i]);
            }
        }
    }

    private static void fillUniform(MemorySegment target, int count, int fanIn, SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < count; i++) {
            target.setAtIndex(F32, i, (float) ((2.0 * random.nextDouble() - 1.0) * bound));
        }
    }

    @Override
    public String toString() {
        return "Encoder[" + spec.label() + ", widths=" + Arrays.toString(widths) + "]";
    }
}
