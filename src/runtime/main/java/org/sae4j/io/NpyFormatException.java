package org.sae4j.io;

import java.io.Serial;

/** A {@code .npy} file is malformed or uses a feature sae4j does not read (big-endian, Fortran order, objects). */
public final class NpyFormatException extends FormatException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a complete message. */
    public NpyFormatException(String message) {
        super(message);
    }
}
