package org.sae4j.tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element layouts of sae4j tensors: little-endian and unaligned, because mapped files (old, unpadded safetensors
 * headers) may place data at any byte offset.
 */
public final class Layouts {

    /** fp32 element. */
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** bf16 element, read as its raw 16 bits. */
    public static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** int32 element (sparse indices). */
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Alignment of every tensor sae4j allocates, in bytes (one cache line, one zmm register). */
    public static final long ALIGNMENT_BYTES = 64;

    /** Not instantiable: constants and static conversions only. */
    private Layouts() {
    }

    /**
     * Widens raw bf16 bits to the float they encode: the 16 bits become the upper half of a binary32, so the result is
     * exact (NaN payloads and signed zeros included).
     *
     * @param bits the bf16 element as stored (read with {@link #BF16})
     * @return the same value as a float
     */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * Rounds a float to the nearest bf16, ties to even; NaN stays a quiet NaN with its sign, and values beyond the
     * largest finite bf16 round to infinity.
     *
     * @param value any float
     * @return the raw bf16 bits, to store with {@link #BF16}
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
