package org.sae4j.tensor;

/** Storage types of dense tensors. */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** bfloat16: the upper half of a binary32, widened exactly by a 16-bit shift. */
    BF16(2);

    /** Bytes one element occupies: 4 for {@link #F32}, 2 for {@link #BF16}. */
    private final int byteSize;

    /**
     * Binds a constant to its element size.
     *
     * @param byteSize bytes per element
     */
    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * Bytes per element, the factor between element offsets (what kernels take) and byte offsets (what
     * {@link java.lang.foreign.MemorySegment} takes).
     *
     * @return 4 for {@link #F32}, 2 for {@link #BF16}
     */
    public int byteSize() {
        return byteSize;
    }
}
