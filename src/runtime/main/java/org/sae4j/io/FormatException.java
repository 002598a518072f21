package org.sae4j.io;

import java.io.IOException;
import java.io.Serial;

/**
 * A file does not follow its container format: truncated, inconsistent header, unsupported element type. The message
 * names the source (file path or caller-given name), the problem and, where one is involved, the tensor.
 *
 * <p>It is a checked {@link IOException} on purpose: a malformed file is an input condition of the same kind as a
 * missing or unreadable one, and callers that open files already handle {@code IOException}. Readers in this package
 * validate everything while opening, so once a reader exists its accessors never throw this exception.
 */
public class FormatException extends IOException {

    /** Version of the serialised form; the class adds no fields to {@link IOException}. */
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete message.
     *
     * @param message the source name followed by the problem, e.g. {@code "W_enc.npy: header ends early"}
     */
    public FormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a complete message and the parser or archive error behind it.
     *
     * @param message the source name followed by the problem
     * @param cause   the underlying error (a JSON or ZIP exception), kept for its stack trace
     */
    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
