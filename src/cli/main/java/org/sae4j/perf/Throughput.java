package org.sae4j.perf;

import java.util.Arrays;

/**
 * Rows per second of a batched call: the median (and best) of {@code repeats} timed calls after two untimed ones.
 *
 * @param rows          rows per call
 * @param medianSeconds median call time
 * @param bestSeconds   fastest call
 * @param rowsPerSecond rows / median time
 */
public record Throughput(int rows, double medianSeconds, double bestSeconds, double rowsPerSecond) {

    /** Times {@code call}, which processes {@code rows} rows. */
    public static Throughput measure(Runnable call, int rows, int repeats) {
        call.run();
        call.run();
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            call.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[repeats / 2];
        return new Throughput(rows, median, seconds[0], rows / median);
    }
}
