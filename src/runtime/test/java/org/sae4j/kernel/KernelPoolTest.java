package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.sae4j.kernel.spi.Workspace;

final class KernelPoolTest {

    @Test
    void shouldRunEveryTaskExactlyOnceWhenThreadsShareTheWork() {
        KernelPool pool = new KernelPool("three", 3);
        for (int round = 0; round < 200; round++) {
            int count = 1 + round % 17;
            AtomicIntegerArray runs = new AtomicIntegerArray(count);
            pool.run(count, (index, workspace) -> runs.incrementAndGet(index));
            for (int i = 0; i < count; i++) {
                assertEquals(1, runs.get(i), "round " + round + ", task " + i);
            }
        }
    }

    @Test
    void shouldGiveEachParticipantItsOwnWorkspace() {
        KernelPool pool = new KernelPool("two", 2);
        Workspace[] seen = new Workspace[64];
        pool.run(seen.length, (index, workspace) -> seen[index] = workspace);
        for (Workspace workspace : seen) {
            assertEquals(true, workspace.toString().startsWith("Workspace[kernel-thread-"), workspace.toString());
        }
    }

    @Test
    void shouldRethrowATaskFailureInTheCaller() {
        KernelPool pool = new KernelPool("two", 2);
        IllegalStateException e = assertThrowsExactly(IllegalStateException.class,
                () -> pool.run(8, (index, workspace) -> {
                    if (index == 5) {
                        throw new IllegalStateException("task 5 failed");
                    }
                }));
        assertEquals("task 5 failed", e.getMessage());
        int[] after = new int[4];
        pool.run(4, (index, workspace) -> after[index] = index + 1);
        assertArrayEquals(new int[] {1, 2, 3, 4}, after);
    }

    @Test
    void shouldFinishAJobOfOnePoolWhileAnotherPoolIsBusy() throws InterruptedException {
        KernelPool busy = new KernelPool("busy", 2);
        KernelPool free = new KernelPool("free", 2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> busy.run(2, (index, workspace) -> {
            started.countDown();
            awaitUninterruptibly(release);
        }));
        try {
            assertTrue(started.await(10, TimeUnit.SECONDS), "the busy pool's job never started");
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            // One pool for all callers would wait here for the held job; pools of different contexts must not.
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> free.run(8, (index, workspace) -> runs.incrementAndGet(index)));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, runs.get(i), "task " + i);
            }
        } finally {
            release.countDown();
            holder.join();
            busy.close();
            free.close();
        }
    }

    @Test
    void shouldEndItsWorkersAndRefuseJobsWhenClosed() throws InterruptedException {
        KernelPool pool = new KernelPool("closing", 3);
        pool.run(4, (index, workspace) -> { });
        pool.close();
        pool.close();
        IllegalStateException e = assertThrowsExactly(IllegalStateException.class,
                () -> pool.run(4, (index, workspace) -> { }));
        assertEquals("kernel pool 'closing' is closed", e.getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workersAlive("sae4j-kernel-closing-") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, workersAlive("sae4j-kernel-closing-"), "workers still running after close");
    }

    private static long workersAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive()).count();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // the test releases the latch in its finally block
            }
        }
    }
}
