package org.sae4j.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Allocation measured once the JIT has done its work. A SIMD kernel runs the Vector API's allocating fallback until
 * C2 compiles it, which on a loaded machine takes a varying number of calls; so a test repeats its measured round
 * until the round allocates nothing or a time budget passes, and then asserts on the last round. The budget is
 * generous: a round that still allocates after it is a real allocation (or C2 never compiling a kernel), never a
 * slow warm-up.
 */
public final class SteadyState {

    /** How long rounds are repeated before the last one counts. */
    public static final Duration WARM_UP_BUDGET = Duration.ofSeconds(90);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SteadyState() {
    }

    /** Bytes the calling thread allocated while running {@code body}. */
    public static long allocatedBytes(Runnable body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Repeats {@code round} until it reports at most 0 bytes or {@link #WARM_UP_BUDGET} has passed, and returns what
     * the last round reported.
     */
    public static long onceWarm(LongSupplier round) {
        long deadline = System.nanoTime() + WARM_UP_BUDGET.toNanos();
        long bytes = round.getAsLong();
        while (bytes > 0 && System.nanoTime() < deadline) {
            bytes = round.getAsLong();
        }
        return bytes;
    }
}
