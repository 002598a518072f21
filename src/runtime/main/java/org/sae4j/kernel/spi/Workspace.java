package org.sae4j.kernel.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable scratch memory of one thread: packing panels for GEMM, tiles for fused top-k encoding. Buffers grow to
 * the largest size requested and are then reused, so steady-state kernel calls allocate nothing.
 *
 * <p><b>Note:</b> not thread-safe; {@code KernelPool} gives each participating thread its own instance. Off-heap
 * buffers live in a shared arena owned by the workspace and are freed by {@link #close()}; a workspace made by
 * {@link #reclaimedByGc} instead frees them when it becomes unreachable (for threads that never close theirs).
 */
public final class Workspace implements AutoCloseable {

    /** Number of independent buffer slots a kernel may use. */
    public static final int SLOTS = 4;

    private static final long ALIGNMENT_BYTES = 64;

    private final String owner;
    private final float[][] floats = new float[SLOTS][];
    private final MemorySegment[] segments = new MemorySegment[SLOTS];
    private final boolean automatic;
    private Arena arena;

    /** Creates an empty workspace; {@code owner} names it in diagnostics. */
    public Workspace(String owner) {
        this(owner, false);
    }

    private Workspace(String owner, boolean automatic) {
        this.owner = owner;
        this.automatic = automatic;
        for (int i = 0; i < SLOTS; i++) {
            floats[i] = new float[0];
            segments[i] = MemorySegment.NULL;
        }
    }

    /**
     * A workspace whose off-heap buffers the garbage collector frees once the workspace is unreachable: for a
     * thread-local workspace of a caller thread, which may end without closing it. {@link #close()} only drops the
     * buffers.
     */
    public static Workspace reclaimedByGc(String owner) {
        return new Workspace(owner, true);
    }

    /** Returns a heap buffer of at least {@code minLength} floats in {@code slot}; contents are unspecified. */
    public float[] floats(int slot, int minLength) {
        float[] buffer = floats[slot];
        if (buffer.length < minLength) {
            buffer = new float[minLength];
            floats[slot] = buffer;
        }
        return buffer;
    }

    /**
     * Returns a 64-byte aligned off-heap buffer of at least {@code minFloats} floats in {@code slot}; contents are
     * unspecified.
     */
    public MemorySegment segment(int slot, long minFloats) {
        MemorySegment segment = segments[slot];
        long bytes = minFloats * Float.BYTES;
        if (segment.byteSize() < bytes) {
            if (arena == null) {
                arena = automatic ? Arena.ofAuto() : Arena.ofShared();
            }
            segment = arena.allocate(bytes, ALIGNMENT_BYTES);
            segments[slot] = segment;
        }
        return segment;
    }

    /** Number of bytes currently held (heap and off-heap). */
    public long heldBytes() {
        long total = 0;
        for (int i = 0; i < SLOTS; i++) {
            total += (long) floats[i].length * Float.BYTES + segments[i].byteSize();
        }
        return total;
    }

    @Override
    public void close() {
        if (arena != null && !automatic) {
            arena.close();
        }
        arena = null;
        for (int i = 0; i < SLOTS; i++) {
            floats[i] = new float[0];
            segments[i] = MemorySegment.NULL;
        }
    }

    @Override
    public String toString() {
        return "Workspace[" + owner + ", " + heldBytes() + " bytes]";
    }

}
