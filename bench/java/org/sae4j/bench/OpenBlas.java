package org.sae4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The OpenBLAS peer of the benchmarks, called through FFM downcalls into the {@code libopenblas.so.0} that the
 * bytedeco {@code openblas} linux-x86_64 jar ships.
 *
 * <p>OpenBLAS picks its kernels from the CPU it detects or from {@code OPENBLAS_CORETYPE}, and the wrong ones mislead
 * every comparison: Debian's 0.3.21 runs "Prescott" SSE3 kernels on the Intel development machine (2–5× slow), and an
 * environment that pins {@code OPENBLAS_CORETYPE=Haswell} halves the AVX-512 speed. By default the inherited
 * environment is kept (tests never change it); benchmark runs unset {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} for that command alone so that OpenBLAS 0.3.31 detects the CPU, or choose a core type
 * with {@link #CORE_TYPE_PROP_NAME}. Every report quotes {@link #describe()}: core name, how it was chosen, threads.
 *
 * <p>The libraries are copied from the class path into a temporary directory once per JVM, on first use. The
 * bundled gfortran runtime is loaded before {@code libopenblas} by its full path: the dynamic linker then resolves
 * {@code libopenblas}'s dependency by soname to the copy already loaded, whether or not the system has one.
 *
 * <p>All matrices are row-major fp32 in native segments; leading dimensions count elements. The CBLAS integer type is
 * 32 bits in this build.
 */
public final class OpenBlas {

    /** CBLAS {@code CblasRowMajor}. */
    public static final int ROW_MAJOR = 101;
    /** CBLAS {@code CblasNoTrans}. */
    public static final int NO_TRANS = 111;
    /** CBLAS {@code CblasTrans}. */
    public static final int TRANS = 112;

    /**
     * System property choosing the OpenBLAS core type: a name ({@code SkylakeX}, {@code Cooperlake}, {@code Haswell},
     * ...) forces it; {@code auto} lets OpenBLAS detect the CPU (clearing an inherited {@code OPENBLAS_CORETYPE});
     * {@code env} (the default) keeps the inherited variable.
     */
    public static final String CORE_TYPE_PROP_NAME = "sae4j.openblas.coretype";

    private static final String CORE_TYPE_ENV = "OPENBLAS_CORETYPE";
    private static final String RESOURCE_DIR = "/org/bytedeco/openblas/linux-x86_64/";
    /** Dependencies first: each is loaded before the library that needs it. */
    private static final String[] LIBRARIES = {
        "libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"
    };

    /** How the core type was chosen, for {@link #describe()}; set when the library loads. */
    private static volatile String coreTypeSource = "not loaded";

    private OpenBlas() {
    }

    /** Bound downcall handles, created on first use of any method. Loading native code is the point of the class. */
    @SuppressWarnings("restricted")
    private static final class Handles {
        static final MethodHandle SGEMM;
        static final MethodHandle SGEMV;
        static final MethodHandle SET_NUM_THREADS;
        static final MethodHandle GET_NUM_THREADS;
        static final MethodHandle GET_CORENAME;
        static final MethodHandle GET_CONFIG;
        static final Path DIRECTORY;

        static {
            chooseCoreType();
            DIRECTORY = extract();
            SymbolLookup blas = null;
            for (String name : LIBRARIES) {
                blas = SymbolLookup.libraryLookup(DIRECTORY.resolve(name), Arena.global());
            }
            Linker linker = Linker.nativeLinker();
            ValueLayout i32 = ValueLayout.JAVA_INT;
            ValueLayout f32 = ValueLayout.JAVA_FLOAT;
            ValueLayout ptr = ValueLayout.ADDRESS;
            SGEMM = linker.downcallHandle(find(blas, "cblas_sgemm"), FunctionDescriptor.ofVoid(
                    i32, i32, i32, i32, i32, i32, f32, ptr, i32, ptr, i32, f32, ptr, i32));
            SGEMV = linker.downcallHandle(find(blas, "cblas_sgemv"), FunctionDescriptor.ofVoid(
                    i32, i32, i32, i32, f32, ptr, i32, ptr, i32, f32, ptr, i32));
            SET_NUM_THREADS = linker.downcallHandle(find(blas, "openblas_set_num_threads"),
                    FunctionDescriptor.ofVoid(i32));
            GET_NUM_THREADS = linker.downcallHandle(find(blas, "openblas_get_num_threads"),
                    FunctionDescriptor.of(i32));
            // The returned C strings are static storage inside the library: reinterpret them with an unbounded size.
            ValueLayout cString = ValueLayout.ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
            GET_CORENAME = linker.downcallHandle(find(blas, "openblas_get_corename"), FunctionDescriptor.of(cString));
            GET_CONFIG = linker.downcallHandle(find(blas, "openblas_get_config"), FunctionDescriptor.of(cString));
        }

        private Handles() {
        }

        /**
         * OpenBLAS reads {@code OPENBLAS_CORETYPE} once, when the library loads, so an explicit choice is applied
         * here, before loading.
         */
        private static void chooseCoreType() {
            String requested = System.getProperty(CORE_TYPE_PROP_NAME, "env").trim();
            String inherited = System.getenv(CORE_TYPE_ENV);
            if (requested.equals("env") || requested.isEmpty()) {
                coreTypeSource = inherited == null ? "auto-detected" : "from " + CORE_TYPE_ENV;
                return;
            }
            if (requested.equals("auto")) {
                if (inherited != null) {
                    callLibc("unsetenv", null);
                }
                coreTypeSource = "auto-detected";
                return;
            }
            callLibc("setenv", requested);
            coreTypeSource = "from " + CORE_TYPE_PROP_NAME + (inherited == null || inherited.equals(requested) ? ""
                    : ", replacing " + CORE_TYPE_ENV + "=" + inherited);
        }

        /** Calls {@code setenv(OPENBLAS_CORETYPE, value, 1)}, or {@code unsetenv(OPENBLAS_CORETYPE)} for null. */
        private static void callLibc(String function, String value) {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = find(linker.defaultLookup(), function);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment name = arena.allocateFrom(CORE_TYPE_ENV);
                int rc;
                if (value == null) {
                    MethodHandle unsetenv = linker.downcallHandle(symbol,
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                    rc = (int) unsetenv.invokeExact(name);
                } else {
                    MethodHandle setenv = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                    rc = (int) setenv.invokeExact(name, arena.allocateFrom(value), 1);
                }
                if (rc != 0) {
                    throw new IllegalStateException(function + "(" + CORE_TYPE_ENV + ") failed: " + rc);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        private static MemorySegment find(SymbolLookup lookup, String symbol) {
            return lookup.find(symbol).orElseThrow(
                    () -> new IllegalStateException("OpenBLAS symbol not found: " + symbol));
        }

        private static Path extract() {
            try {
                Path directory = Files.createTempDirectory("sae4j-openblas");
                directory.toFile().deleteOnExit();
                for (String name : LIBRARIES) {
                    Path target = directory.resolve(name);
                    try (InputStream in = OpenBlas.class.getResourceAsStream(RESOURCE_DIR + name)) {
                        if (in == null) {
                            throw new IllegalStateException("OpenBLAS native library " + RESOURCE_DIR + name
                                    + " is not on the class path (org.bytedeco:openblas:linux-x86_64 jar)");
                        }
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    target.toFile().deleteOnExit();
                }
                return directory;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the OpenBLAS native libraries", e);
            }
        }
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, CBLAS {@code cblas_sgemm}; C (m×n) modified, A and B not modified.
     *
     * @param order  {@link #ROW_MAJOR}
     * @param transA {@link #NO_TRANS} or {@link #TRANS}
     * @param transB {@link #NO_TRANS} or {@link #TRANS}
     * @param m      rows of C
     * @param n      columns of C
     * @param k      inner dimension
     * @param alpha  scale of the product
     * @param a      op(A) is m×k; not modified
     * @param lda    leading dimension of A in elements
     * @param b      op(B) is k×n; not modified
     * @param ldb    leading dimension of B in elements
     * @param beta   scale of the previous C (0 overwrites it)
     * @param c      the result; modified
     * @param ldc    leading dimension of C in elements
     */
    public static void sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, MemorySegment a,
                             int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            Handles.SGEMM.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code C = A·Bᵀ} with A m×k and B n×k row-major: the SAE encode orientation, {@code cblas_sgemm(RowMajor,
     * NoTrans, Trans)}; C (m×n) modified, A and B not modified.
     *
     * @param m rows of A and C
     * @param n rows of B, columns of C
     * @param k columns of A and B
     * @param a m×k, leading dimension k; not modified
     * @param b n×k, leading dimension k; not modified
     * @param c m×n, leading dimension n; modified
     */
    public static void gemmNT(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        sgemm(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, a, k, b, k, 0f, c, n);
    }

    /**
     * {@code y = alpha·op(A)·x + beta·y}, CBLAS {@code cblas_sgemv} with unit strides; y modified, A and x not
     * modified.
     *
     * @param order {@link #ROW_MAJOR}
     * @param trans {@link #NO_TRANS} or {@link #TRANS}
     * @param m     rows of A
     * @param n     columns of A
     * @param alpha scale of the product
     * @param a     the matrix; not modified
     * @param lda   leading dimension of A in elements
     * @param x     the input vector; not modified
     * @param beta  scale of the previous y (0 overwrites it)
     * @param y     the result; modified
     */
    public static void sgemv(int order, int trans, int m, int n, float alpha, MemorySegment a, int lda,
                             MemorySegment x, float beta, MemorySegment y) {
        try {
            Handles.SGEMV.invokeExact(order, trans, m, n, alpha, a, lda, x, 1, beta, y, 1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sets the number of threads OpenBLAS computes with (it defaults to {@code OPENBLAS_NUM_THREADS}, else all cores).
     *
     * @param threads the thread count, at least 1
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        try {
            Handles.SET_NUM_THREADS.invokeExact(threads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Returns the number of threads OpenBLAS computes with.
     *
     * @return the current thread count
     */
    public static int threads() {
        try {
            return (int) Handles.GET_NUM_THREADS.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Returns the kernel family OpenBLAS selected for this CPU, e.g. {@code "Cooperlake"} or {@code "SkylakeX"};
     * {@code "Prescott"} means misdetection and baselines 2–5× too slow.
     *
     * @return the core name
     */
    public static String coreName() {
        try {
            return ((MemorySegment) Handles.GET_CORENAME.invokeExact()).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Returns OpenBLAS's build description (version, threading model, core name).
     *
     * @return the configuration string
     */
    public static String config() {
        try {
            return ((MemorySegment) Handles.GET_CONFIG.invokeExact()).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Returns one line to record beside every baseline: configuration, core name and how it was chosen, thread count,
     * and any other {@code OPENBLAS_*} environment variable (they change blocking and threading).
     *
     * @return a description such as {@code "OpenBLAS 0.3.31 ... core=Cooperlake (auto-detected) threads=2"}
     */
    public static String describe() {
        String core = coreName();
        StringBuilder line = new StringBuilder(config()).append(" core=").append(core)
                .append(" (").append(coreTypeSource).append(") threads=").append(threads());
        System.getenv().entrySet().stream()
                .filter(e -> e.getKey().startsWith("OPENBLAS_") && !e.getKey().equals(CORE_TYPE_ENV))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> line.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return line.toString();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
