package org.sae4j.optim;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;

/**
 * One trainable tensor with its gradient and Adam moments, all fp32 in the owner's arena. Adam state is per
 * parameter, so a projection of the values (the learned dictionary's unit atoms) leaves the moments untouched,
 * as PyTorch does.
 */
public final class Parameter {

    private final String name;
    private final int count;
    private final MemorySegment values;
    private final MemorySegment gradient;
    private final MemorySegment firstMoment;
    private final MemorySegment secondMoment;

    /**
     * @param arena owner of the four tensors
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

    public String name() {
        return name;
    }

    public int count() {
        return count;
    }

    /** The live values; kernels read and write them in place. */
    public MemorySegment values() {
        return values;
    }

    /** The live gradient, overwritten by each backward pass. */
    public MemorySegment gradient() {
        return gradient;
    }

    /** One Adam update with the current gradient; {@code step} is the 1-based step count t. */
    public void adamStep(long step, AdamOptions adam) {
        Kernels.adam(count, values, 0, gradient, 0, firstMoment, 0, secondMoment, 0, adam.learningRate(),
                adam.beta1(), adam.beta2(), adam.epsilon(), step);
    }

    /** Zeroes the Adam moments, as a fresh optimiser would start; values and gradient are kept. */
    public void clearMoments() {
        firstMoment.fill((byte) 0);
        secondMoment.fill((byte) 0);
    }

    /** A copy of the values. */
    public float[] toArray() {
        return values.toArray(F32);
    }

    /** A copy of the gradient. */
    public float[] gradientToArray() {
        return gradient.toArray(F32);
    }

    /**
     * Replaces the values; the Adam moments are kept.
     *
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
