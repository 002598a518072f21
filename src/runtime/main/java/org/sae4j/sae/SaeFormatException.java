package org.sae4j.sae;

import java.io.Serial;
import org.sae4j.io.FormatException;

/**
 * An SAE folder cannot be loaded: a configuration key is missing or invalid, a tensor is missing, has the wrong shape
 * or holds non-finite values, or the folder asks for a feature sae4j does not implement. The message names the file
 * and the key or tensor involved.
 */
public final class SaeFormatException extends FormatException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a complete message. */
    public SaeFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a complete message and the parser error behind it. */
    public SaeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
