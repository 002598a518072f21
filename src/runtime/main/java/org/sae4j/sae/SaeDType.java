package org.sae4j.sae;

import java.util.Arrays;
import java.util.Locale;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.tensor.Layouts;

/**
 * The floating-point types an SAE can be written in. Computation always runs in fp32; narrower types are produced
 * by rounding to nearest, ties to even, and read back exactly (every bf16 and f16 value is an fp32 value).
 *
 * <p>This is the torch dtype of a checkpoint ({@code cfg.json}'s {@code dtype}, with its rounding bounds), not
 * {@link org.sae4j.tensor.DType} (how the engine holds tensors in memory, which has no float16) nor
 * {@link SafetensorsDType} (the element code a file header uses, which {@link #stored()} maps to).
 *
 * <pre>{@code
 * SaeWriter.write(dir, config, weights, SaeDType.BFLOAT16);
 * float stored = SaeDType.BFLOAT16.round(0.1f);   // what a reader gets back
 * }</pre>
 */
public enum SaeDType {
    /** IEEE 754 binary32: written exactly. */
    FLOAT32("float32", SafetensorsDType.F32, 0x1.0p-24, 0, Float.MAX_VALUE),
    /** bfloat16: 8 significand bits, the fp32 exponent range. */
    BFLOAT16("bfloat16", SafetensorsDType.BF16, 0x1.0p-8, 0x1.0p-134, 0x1.fcp127),
    /** IEEE 754 binary16: 11 significand bits, largest finite value 65504. */
    FLOAT16("float16", SafetensorsDType.F16, 0x1.0p-11, 0x1.0p-25, 65504);

    /** The {@code cfg.json} spelling. */
    private final String torchName;
    /** The safetensors element type written. */
    private final SafetensorsDType stored;
    /** Relative error bound of rounding to this type: 2^-(significand bits). */
    private final double unitRoundoff;
    /** Absolute error bound below the smallest normal value: half the smallest subnormal. */
    private final double subnormalError;
    /** Largest finite magnitude. */
    private final double maxFinite;

    /**
     * Binds a constant to its spelling, storage and rounding bounds.
     *
     * @param torchName      the {@code cfg.json} spelling
     * @param stored         the safetensors element type
     * @param unitRoundoff   relative rounding error bound
     * @param subnormalError absolute rounding error bound for subnormal results
     * @param maxFinite      largest finite magnitude
     */
    SaeDType(String torchName, SafetensorsDType stored, double unitRoundoff, double subnormalError,
            double maxFinite) {
        this.torchName = torchName;
        this.stored = stored;
        this.unitRoundoff = unitRoundoff;
        this.subnormalError = subnormalError;
        this.maxFinite = maxFinite;
    }

    /**
     * The spelling in {@code cfg.json} ({@code float32}, {@code bfloat16}, {@code float16}).
     *
     * @return the spelling, without a {@code torch.} prefix
     */
    public String torchName() {
        return torchName;
    }

    /**
     * The safetensors element type the tensors are stored as.
     *
     * @return F32, BF16 or F16
     */
    public SafetensorsDType stored() {
        return stored;
    }

    /**
     * The largest error of {@link #round}: {@code |round(x) − x| ≤ unitRoundoff·|x| + subnormalError} for every finite
     * x that does not overflow (the second term covers values below the smallest normal number).
     *
     * @param x a value to be rounded
     * @return the bound; 0 for float32 values
     */
    public double roundingBound(double x) {
        return unitRoundoff * Math.abs(x) + subnormalError;
    }

    /**
     * Whether {@code value} is finite and stays finite once rounded to this type.
     *
     * @param value the value
     * @return false for non-finite values and for values that overflow this type
     */
    public boolean represents(float value) {
        return Float.isFinite(value) && Float.isFinite(round(value));
    }

    /**
     * The fp32 value a reader gets back after {@code value} is stored in this type (round to nearest even).
     *
     * @param value the value to store
     * @return its stored value, widened exactly
     */
    public float round(float value) {
        return switch (this) {
            case FLOAT32 -> value;
            case BFLOAT16 -> Layouts.bf16ToFloat(Layouts.floatToBf16(value));
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(value));
        };
    }

    /**
     * The largest finite magnitude of this type.
     *
     * @return 3.4028235e38, about 3.39e38 or 65504
     */
    public double maxFinite() {
        return maxFinite;
    }

    /**
     * The type for a spelling: {@code float32}, {@code bfloat16}, {@code float16}, optionally prefixed with
     * {@code torch.}, case-insensitive; {@code float}, {@code half} and {@code bf16}/{@code f16}/{@code f32} also work.
     *
     * @param spelling the spelling; may be null
     * @return the type
     * @throws IllegalArgumentException for any other spelling, naming the supported ones
     */
    public static SaeDType parse(String spelling) {
        String name = spelling == null ? "" : spelling.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("torch.")) {
            name = name.substring("torch.".length());
        }
        return switch (name) {
            case "float32", "float", "f32" -> FLOAT32;
            case "bfloat16", "bf16" -> BFLOAT16;
            case "float16", "half", "f16" -> FLOAT16;
            default -> throw new IllegalArgumentException("dtype '" + spelling + "' cannot be written (supported: "
                    + Arrays.stream(values()).map(SaeDType::torchName).toList() + ")");
        };
    }

    /**
     * The type a config's {@code dtype} is written back as: its own when writable, float32 otherwise (float64).
     *
     * @param configDType a {@link SaeConfig#dtype()} spelling
     * @return the type to write
     */
    public static SaeDType nearest(String configDType) {
        try {
            return parse(configDType);
        } catch (IllegalArgumentException e) {
            return FLOAT32;
        }
    }

    /**
     * Checks that every finite value of a tensor stays finite in this type (non-finite values pass through, so
     * malformed fixtures can still be written).
     *
     * @param tensor names the tensor in the message
     * @param values its values; not modified
     * @throws IllegalArgumentException naming the tensor, the element and the value that overflows
     */
    void requireRepresentable(String tensor, float[] values) {
        if (this == FLOAT32) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            if (Float.isFinite(values[i]) && !represents(values[i])) {
                throw new IllegalArgumentException("tensor '" + tensor + "' element " + i + " = " + values[i]
                        + " overflows " + torchName + " (largest finite value " + maxFinite + ")");
            }
        }
    }
}
