package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.SparseCode;

/** {@link CsrCodeFile#rows}: any window of rows of a written file, pointers rebased to the window. */
final class CsrCodeFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackAnyWindowOfRows() throws IOException {
        // rows: {1: 0.5, 3: 2}, {}, {0: -1}, {2: 4, 3: 5, 5: 6}
        SparseCode first = SparseCode.ofCsr(6, new int[] {0, 2, 2}, new int[] {1, 3}, new float[] {0.5f, 2f});
        SparseCode second = SparseCode.ofCsr(6, new int[] {0, 1, 4}, new int[] {0, 2, 3, 5},
                new float[] {-1f, 4f, 5f, 6f});
        CsrCodeWriter writer = new CsrCodeWriter(6);
        writer.append(first);
        writer.append(second);
        Path file = dir.resolve("codes.safetensors");
        writer.write(file);

        CsrCodeFile codes = CsrCodeFile.open(file);
        assertEquals(4, codes.rows());
        assertEquals(6, codes.nnz());
        float[][] dense = {
            {0f, 0.5f, 0f, 2f, 0f, 0f},
            {0f, 0f, 0f, 0f, 0f, 0f},
            {-1f, 0f, 0f, 0f, 0f, 0f},
            {0f, 0f, 4f, 5f, 0f, 6f},
        };
        for (int start = 0; start < 4; start++) {
            for (int count = 0; start + count <= 4; count++) {
                SparseCode window = codes.rows(start, count);
                assertEquals(count, window.rows());
                assertEquals(6, window.cols());
                assertEquals(0, window.rowStart(0), "pointers rebased to the window");
                for (int r = 0; r < count; r++) {
                    assertArrayEquals(dense[start + r], window.denseRow(r), "rows " + start + "+" + r);
                }
            }
        }
        assertThrowsExactly(IllegalArgumentException.class, () -> codes.rows(3, 2));
    }

    @Test
    void shouldRefuseANaNWhenOpeningUnlessThePolicyKeepsIt() throws IOException {
        CsrCodeWriter writer = new CsrCodeWriter(6);
        writer.append(SparseCode.ofCsr(6, new int[] {0, 1, 3}, new int[] {2, 0, 4},
                new float[] {1f, 0.5f, Float.NaN}));
        Path file = dir.resolve("codes.safetensors");
        writer.write(file);

        assertEquals(file + " row 1, column 4: NaN (inputs must be finite)",
                assertThrowsExactly(NonFiniteInputException.class, () -> CsrCodeFile.open(file)).getMessage());
        CsrCodeFile kept = CsrCodeFile.open(file, NonFinitePolicy.SKIP_ROWS);
        assertEquals(2, kept.rows());
        assertEquals(1, NonFiniteScan.firstRow(kept.rows(0, 2)));
    }
}
