package org.sae4j.lab.train;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sae4j.kernel.Kernels;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;
import org.sae4j.tensor.TensorArena;

/**
 * The decoder X̂ = Ŝ·D of the paper lab, with D [N, M] holding one atom per row (the paper's M×N matrix with unit
 * columns, transposed). A frozen dictionary is the true D; a learned one starts standard normal and is projected to
 * unit-norm atoms, in place and outside the gradient, at the start of every forward pass (paper-spec §5, §12.5): the
 * Adam moments are untouched, and after the last step the atoms are slightly off-norm until the next projection.
 */
public final class Dictionary {

    private final int latents;
    private final int measurements;
    private final MemorySegment atoms;
    private final Parameter parameter;
    private final MemorySegment norms;
    private final MemorySegment scratch;

    private Dictionary(int latents, int measurements, MemorySegment atoms, Parameter parameter, TensorArena arena) {
        this.latents = latents;
        this.measurements = measurements;
        this.atoms = atoms;
        this.parameter = parameter;
        this.norms = arena.allocateFloats(latents);
        this.scratch = parameter == null ? null : arena.allocateFloats((long) latents * measurements);
    }

    /**
     * A frozen dictionary.
     *
     * @param atoms [N, M] row-major; copied
     * @throws IllegalArgumentException when the length is not N·M or a size is not positive
     */
    public static Dictionary frozen(TensorArena arena, int latents, int measurements, float[] atoms) {
        Objects.requireNonNull(atoms, "atoms");
        checkSizes(latents, measurements);
        if ((long) latents * measurements != atoms.length) {
            throw new IllegalArgumentException("dictionary has " + atoms.length + " entries, expected " + latents
                    + "x" + measurements);
        }
        MemorySegment segment = arena.allocateFloats(atoms.length);
        MemorySegment.copy(atoms, 0, segment, F32, 0, atoms.length);
        return new Dictionary(latents, measurements, segment, null, arena);
    }

    /**
     * A learned dictionary initialised with standard-normal entries drawn row-major from {@code init}.
     *
     * @throws IllegalArgumentException when a size is not positive
     */
    public static Dictionary learned(TensorArena arena, int latents, int measurements, SplittableRandom init) {
        checkSizes(latents, measurements);
        Parameter parameter = new Parameter(arena, "D", latents * measurements);
        for (int i = 0; i < parameter.count(); i++) {
            parameter.values().setAtIndex(F32, i, (float) init.nextGaussian());
        }
        return new Dictionary(latents, measurements, parameter.values(), parameter, arena);
    }

    public int latents() {
        return latents;
    }

    public int measurements() {
        return measurements;
    }

    public boolean isLearned() {
        return parameter != null;
    }

    /** The atoms [N, M], live. */
    public MemorySegment atoms() {
        return atoms;
    }

    /** The trainable parameter of a learned dictionary, or null when frozen. */
    public Parameter parameter() {
        return parameter;
    }

    /**
     * Scales every atom of a learned dictionary to unit L2 norm in place (zero atoms stay zero), as the training
     * forward pass does; no-op when frozen.
     *
     * @return the atoms
     */
    public MemorySegment projectInPlace() {
        if (parameter != null) {
            Kernels.normaliseRows(latents, measurements, atoms, 0, measurements, norms, 0);
        }
        return atoms;
    }

    /**
     * The atoms as the next training forward pass would see them, without changing the parameter: a projected copy
     * for a learned dictionary (valid until the next call), the atoms themselves when frozen. Re-projecting unit atoms
     * may move them by an ulp, so evaluations use this to leave the training trajectory untouched.
     */
    public MemorySegment projectedCopy() {
        if (parameter == null) {
            return atoms;
        }
        MemorySegment.copy(atoms, 0, scratch, 0, atoms.byteSize());
        Kernels.normaliseRows(latents, measurements, scratch, 0, measurements, norms, 0);
        return scratch;
    }

    /** A copy of the atoms, [N, M] row-major. */
    public float[] toArray() {
        return atoms.toArray(F32);
    }

    private static void checkSizes(int latents, int measurements) {
        if (latents < 1 || measurements < 1) {
            throw new IllegalArgumentException("latents and measurements must be >= 1, got " + latents + ", "
                    + measurements);
        }
    }
}
