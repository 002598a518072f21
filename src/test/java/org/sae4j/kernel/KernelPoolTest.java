package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

final class KernelPoolTest {

    @Test
    void shouldRunEveryTaskExactlyOnceWhenThreadsShareTheWork() {
        KernelPool pool = new KernelPool(3);
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
        KernelPool pool = new KernelPool(2);
        Workspace[] seen = new Workspace[64];
        pool.run(seen.length, (index, workspace) -> seen[index] = workspace);
        for (Workspace workspace : seen) {
            assertEquals(true, workspace.toString().startsWith("Workspace[kernel-thread-"), workspace.toString());
        }
    }

    @Test
    void shouldRethrowATaskFailureInTheCaller() {
        KernelPool pool = new KernelPool(2);
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
    void shouldRejectParallelismOutsideThePool() {
        KernelPool pool = new KernelPool(2);
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                () -> pool.setParallelism(3));
        assertEquals("threads must be in [1, 2], got 3", e.getMessage());
    }
}
