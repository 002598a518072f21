package org.sae4j.sae.eval;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

/** Copies rows of a {@link DenseMatrix} view into a float array, so the array-based statistics can read views. */
final class MatrixRows {

    /** Rows a statistics class copies at a time: fixed, so sums do not depend on anything but the data. */
    static final int CHUNK_ROWS = 4096;

    /** Static helpers only. */
    private MatrixRows() {
    }

    /**
     * Copies rows [from, to) of {@code matrix} (not modified; bf16 widened exactly) into {@code destination}
     * (modified) as [to − from, cols] row-major from index 0.
     *
     * @param matrix      the view to read, fp32 or bf16; not modified
     * @param from        first row copied, ≥ 0
     * @param to          end of the range (exclusive), ≤ {@code matrix.rows()}
     * @param destination at least {@code (to − from)·cols} floats; modified
     * @throws IndexOutOfBoundsException if the rows lie outside the view's segment or the array is too short
     */
    static void copy(DenseMatrix matrix, int from, int to, float[] destination) {
        int cols = matrix.cols();
        MemorySegment segment = matrix.segment();
        for (int r = from; r < to; r++) {
            long start = matrix.offset() + (long) r * matrix.rowStride(); // element index of (r, 0)
            int base = (r - from) * cols;
            if (matrix.dtype() == DType.F32) {
                MemorySegment.copy(segment, Layouts.F32, start * Float.BYTES, destination, base, cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    destination[base + c] = Layouts.bf16ToFloat(segment.getAtIndex(Layouts.BF16, start + c));
                }
            }
        }
    }
}
