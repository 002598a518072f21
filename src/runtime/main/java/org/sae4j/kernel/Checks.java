package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Argument validation for {@link Kernels}: every failure is an {@link IllegalArgumentException} naming the problem. */
final class Checks {

    static final int F32_BYTES = Float.BYTES;
    static final int BF16_BYTES = Short.BYTES;

    private Checks() {
    }

    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    static void finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    /** A vector of {@code n} elements starting at element {@code off}. */
    static void vector(String name, MemorySegment segment, long off, long n, int elementBytes) {
        Objects.requireNonNull(segment, name);
        if (off < 0) {
            throw new IllegalArgumentException(name + ": negative offset " + off);
        }
        if (n > 0 && (off + n) * elementBytes > segment.byteSize()) {
            throw new IllegalArgumentException(name + ": elements [" + off + ", " + (off + n) + ") exceed a segment of "
                    + segment.byteSize() / elementBytes + " elements");
        }
    }

    /** A rows×cols row-major matrix with leading dimension {@code ld} starting at element {@code off}. */
    static void matrix(String name, MemorySegment segment, long off, int rows, int cols, int ld, int elementBytes) {
        Objects.requireNonNull(segment, name);
        if (off < 0) {
            throw new IllegalArgumentException(name + ": negative offset " + off);
        }
        if (ld < cols && rows > 1) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " < " + cols + " columns");
        }
        if (ld < 0) {
            throw new IllegalArgumentException(name + ": negative leading dimension " + ld);
        }
        if (rows > 0 && cols > 0) {
            long end = off + (long) (rows - 1) * ld + cols;
            if (end * elementBytes > segment.byteSize()) {
                throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " matrix (ld " + ld + ", offset "
                        + off + ") exceeds a segment of " + segment.byteSize() / elementBytes + " elements");
            }
        }
    }

    /** Byte span [start, end) of a matrix view, used for overlap tests. */
    private static long spanBytes(int rows, int cols, int ld, int elementBytes) {
        return rows == 0 || cols == 0 ? 0 : ((long) (rows - 1) * ld + cols) * elementBytes;
    }

    /**
     * Rejects an output whose memory overlaps an input (conservatively, by byte span), because kernels read inputs
     * after writing outputs.
     */
    static void disjoint(String outName, MemorySegment out, long outOff, int outRows, int outCols, int ldOut,
                         String inName, MemorySegment in, long inOff, int inRows, int inCols, int ldIn,
                         int inElementBytes) {
        long outBytes = spanBytes(outRows, outCols, ldOut, F32_BYTES);
        long inBytes = spanBytes(inRows, inCols, ldIn, inElementBytes);
        if (outBytes == 0 || inBytes == 0) {
            return;
        }
        if (overlaps(out, outOff * F32_BYTES, outBytes, in, inOff * inElementBytes, inBytes)) {
            throw new IllegalArgumentException(outName + " overlaps input " + inName + ": outputs must not share memory"
                    + " with inputs");
        }
    }

    /** An element-wise output may be exactly its input, but not partly overlap it. */
    static void sameOrDisjoint(String outName, MemorySegment out, long outOff, String inName, MemorySegment in,
                               long inOff, int n) {
        if (n == 0) {
            return;
        }
        long bytes = (long) n * F32_BYTES;
        if (overlaps(out, outOff * F32_BYTES, bytes, in, inOff * F32_BYTES, bytes)
                && !sameStart(out, outOff, in, inOff)) {
            throw new IllegalArgumentException(outName + " partly overlaps " + inName + ": it must be the same elements"
                    + " or disjoint");
        }
    }

    private static boolean sameStart(MemorySegment a, long aOff, MemorySegment b, long bOff) {
        if (a.isNative() && b.isNative()) {
            return a.address() + aOff * F32_BYTES == b.address() + bOff * F32_BYTES;
        }
        return a == b && aOff == bOff;
    }

    private static boolean overlaps(MemorySegment a, long aStart, long aBytes, MemorySegment b, long bStart,
                                    long bBytes) {
        if (a.isNative() && b.isNative()) {
            long a0 = a.address() + aStart;
            long b0 = b.address() + bStart;
            return a0 < b0 + bBytes && b0 < a0 + aBytes;
        }
        if (a.isNative() != b.isNative()) {
            return false;
        }
        return a.asSlice(aStart, aBytes).asOverlappingSlice(b.asSlice(bStart, bBytes)).isPresent();
    }
}
