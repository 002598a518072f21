package org.sae4j.lab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hungarian against brute force over every injective assignment, square and rectangular, 1×1 to 7×7. */
final class HungarianTest {

    static Stream<Arguments> shapes() {
        return IntStream.rangeClosed(1, 7).boxed()
                .flatMap(rows -> IntStream.rangeClosed(1, 7).mapToObj(cols -> Arguments.of(rows, cols,
                        1000L * rows + cols)));
    }

    @ParameterizedTest(name = "{0}x{1}, seed {2}")
    @MethodSource("shapes")
    void shouldEqualBruteForceWhenMatrixIsRandom(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 4; trial++) {
            double[] matrix = new double[rows * cols];
            for (int i = 0; i < matrix.length; i++) {
                // Trials 2 and 3 use a few small integers so that many assignments tie.
                matrix[i] = trial < 2 ? random.nextDouble(-5.0, 5.0) : random.nextInt(3);
            }
            int[] best = Hungarian.maximise(matrix, rows, cols);
            int[] cheapest = Hungarian.minimise(matrix, rows, cols);
            assertValid(best, rows, cols, seed);
            assertValid(cheapest, rows, cols, seed);
            double[] extremes = bruteForce(matrix, rows, cols);
            String context = rows + "x" + cols + ", trial " + trial + ", seed " + seed;
            assertEquals(extremes[1], Hungarian.total(matrix, rows, cols, best), 1e-9, "maximum, " + context);
            assertEquals(extremes[0], Hungarian.total(matrix, rows, cols, cheapest), 1e-9, "minimum, " + context);
        }
    }

    @Test
    void shouldPickAntiDiagonalWhenItIsHeavier() {
        double[] weights = {0.1, 0.9, 0.8, 0.2};
        assertArrayEquals(new int[] {1, 0}, Hungarian.maximise(weights, 2, 2));
        assertArrayEquals(new int[] {0, 1}, Hungarian.minimise(weights, 2, 2));
        assertEquals(1.7, Hungarian.total(weights, 2, 2, new int[] {1, 0}), 1e-15);
    }

    @Test
    void shouldLeaveRowsUnassignedWhenRowsExceedColumns() {
        double[] weights = {1, 0, 0, 5, 3, 0};   // [3, 2]
        assertArrayEquals(new int[] {-1, 1, 0}, Hungarian.maximise(weights, 3, 2));
    }

    @Test
    void shouldReturnEmptyAssignmentsWhenMatrixIsEmpty() {
        assertArrayEquals(new int[0], Hungarian.maximise(new double[0], 0, 0));
        assertArrayEquals(new int[] {-1, -1}, Hungarian.minimise(new double[0], 2, 0));
        assertArrayEquals(new int[0], Hungarian.minimise(new double[0], 0, 3));
    }

    @Test
    void shouldRejectInvalidInput() {
        assertEquals("non-finite entry NaN at (1, 0)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.maximise(new double[] {1, 2, Double.NaN, 4}, 2, 2)).getMessage());
        assertEquals("non-finite entry Infinity at (0, 1)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.minimise(new double[] {1, Double.POSITIVE_INFINITY}, 1, 2)).getMessage());
        assertEquals("matrix has 3 entries, shape 2x2 needs 4",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.minimise(new double[3], 2, 2)).getMessage());
        assertEquals("negative shape -1x2",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.minimise(new double[0], -1, 2)).getMessage());
        assertEquals("column 0 assigned twice",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.total(new double[4], 2, 2, new int[] {0, 0})).getMessage());
        assertEquals("row 1 assigned to column 7 outside [0, 2)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Hungarian.total(new double[4], 2, 2, new int[] {0, 7})).getMessage());
    }

    private static void assertValid(int[] assignment, int rows, int cols, long seed) {
        assertEquals(rows, assignment.length);
        boolean[] used = new boolean[cols];
        int assigned = 0;
        for (int j : assignment) {
            if (j >= 0) {
                assertTrue(j < cols && !used[j], "column " + j + " invalid or reused, seed " + seed);
                used[j] = true;
                assigned++;
            }
        }
        assertEquals(Math.min(rows, cols), assigned, "assigned pairs, seed " + seed);
    }

    /** {min, max} of Σ matrix[i, σ(i)] over injective maps from the smaller side into the larger one. */
    private static double[] bruteForce(double[] matrix, int rows, int cols) {
        boolean transposed = rows > cols;
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        double[] extremes = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        enumerate(matrix, cols, transposed, small, large, 0, new boolean[large], 0.0, extremes);
        return extremes;
    }

    private static void enumerate(double[] matrix, int cols, boolean transposed, int small, int large, int depth,
                                  boolean[] used, double sum, double[] extremes) {
        if (depth == small) {
            extremes[0] = Math.min(extremes[0], sum);
            extremes[1] = Math.max(extremes[1], sum);
            return;
        }
        for (int j = 0; j < large; j++) {
            if (used[j]) {
                continue;
            }
            used[j] = true;
            double entry = transposed ? matrix[j * cols + depth] : matrix[depth * cols + j];
            enumerate(matrix, cols, transposed, small, large, depth + 1, used, sum + entry, extremes);
            used[j] = false;
        }
    }
}
