package org.sae4j.lab.solve;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.lab.metrics.Flops;
import org.sae4j.tensor.TensorArena;

/**
 * The paper-faithful SAE+ITO (paper-spec §6.2): per-sample codes Ŝ = exp(log S) optimised by Adam with the
 * dictionary frozen, every log-code starting at the same value (−10 in the paper, so the initial codes of any
 * encoder are ignored, as in the reference). The slow multiplicative start and the plateau before the jump are
 * properties of these settings (§12.3); keep them exact when matching the paper's curves.
 *
 * <pre>{@code
 * try (LogCodeInference ito = new LogCodeInference(1024, 16, 8)) {
 *     double loss = ito.run(x, atoms, LogCodeOptions.paperKnownDictionary(),
 *             (iteration, currentLoss, codes) -> System.out.println(iteration + " " + currentLoss));
 *     MemorySegment codes = ito.codes();      // [1024, 16] = exp(log S) after the last iteration
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one run at a time. Runs allocate nothing.
 */
public final class LogCodeInference implements AutoCloseable {

    /** Receives progress every {@link LogCodeOptions#evaluationInterval()} iterations. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param iteration completed iterations
         * @param loss      the loss at the current codes
         * @param codes     the current codes exp(log S) [rows, N], live: read, do not keep
         */
        void onProgress(int iteration, double loss, MemorySegment codes);
    }

    private final int rows;
    private final int latents;
    private final int measurements;
    private final TensorArena arena;
    private final LogCodes logCodes;
    private long iterationNanos;

    /**
     * @throws IllegalArgumentException when a size is not positive
     */
    public LogCodeInference(int rows, int latents, int measurements) {
        this.arena = new TensorArena("log-code-inference-" + rows + "x" + latents);
        try {
            this.logCodes = new LogCodes(arena, rows, latents, measurements);
        } catch (RuntimeException invalid) {
            arena.close();
            throw invalid;
        }
        this.rows = rows;
        this.latents = latents;
        this.measurements = measurements;
    }

    /**
     * Optimises codes for {@code x} from scratch.
     *
     * @param x        [rows, M] observations
     * @param atoms    [N, M] frozen dictionary
     * @param listener progress receiver; may be null
     * @return the loss at the final codes
     * @throws IllegalArgumentException when a segment is smaller than its shape
     */
    public double run(MemorySegment x, MemorySegment atoms, LogCodeOptions options, Listener listener) {
        Objects.requireNonNull(options, "options");
        requireFloats("x", x, (long) rows * measurements);
        requireFloats("atoms", atoms, (long) latents * measurements);
        logCodes.reset(options.initialLogCode());
        iterationNanos = 0;
        for (int t = 1; t <= options.iterations(); t++) {
            long start = System.nanoTime();
            logCodes.forward(x, atoms);
            logCodes.backward(atoms, options.lambda(), null);
            logCodes.logCodes().adamStep(t, options.adam());
            iterationNanos += System.nanoTime() - start;
            if (listener != null && t % options.evaluationInterval() == 0) {
                logCodes.forward(x, atoms);
                listener.onProgress(t, logCodes.loss(options.lambda()), logCodes.codes());
            }
        }
        logCodes.forward(x, atoms);
        return logCodes.loss(options.lambda());
    }

    /** exp(log S) after the last run, [rows, N], live until the next run. */
    public MemorySegment codes() {
        return logCodes.codes();
    }

    /** Wall seconds of the last run's iterations, progress reports excluded. */
    public double lastRunSeconds() {
        return iterationNanos / 1e9;
    }

    /** The reference's FLOP count of {@code iterations} iterations on this problem (paper-spec §9). */
    public long flops(long iterations) {
        return Flops.optimizeCodes(measurements, latents, rows, iterations);
    }

    @Override
    public void close() {
        arena.close();
    }

    private static void requireFloats(String name, MemorySegment segment, long count) {
        Objects.requireNonNull(segment, name);
        if (segment.byteSize() < count * Float.BYTES) {
            throw new IllegalArgumentException(name + " holds " + segment.byteSize() / Float.BYTES
                    + " floats, expected at least " + count);
        }
    }
}
