package org.sae4j.tensor;

/** Storage types of dense tensors. */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** bfloat16: the upper half of a binary32, widened exactly by a 16-bit shift. */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
