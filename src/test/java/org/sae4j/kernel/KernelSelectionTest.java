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
        boolean auto = KernelConfig.requestedMode() == KernelConfig.Mode.AUTO;
        if (avx512 && auto) {
            assertTrue(KernelSelector.vectorModulePresent(), "tests run with --add-modules=jdk.incubator.vector");
            assertTrue(KernelSelector.c2Enabled(), "C2 must be on in the test JVM");
            assertEquals("simd", Kernels.provider().name(), Kernels.describe());
            assertEquals(512, Kernels.provider().vectorBitSize(), Kernels.describe());
        } else {
            assertEquals(KernelConfig.requestedMode() == KernelConfig.Mode.SCALAR ? "scalar" : "simd",
                    Kernels.provider().name(), Kernels.describe());
        }
    }

    @Test
    void shouldRejectAnUnknownKernelMode() {
        String previous = System.getProperty(KernelConfig.KERNELS_PROP_NAME);
        System.setProperty(KernelConfig.KERNELS_PROP_NAME, "gpu");
        try {
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    KernelConfig::requestedMode);
            assertEquals("sae4j.kernels must be auto, scalar or simd, got 'gpu'", e.getMessage());
        } finally {
            restore(KernelConfig.KERNELS_PROP_NAME, previous);
        }
    }

    @Test
    void shouldRejectAnUnsupportedVectorWidth() {
        String previous = System.getProperty(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME);
        System.setProperty(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME, "1024");
        try {
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    KernelConfig::requestedVectorBitSize);
            assertEquals("sae4j.vectorBitSize must be 0, 128, 256 or 512, got '1024'", e.getMessage());
        } finally {
            restore(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME, previous);
        }
    }

    @Test
    void shouldRejectANonPositiveThreadCount() {
        String previous = System.getProperty(KernelConfig.THREADS_PROP_NAME);
        System.setProperty(KernelConfig.THREADS_PROP_NAME, "0");
        try {
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    KernelConfig::requestedThreads);
            assertEquals("sae4j.threads must be a positive integer, got '0'", e.getMessage());
        } finally {
            restore(KernelConfig.THREADS_PROP_NAME, previous);
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
