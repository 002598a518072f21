package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

/**
 * Conversions between dense code rows and CSR {@link SparseCode}s. Counting and compaction run one row at a time
 * through the compaction kernels, which read the segment directly and skip all-zero vectors; the rest are
 * O(nnz) passes over the sparse side. {@link #fromDense} is public for callers that infer dense codes themselves
 * (solvers on an SAE's decoder).
 */
public final class SparseCodes {

    /** Not instantiable: static conversions only. */
    private SparseCodes() {
    }

    /**
     * Removes, in place, the entries whose value is not positive (ReLU after top-k selection), keeping each row's
     * order.
     *
     * @param codes the codes; modified
     */
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

    /**
     * Number of non-zero values ({@code != 0f}) in z [batch, width]; NaN counts as non-zero, −0 does not.
     *
     * @param z     [batch, width] fp32 dense codes, row-major; not modified
     * @param batch rows, ≥ 0
     * @param width latents per row, ≥ 0
     * @return the count, at most {@code Integer.MAX_VALUE - 8}
     * @throws IllegalArgumentException if the count does not fit in a {@link SparseCode}
     */
    public static int countNonZero(MemorySegment z, int batch, int width) {
        long count = 0;
        for (int r = 0; r < batch; r++) {
            count += Kernels.countNonZero(width, z, (long) r * width);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " non-zero codes do not fit in a SparseCode; encode a "
                    + "smaller batch");
        }
        return (int) count;
    }

    /**
     * The non-zero values ({@code != 0f}) of dense codes z [rows, width] (fp32, native) as a new, exactly sized CSR
     * code, indices ascending per row; two passes (count, then compact) through the compaction kernels.
     *
     * @param z     [rows, width] fp32 dense codes; not modified
     * @param rows  rows, ≥ 0
     * @param width latents per row
     * @return a new code of {@code rows} rows over {@code width} latents
     * @throws IllegalArgumentException if z is too small or holds more non-zero values than a SparseCode can
     */
    public static SparseCode fromDense(MemorySegment z, int rows, int width) {
        SaeArguments.checkSegment("z", z, rows, width);
        SparseCode out = SparseCode.withCapacity(rows, width, countNonZero(z, rows, width));
        compress(z, rows, width, out);
        return out;
    }

    /**
     * The non-zero values of dense codes z [rows, width] in {@code buffer} when it has the room, else in a new buffer
     * of the same maximum rows holding {@code max(nnz, 1.5·buffer.maxNnz())} entries: the allocation-free form of
     * {@link #fromDense(MemorySegment, int, int)} for streams.
     *
     * @param z      [rows, width] fp32 dense codes; not modified
     * @param rows   rows, ≥ 0
     * @param width  latents per row; must equal {@code buffer.cols()}
     * @param buffer [at least rows, width] codes to reuse; modified
     * @return the buffer written: {@code buffer} or its grown replacement
     * @throws IllegalArgumentException if z is too small, or buffer has another width or too few rows
     */
    public static SparseCode fromDense(MemorySegment z, int rows, int width, SparseCode buffer) {
        SaeArguments.checkSegment("z", z, rows, width);
        if (buffer.cols() != width || buffer.maxRows() < rows) {
            throw new IllegalArgumentException("buffer holds " + buffer.maxRows() + " rows of " + buffer.cols()
                    + " latents; the codes are " + rows + " rows of " + width);
        }
        SparseCode out = withRoomFor(buffer, countNonZero(z, rows, width));
        compress(z, rows, width, out);
        return out;
    }

    /**
     * {@code buffer} when it holds {@code nnz} entries, else a new buffer of as many rows and latents, grown by half
     * again (or to {@code nnz} when that is more), so that a stream of batches reallocates only a few times.
     *
     * @param buffer the codes buffer in use; not modified
     * @param nnz    entries the next call needs
     * @return a buffer of at least {@code nnz} entries (capped below {@code Integer.MAX_VALUE})
     */
    static SparseCode withRoomFor(SparseCode buffer, int nnz) {
        if (nnz <= buffer.maxNnz()) {
            return buffer;
        }
        long grown = Math.max(nnz, buffer.maxNnz() + (long) buffer.maxNnz() / 2);
        return SparseCode.withCapacity(buffer.maxRows(), buffer.cols(), (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }

    /**
     * Writes the non-zero values of z [batch, width] into {@code out}, indices ascending per row (capacity checked by
     * the caller).
     *
     * @param z     [batch, width] fp32 dense codes; not modified
     * @param batch rows, at most {@code out.maxRows()}
     * @param width latents per row, {@code out.cols()}
     * @param out   reset to {@code batch} rows and filled; modified
     */
    static void compress(MemorySegment z, int batch, int width, SparseCode out) {
        out.resetFixed(batch, 0);
        int[] pointers = out.rowPointers();
        int[] indices = out.indices();
        float[] values = out.values();
        int capacity = out.maxNnz();
        int write = 0;
        for (int r = 0; r < batch; r++) {
            pointers[r] = write;
            write += Kernels.compactNonZero(width, z, (long) r * width, 0, indices, values, write, capacity - write);
        }
        pointers[batch] = write;
    }

    /**
     * Writes the non-zero values of the dense row z[0:width] into {@code indices/values}, indices ascending (capacity
     * checked by the caller).
     *
     * @param z       one dense row; not modified
     * @param width   latents
     * @param indices modified: the latent ids
     * @param values  modified: their codes
     * @return how many were written
     */
    static int compressRow(MemorySegment z, int width, int[] indices, float[] values) {
        return Kernels.compactNonZero(width, z, 0, 0, indices, values, 0, Math.min(indices.length, values.length));
    }

    /**
     * Writes {@code codes} densely into z [codes.rows(), width], zeros elsewhere.
     *
     * @param codes the codes; not modified
     * @param z     [codes.rows(), width]; modified
     * @param width latents per row
     */
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
