package org.sae4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.sae4j.kernel.KernelConfig;
import org.sae4j.kernel.scalar.ScalarKernels;
import org.sae4j.kernel.spi.KernelProvider;

/**
 * Every provider a conformance suite checks: the scalar oracle and the SIMD provider at 128, 256 and 512 bits.
 *
 * <p>The SIMD package pins its species in static finals, so each width gets its own copy of
 * {@code org.sae4j.kernel.simd} in a child-first class loader, initialised while the width property is set. The
 * copies share every other class (the SPI, the scalar reference) with the test's class loader.
 */
public final class Providers {

    /** Widths checked on every machine; wider than the CPU's widest vector runs emulated (slowly, still exact). */
    private static final int[] SIMD_BITS = {128, 256, 512};

    private static final String SIMD_PACKAGE = "org.sae4j.kernel.simd.";

    private static final KernelProvider SCALAR = new ScalarKernels();

    private static final List<ProviderCase> SIMD = loadSimdProviders();

    private Providers() {
    }

    /** The scalar oracle. */
    public static KernelProvider scalar() {
        return SCALAR;
    }

    /** The three SIMD widths. */
    public static List<ProviderCase> simd() {
        return SIMD;
    }

    /** Scalar followed by the three SIMD widths. */
    public static List<ProviderCase> all() {
        List<ProviderCase> cases = new ArrayList<>();
        cases.add(new ProviderCase("scalar", SCALAR));
        cases.addAll(SIMD);
        return List.copyOf(cases);
    }

    private static List<ProviderCase> loadSimdProviders() {
        List<ProviderCase> cases = new ArrayList<>();
        for (int bits : SIMD_BITS) {
            cases.add(new ProviderCase("simd@" + bits, loadSimd(bits)));
        }
        return List.copyOf(cases);
    }

    private static synchronized KernelProvider loadSimd(int bits) {
        String previousBits = System.getProperty(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME);
        String previousAllow = System.getProperty(KernelConfig.ALLOW_EMULATED_WIDTH_PROP_NAME);
        System.setProperty(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME, Integer.toString(bits));
        System.setProperty(KernelConfig.ALLOW_EMULATED_WIDTH_PROP_NAME, "true");
        try {
            ClassLoader loader = new SimdPackageLoader(bits, Providers.class.getClassLoader());
            Class.forName(SIMD_PACKAGE + "SimdSpecies", true, loader);
            KernelProvider provider = (KernelProvider) Class.forName(SIMD_PACKAGE + "SimdKernels", true, loader)
                    .getConstructor().newInstance();
            if (provider.vectorBitSize() != bits) {
                throw new IllegalStateException("simd@" + bits + " loaded with " + provider.vectorBitSize() + " bits");
            }
            return provider;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the SIMD provider at " + bits + " bits", e);
        } finally {
            restore(KernelConfig.VECTOR_BIT_SIZE_PROP_NAME, previousBits);
            restore(KernelConfig.ALLOW_EMULATED_WIDTH_PROP_NAME, previousAllow);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /** Child-first for the SIMD package only; everything else comes from the parent. */
    private static final class SimdPackageLoader extends ClassLoader {

        SimdPackageLoader(int bits, ClassLoader parent) {
            super("simd@" + bits, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(SIMD_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classBytes(name);
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private byte[] classBytes(String name) throws ClassNotFoundException {
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }
}
