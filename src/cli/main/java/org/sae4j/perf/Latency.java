package org.sae4j.perf;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a batch-1 call, in microseconds, from an HdrHistogram with 3 significant digits.
 *
 * @param samples timed calls
 * @param p50     median
 * @param p90     90th percentile
 * @param p99     99th percentile
 * @param p999    99.9th percentile
 * @param max     slowest call
 * @param mean    mean
 */
public record Latency(long samples, double p50, double p90, double p99, double p999, double max, double mean) {

    /** Times {@code call} {@code samples} times after {@code warmup} untimed calls. */
    public static Latency measure(Runnable call, int warmup, int samples) {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            call.run();
            histogram.recordValue(Math.max(1, System.nanoTime() - start));
        }
        return new Latency(histogram.getTotalCount(), micros(histogram.getValueAtPercentile(50)),
                micros(histogram.getValueAtPercentile(90)), micros(histogram.getValueAtPercentile(99)),
                micros(histogram.getValueAtPercentile(99.9)), micros(histogram.getMaxValue()),
                histogram.getMean() / 1e3);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
