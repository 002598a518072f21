package org.sae4j.io;

import java.io.Serial;

/** A safetensors file violates the container rules (sae-formats §2.2); the message names the problem and tensor. */
public final class SafetensorsFormatException extends FormatException {

    /** Version of the serialised form; the class adds no fields. */
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete message.
     *
     * @param message the source name followed by the problem and, where one is involved, the tensor
     */
    public SafetensorsFormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a complete message and the parser error behind it.
     *
     * @param message the source name followed by the problem
     * @param cause   the JSON parser's exception for a header that is not valid JSON
     */
    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
