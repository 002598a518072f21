package org.sae4j.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * The outcome of one {@link BenchCommand} run.
 *
 * @param op       operation label, e.g. {@code gemm} or {@code gemv-bf16}
 * @param shape    {@code MxKxN} for gemm/encode, {@code MxN} for gemv
 * @param threads  kernel threads used
 * @param gflops   useful flops divided by the median time, in GFLOP/s
 * @param medianMs median time of one call, in milliseconds
 * @param bestMs   fastest call, in milliseconds
 * @param repeats  timed calls
 * @param kernels  the kernel facade's description of provider, vector width and threads
 */
record BenchResult(String op, String shape, int threads, double gflops, double medianMs, double bestMs, int repeats,
                   String kernels) {

    /** Summarises the per-call times {@code nanos} of an operation doing {@code flops} useful flops per call. */
    static BenchResult of(String op, String shape, int threads, double flops, long[] nanos, String kernels) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int half = sorted.length / 2;
        double medianNanos = sorted.length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2.0;
        double bestNanos = sorted[0];
        // At least one nanosecond: a timer tick of zero on a tiny shape must not divide by zero.
        double gflops = flops / Math.max(medianNanos, 1.0);
        return new BenchResult(op, shape, threads, gflops, medianNanos / 1e6, bestNanos / 1e6, sorted.length,
                kernels);
    }

    /** One human-readable line plus the kernel description. */
    String toText() {
        double bestGflops = gflops * medianMs / Math.max(bestMs, 1e-6);
        return String.format(Locale.ROOT,
                "%s %s threads=%d: %.1f GFLOP/s (best %.1f), median %.3f ms, best %.3f ms over %d calls%n  %s",
                op, shape, threads, gflops, bestGflops, medianMs, bestMs, repeats, kernels);
    }
}
