package org.sae4j.sae;

import java.io.Serial;
import org.sae4j.io.FormatException;

/**
 * An SAE folder cannot be loaded: a configuration key is missing or invalid, a tensor is missing, has the wrong shape
 * or holds non-finite values, or the folder asks for a feature sae4j does not implement. The message names the file
 * and the key or tensor involved.
 */
public final class SaeFormatException extends FormatException {

    /** Version of the serialised form; the class adds no fields. */
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete message.
     *
     * @param message the file followed by the key or tensor and the problem, e.g.
     *                {@code "cfg.json: key 'd_sae' is missing"}
     */
    public SaeFormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a complete message and the parser error behind it.
     *
     * @param message the file followed by the key or tensor and the problem
     * @param cause   the JSON parser's or the config validation's exception
     */
    public SaeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
