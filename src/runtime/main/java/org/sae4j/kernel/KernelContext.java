package org.sae4j.kernel;

import java.util.Objects;

/**
 * An owned budget of kernel threads: the pool that {@link Kernels} splits large operations over while the context is
 * bound to the calling thread. A model, a server's batcher or a training run owns one, so that two of them in one JVM
 * neither queue behind one pool nor change each other's parallelism.
 *
 * <pre>{@code
 * try (KernelContext layer8 = KernelContext.create("layer-8", 2)) {
 *     float[] xHat = layer8.call(() -> sae.forward(batch));   // every kernel inside uses layer8's 2 threads
 * }
 * }</pre>
 *
 * <p>Binding is a {@link ScopedValue}, read by the facade once per operation and never by a kernel: it lasts for
 * the {@link #run} or {@link #call} and is seen by the calling thread only. Code that binds nothing uses
 * {@link #shared()}, sized by {@value KernelConfig#THREADS_PROP_NAME}. Results never depend on the context: an
 * operation computes every output element in the same order whatever the thread count.
 *
 * <p><b>Note:</b> thread-safe. Operations from several threads bound to the same context take its pool in turn
 * (single-threaded ones never touch it); contexts never wait for each other. A context of one thread starts no
 * thread. {@link #close()} stops the workers; the shared context cannot be closed.
 */
public final class KernelContext implements AutoCloseable {

    private static final ScopedValue<KernelContext> CURRENT = ScopedValue.newInstance();

    /** The largest thread budget a context accepts. */
    public static final int MAX_THREADS = 1024;

    private static final class Shared {
        static final KernelContext INSTANCE = new KernelContext("shared", KernelConfig.requestedThreads(), false);
    }

    private final String name;
    private final int threads;
    private final boolean closeable;
    private final KernelPool pool;

    private KernelContext(String name, int threads, boolean closeable) {
        this.name = name;
        this.threads = threads;
        this.closeable = closeable;
        this.pool = new KernelPool(name, threads);
    }

    /**
     * A context with its own {@code threads − 1} kernel threads (the caller is the last one).
     *
     * @param name    names the context's threads ({@code sae4j-kernel-NAME-i}) and its messages
     * @param threads 1 ≤ threads ≤ {@value #MAX_THREADS}
     * @throws IllegalArgumentException on a blank name or a thread count out of range
     */
    public static KernelContext create(String name, int threads) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a kernel context needs a name");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("kernel context '" + name + "': threads must be in [1, " + MAX_THREADS
                    + "], got " + threads);
        }
        return new KernelContext(name, threads, true);
    }

    /** The JVM-wide context used where none is bound; {@value KernelConfig#THREADS_PROP_NAME} threads. */
    public static KernelContext shared() {
        return Shared.INSTANCE;
    }

    /** The context bound to the calling thread, or {@link #shared()}. */
    public static KernelContext current() {
        return CURRENT.orElse(Shared.INSTANCE);
    }

    /** The context's name. */
    public String name() {
        return name;
    }

    /** Threads an operation may use, the calling thread included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code operation} with this context bound to the calling thread.
     *
     * @throws IllegalStateException when the context is closed
     */
    public void run(Runnable operation) {
        requireOpen();
        ScopedValue.where(CURRENT, this).run(operation);
    }

    /**
     * Calls {@code operation} with this context bound to the calling thread and returns its result.
     *
     * @param <T> the result type
     * @param <X> what the operation may throw
     * @throws X                     what the operation throws
     * @throws IllegalStateException when the context is closed
     */
    public <T, X extends Throwable> T call(ScopedValue.CallableOp<? extends T, X> operation) throws X {
        requireOpen();
        return ScopedValue.where(CURRENT, this).call(operation);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return pool.isClosed();
    }

    /**
     * Stops the context's threads; operations still bound to it then fail with {@link IllegalStateException}.
     * Idempotent.
     *
     * @throws IllegalStateException on the shared context
     */
    @Override
    public void close() {
        if (!closeable) {
            throw new IllegalStateException("the shared kernel context cannot be closed");
        }
        pool.close();
    }

    @Override
    public String toString() {
        return "kernel context '" + name + "', " + threads + (threads == 1 ? " thread" : " threads")
                + (isClosed() ? " (closed)" : "");
    }

    /** The pool an operation splits over. */
    KernelPool pool() {
        requireOpen();
        return pool;
    }

    private void requireOpen() {
        if (pool.isClosed()) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
