package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dedicated kernel threads: the calling thread plus {@code maxThreads − 1} daemon workers, each with its own
 * {@link Workspace}. A job is a count of independent tasks; participants claim task numbers from a shared counter
 * until none remain, so load balances itself while each task's arithmetic stays fixed (results never depend on
 * which thread ran a task).
 *
 * <p><b>Note:</b> jobs from different caller threads run one at a time. A task must not submit a job itself. Running
 * a job allocates nothing.
 */
public final class KernelPool {

    /** One unit of a job. */
    @FunctionalInterface
    public interface Task {
        /** Runs task number {@code index} using the participant's {@code workspace}. */
        void run(int index, Workspace workspace);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;

    private final int maxThreads;
    private final Workspace[] workspaces;
    private final Thread[] workers;
    private final ReentrantLock jobLock = new ReentrantLock();
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicInteger runningWorkers = new AtomicInteger();

    private volatile int parallelism;
    private volatile int generation;
    private volatile Thread caller;
    private Task task;
    private int taskCount;
    private int jobWorkers;
    private volatile Throwable failure;

    /** Starts a pool of {@code maxThreads} participants (the caller counts as one). */
    public KernelPool(int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, got " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.parallelism = maxThreads;
        this.workspaces = new Workspace[maxThreads];
        for (int i = 0; i < maxThreads; i++) {
            workspaces[i] = new Workspace("kernel-thread-" + i);
        }
        this.workers = new Thread[maxThreads - 1];
        for (int i = 0; i < workers.length; i++) {
            int participant = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("sae4j-kernel-" + participant)
                    .unstarted(() -> workerLoop(participant));
            workers[i].start();
        }
    }

    /** Largest number of participants. */
    public int maxThreads() {
        return maxThreads;
    }

    /** Participants used by the next jobs. */
    public int parallelism() {
        return parallelism;
    }

    /** Sets the participants used by later jobs, 1 ≤ threads ≤ {@link #maxThreads()}. */
    public void setParallelism(int threads) {
        if (threads < 1 || threads > maxThreads) {
            throw new IllegalArgumentException("threads must be in [1, " + maxThreads + "], got " + threads);
        }
        parallelism = threads;
    }

    /**
     * Whether the worker threads may access {@code segment} (a confined arena's segments are only accessible by
     * its owner thread; jobs touching them must run on the caller alone).
     */
    public boolean accessibleByWorkers(MemorySegment segment) {
        return segment == null || workers.length == 0 || segment.isAccessibleBy(workers[0]);
    }

    /** Runs tasks {@code 0 .. count−1} and returns when all are done; rethrows the first task failure. */
    public void run(int count, Task job) {
        jobLock.lock();
        try {
            int helpers = Math.min(parallelism, count) - 1;
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
            if (participant <= jobWorkers) {
                drain(workspace);
                if (runningWorkers.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
