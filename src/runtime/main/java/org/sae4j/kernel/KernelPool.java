package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.sae4j.kernel.spi.Workspace;

/**
 * The dedicated kernel threads: the calling thread plus {@code maxThreads − 1} daemon workers, each with its own
 * {@link Workspace}. A job is a count of independent tasks; participants claim task numbers from a shared counter
 * until none remain, so load balances itself while each task's arithmetic stays fixed (results never depend on
 * which thread ran a task).
 *
 * <p>Each {@link KernelContext} owns one pool, so jobs of different contexts never wait for each other.
 *
 * <p><b>Note:</b> jobs from different caller threads run one at a time. A task must not submit a job itself. Running
 * a job allocates nothing. {@link #close()} ends the workers once they are idle.
 */
final class KernelPool {

    /**
     * One unit of a job. Declared public, but reachable only inside the package: the enclosing pool is package-private.
     */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs task number {@code index} using the participant's {@code workspace}.
         *
         * @param index     the task number, in [0, count)
         * @param workspace scratch owned by the participant running the task; valid for this call
         */
        void run(int index, Workspace workspace);
    }

    /** Spin-waits before a waiting thread parks: short jobs hand over without a park/unpark round trip. */
    private static final int SPINS_BEFORE_PARK = 20_000;

    /** Participants, the caller included. */
    private final int maxThreads;
    /** One scratch per participant; index 0 is the caller's. */
    private final Workspace[] workspaces;
    /** The {@code maxThreads − 1} daemon workers; participant i + 1 is {@code workers[i]}. */
    private final Thread[] workers;
    /** Serialises jobs and {@link #close()}. */
    private final ReentrantLock jobLock = new ReentrantLock();
    /** The next task number to claim. */
    private final AtomicInteger nextTask = new AtomicInteger();
    /** Workers still draining the current job. */
    private final AtomicInteger runningWorkers = new AtomicInteger();

    /** Names the threads and messages. */
    private final String name;
    /** Set by {@link #close()}. */
    private volatile boolean closed;
    /** Bumped for every job and for close; workers wake when it changes. */
    private volatile int generation;
    /** The thread that submitted the current job, unparked by the last worker. */
    private volatile Thread caller;
    /** The current job; published by the write of {@link #generation}. */
    private Task task;
    /** Tasks of the current job. */
    private int taskCount;
    /** Workers taking part in the current job (participants 1 to jobWorkers). */
    private int jobWorkers;
    /** The first task failure of the current job, rethrown by {@link #run}. */
    private volatile Throwable failure;

    /**
     * Starts a pool of {@code maxThreads} participants (the caller counts as one): creates every workspace and starts
     * {@code maxThreads − 1} daemon workers.
     *
     * @param name       names the threads {@code sae4j-kernel-NAME-i}
     * @param maxThreads participants, ≥ 1
     * @throws IllegalArgumentException if {@code maxThreads < 1}
     */
    KernelPool(String name, int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, got " + maxThreads);
        }
        this.name = name;
        this.maxThreads = maxThreads;
        this.workspaces = new Workspace[maxThreads];
        for (int i = 0; i < maxThreads; i++) {
            workspaces[i] = new Workspace("kernel-thread-" + i);
        }
        this.workers = new Thread[maxThreads - 1];
        for (int i = 0; i < workers.length; i++) {
            int participant = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("sae4j-kernel-" + name + "-" + participant)
                    .unstarted(() -> workerLoop(participant));
            workers[i].start();
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    boolean isClosed() {
        return closed;
    }

    /** Ends the workers: an idle worker exits at once, a busy one after its job. Idempotent. */
    void close() {
        jobLock.lock();
        try {
            closed = true;
            generation = generation + 1;
            for (Thread worker : workers) {
                LockSupport.unpark(worker);
            }
        } finally {
            jobLock.unlock();
        }
    }

    /**
     * Whether the worker threads may access {@code segment} (a confined arena's segments are only accessible by its
     * owner thread; jobs touching them must run on the caller alone).
     *
     * @param segment an operand, or null
     * @return true for null, for a pool without workers, and for segments of shared or global arenas
     */
    boolean accessibleByWorkers(MemorySegment segment) {
        return segment == null || workers.length == 0 || segment.isAccessibleBy(workers[0]);
    }

    /**
     * Runs tasks {@code 0 .. count−1} and returns when all are done; rethrows the first task failure (after every
     * participant has stopped), wrapped in {@link IllegalStateException} when it is a checked exception.
     *
     * @param count number of tasks
     * @param job   the tasks
     * @throws IllegalStateException when the pool is closed
     */
    void run(int count, Task job) {
        jobLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("kernel pool '" + name + "' is closed");
            }
            int helpers = Math.min(maxThreads, count) - 1;
            if (helpers <= 0) {
                for (int i = 0; i < count; i++) {
                    job.run(i, workspaces[0]);
                }
                return;
            }
            task = job;
            taskCount = count;
            jobWorkers = helpers;
            failure = null;
            nextTask.set(0);
            runningWorkers.set(helpers);
            caller = Thread.currentThread();
            generation = generation + 1;
            for (int i = 0; i < helpers; i++) {
                LockSupport.unpark(workers[i]);
            }
            drain(workspaces[0]);
            awaitWorkers();
            task = null;
            Throwable thrown = failure;
            if (thrown != null) {
                failure = null;
                if (thrown instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("kernel task failed", thrown);
            }
        } finally {
            jobLock.unlock();
        }
    }

    /**
     * Claims and runs tasks until none remain; a failure is recorded and ends the claiming for everyone.
     *
     * @param workspace the participant's scratch
     */
    private void drain(Workspace workspace) {
        Task job = task;
        int count = taskCount;
        for (int i = nextTask.getAndIncrement(); i < count; i = nextTask.getAndIncrement()) {
            try {
                job.run(i, workspace);
            } catch (Throwable t) {
                failure = t;
                nextTask.set(count);
            }
        }
    }

    /** Waits, spinning then parking, until every worker of the current job has finished. */
    private void awaitWorkers() {
        int spins = 0;
        while (runningWorkers.get() != 0) {
            if (++spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    /**
     * The body of worker {@code participant}: wait for a new generation, exit when closed, else drain the job if it
     * takes part.
     *
     * @param participant the worker's participant number, ≥ 1
     */
    private void workerLoop(int participant) {
        int seen = 0;
        Workspace workspace = workspaces[participant];
        while (true) {
            int spins = 0;
            while (generation == seen) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation;
            if (closed) {
                return;
            }
            if (participant <= jobWorkers) {
                drain(workspace);
                if (runningWorkers.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
