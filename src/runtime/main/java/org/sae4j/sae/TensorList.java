package org.sae4j.sae;

import org.sae4j.io.SafetensorsWriter;

/**
 * The tensors of one weights file, all stored as one {@link SaeDType}; overflow is refused before anything is
 * written.
 */
final class TensorList {

    /** The type every tensor is stored as. */
    private final SaeDType dtype;
    /** The file being assembled, metadata {@code format = pt}. */
    private final SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");

    /**
     * An empty list stored as {@code dtype}.
     *
     * @param dtype the stored type
     */
    TensorList(SaeDType dtype) {
        this.dtype = dtype;
    }

    /**
     * Adds a tensor (copied and rounded now).
     *
     * @param name   tensor name
     * @param shape  dimensions
     * @param values the elements; not modified
     * @return this list
     * @throws IllegalArgumentException if a finite value overflows the type, or as {@link SafetensorsWriter#addFloats}
     */
    TensorList add(String name, long[] shape, float[] values) {
        dtype.requireRepresentable(name, values);
        writer.addFloats(name, dtype.stored(), shape, values);
        return this;
    }

    /**
     * The assembled file.
     *
     * @return the writer, ready to write
     */
    SafetensorsWriter writer() {
        return writer;
    }
}
