package org.sae4j.io;

import org.sae4j.tensor.DType;

/**
 * Element types of stored tensors, spelled as in safetensors headers (sae-formats §2.3). {@code .npy} descriptors are
 * mapped onto the same constants. 8-bit float types and anything else not listed are rejected by the readers.
 *
 * <p>These are the file format's element codes, integers included, not {@link DType} (the types the engine computes
 * on, see {@link #engineType()}) nor {@code org.sae4j.sae.SaeDType} (the torch dtype a checkpoint is written in).
 */
public enum SafetensorsDType {
    /** IEEE 754 binary64. */
    F64(8, Kind.FLOAT),
    /** IEEE 754 binary32. */
    F32(4, Kind.FLOAT),
    /** IEEE 754 binary16. */
    F16(2, Kind.FLOAT),
    /** bfloat16: the upper half of a binary32. */
    BF16(2, Kind.FLOAT),
    /** Signed 64-bit integer. */
    I64(8, Kind.SIGNED),
    /** Signed 32-bit integer. */
    I32(4, Kind.SIGNED),
    /** Signed 16-bit integer. */
    I16(2, Kind.SIGNED),
    /** Signed 8-bit integer. */
    I8(1, Kind.SIGNED),
    /** Unsigned 64-bit integer. */
    U64(8, Kind.UNSIGNED),
    /** Unsigned 32-bit integer. */
    U32(4, Kind.UNSIGNED),
    /** Unsigned 16-bit integer. */
    U16(2, Kind.UNSIGNED),
    /** Unsigned 8-bit integer. */
    U8(1, Kind.UNSIGNED),
    /** Boolean stored as one byte; any non-zero byte reads as true (1). */
    BOOL(1, Kind.UNSIGNED);

    /** How the stored bits are interpreted. */
    enum Kind {
        /** IEEE 754 or bfloat16 floating point. */
        FLOAT,
        /** Two's-complement signed integer. */
        SIGNED,
        /** Unsigned integer, or a boolean byte. */
        UNSIGNED
    }

    /** Bytes per stored element. */
    private final int byteSize;
    /** How the stored bits are interpreted. */
    private final Kind kind;

    /**
     * Binds a constant to its element size and interpretation.
     *
     * @param byteSize bytes per element
     * @param kind     floating point, signed or unsigned integer
     */
    SafetensorsDType(int byteSize, Kind kind) {
        this.byteSize = byteSize;
        this.kind = kind;
    }

    /**
     * Bytes per element.
     *
     * @return 1, 2, 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Whether the type is a floating-point type ({@code F64}, {@code F32}, {@code F16}, {@code BF16}).
     *
     * @return true for the four floating-point types
     */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /**
     * Whether the type is an unsigned integer or {@code BOOL}.
     *
     * @return true for {@code U64}, {@code U32}, {@code U16}, {@code U8} and {@code BOOL}
     */
    public boolean isUnsigned() {
        return kind == Kind.UNSIGNED;
    }

    /**
     * How the stored bits are interpreted.
     *
     * @return the kind given at construction
     */
    Kind kind() {
        return kind;
    }

    /**
     * The engine storage type with the same encoding, or {@code null} when the engine has none (kernels then need a
     * widened copy, see {@link SafetensorsFile#readFloats(String)}).
     *
     * @return {@link DType#F32}, {@link DType#BF16}, or {@code null} for every other type
     */
    public DType engineType() {
        return switch (this) {
            case F32 -> DType.F32;
            case BF16 -> DType.BF16;
            default -> null;
        };
    }

    /**
     * The constant for a header spelling ({@code "F32"}, {@code "BF16"}...), or {@code null} when the spelling is not
     * supported. Matching is exact and case-sensitive, as in the safetensors specification.
     *
     * @param spelling the {@code dtype} string of a header entry; may be null
     * @return the constant, or {@code null} for an unknown or unsupported spelling (8-bit floats included)
     */
    public static SafetensorsDType fromHeader(String spelling) {
        for (SafetensorsDType type : values()) {
            if (type.name().equals(spelling)) {
                return type;
            }
        }
        return null;
    }
}
