package org.sae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import org.junit.jupiter.api.Test;

/** {@link SparseCode#ofCsr}: exact copies of valid CSR arrays, and a named refusal for each kind of bad array. */
final class SparseCodeCsrTest {

    @Test
    void shouldHoldTheGivenRowsIncludingEmptyOnes() {
        int[] pointers = {0, 2, 2, 3};
        int[] indices = {1, 4, 0, 99};  // a trailing entry beyond the pointers is ignored
        float[] values = {0.5f, 2f, -1f, 7f};
        SparseCode code = SparseCode.ofCsr(5, pointers, indices, values);
        assertEquals(3, code.rows());
        assertEquals(5, code.cols());
        assertEquals(3, code.nnz());
        assertEquals(3, code.maxNnz(), "sized exactly");
        assertArrayEquals(new float[] {0f, 0.5f, 0f, 0f, 2f}, code.denseRow(0));
        assertArrayEquals(new int[0], code.rowIndices(1));
        assertArrayEquals(new float[] {-1f, 0f, 0f, 0f, 0f}, code.denseRow(2));
        indices[0] = 3;
        assertArrayEquals(new int[] {1, 4}, code.rowIndices(0), "the arrays were copied");
        assertEquals(0, SparseCode.ofCsr(5, new int[] {0}, new int[0], new float[0]).rows(), "no rows");
    }

    @Test
    void shouldRefuseMalformedArraysWithTheReason() {
        assertEquals("rowPointers must start with 0 (one more entry than rows)", refusal(4, new int[] {1, 2},
                new int[] {0, 1}, new float[2]));
        assertEquals("rowPointers must start with 0 (one more entry than rows)", refusal(4, new int[0], new int[0],
                new float[0]));
        assertEquals("rowPointers decrease at row 1: 2 then 1", refusal(4, new int[] {0, 2, 1}, new int[] {0, 1},
                new float[2]));
        assertEquals("rowPointers claim 3 entries, indices hold 2 and values 3", refusal(4, new int[] {0, 3},
                new int[] {0, 1}, new float[3]));
        assertEquals("index 4 at entry 1 (row 0) outside [0, 4)", refusal(4, new int[] {0, 2}, new int[] {0, 4},
                new float[2]));
        assertEquals("index -1 at entry 0 (row 0) outside [0, 4)", refusal(4, new int[] {0, 1}, new int[] {-1},
                new float[1]));
        assertEquals("row 1 indices do not ascend: 2 then 2 at entry 2", refusal(4, new int[] {0, 1, 3},
                new int[] {3, 2, 2}, new float[3]));
        assertEquals("negative cols -1", refusal(-1, new int[] {0}, new int[0], new float[0]));
    }

    private static String refusal(int cols, int[] pointers, int[] indices, float[] values) {
        return assertThrowsExactly(IllegalArgumentException.class,
                () -> SparseCode.ofCsr(cols, pointers, indices, values)).getMessage();
    }
}
