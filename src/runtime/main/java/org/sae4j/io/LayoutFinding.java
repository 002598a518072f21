package org.sae4j.io;

import java.util.Objects;

/**
 * One {@link LayoutFlag} found in a file.
 *
 * @param flag   what was found
 * @param tensor the tensor or array it concerns, or {@code null} when it concerns the file (header, data start)
 * @param detail the offsets and sizes involved, e.g. {@code "file offset 89 is not a multiple of 4 (F32 element
 *               size)"}
 */
public record LayoutFinding(LayoutFlag flag, String tensor, String detail) {

    /**
     * Checks that the flag and detail are present.
     *
     * @throws NullPointerException if {@code flag} or {@code detail} is null
     */
    public LayoutFinding {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code label: detail}, prefixed by the quoted tensor name when there is one. */
    @Override
    public String toString() {
        return (tensor == null ? "" : "'" + tensor + "' ") + flag.label() + ": " + detail;
    }
}
