package org.sae4j.optim;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;

/**
 * One trainable tensor with its gradient and Adam moments: four fp32 segments of {@link #count()} elements allocated in
 * the caller's {@link TensorArena}. Adam state is per parameter, so a projection of the values (the learned
 * dictionary's unit atoms) leaves the moments untouched, as PyTorch does.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("training")) {
 *     Parameter decoder = new Parameter(arena, "W_dec", dSae * dIn);
 *     AdamOptions adam = AdamOptions.pytorch(1e-3f);
 *     for (long step = 1; step <= steps; step++) {
 *         ...                                     // a backward pass writes decoder.gradient()
 *         decoder.adamStep(step, adam);           // values, moments updated in place
 *     }
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe; the arena, not the parameter, owns the memory, so the parameter is unusable once the
 * arena is closed. {@link #adamStep} allocates nothing; {@link #toArray()} and {@link #gradientToArray()} copy.
 */
public final class Parameter {

    /** Names the parameter in messages. */
    private final String name;
    /** Elements in each of the four segments. */
    private final int count;
    /** [count] the trainable values. */
    private final MemorySegment values;
    /** [count] ∂loss/∂values, written by the backward pass. */
    private final MemorySegment gradient;
    /** [count] Adam's m, the running mean of the gradient. */
    private final MemorySegment firstMoment;
    /** [count] Adam's v, the running mean of the squared gradient. */
    private final MemorySegment secondMoment;

    /**
     * Allocates zeroed values, gradient and moments of {@code count} elements each ({@code 16·count} bytes) in
     * {@code arena}.
     *
     * @param arena owner of the four tensors; closing it frees the parameter
     * @param name  used in messages
     * @param count number of elements, ≥ 1
     * @throws IllegalArgumentException when count is not positive
     */
    public Parameter(TensorArena arena, String name, int count) {
        Objects.requireNonNull(arena, "arena");
        this.name = Objects.requireNonNull(name, "name");
        if (count < 1) {
            throw new IllegalArgumentException(name + ": element count must be >= 1, got " + count);
        }
        this.count = count;
        this.values = arena.allocateFloats(count);
        this.gradient = arena.allocateFloats(count);
        this.firstMoment = arena.allocateFloats(count);
        this.secondMoment = arena.allocateFloats(count);
    }

    /**
     * The parameter's name.
     *
     * @return the name given at construction
     */
    public String name() {
        return name;
    }

    /**
     * Number of elements.
     *
     * @return the element count of the values, gradient and each moment
     */
    public int count() {
        return count;
    }

    /**
     * The live values; kernels read and write them in place.
     *
     * @return the [count] fp32 segment itself, not a copy
     */
    public MemorySegment values() {
        return values;
    }

    /**
     * The live gradient, overwritten by each backward pass.
     *
     * @return the [count] fp32 segment itself, not a copy
     */
    public MemorySegment gradient() {
        return gradient;
    }

    /**
     * One Adam update of the values from the current gradient ({@link Kernels#adam}), element-wise:
     * {@code m = β1·m + (1 − β1)·g}, {@code v = β2·v + (1 − β2)·g²}, then
     * {@code p −= (lr/(1 − β1^t))·m/(√v/√(1 − β2^t) + ε)}. Values and moments modified; the gradient is read, not
     * modified.
     *
     * @param step the 1-based step count t, ≥ 1
     * @param adam the hyper-parameters
     * @throws IllegalArgumentException when {@code step < 1}
     */
    public void adamStep(long step, AdamOptions adam) {
        Kernels.adam(count, values, 0, gradient, 0, firstMoment, 0, secondMoment, 0, adam.learningRate(),
                adam.beta1(), adam.beta2(), adam.epsilon(), step);
    }

    /** Zeroes the Adam moments, as a fresh optimiser would start; values and gradient are kept. */
    public void clearMoments() {
        firstMoment.fill((byte) 0);
        secondMoment.fill((byte) 0);
    }

    /**
     * A copy of the values.
     *
     * @return a new array of {@link #count()} floats
     */
    public float[] toArray() {
        return values.toArray(F32);
    }

    /**
     * A copy of the gradient.
     *
     * @return a new array of {@link #count()} floats
     */
    public float[] gradientToArray() {
        return gradient.toArray(F32);
    }

    /**
     * Replaces the values; the Adam moments are kept.
     *
     * @param newValues exactly {@link #count()} floats; not modified
     * @throws IllegalArgumentException when the length differs from {@link #count()}
     */
    public void set(float[] newValues) {
        Objects.requireNonNull(newValues, name);
        if (newValues.length != count) {
            throw new IllegalArgumentException(name + " has " + count + " elements, got " + newValues.length);
        }
        MemorySegment.copy(newValues, 0, values, F32, 0, count);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + ", " + count + "]";
    }
}
