package org.sae4j.cli;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.sae4j.tensor.RandomFill;

/** One kernel call on fixed operands, timed by {@link BenchCommand}. */
@FunctionalInterface
interface BenchRunner {

    /** Runs the kernel once. */
    void run();

    /**
     * Runs {@code runner} {@code warmup} times untimed, then {@code repeats} times, and returns the wall time of each
     * timed call in nanoseconds.
     */
    static long[] time(BenchRunner runner, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            runner.run();
        }
        long[] nanos = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            runner.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** Fills {@code segment} with fp32 values uniform in [-1, 1) from {@code random}, and returns it. */
    static MemorySegment random(MemorySegment segment, SplittableRandom random) {
        return RandomFill.uniform(segment, random);
    }
}
