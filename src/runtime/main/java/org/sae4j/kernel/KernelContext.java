package org.sae4j.kernel;

import java.util.Objects;

/**
 * An owned budget of kernel threads: the pool that {@link Kernels} splits large operations over while the context is
 * bound to the calling thread. A model, a server's batcher or a training run owns one, so that two of them in one JVM
 * neither queue behind one pool nor change each other's parallelism.
 *
 * <pre>{@code
 * try (KernelContext layer8 = KernelContext.create("layer-8", 2)) {
 *     layer8.run(() -> sae.encode(x, batch, z, ws));        // every kernel inside uses layer8's 2 threads
 *     float[] xHat = layer8.call(() -> sae.forward(rows));  // call returns the operation's result
 * }
 * }</pre>
 *
 * <p>Binding is a {@link ScopedValue}, read by the facade once per operation and never by a kernel: it lasts for the
 * {@link #run} or {@link #call} and is seen by the calling thread only (threads it starts inherit nothing). Code that
 * binds nothing uses {@link #shared()}, sized by {@value KernelConfig#THREADS_PROP_NAME}. Results never depend on the
 * context: an operation computes every output element in the same order whatever the thread count.
 *
 * <p>Ownership: whoever calls {@link #create} owns the context and closes it after the last operation bound to it; its
 * {@code threads − 1} workers are daemon threads, so a context that is never closed does not keep the JVM alive, but
 * its threads stay parked until exit.
 *
 * <p><b>Note:</b> thread-safe. Operations from several threads bound to the same context take its pool in turn
 * (single-threaded ones never touch it); contexts never wait for each other. A context of one thread starts no thread.
 * {@link #close()} stops the workers and is idempotent; the shared context cannot be closed.
 */
public final class KernelContext implements AutoCloseable {

    /** The context bound to the calling thread by {@link #run} or {@link #call}, if any. */
    private static final ScopedValue<KernelContext> CURRENT = ScopedValue.newInstance();

    /** The largest thread budget a context accepts. */
    public static final int MAX_THREADS = 1024;

    /** Holder of the JVM-wide context, created on first use from {@value KernelConfig#THREADS_PROP_NAME}. */
    private static final class Shared {
        /** The shared context; it cannot be closed. */
        static final KernelContext INSTANCE = new KernelContext("shared", sharedThreads(), false);

        /** Not instantiated: a holder of static state. */
        private Shared() {
        }
    }

    /** Names the context's threads and messages. */
    private final String name;
    /** Threads an operation may use, the calling thread included. */
    private final int threads;
    /** False only for the shared context. */
    private final boolean closeable;
    /** The workers, {@code threads − 1} of them. */
    private final KernelPool pool;

    /**
     * Starts the pool of a validated context.
     *
     * @param name      names threads and messages
     * @param threads   threads an operation may use
     * @param closeable whether {@link #close()} is allowed
     */
    private KernelContext(String name, int threads, boolean closeable) {
        this.name = name;
        this.threads = threads;
        this.closeable = closeable;
        this.pool = new KernelPool(name, threads);
    }

    /**
     * A context with its own {@code threads − 1} kernel threads (the caller is the last one), started here; the caller
     * owns it and closes it.
     *
     * @param name    names the context's threads ({@code sae4j-kernel-NAME-i}) and its messages
     * @param threads 1 ≤ threads ≤ {@value #MAX_THREADS}
     * @return the new, open context
     * @throws NullPointerException     if {@code name} is null
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

    /**
     * The JVM-wide context used where none is bound; {@value KernelConfig#THREADS_PROP_NAME} threads, started on first
     * use.
     *
     * @return the shared context, which cannot be closed
     */
    public static KernelContext shared() {
        return Shared.INSTANCE;
    }

    /**
     * The context bound to the calling thread, or {@link #shared()}.
     *
     * @return the context the calling thread's next kernel operation uses
     */
    public static KernelContext current() {
        return CURRENT.orElse(Shared.INSTANCE);
    }

    /**
     * The context's name.
     *
     * @return the name given to {@link #create}, or {@code "shared"}
     */
    public String name() {
        return name;
    }

    /**
     * Threads an operation may use, the calling thread included.
     *
     * @return the budget, in [1, {@value #MAX_THREADS}]
     */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code operation} with this context bound to the calling thread, which runs it (and the single-threaded
     * kernel calls) itself.
     *
     * @param operation the work whose kernel calls use this context
     * @throws IllegalStateException when the context is closed
     */
    public void run(Runnable operation) {
        requireOpen();
        ScopedValue.where(CURRENT, this).run(operation);
    }

    /**
     * Calls {@code operation} with this context bound to the calling thread and returns its result.
     *
     * @param <T>       the result type
     * @param <X>       what the operation may throw
     * @param operation the work whose kernel calls use this context
     * @return what {@code operation} returns
     * @throws X                     what the operation throws
     * @throws IllegalStateException when the context is closed
     */
    public <T, X extends Throwable> T call(ScopedValue.CallableOp<? extends T, X> operation) throws X {
        requireOpen();
        return ScopedValue.where(CURRENT, this).call(operation);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed; always false for the shared context
     */
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

    /**
     * The shared context's thread count, held to the same range as {@link #create}'s.
     *
     * @return {@value KernelConfig#THREADS_PROP_NAME}, or the available processors when it is not set
     * @throws IllegalArgumentException if the property asks for more than {@value #MAX_THREADS} threads
     */
    private static int sharedThreads() {
        int threads = KernelConfig.requestedThreads();
        if (threads > MAX_THREADS) {
            throw new IllegalArgumentException(KernelConfig.THREADS_PROP_NAME + " must be in [1, " + MAX_THREADS
                    + "], got " + threads);
        }
        return threads;
    }

    /**
     * The pool an operation splits over.
     *
     * @return the open pool
     * @throws IllegalStateException when the context is closed
     */
    KernelPool pool() {
        requireOpen();
        return pool;
    }

    /**
     * Throws unless the context is open.
     *
     * @throws IllegalStateException naming the context when it is closed
     */
    private void requireOpen() {
        if (pool.isClosed()) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
