package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.sae4j.kernel.spi.Workspace;

final class WorkspaceTest {

    @Test
    void shouldFreeOffHeapBuffersOnCloseWhenOwned() {
        Workspace workspace = new Workspace("owned");
        MemorySegment segment = workspace.segment(0, 100);
        assertEquals(0, segment.address() % 64, "64-byte aligned");
        segment.setAtIndex(ValueLayout.JAVA_FLOAT, 99, 1f);
        workspace.close();
        assertThrows(IllegalStateException.class, () -> segment.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
        assertEquals(0, workspace.heldBytes());
    }

    @Test
    void shouldKeepWorkingAcrossCloseWhenReclaimedByTheCollector() {
        Workspace workspace = Workspace.reclaimedByGc("caller");
        MemorySegment first = workspace.segment(1, 64);
        assertTrue(workspace.segment(1, 32) == first, "a smaller request reuses the buffer");
        workspace.close();
        assertEquals(0, workspace.heldBytes(), "close drops the buffers");
        first.setAtIndex(ValueLayout.JAVA_FLOAT, 0, 2f);
        MemorySegment second = workspace.segment(1, 64);
        second.setAtIndex(ValueLayout.JAVA_FLOAT, 63, 3f);
        assertEquals(64L * Float.BYTES, second.byteSize());
    }
}
