package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * {@link NonFiniteScan} finds the first NaN or infinity of a row block, in native segments (through the kernel
 * sum of squares), heap segments and arrays, and names it exactly in {@link NonFiniteInputException}.
 */
final class NonFiniteScanTest {

    /** Rows of 7 floats: odd, so that neither rows nor chunks line up with vector widths. */
    private static final int COLS = 7;

    static Stream<Arguments> badValues() {
        // rows chosen on both sides of the scan's 16,384-float chunks (2,340 rows of 7 per chunk)
        return Stream.of(
                Arguments.of(Float.NaN, 0, 0, "NaN"),
                Arguments.of(Float.POSITIVE_INFINITY, 3, 6, "Infinity"),
                Arguments.of(Float.NEGATIVE_INFINITY, 2339, 1, "-Infinity"),
                Arguments.of(Float.NaN, 2340, 5, "NaN"),
                Arguments.of(Float.POSITIVE_INFINITY, 4999, 3, "Infinity"));
    }

    private static float[] finiteRows(int rows) {
        float[] values = new float[rows * COLS];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 13 - 6) * 0.37f;
        }
        return values;
    }

    private static MemorySegment offHeap(TensorArena arena, float[] values) {
        MemorySegment segment = arena.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }

    @ParameterizedTest(name = "{3} at row {1}, column {2}")
    @MethodSource("badValues")
    void shouldNameTheRowColumnAndValueWhenOneValueIsNotFinite(float bad, int row, int column, String shown) {
        float[] values = finiteRows(5000);
        values[row * COLS + column] = bad;
        String expected = "x.npy row " + (100 + row) + ", column " + column + ": " + shown
                + " (inputs must be finite)";
        try (TensorArena arena = new TensorArena("scan-test")) {
            MemorySegment segment = offHeap(arena, values);
            assertEquals(row, NonFiniteScan.firstRow(segment, 0, 5000, COLS), Kernels.providerName());
            assertEquals(row, NonFiniteScan.firstRow(MemorySegment.ofArray(values), 0, 5000, COLS));
            assertEquals(row, NonFiniteScan.firstRow(values, 0, 5000, COLS));
            NonFiniteInputException fromSegment = assertThrowsExactly(NonFiniteInputException.class,
                    () -> NonFiniteScan.requireFinite(segment, 5000, COLS, "x.npy", 100));
            assertEquals(expected, fromSegment.getMessage());
            assertEquals(100 + row, fromSegment.row());
            assertEquals(column, fromSegment.column());
            assertEquals(Float.floatToRawIntBits(bad), Float.floatToRawIntBits(fromSegment.value()));
            assertEquals("x.npy", fromSegment.source());
            NonFiniteInputException fromArray = assertThrowsExactly(NonFiniteInputException.class,
                    () -> NonFiniteScan.requireFinite(values, 5000, COLS, "x.npy", 100));
            assertEquals(expected, fromArray.getMessage());
        }
    }

    @Test
    void shouldReportTheFirstOfSeveralWhenRowsHoldDifferentNonFiniteValues() {
        float[] values = finiteRows(6);
        values[4 * COLS + 2] = Float.NaN;
        values[2 * COLS + 5] = Float.NEGATIVE_INFINITY;
        values[2 * COLS + 6] = Float.NaN;
        try (TensorArena arena = new TensorArena("scan-test")) {
            MemorySegment segment = offHeap(arena, values);
            assertEquals("input row 2, column 5: -Infinity (inputs must be finite)",
                    assertThrowsExactly(NonFiniteInputException.class,
                            () -> NonFiniteScan.requireFinite(segment, 6, COLS, "input", 0)).getMessage());
            // a block starting after the first bad row finds the next one, counted from the block's start
            assertEquals(1, NonFiniteScan.firstRow(segment, 3 * COLS, 3, COLS));
            assertEquals(2, NonFiniteScan.firstColumn(segment, 4 * COLS, COLS));
        }
    }

    @Test
    void shouldPassFiniteRowsWhenTheirSquaresOverflow() {
        // 1e30² overflows fp32: the kernel's sum is infinite, the scalar look finds nothing, the scan goes on
        float[] values = finiteRows(3000);
        values[10 * COLS + 3] = 1e30f;
        values[2500 * COLS] = -Float.MAX_VALUE;
        try (TensorArena arena = new TensorArena("scan-test")) {
            MemorySegment segment = offHeap(arena, values);
            assertEquals(-1, NonFiniteScan.firstRow(segment, 0, 3000, COLS));
            NonFiniteScan.requireFinite(segment, 3000, COLS, "input", 0);
            values[2999 * COLS + 6] = Float.NaN;
            segment.setAtIndex(Layouts.F32, 2999L * COLS + 6, Float.NaN);
            assertEquals(2999, NonFiniteScan.firstRow(segment, 0, 3000, COLS));
            assertEquals(2999, NonFiniteScan.firstRow(values, 0, 3000, COLS));
        }
    }

    @Test
    void shouldFindNothingWhenEveryValueIsFiniteOrTheBlockIsEmpty() {
        float[] values = finiteRows(40);
        values[5] = Float.MIN_VALUE;
        values[6] = -0f;
        try (TensorArena arena = new TensorArena("scan-test")) {
            assertEquals(-1, NonFiniteScan.firstRow(offHeap(arena, values), 0, 40, COLS));
            assertEquals(-1, NonFiniteScan.firstRow(values, 0, 40, COLS));
            assertEquals(-1, NonFiniteScan.firstRow(values, 0, 0, COLS));
            assertEquals(-1, NonFiniteScan.firstRow(values, 0, 40, 0));
        }
    }

    @Test
    void shouldRejectABlockWhenItDoesNotFit() {
        float[] values = new float[20];
        assertEquals("[3, 7] at index 0 exceeds an array of 20 floats",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> NonFiniteScan.firstRow(values, 0, 3, COLS)).getMessage());
        assertEquals("[3, 7] at element 0 exceeds a segment of 20 floats",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> NonFiniteScan.firstRow(MemorySegment.ofArray(values), 0, 3, COLS)).getMessage());
    }

    @Test
    void shouldNameTheLatentWhenASparseCodeValueIsNotFinite() {
        SparseCode codes = SparseCode.ofCsr(10, new int[] {0, 2, 2, 5},
                new int[] {1, 4, 0, 7, 9}, new float[] {0.5f, 1f, 2f, Float.POSITIVE_INFINITY, Float.NaN});
        assertEquals(2, NonFiniteScan.firstRow(codes));
        assertEquals(3, NonFiniteScan.firstEntry(codes, 2));
        assertEquals(-1, NonFiniteScan.firstEntry(codes, 0));
        assertEquals("z.safetensors row 12, column 7: Infinity (inputs must be finite)",
                assertThrowsExactly(NonFiniteInputException.class,
                        () -> NonFiniteScan.requireFinite(codes, "z.safetensors", 10)).getMessage());
    }

    @Test
    void shouldRefuseToDescribeAFiniteValueWhenBuildingTheException() {
        assertEquals("not a non-finite value at a valid position: row 1, column 2, value 0.5",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> new NonFiniteInputException("input", 1, 2, 0.5f)).getMessage());
    }
}
