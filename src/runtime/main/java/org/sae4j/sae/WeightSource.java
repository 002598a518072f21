package org.sae4j.sae;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Set;
import org.sae4j.io.NpyFile;
import org.sae4j.io.NpzFile;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Named stored tensors (a safetensors file or an npz archive) copied into fp32 engine tensors with their shape
 * checked and their values required finite, so that a loaded model never runs on a silently wrong layout.
 */
abstract class WeightSource {

    /** Elements per finiteness check. */
    private static final int FINITE_CHUNK = 1 << 16;

    /** The file or archive, for messages. */
    private final String source;

    /**
     * A source named {@code source} in messages.
     *
     * @param source the file or archive path
     */
    private WeightSource(String source) {
        this.source = source;
    }

    /**
     * The tensors of a mapped safetensors file; {@link #stored} gives their bytes in place.
     *
     * @param file the validated file
     * @return a view of its tensors
     */
    static WeightSource of(SafetensorsFile file) {
        return new WeightSource(file.source()) {
            @Override
            Set<String> names() {
                return file.names();
            }

            @Override
            long[] shape(String name) {
                return file.tensor(name).shapeArray();
            }

            @Override
            SafetensorsDType dtype(String name) {
                return file.tensor(name).dtype();
            }

            @Override
            void readFloats(String name, MemorySegment dst) {
                file.readFloats(name, dst, 0);
            }

            @Override
            MemorySegment stored(String name) {
                return file.segment(name);
            }
        };
    }

    /**
     * The arrays of an npz archive; they are inflated copies, so {@link #stored} gives none.
     *
     * @param file the validated archive
     * @return a view of its arrays
     */
    static WeightSource of(NpzFile file) {
        return new WeightSource(file.source()) {
            @Override
            Set<String> names() {
                return file.names();
            }

            @Override
            long[] shape(String name) {
                return file.array(name).shapeArray();
            }

            @Override
            SafetensorsDType dtype(String name) {
                return file.array(name).dtype();
            }

            @Override
            void readFloats(String name, MemorySegment dst) {
                NpyFile array = file.array(name);
                array.readFloats(dst, 0);
            }

            @Override
            MemorySegment stored(String name) {
                return null;
            }
        };
    }

    /**
     * The stored tensor names.
     *
     * @return the names, in file order
     */
    abstract Set<String> names();

    /**
     * The stored shape of a tensor.
     *
     * @param name a stored name
     * @return its dimensions
     */
    abstract long[] shape(String name);

    /**
     * The stored element type of a tensor.
     *
     * @param name a stored name
     * @return its type
     */
    abstract SafetensorsDType dtype(String name);

    /**
     * Widens a tensor to fp32 into {@code dst} from byte 0.
     *
     * @param name a stored name
     * @param dst  at least 4·elements bytes; modified
     */
    abstract void readFloats(String name, MemorySegment dst);

    /**
     * The tensor's stored bytes in place (a read-only mapping), or null when the container cannot give them.
     *
     * @param name a stored name
     * @return the bytes, or null
     */
    abstract MemorySegment stored(String name);

    /**
     * The file or archive, for messages.
     *
     * @return the path
     */
    String source() {
        return source;
    }

    /**
     * Whether a tensor of that name is stored.
     *
     * @param name a name
     * @return true if present
     */
    boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * The stored name equal to {@code name} ignoring case, or {@code null}; Gemma Scope spells W_ or w_.
     *
     * @param name the canonical name
     * @return the stored spelling, or null
     */
    String findIgnoringCase(String name) {
        for (String candidate : names()) {
            if (candidate.equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Tensor {@code name} of shape {@code dims} as fp32 in {@code owner}, checked finite.
     *
     * @param name  a stored name
     * @param owner the model's arena
     * @param dims  the required shape
     * @return a new fp32 segment in {@code owner}
     * @throws SaeFormatException if the tensor is missing, not floating point, of another shape, or holds a non-finite
     *                            value
     */
    MemorySegment copy(String name, TensorArena owner, long... dims) throws SaeFormatException {
        checkShape(name, dims);
        MemorySegment dst = owner.allocateFloats(product(dims));
        readFloats(name, dst);
        requireFinite(name, dst);
        return dst;
    }

    /**
     * Tensor {@code name} of shape {@code dims} read in place when it is stored as fp32: no copy and no fresh memory to
     * fault in, which is most of the cost of opening a large SAE. Otherwise a copy as {@link #copy}. The view is
     * read-only and lives as long as the arena the container was mapped into: only for weights nothing folds.
     *
     * @param name  a stored name
     * @param owner the model's arena, for the copy
     * @param dims  the required shape
     * @return the mapped bytes, or a new fp32 segment
     * @throws SaeFormatException if the tensor is missing, not floating point, of another shape, or holds a non-finite
     *                            value
     */
    MemorySegment view(String name, TensorArena owner, long... dims) throws SaeFormatException {
        checkShape(name, dims);
        MemorySegment stored = storedF32(name);
        if (stored == null) {
            return copy(name, owner, dims);
        }
        requireFinite(name, stored);
        return stored;
    }

    /**
     * Matrix {@code name} stored [rows, cols], returned transposed as [cols, rows] fp32 in {@code owner}.
     *
     * @param name  a stored name
     * @param owner the model's arena
     * @param rows  stored rows
     * @param cols  stored columns
     * @return a new fp32 segment [cols, rows]
     * @throws SaeFormatException if the tensor is missing, not floating point, of another shape, or holds a non-finite
     *                            value
     */
    MemorySegment copyTransposed(String name, TensorArena owner, long rows, long cols) throws SaeFormatException {
        checkShape(name, rows, cols);
        MemorySegment dst = owner.allocateFloats(rows * cols);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment stored = storedF32(name);
            if (stored == null) {
                stored = scratch.allocate(rows * cols * Float.BYTES, Layouts.ALIGNMENT_BYTES);
                readFloats(name, stored);
            }
            requireFinite(name, stored);
            Transpose.copy(stored, rows, cols, dst);
        }
        return dst;
    }

    /**
     * A per-latent vector {@code name} of length n; a stored scalar ({@code []} or {@code [1]}, as BatchTopK thresholds
     * are saved) is broadcast.
     *
     * @param name  a stored name
     * @param owner the model's arena
     * @param n     the vector length
     * @return a new fp32 segment of n elements
     * @throws SaeFormatException if the tensor is missing, not floating point, of another shape, or holds a non-finite
     *                            value
     */
    MemorySegment copyBroadcast(String name, TensorArena owner, long n) throws SaeFormatException {
        long[] shape = shape(name);
        if (product(shape) != 1 || shape.length > 1) {
            return copy(name, owner, n);
        }
        requireFloatingPoint(name);
        MemorySegment one = owner.allocateFloats(1);
        readFloats(name, one);
        requireFinite(name, one);
        MemorySegment dst = owner.allocateFloats(n);
        dst.fill((byte) 0);
        float value = one.getAtIndex(Layouts.F32, 0);
        for (long i = 0; i < n; i++) {
            dst.setAtIndex(Layouts.F32, i, value);
        }
        return dst;
    }

    /**
     * The tensor's bytes in place when it is stored as fp32.
     *
     * @param name a stored name
     * @return the mapped bytes, or null for another type or a container without mapping
     */
    private MemorySegment storedF32(String name) {
        return dtype(name) == SafetensorsDType.F32 ? stored(name) : null;
    }

    /**
     * Checks that a floating-point tensor {@code name} of shape {@code dims} is stored.
     *
     * @param name a name
     * @param dims the required shape
     * @throws SaeFormatException if it is missing, an integer type or of another shape
     */
    private void checkShape(String name, long... dims) throws SaeFormatException {
        if (!contains(name)) {
            throw new SaeFormatException(source + ": tensor '" + name + "' is missing");
        }
        requireFloatingPoint(name);
        long[] shape = shape(name);
        if (!Arrays.equals(shape, dims)) {
            throw new SaeFormatException(source + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(dims));
        }
    }

    /**
     * Checks that a tensor is stored as a floating-point type.
     *
     * @param name a stored name
     * @throws SaeFormatException for an integer type
     */
    private void requireFloatingPoint(String name) throws SaeFormatException {
        SafetensorsDType type = dtype(name);
        if (!type.isFloatingPoint()) {
            throw new SaeFormatException(source + ": tensor '" + name + "' has integer dtype " + type
                    + ", expected a floating-point type");
        }
    }

    /**
     * A finite float times zero is zero and an infinite or NaN one gives NaN, so a chunk's dot product with zeros is
     * zero exactly when every element is finite: one vectorised pass at memory speed, with an element scan only to name
     * the culprit.
     *
     * @param name   names the tensor in the message
     * @param values fp32 values; not modified
     * @throws SaeFormatException naming the first non-finite element
     */
    private void requireFinite(String name, MemorySegment values) throws SaeFormatException {
        long count = values.byteSize() / Float.BYTES;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment zeros = scratch.allocate((long) FINITE_CHUNK * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            for (long start = 0; start < count; start += FINITE_CHUNK) {
                int length = (int) Math.min(FINITE_CHUNK, count - start);
                if (Kernels.dot(length, values, start, zeros, 0) == 0f) {
                    continue;
                }
                for (long i = start; i < start + length; i++) {
                    float value = values.getAtIndex(Layouts.F32, i);
                    if (!Float.isFinite(value)) {
                        throw new SaeFormatException(source + ": tensor '" + name + "' holds " + value
                                + " at element " + i + "; weights must be finite");
                    }
                }
            }
        }
    }

    /**
     * The number of elements of a shape.
     *
     * @param dims dimensions
     * @return their product
     * @throws ArithmeticException on overflow
     */
    private static long product(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
