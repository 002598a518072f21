package org.sae4j.kernel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Argument validation for {@link Kernels}: every failure is an {@link IllegalArgumentException} naming the problem. */
final class Checks {

    /** Bytes per fp32 element. */
    static final int F32_BYTES = Float.BYTES;
    /** Bytes per bf16 element. */
    static final int BF16_BYTES = Short.BYTES;

    /** Not instantiable: static checks only. */
    private Checks() {
    }

    /**
     * Checks a size or count.
     *
     * @param name  names the argument in the message
     * @param value the value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /**
     * Checks a scalar that must be a number.
     *
     * @param name  names the argument in the message
     * @param value the value
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    static void finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    /**
     * A vector of {@code n} elements starting at element {@code off} must lie within its segment.
     *
     * @param name         names the operand in the message
     * @param segment      the storage
     * @param off          element offset of the first element, ≥ 0
     * @param n            elements
     * @param elementBytes bytes per element
     * @throws NullPointerException     if {@code segment} is null
     * @throws IllegalArgumentException on a negative offset or an extent beyond the segment
     */
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

    /**
     * A rows×cols row-major matrix with leading dimension {@code ld} starting at element {@code off} must lie within
     * its segment; its last element is at {@code off + (rows − 1)·ld + cols − 1}.
     *
     * @param name         names the operand in the message
     * @param segment      the storage
     * @param off          element offset of element (0, 0), ≥ 0
     * @param rows         rows
     * @param cols         columns
     * @param ld           leading dimension, ≥ cols when rows &gt; 1
     * @param elementBytes bytes per element
     * @throws NullPointerException     if {@code segment} is null
     * @throws IllegalArgumentException on a negative offset or leading dimension, {@code ld < cols}, or an extent
     *                                  beyond the segment
     */
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

    /**
     * Bytes from the first to one past the last element of a matrix view, used for overlap tests.
     *
     * @param rows         rows
     * @param cols         columns
     * @param ld           leading dimension
     * @param elementBytes bytes per element
     * @return the span, 0 for an empty view
     */
    private static long spanBytes(int rows, int cols, int ld, int elementBytes) {
        return rows == 0 || cols == 0 ? 0 : ((long) (rows - 1) * ld + cols) * elementBytes;
    }

    /**
     * Rejects an output whose memory overlaps an input (conservatively, by byte span), because kernels read inputs
     * after writing outputs.
     *
     * @param outName       names the output in the message
     * @param out           the output's storage (fp32)
     * @param outOff        element offset of the output
     * @param outRows       output rows
     * @param outCols       output columns
     * @param ldOut         output leading dimension
     * @param inName        names the input in the message
     * @param in            the input's storage
     * @param inOff         element offset of the input
     * @param inRows        input rows
     * @param inCols        input columns
     * @param ldIn          input leading dimension
     * @param inElementBytes bytes per input element
     * @throws IllegalArgumentException if the spans overlap
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

    /**
     * An element-wise output may be exactly its input, but not partly overlap it.
     *
     * @param outName names the output in the message
     * @param out     the output's storage
     * @param outOff  element offset of the output
     * @param inName  names the input in the message
     * @param in      the input's storage
     * @param inOff   element offset of the input
     * @param n       elements of each
     * @throws IllegalArgumentException on a partial overlap
     */
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

    /**
     * Whether two fp32 vectors start at the same element: same address for native segments, same segment object and
     * offset for heap ones.
     *
     * @param a    first storage
     * @param aOff element offset in {@code a}
     * @param b    second storage
     * @param bOff element offset in {@code b}
     * @return true when they start at the same memory
     */
    private static boolean sameStart(MemorySegment a, long aOff, MemorySegment b, long bOff) {
        if (a.isNative() && b.isNative()) {
            return a.address() + aOff * F32_BYTES == b.address() + bOff * F32_BYTES;
        }
        return a == b && aOff == bOff;
    }

    /**
     * Whether two byte ranges share memory; a native and a heap segment never do.
     *
     * @param a      first storage
     * @param aStart first byte in {@code a}
     * @param aBytes bytes of the first range
     * @param b      second storage
     * @param bStart first byte in {@code b}
     * @param bBytes bytes of the second range
     * @return true when the ranges overlap
     */
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
