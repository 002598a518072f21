package org.sae4j.kernel;

import java.util.List;
import org.sae4j.kernel.internal.JitOptions;
import org.sae4j.kernel.internal.KernelSelector;
import org.sae4j.kernel.spi.KernelSettings;

/**
 * The published switches of the kernel layer (system properties read once, when {@link Kernels} is first used) and
 * what this JVM offers the SIMD kernels.
 *
 * <ul>
 *   <li>{@value #KERNELS_PROP_NAME} = {@code auto | scalar | simd} (default {@code auto}): provider choice.</li>
 *   <li>{@value #VECTOR_BIT_SIZE_PROP_NAME} = {@code 0 | 128 | 256 | 512} (default 0, the CPU's preferred
 *       width): species of the SIMD provider.</li>
 *   <li>{@value #THREADS_PROP_NAME} = threads of the shared {@link KernelContext} (default: available
 *       processors).</li>
 * </ul>
 * An invalid value throws {@link IllegalArgumentException} naming the property.
 */
public final class KernelConfig {

    /** Provider choice: {@code auto}, {@code scalar} or {@code simd}. */
    public static final String KERNELS_PROP_NAME = KernelSettings.KERNELS_PROP_NAME;

    /** Forced SIMD width in bits: {@code 0} (preferred), {@code 128}, {@code 256} or {@code 512}. */
    public static final String VECTOR_BIT_SIZE_PROP_NAME = KernelSettings.VECTOR_BIT_SIZE_PROP_NAME;

    /**
     * Allows a forced width wider than the CPU's preferred one (the Vector API then emulates it, slowly). Set only by
     * conformance tests that check every width on any machine.
     */
    public static final String ALLOW_EMULATED_WIDTH_PROP_NAME = KernelSettings.ALLOW_EMULATED_WIDTH_PROP_NAME;

    /** Threads of the shared kernel context. */
    public static final String THREADS_PROP_NAME = KernelSettings.THREADS_PROP_NAME;

    /** Not instantiable: constants and queries only. */
    private KernelConfig() {
    }

    /**
     * The requested provider mode, as read from {@value #KERNELS_PROP_NAME}.
     *
     * @return {@code "auto"}, {@code "scalar"} or {@code "simd"}
     * @throws IllegalArgumentException if the property holds another value
     */
    public static String requestedMode() {
        return KernelSettings.requestedMode().name().toLowerCase();
    }

    /**
     * The requested SIMD width in bits, as read from {@value #VECTOR_BIT_SIZE_PROP_NAME}.
     *
     * @return 0 (the CPU's preferred width), 128, 256 or 512
     * @throws IllegalArgumentException if the property holds another value
     */
    public static int requestedVectorBitSize() {
        return KernelSettings.requestedVectorBitSize();
    }

    /**
     * The requested thread count of the shared kernel context, as read from {@value #THREADS_PROP_NAME}.
     *
     * @return at least 1; the available processors when the property is unset
     * @throws IllegalArgumentException if the property is not a positive integer
     */
    public static int requestedThreads() {
        return KernelSettings.requestedThreads();
    }

    /**
     * Whether the Vector API module ({@code jdk.incubator.vector}) is in the boot layer.
     *
     * @return true when the JVM was started with {@code --add-modules jdk.incubator.vector}
     */
    public static boolean vectorModulePresent() {
        return KernelSelector.vectorModulePresent();
    }

    /**
     * Whether C2, the optimising JIT the SIMD kernels need, is enabled in this JVM.
     *
     * @return false under {@code -Xint} or with tiered compilation stopped below level 4
     *         ({@code -XX:TieredStopAtLevel})
     */
    public static boolean c2Enabled() {
        return KernelSelector.c2Enabled();
    }

    /**
     * The JIT options of {@code bin/jvm.options} this JVM was started without. Without them the SIMD kernels are
     * correct but slow and allocating until C2 compiles them (README "JVM options").
     *
     * @return the missing options, empty when all are there
     */
    public static List<String> missingJitOptions() {
        return JitOptions.missingHere();
    }
}
