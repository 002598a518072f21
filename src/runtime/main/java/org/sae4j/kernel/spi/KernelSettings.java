package org.sae4j.kernel.spi;

/**
 * The switches of the kernel layer, read from system properties; published through {@code KernelConfig}.
 *
 * <ul>
 *   <li>{@value #KERNELS_PROP_NAME} = {@code auto | scalar | simd} (default {@code auto}): provider choice.</li>
 *   <li>{@value #VECTOR_BIT_SIZE_PROP_NAME} = {@code 0 | 128 | 256 | 512} (default 0, the CPU's preferred
 *       width): species of the SIMD provider.</li>
 *   <li>{@value #THREADS_PROP_NAME} = thread count of the kernel pool (default: available processors).</li>
 * </ul>
 * An invalid value throws {@link IllegalArgumentException} naming the property.
 */
public final class KernelSettings {

    /** Provider choice: {@code auto}, {@code scalar} or {@code simd}. */
    public static final String KERNELS_PROP_NAME = "sae4j.kernels";

    /** Forced SIMD width in bits: {@code 0} (preferred), {@code 128}, {@code 256} or {@code 512}. */
    public static final String VECTOR_BIT_SIZE_PROP_NAME = "sae4j.vectorBitSize";

    /**
     * Allows a forced width wider than the CPU's preferred one (the Vector API then emulates it, slowly). Set only by
     * conformance tests that check every width on any machine.
     */
    public static final String ALLOW_EMULATED_WIDTH_PROP_NAME = "sae4j.vectorBitSize.allowEmulated";

    /** Number of threads the kernel pool runs. */
    public static final String THREADS_PROP_NAME = "sae4j.threads";

    /** Provider modes. */
    public enum Mode { AUTO, SCALAR, SIMD }

    private KernelSettings() {
    }

    /** The requested provider mode. */
    public static Mode requestedMode() {
        String value = System.getProperty(KERNELS_PROP_NAME, "auto").trim();
        return switch (value) {
            case "auto" -> Mode.AUTO;
            case "scalar" -> Mode.SCALAR;
            case "simd" -> Mode.SIMD;
            default -> throw new IllegalArgumentException(
                    KERNELS_PROP_NAME + " must be auto, scalar or simd, got '" + value + "'");
        };
    }

    /** The requested SIMD width in bits, 0 meaning the CPU's preferred width. */
    public static int requestedVectorBitSize() {
        String value = System.getProperty(VECTOR_BIT_SIZE_PROP_NAME, "0").trim();
        return switch (value) {
            case "0" -> 0;
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new IllegalArgumentException(
                    VECTOR_BIT_SIZE_PROP_NAME + " must be 0, 128, 256 or 512, got '" + value + "'");
        };
    }

    /** Whether a forced width may exceed the CPU's preferred width. */
    public static boolean emulatedWidthAllowed() {
        return Boolean.getBoolean(ALLOW_EMULATED_WIDTH_PROP_NAME);
    }

    /** The requested kernel thread count (at least 1). */
    public static int requestedThreads() {
        String value = System.getProperty(THREADS_PROP_NAME);
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        throw new IllegalArgumentException(THREADS_PROP_NAME + " must be a positive integer, got '" + value + "'");
    }
}
