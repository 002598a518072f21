package org.sae4j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A named owner of off-heap tensor memory: every segment it allocates is 64-byte aligned, zero-filled, readable from
 * any thread, and freed together by {@link #close()}.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("encode-batch")) {
 *     MemorySegment x = arena.allocateFloats(4096L * 768);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Note:</b> allocation is thread-safe; closing while another thread still uses a segment makes that use fail
 * with {@link IllegalStateException}, never a crash.
 */
public final class TensorArena implements AutoCloseable {

    private final String owner;
    private final Arena arena;
    private long allocatedBytes;

    /** Opens an arena owned by {@code owner} (a name used in diagnostics). */
    public TensorArena(String owner) {
        this.owner = owner;
        this.arena = Arena.ofShared();
    }

    /** Allocates {@code count} zeroed fp32 elements. */
    public MemorySegment allocateFloats(long count) {
        return allocate(count, Float.BYTES);
    }

    /** Allocates {@code count} zeroed bf16 elements. */
    public MemorySegment allocateBf16(long count) {
        return allocate(count, Short.BYTES);
    }

    /** Allocates {@code count} zeroed elements of {@code type}. */
    public MemorySegment allocate(DType type, long count) {
        return allocate(count, type.byteSize());
    }

    /** Allocates a dense rows×cols matrix of {@code type} with a row stride of {@code cols}. */
    public DenseMatrix allocateMatrix(DType type, int rows, int cols) {
        return new DenseMatrix(allocate(type, (long) rows * cols), type, 0, rows, cols, cols);
    }

    /** The underlying FFM arena, for mapping files into this owner's lifetime. */
    public Arena arena() {
        return arena;
    }

    /** Bytes allocated so far through this owner. */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** The owner's name. */
    public String owner() {
        return owner;
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "TensorArena[" + owner + "]";
    }

    private MemorySegment allocate(long count, long elementBytes) {
        if (count < 0) {
            throw new IllegalArgumentException(owner + ": negative element count " + count);
        }
        long bytes = Math.multiplyExact(count, elementBytes);
        MemorySegment segment = arena.allocate(bytes, Layouts.ALIGNMENT_BYTES);
        synchronized (this) {
            allocatedBytes += bytes;
        }
        return segment;
    }
}
