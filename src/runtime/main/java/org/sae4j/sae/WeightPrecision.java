package org.sae4j.sae;

/**
 * How a model stores its encoder and decoder matrices. Biases, thresholds and gated parameters stay fp32 in every
 * mode, and every mode accumulates in fp32.
 */
public enum WeightPrecision {
    /** IEEE binary32, 4 bytes per weight. */
    FP32(Float.BYTES),
    /**
     * bfloat16 (the upper half of a binary32), 2 bytes per weight: 8 significant bits, so rounding to nearest even
     * moves a weight by at most 2⁻⁸ of its magnitude. Kernels widen it in registers.
     */
    BF16(Short.BYTES);

    /** Bytes one stored weight takes. */
    private final int bytesPerWeight;

    /**
     * Binds a constant to its storage size.
     *
     * @param bytesPerWeight bytes per weight
     */
    WeightPrecision(int bytesPerWeight) {
        this.bytesPerWeight = bytesPerWeight;
    }

    /**
     * Bytes one stored weight takes.
     *
     * @return 4 for FP32, 2 for BF16
     */
    public int bytesPerWeight() {
        return bytesPerWeight;
    }
}
