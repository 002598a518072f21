package org.sae4j.io;

import java.io.Serial;

/** A {@code .npy} file is malformed or uses a feature sae4j does not read (big-endian, Fortran order, objects). */
public final class NpyFormatException extends FormatException {

    /** Version of the serialised form; the class adds no fields. */
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete message.
     *
     * @param message the source name (path, or {@code archive!member.npy} inside an npz) followed by the problem
     */
    public NpyFormatException(String message) {
        super(message);
    }
}
