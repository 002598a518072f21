package org.sae4j.tensor;

/**
 * The element types the engine computes on: how a {@link DenseMatrix} and a model's encoder and decoder matrices are
 * held in memory ({@code Sae.weightPrecision()}). Every type accumulates in fp32.
 *
 * <p>Unlike {@code org.sae4j.sae.SaeDType} (the torch dtype a checkpoint is written in, fp16 included) and
 * {@code org.sae4j.io.SafetensorsDType} (every element code a file header may name), this lists only the types the
 * kernels read directly.
 */
public enum DType {
    /** IEEE 754 binary32, 4 bytes. */
    F32(4),
    /**
     * bfloat16: the upper half of a binary32, 2 bytes, widened exactly by a 16-bit shift. 8 significant bits, so
     * rounding to nearest even moves a value by at most 2⁻⁸ of its magnitude; kernels widen it in registers.
     */
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
     * Bytes per element (for model weights: bytes one stored weight takes).
     *
     * @return 4 for {@link #F32}, 2 for {@link #BF16}
     */
    public int byteSize() {
        return byteSize;
    }
}
