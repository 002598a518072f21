package org.sae4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
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

    /** Sets the kernel threads and prints the provider line, which JMH copies from the fork into its log. */
    static void useKernelThreads(int threads) {
        Kernels.setThreads(threads);
        System.out.println("# sae4j: " + Kernels.describe() + ", JDK " + Runtime.version());
    }

    /** Sets the OpenBLAS threads and prints its configuration line (core type, threads, OPENBLAS_* settings). */
    static void useOpenBlasThreads(int threads) {
        OpenBlas.setThreads(threads);
        System.out.println("# OpenBLAS: " + OpenBlas.describe());
    }
}
