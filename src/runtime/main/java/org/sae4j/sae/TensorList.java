package org.sae4j.sae;

import org.sae4j.io.SafetensorsWriter;

/**
 * The tensors of one weights file, all stored as one {@link SaeDType}; overflow is refused before anything is
 * written.
 */
final class TensorList {

    private final SaeDType dtype;
    private final SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");

    TensorList(SaeDType dtype) {
        this.dtype = dtype;
    }

    /** Adds a tensor (copied and rounded now). */
    TensorList add(String name, long[] shape, float[] values) {
        dtype.requireRepresentable(name, values);
        writer.addFloats(name, dtype.stored(), shape, values);
        return this;
    }

    SafetensorsWriter writer() {
        return writer;
    }
}
