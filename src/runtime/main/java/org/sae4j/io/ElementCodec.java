package org.sae4j.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.sae4j.tensor.Layouts;

/**
 * Reads stored little-endian elements of any {@link SafetensorsDType} as float, double or long. Every access uses an
 * unaligned layout because unpadded headers put data at odd file offsets (sae-formats §14 trap 16).
 */
final class ElementCodec {

    /** Little-endian, unaligned int16 (also the raw bits of F16). */
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian, unaligned int32. */
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian, unaligned int64 (also the safetensors header length). */
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian, unaligned binary64. */
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Java arrays cannot quite reach Integer.MAX_VALUE elements on common VMs. */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Not instantiable: static conversions only. */
    private ElementCodec() {
    }

    /**
     * Element {@code i} as a float: exact for F32/F16/BF16 and small integers, rounded to nearest otherwise.
     *
     * @param src  the stored elements, little-endian, any alignment
     * @param type their element type
     * @param i    element index
     * @return the element's value as a float
     */
    static float floatAt(MemorySegment src, SafetensorsDType type, long i) {
        return switch (type) {
            case F32 -> src.getAtIndex(Layouts.F32, i);
            case BF16 -> Layouts.bf16ToFloat(src.getAtIndex(Layouts.BF16, i));
            case F16 -> Float.float16ToFloat(src.getAtIndex(I16, i));
            case F64 -> (float) src.getAtIndex(F64, i);
            default -> (float) doubleAt(src, type, i);
        };
    }

    /**
     * Element {@code i} as a double: exact except for 64-bit integers beyond 2^53.
     *
     * @param src  the stored elements, little-endian, any alignment
     * @param type their element type
     * @param i    element index
     * @return the element's value as a double (U64 read as unsigned)
     */
    static double doubleAt(MemorySegment src, SafetensorsDType type, long i) {
        return switch (type) {
            case F64 -> src.getAtIndex(F64, i);
            case F32, BF16, F16 -> floatAt(src, type, i);
            case U64 -> unsignedToDouble(src.getAtIndex(I64, i));
            default -> longAt(src, type, i);
        };
    }

    /**
     * Element {@code i} of an integer or BOOL type as a long; unsigned types are zero-extended, BOOL reads as 0 or 1,
     * and U64 values above Long.MAX_VALUE keep their bits (they read as negative).
     *
     * @param src  the stored elements, little-endian, any alignment
     * @param type an integer type or BOOL
     * @param i    element index
     * @return the element's value
     * @throws IllegalArgumentException if {@code type} is a floating-point type
     */
    static long longAt(MemorySegment src, SafetensorsDType type, long i) {
        return switch (type) {
            case I64, U64 -> src.getAtIndex(I64, i);
            case I32 -> src.getAtIndex(I32, i);
            case U32 -> Integer.toUnsignedLong(src.getAtIndex(I32, i));
            case I16 -> src.getAtIndex(I16, i);
            case U16 -> Short.toUnsignedInt(src.getAtIndex(I16, i));
            case I8 -> src.get(ValueLayout.JAVA_BYTE, i);
            case U8 -> Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, i));
            case BOOL -> src.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("not an integer type: " + type);
        };
    }

    /**
     * The first {@code count} elements of {@code src} as a new float array (a bulk copy for F32).
     *
     * @param src   the stored elements
     * @param type  their element type
     * @param count number of elements
     * @param what  names the tensor in messages
     * @return a new array of {@code count} floats
     * @throws IllegalArgumentException if {@code count} exceeds the largest Java array
     */
    static float[] toFloats(MemorySegment src, SafetensorsDType type, long count, String what) {
        float[] out = new float[arrayLength(count, what)];
        if (type == SafetensorsDType.F32) {
            MemorySegment.copy(src, Layouts.F32, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = floatAt(src, type, i);
            }
        }
        return out;
    }

    /**
     * Writes the first {@code count} elements of {@code src} as little-endian fp32 into {@code dst} from byte
     * {@code dstByteOffset} (a bulk copy for F32); {@code dst} modified, any alignment.
     *
     * @param src           the stored elements
     * @param type          their element type
     * @param count         number of elements
     * @param dst           the target segment
     * @param dstByteOffset byte offset of the first float in {@code dst}
     * @param what          names the tensor in messages
     * @throws IllegalArgumentException if the floats do not fit in {@code dst} from that offset
     */
    static void toFloats(MemorySegment src, SafetensorsDType type, long count, MemorySegment dst, long dstByteOffset,
            String what) {
        if (dstByteOffset < 0 || count > (dst.byteSize() - dstByteOffset) / Float.BYTES) {
            throw new IllegalArgumentException(what + ": " + count + " floats do not fit in a segment of "
                    + dst.byteSize() + " bytes at byte offset " + dstByteOffset);
        }
        if (type == SafetensorsDType.F32) {
            MemorySegment.copy(src, 0, dst, dstByteOffset, count * Float.BYTES);
            return;
        }
        for (long i = 0; i < count; i++) {
            dst.set(Layouts.F32, dstByteOffset + i * Float.BYTES, floatAt(src, type, i));
        }
    }

    /**
     * The first {@code count} elements of {@code src} as a new double array.
     *
     * @param src   the stored elements
     * @param type  their element type
     * @param count number of elements
     * @param what  names the tensor in messages
     * @return a new array of {@code count} doubles
     * @throws IllegalArgumentException if {@code count} exceeds the largest Java array
     */
    static double[] toDoubles(MemorySegment src, SafetensorsDType type, long count, String what) {
        double[] out = new double[arrayLength(count, what)];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleAt(src, type, i);
        }
        return out;
    }

    /**
     * The first {@code count} elements of an integer or BOOL tensor as a new long array, as {@link #longAt}.
     *
     * @param src   the stored elements
     * @param type  an integer type or BOOL
     * @param count number of elements
     * @param what  names the tensor in messages
     * @return a new array of {@code count} longs
     * @throws IllegalArgumentException if {@code type} is a floating-point type or {@code count} exceeds the largest
     *                                  Java array
     */
    static long[] toLongs(MemorySegment src, SafetensorsDType type, long count, String what) {
        if (type.isFloatingPoint()) {
            throw new IllegalArgumentException(what + ": " + type + " is not an integer type");
        }
        long[] out = new long[arrayLength(count, what)];
        for (int i = 0; i < out.length; i++) {
            out[i] = longAt(src, type, i);
        }
        return out;
    }

    /**
     * {@code count} as an array length.
     *
     * @param count requested number of elements
     * @param what  names the tensor in the message
     * @return {@code count} as an int
     * @throws IllegalArgumentException if {@code count} exceeds {@link #MAX_ARRAY_LENGTH}
     */
    private static int arrayLength(long count, String what) {
        if (count > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + ": " + count
                    + " elements do not fit in a Java array; read into a MemorySegment instead");
        }
        return (int) count;
    }

    /**
     * The unsigned 64-bit integer {@code bits} as a double (halved, converted and doubled so the top bit is not read as
     * a sign).
     *
     * @param bits the raw U64 bits
     * @return its value, in [0, 2^64)
     */
    private static double unsignedToDouble(long bits) {
        double high = (double) (bits >>> 1) * 2.0;
        return bits >= 0 ? bits : high + (bits & 1);
    }
}
