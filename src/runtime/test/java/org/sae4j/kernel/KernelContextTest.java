package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class KernelContextTest {

    @Test
    void shouldBindTheContextForTheCallOnlyAndOnTheCallingThreadOnly() throws InterruptedException {
        try (KernelContext context = KernelContext.create("bound", 2)) {
            assertSame(KernelContext.shared(), KernelContext.current());
            AtomicReference<KernelContext> otherThread = new AtomicReference<>();
            int threads = context.call(() -> {
                Thread other = Thread.ofPlatform().start(() -> otherThread.set(KernelContext.current()));
                other.join();
                assertSame(context, KernelContext.current());
                return Kernels.threads();
            });
            assertEquals(2, threads);
            assertSame(KernelContext.shared(), otherThread.get(), "a binding is seen by the calling thread only");
            assertSame(KernelContext.shared(), KernelContext.current(), "the binding ends with the call");
            assertTrue(Kernels.describe().contains("kernel context 'shared'"), Kernels.describe());
        }
    }

    @Test
    void shouldLetAnInnerBindingWinUntilItEnds() {
        try (KernelContext outer = KernelContext.create("outer", 2);
             KernelContext inner = KernelContext.create("inner", 1)) {
            outer.run(() -> {
                inner.run(() -> assertSame(inner, KernelContext.current()));
                assertSame(outer, KernelContext.current());
            });
        }
    }

    @Test
    void shouldRefuseOperationsOfAClosedContextWithItsName() {
        KernelContext context = KernelContext.create("short-lived", 2);
        context.close();
        assertTrue(context.isClosed());
        IllegalStateException e = assertThrowsExactly(IllegalStateException.class, () -> context.run(() -> { }));
        assertEquals("kernel context 'short-lived', 2 threads (closed) is closed", e.getMessage());
    }

    @Test
    void shouldRefuseToCloseTheSharedContext() {
        IllegalStateException e = assertThrowsExactly(IllegalStateException.class,
                () -> KernelContext.shared().close());
        assertEquals("the shared kernel context cannot be closed", e.getMessage());
    }

    @Test
    void shouldRejectThreadCountsOutOfRangeAndBlankNames() {
        assertEquals("kernel context 'x': threads must be in [1, 1024], got 0",
                assertThrowsExactly(IllegalArgumentException.class, () -> KernelContext.create("x", 0)).getMessage());
        assertEquals("kernel context 'x': threads must be in [1, 1024], got 1025",
                assertThrowsExactly(IllegalArgumentException.class, () -> KernelContext.create("x", 1025))
                        .getMessage());
        assertEquals("a kernel context needs a name",
                assertThrowsExactly(IllegalArgumentException.class, () -> KernelContext.create(" ", 1)).getMessage());
    }
}
