package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Argument checks shared by {@link Sae}'s entry points, each failing with a message naming the argument. */
final class SaeArguments {

    /** Not instantiable: static checks only. */
    private SaeArguments() {
    }

    /**
     * Throws unless {@code values} is present with exactly {@code expected} elements.
     *
     * @param name     names the array in the message
     * @param values   the array, or null
     * @param expected required length
     * @throws IllegalArgumentException if it is missing or has another length
     */
    static void checkArray(String name, float[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }

    /**
     * As {@link #checkArray} when {@code required}; otherwise {@code values} must be absent.
     *
     * @param name     names the array in the message
     * @param values   the array, or null
     * @param expected required length when required
     * @param required whether the architecture uses the array
     * @throws IllegalArgumentException if a required array is missing or mis-sized, or an unused one is given
     */
    static void checkOptional(String name, float[] values, int expected, boolean required) {
        if (required) {
            checkArray(name, values, expected);
        } else if (values != null) {
            throw new IllegalArgumentException(name + " is given but the architecture does not use it");
        }
    }

    /**
     * Throws unless a skip matrix of {@code length} elements (-1: none) fits {@code config}: required by
     * skip_transcoder, allowed for topk and groupmax, [d_out, d_in] when present.
     *
     * @param config the configuration
     * @param length elements of W_skip, or -1 when there is none
     * @throws IllegalArgumentException if it is missing, not allowed or mis-sized
     */
    static void checkSkip(SaeConfig config, long length) {
        SaeArchitecture architecture = config.architecture();
        if (length < 0) {
            if (architecture.requiresSkip()) {
                throw new IllegalArgumentException("W_skip is missing: " + architecture.saeLensName()
                        + " needs a [d_out, d_in] skip matrix");
            }
            return;
        }
        if (!architecture.acceptsSkip()) {
            throw new IllegalArgumentException("W_skip is given but " + architecture.saeLensName()
                    + " has no skip connection (skip_transcoder, topk and groupmax do)");
        }
        long expected = (long) config.dOut() * config.dIn();
        if (length != expected) {
            throw new IllegalArgumentException("W_skip has " + length + " values, expected [d_out, d_in] = "
                    + expected);
        }
    }

    /**
     * Throws unless {@code values} holds exactly one row of {@code width}.
     *
     * @param values the array
     * @param width  required length
     * @param name   names the array in the message
     * @throws NullPointerException     if {@code values} is null
     * @throws IllegalArgumentException if it has another length
     */
    static void checkOne(float[] values, int width, String name) {
        Objects.requireNonNull(values, name);
        if (values.length != width) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + width);
        }
    }

    /**
     * The number of rows of {@code width} in {@code values}.
     *
     * @param values the array
     * @param width  row width
     * @param name   names the array in the message
     * @return {@code values.length / width}
     * @throws IllegalArgumentException if the length is not a multiple of {@code width}
     */
    static int batchOf(float[] values, int width, String name) {
        Objects.requireNonNull(values, name);
        if (values.length % width != 0) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, not a multiple of "
                    + width);
        }
        return values.length / width;
    }

    /**
     * Throws unless {@code segment} holds [rows, cols] fp32 values and {@code rows} is not negative.
     *
     * @param name    names the segment in the message
     * @param segment the segment
     * @param rows    rows, ≥ 0
     * @param cols    columns
     * @throws NullPointerException     if {@code segment} is null
     * @throws IllegalArgumentException on a negative batch or a segment that is too small
     */
    static void checkSegment(String name, MemorySegment segment, int rows, int cols) {
        Objects.requireNonNull(segment, name);
        if (rows < 0) {
            throw new IllegalArgumentException("negative batch " + rows);
        }
        long bytes = (long) rows * cols * Float.BYTES;
        if (segment.byteSize() < bytes) {
            throw new IllegalArgumentException(name + " has " + segment.byteSize() + " bytes, [" + rows + ", " + cols
                    + "] fp32 needs " + bytes);
        }
    }
}
