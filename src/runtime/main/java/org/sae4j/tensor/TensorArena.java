package org.sae4j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A named owner of off-heap tensor memory: every segment it allocates is 64-byte aligned
 * ({@link Layouts#ALIGNMENT_BYTES}), zero-filled, readable and writable from any thread, and freed together by
 * {@link #close()}. The memory is a shared {@link Arena} ({@link Arena#ofShared()}), so the kernel threads of a
 * {@link org.sae4j.kernel.KernelContext} may split work over it; a confined arena would keep every kernel call on the
 * calling thread.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("encode-batch")) {
 *     MemorySegment x = arena.allocateFloats(4096L * 768);             // [batch, d_in]
 *     DenseMatrix z = arena.allocateMatrix(DType.F32, 4096, 16384);     // [batch, d_sae]
 *     ...
 * }                                                                     // x and z are freed here
 * }</pre>
 *
 * <p>Ownership: whoever creates the arena closes it, exactly once, after the last use of every segment it handed out
 * (including segments of files mapped into {@link #arena()}). Types that own an arena ({@code Sae},
 * {@code SaeWorkspace}, {@code FistaWorkspace}...) close it in their own {@code close()}.
 *
 * <p><b>Note:</b> allocation is thread-safe. Closing while another thread still uses a segment makes that use fail with
 * {@link IllegalStateException}, never a crash. {@link #close()} is not idempotent: a second call throws
 * {@link IllegalStateException}.
 */
public final class TensorArena implements AutoCloseable {

    /** The name given at construction, used in messages and {@link #toString()}. */
    private final String owner;
    /** The shared FFM arena every segment of this owner belongs to. */
    private final Arena arena;
    /** Bytes handed out so far; guarded by {@code this}. */
    private long allocatedBytes;

    /**
     * Opens an arena owned by {@code owner}.
     *
     * @param owner a name for diagnostics (messages, {@link #toString()}); not interpreted
     */
    public TensorArena(String owner) {
        this.owner = owner;
        this.arena = Arena.ofShared();
    }

    /**
     * Allocates {@code count} zeroed fp32 elements.
     *
     * @param count number of elements, ≥ 0
     * @return a segment of {@code 4·count} bytes, 64-byte aligned, valid until {@link #close()}
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws ArithmeticException      if the byte size overflows a long
     * @throws IllegalStateException    if the arena is closed
     */
    public MemorySegment allocateFloats(long count) {
        return allocate(count, Float.BYTES);
    }

    /**
     * Allocates {@code count} zeroed bf16 elements.
     *
     * @param count number of elements, ≥ 0
     * @return a segment of {@code 2·count} bytes, 64-byte aligned, valid until {@link #close()}
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws ArithmeticException      if the byte size overflows a long
     * @throws IllegalStateException    if the arena is closed
     */
    public MemorySegment allocateBf16(long count) {
        return allocate(count, Short.BYTES);
    }

    /**
     * Allocates {@code count} zeroed elements of {@code type}.
     *
     * @param type  element type
     * @param count number of elements, ≥ 0
     * @return a segment of {@code count·type.byteSize()} bytes, 64-byte aligned, valid until {@link #close()}
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws ArithmeticException      if the byte size overflows a long
     * @throws IllegalStateException    if the arena is closed
     */
    public MemorySegment allocate(DType type, long count) {
        return allocate(count, type.byteSize());
    }

    /**
     * Allocates a zeroed, dense rows×cols matrix of {@code type}: offset 0, row stride {@code cols}.
     *
     * @param type element type
     * @param rows number of rows, ≥ 0
     * @param cols number of columns, ≥ 0
     * @return a view of a new segment, valid until {@link #close()}
     * @throws IllegalArgumentException if a dimension is negative
     * @throws IllegalStateException    if the arena is closed
     */
    public DenseMatrix allocateMatrix(DType type, int rows, int cols) {
        return new DenseMatrix(allocate(type, (long) rows * cols), type, 0, rows, cols, cols);
    }

    /**
     * The underlying FFM arena, so that files can be mapped into this owner's lifetime
     * ({@code FileChannel.map(READ_ONLY, ..., arena())}). Close it only through {@link #close()}.
     *
     * @return the shared arena
     */
    public Arena arena() {
        return arena;
    }

    /**
     * Bytes allocated so far through this owner's {@code allocate*} methods (mappings made on {@link #arena()} directly
     * are not counted).
     *
     * @return total bytes, never decreasing
     */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /**
     * The owner's name.
     *
     * @return the name given at construction
     */
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

    /**
     * Allocates {@code count·elementBytes} zeroed bytes, 64-byte aligned, and counts them.
     *
     * @param count        number of elements, ≥ 0
     * @param elementBytes bytes per element
     * @return the new segment
     */
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
