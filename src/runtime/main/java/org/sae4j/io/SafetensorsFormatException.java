package org.sae4j.io;

import java.io.Serial;

/** A safetensors file violates the container rules (sae-formats §2.2); the message names the problem and tensor. */
public final class SafetensorsFormatException extends FormatException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a complete message. */
    public SafetensorsFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a complete message and the parser error behind it. */
    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
