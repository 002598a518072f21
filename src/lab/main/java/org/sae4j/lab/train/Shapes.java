package org.sae4j.lab.train;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.tensor.TensorArena;

/** Argument checks and copies shared by the trainers. */
final class Shapes {

    private Shapes() {
    }

    /**
     * Validates a problem's sizes and arrays: N, M ≥ 1, true atoms [N, M], training and test observations [B, M] and
     * codes [B, N] of matching row counts.
     *
     * @return the training and test row counts
     * @throws IllegalArgumentException naming the first array that does not fit
     */
    static int[] splitRows(int latents, int measurements, float[] trueAtoms, float[] trainX, float[] trainCodes,
                           float[] testX, float[] testCodes) {
        if (latents < 1 || measurements < 1) {
            throw new IllegalArgumentException("latents and measurements must be >= 1, got " + latents + ", "
                    + measurements);
        }
        int train = rows("trainX", trainX, measurements);
        int test = rows("testX", testX, measurements);
        expectLength("trueAtoms", trueAtoms, (long) latents * measurements);
        expectLength("trainCodes", trainCodes, (long) train * latents);
        expectLength("testCodes", testCodes, (long) test * latents);
        return new int[] {train, test};
    }

    /** The row count of a row-major array of the given width; throws unless it is a positive multiple. */
    static int rows(String name, float[] values, int width) {
        Objects.requireNonNull(values, name);
        if (values.length == 0 || values.length % width != 0) {
            throw new IllegalArgumentException(name + " has " + values.length + " entries, not a positive multiple of "
                    + width);
        }
        return values.length / width;
    }

    static void expectLength(String name, float[] values, long expected) {
        Objects.requireNonNull(values, name);
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " entries, expected " + expected);
        }
    }

    static MemorySegment copy(TensorArena arena, float[] values) {
        MemorySegment segment = arena.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, F32, 0, values.length);
        return segment;
    }
}
