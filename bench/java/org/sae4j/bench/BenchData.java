package org.sae4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.sae4j.kernel.KernelConfig;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.RandomFill;

/** Seeded operands and the configuration line every benchmark prints once per fork. */
final class BenchData {

    /** Seed of every benchmark input, so that forks and reruns see the same data. */
    static final long SEED = 0x5AE4_1L;

    private BenchData() {
    }

    /** Fills {@code segment} with fp32 values uniform in [-1, 1) and returns it. */
    static MemorySegment fill(MemorySegment segment, SplittableRandom random) {
        return RandomFill.uniform(segment, random);
    }

    /**
     * Sizes the shared kernel context of this fork (the benchmark methods bind none, so that they measure the kernels
     * alone) and prints the provider line, which JMH copies from the fork into its log.
     *
     * @throws IllegalStateException when the shared context was sized before this call
     */
    static void useKernelThreads(int threads) {
        System.setProperty(KernelConfig.THREADS_PROP_NAME, Integer.toString(threads));
        if (KernelContext.shared().threads() != threads) {
            throw new IllegalStateException("the shared kernel context already has " + KernelContext.shared().threads()
                    + " threads; " + threads + " must be set before the first kernel call of the fork");
        }
        System.out.println("# sae4j: " + Kernels.describe() + ", JDK " + Runtime.version());
    }

    /** Sets the OpenBLAS threads and prints its configuration line (core type, threads, OPENBLAS_* settings). */
    static void useOpenBlasThreads(int threads) {
        OpenBlas.setThreads(threads);
        System.out.println("# OpenBLAS: " + OpenBlas.describe());
    }
}
