package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.tensor.Layouts;

/** Out-of-place fp32 matrix transposes for weights stored in the other orientation. */
final class Transpose {

    /** Square tiles keep both the read and the write side of the transpose within cache. */
    private static final int TILE = 64;

    /** Not instantiable: one static transpose. */
    private Transpose() {
    }

    /**
     * Writes {@code src} [rows, cols] transposed into {@code dst} [cols, rows]; any alignment. Each tile moves through
     * arrays: bulk row copies in and out, and a plain array transpose between.
     *
     * @param src  [rows, cols] fp32; not modified
     * @param rows rows of {@code src}
     * @param cols columns of {@code src}
     * @param dst  [cols, rows] fp32; modified
     */
    static void copy(MemorySegment src, long rows, long cols, MemorySegment dst) {
        float[] in = new float[TILE * TILE];
        float[] out = new float[TILE * TILE];
        for (long r0 = 0; r0 < rows; r0 += TILE) {
            int tileRows = (int) Math.min(TILE, rows - r0);
            for (long c0 = 0; c0 < cols; c0 += TILE) {
                int tileCols = (int) Math.min(TILE, cols - c0);
                for (int r = 0; r < tileRows; r++) {
                    MemorySegment.copy(src, Layouts.F32, ((r0 + r) * cols + c0) * Float.BYTES, in, r * tileCols,
                            tileCols);
                }
                for (int r = 0; r < tileRows; r++) {
                    for (int c = 0; c < tileCols; c++) {
                        out[c * tileRows + r] = in[r * tileCols + c];
                    }
                }
                for (int c = 0; c < tileCols; c++) {
                    MemorySegment.copy(out, c * tileRows, dst, Layouts.F32, ((c0 + c) * rows + r0) * Float.BYTES,
                            tileRows);
                }
            }
        }
    }
}
