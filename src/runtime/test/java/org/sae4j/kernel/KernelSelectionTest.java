package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.function.Executable;
import org.sae4j.kernel.internal.KernelSelector;

@Tag("kernel")
final class KernelSelectionTest {

    @Test
    @EnabledIfSystemProperty(named = "sae4j.expectedProvider", matches = ".+")
    void shouldSelectTheProviderTheTestPassExpects() {
        assertEquals(System.getProperty("sae4j.expectedProvider"), Kernels.provider().name(), Kernels.describe());
    }

    @Test
    void shouldPickSimdInAutoModeOnAnAvx512Machine() throws IOException {
        Path cpuInfo = Path.of("/proc/cpuinfo");
        boolean avx512 = Files.isReadable(cpuInfo) && Files.readString(cpuInfo).contains(" avx512f");
        boolean auto = KernelConfig.requestedMode().equals("auto");
        if (avx512 && auto) {
            assertTrue(KernelSelector.vectorModulePresent(), "tests run with --add-modules=jdk.incubator.vector");
            assertTrue(KernelSelector.c2Enabled(), "C2 must be on in the test JVM");
            assertEquals("simd", Kernels.provider().name(), Kernels.describe());
            assertEquals(512, Kernels.provider().vectorBitSize(), Kernels.describe());
        } else {
            assertEquals(KernelConfig.requestedMode().equals("scalar") ? "scalar" : "simd",
                    Kernels.provider().name(), Kernels.describe());
        }
    }

    @Test
    void shouldRejectAnUnknownKernelMode() {
        assertRejectedWithProperty(KernelConfig.KERNELS_PROP_NAME, "gpu", KernelConfig::requestedMode,
                "sae4j.kernels must be auto, scalar or simd, got 'gpu'");
    }

    @Test
    void shouldRejectAnUnsupportedVectorWidth() {
        assertRejectedWithProperty(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME, "1024", KernelConfig::requestedVectorBitSize,
                "sae4j.vectorBitSize must be 0, 128, 256 or 512, got '1024'");
    }

    @Test
    void shouldRejectANonPositiveThreadCount() {
        assertRejectedWithProperty(KernelConfig.THREADS_PROP_NAME, "0", KernelConfig::requestedThreads,
                "sae4j.threads must be a positive integer, got '0'");
    }

    /** Sets a property for the duration of one call that must throw {@code message}, then restores it. */
    private static void assertRejectedWithProperty(String name, String value, Executable call, String message) {
        String previous = System.getProperty(name);
        System.setProperty(name, value);
        try {
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class, call);
            assertEquals(message, e.getMessage());
        } finally {
            restore(name, previous);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
