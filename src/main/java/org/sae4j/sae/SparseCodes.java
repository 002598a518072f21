package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

/**
 * Conversions between dense code rows and CSR {@link SparseCode}s: O(batch·d_sae) epilogues for which no kernel
 * exists, each reading one row into a caller-owned array (array scans beat per-element segment reads; a reused
 * array keeps the workspace path allocation-free).
 */
final class SparseCodes {

    private SparseCodes() {
    }

    /** Removes, in place, the entries whose value is not positive (ReLU after top-k selection). */
    static void dropNonPositive(SparseCode codes) {
        int rows = codes.rows();
        int[] pointers = codes.rowPointers();
        int[] indices = codes.indices();
        float[] values = codes.values();
        int write = 0;
        int read = 0;
        for (int r = 0; r < rows; r++) {
            // pointers[r + 1] still holds the old end: only pointers[0..r] have been rewritten
            int end = pointers[r + 1];
            pointers[r] = write;
            for (; read < end; read++) {
                if (values[read] > 0f) {
                    indices[write] = indices[read];
                    values[write] = values[read];
                    write++;
                }
            }
        }
        pointers[rows] = write;
    }

    /** Number of non-zero values in z [batch, width]; {@code row} (at least width long) is scratch. */
    static int countNonZero(MemorySegment z, int batch, int width, float[] row) {
        long count = 0;
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(z, Layouts.F32, (long) r * width * Float.BYTES, row, 0, width);
            for (int j = 0; j < width; j++) {
                if (row[j] != 0f) {
                    count++;
                }
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " non-zero codes do not fit in a SparseCode; encode a "
                    + "smaller batch");
        }
        return (int) count;
    }

    /**
     * Writes the non-zero values of z [batch, width] into {@code out} (capacity checked by the caller); {@code row}
     * (at least width long) is scratch.
     */
    static void compress(MemorySegment z, int batch, int width, SparseCode out, float[] row) {
        out.resetFixed(batch, 0);
        int[] pointers = out.rowPointers();
        int[] indices = out.indices();
        float[] values = out.values();
        int write = 0;
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(z, Layouts.F32, (long) r * width * Float.BYTES, row, 0, width);
            pointers[r] = write;
            for (int j = 0; j < width; j++) {
                if (row[j] != 0f) {
                    indices[write] = j;
                    values[write] = row[j];
                    write++;
                }
            }
        }
        pointers[batch] = write;
    }

    /**
     * Writes the non-zero values of one dense row (the first {@code width} entries of {@code row}) into
     * {@code indices/values}, indices ascending; returns how many (capacity checked by the caller).
     */
    static int compressRow(float[] row, int width, int[] indices, float[] values) {
        int write = 0;
        for (int j = 0; j < width; j++) {
            if (row[j] != 0f) {
                indices[write] = j;
                values[write] = row[j];
                write++;
            }
        }
        return write;
    }

    /** Writes {@code codes} densely into z [codes.rows(), width], zeros elsewhere. */
    static void scatter(SparseCode codes, MemorySegment z, int width) {
        int batch = codes.rows();
        z.asSlice(0, (long) batch * width * Float.BYTES).fill((byte) 0);
        for (int r = 0; r < batch; r++) {
            for (int t = codes.rowStart(r); t < codes.rowStart(r + 1); t++) {
                z.setAtIndex(Layouts.F32, (long) r * width + codes.indices()[t], codes.values()[t]);
            }
        }
    }
}
