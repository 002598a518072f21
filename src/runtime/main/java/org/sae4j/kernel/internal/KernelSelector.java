package org.sae4j.kernel.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.logging.Logger;
import org.sae4j.kernel.scalar.ScalarKernels;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.KernelSettings;

/**
 * Chooses the kernel provider once per JVM.
 *
 * <p>{@code auto} picks SIMD only when the {@code jdk.incubator.vector} module is in the boot layer and C2 compiles
 * (without C2 the Vector API runs its Java fallback, far slower than plain loops). A forced {@code simd} that cannot
 * be loaded throws: it never falls back quietly. The SIMD provider is loaded reflectively so that the scalar path
 * never links incubator classes.
 */
public final class KernelSelector {

    private static final Logger LOG = Logger.getLogger(KernelSelector.class.getName());

    private static final String SIMD_PROVIDER = "org.sae4j.kernel.simd.SimdKernels";

    private KernelSelector() {
    }

    /** Whether the Vector API module was added to the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Whether C2 (the optimising JIT) is enabled in this JVM. */
    public static boolean c2Enabled() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null || ManagementFactory.getCompilationMXBean() == null) {
            return false;
        }
        if (!Boolean.parseBoolean(hotspot.getVMOption("UseCompiler").getValue())) {
            return false;
        }
        boolean tiered = Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue());
        int stopAtLevel = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
        return !tiered || stopAtLevel >= 4;
    }

    /** Selects, logs and returns the provider for this JVM's configuration. */
    public static KernelProvider select() {
        KernelSettings.Mode mode = KernelSettings.requestedMode();
        KernelProvider provider = switch (mode) {
            case SCALAR -> new ScalarKernels();
            case SIMD -> loadSimd("forced by " + KernelSettings.KERNELS_PROP_NAME + "=simd");
            case AUTO -> vectorModulePresent() && c2Enabled() ? loadSimd("auto") : new ScalarKernels();
        };
        LOG.config(() -> "sae4j kernels: " + provider.name() + ", " + provider.vectorBitSize() + "-bit, "
                + provider.floatLanes() + " float lanes (mode " + mode.name().toLowerCase() + ")");
        if (provider.name().equals("simd")) {
            List<String> missing = JitOptions.missingHere();
            if (!missing.isEmpty()) {
                LOG.warning(() -> "sae4j: SIMD kernels run without the JVM options " + String.join(" ", missing)
                        + " (bin/jvm.options); kernels stay slow and allocate until C2 compiles them");
            }
        }
        return provider;
    }

    private static KernelProvider loadSimd(String reason) {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("SIMD kernels requested (" + reason + ") but module jdk.incubator.vector "
                    + "is not in the boot layer: run java with --add-modules=jdk.incubator.vector");
        }
        try {
            return (KernelProvider) Class.forName(SIMD_PROVIDER).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("SIMD kernels requested (" + reason + ") but cannot be loaded", e);
        }
    }
}
