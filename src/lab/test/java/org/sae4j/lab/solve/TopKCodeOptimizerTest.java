package org.sae4j.lab.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sae4j.optim.AdamOptions;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * {@link TopKCodeOptimizer}: tie-breaking from the all-zero start, at most k non-zeros per row, a falling
 * reconstruction loss, and argument validation.
 */
final class TopKCodeOptimizerTest {

    private static final int ROWS = 8;
    private static final int N = 12;
    private static final int M = 6;
    private static final int K = 3;
    private static final AdamOptions PAPER_ADAM = AdamOptions.pytorch(TopKCodeOptimizer.PAPER_LEARNING_RATE);

    @Test
    void shouldMoveOnlyTheLowestIndicesWhenAllCodesTieAtZero() {
        Problem p = Problem.find(41L);
        try (TensorArena arena = new TensorArena("topk-test"); TopKCodeOptimizer optimizer = new TopKCodeOptimizer(
                ROWS, N, M, K)) {
            float[] codes = optimizer.run(p.x(arena), p.atoms(arena), PAPER_ADAM, 1).toArray(Layouts.F32);
            int moved = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < N; j++) {
                    float code = codes[r * N + j];
                    // From S = 0 the residual is −X, so ∂L/∂S_rj ∝ −x_r·d_j and Adam's first step is lr·sign(x_r·d_j)
                    // on the selected (lowest) indices only; an entry that went negative drops out of the top-k.
                    if (j < K && p.correlation(r, j) > 0) {
                        assertTrue(Math.abs(code - TopKCodeOptimizer.PAPER_LEARNING_RATE) < 1e-3,
                                "S[" + r + "," + j + "] = " + code + " after one step (seed " + p.seed + ")");
                        moved++;
                    } else {
                        assertEquals(0f, code, "S[" + r + "," + j + "] (seed " + p.seed + ")");
                    }
                }
            }
            assertTrue(moved > 0 && moved < ROWS * K, moved + " codes moved (seed " + p.seed + ")");
        }
    }

    @Test
    void shouldKeepAtMostKNonZerosPerRowWhenOptimising() {
        Problem p = Problem.find(42L);
        try (TensorArena arena = new TensorArena("topk-test"); TopKCodeOptimizer optimizer = new TopKCodeOptimizer(
                ROWS, N, M, K)) {
            float[] codes = optimizer.run(p.x(arena), p.atoms(arena), PAPER_ADAM, 200).toArray(Layouts.F32);
            int total = 0;
            for (int r = 0; r < ROWS; r++) {
                int nonZeros = 0;
                for (int j = 0; j < N; j++) {
                    nonZeros += codes[r * N + j] != 0f ? 1 : 0;
                }
                assertTrue(nonZeros <= K, "row " + r + " has " + nonZeros + " non-zeros (seed " + p.seed + ")");
                total += nonZeros;
            }
            assertTrue(total > 0, "all codes are zero after 200 iterations (seed " + p.seed + ")");
        }
    }

    @Test
    void shouldLowerReconstructionLossWhenRunning200Iterations() {
        Problem p = Problem.find(43L);
        try (TensorArena arena = new TensorArena("topk-test"); TopKCodeOptimizer optimizer = new TopKCodeOptimizer(
                ROWS, N, M, K)) {
            MemorySegment x = p.x(arena);
            MemorySegment atoms = p.atoms(arena);
            float[] start = optimizer.run(x, atoms, PAPER_ADAM, 0).toArray(Layouts.F32);
            for (float code : start) {
                assertEquals(0f, code, "codes before the first iteration");
            }
            double initial = p.loss(start);
            double last = p.loss(optimizer.run(x, atoms, PAPER_ADAM, 200).toArray(Layouts.F32));
            System.out.printf("top-k codes seed %d: MSE %.6f -> %.6f after 200 iterations%n", p.seed, initial, last);
            assertTrue(last < initial, "loss " + initial + " -> " + last + " (seed " + p.seed + ")");
        }
    }

    @Test
    void shouldRejectKOutsideOneToLatents() {
        IllegalArgumentException zero = assertThrowsExactly(IllegalArgumentException.class,
                () -> new TopKCodeOptimizer(ROWS, N, M, 0));
        assertEquals("k must be in [1, 12], got 0", zero.getMessage());
        IllegalArgumentException tooLarge = assertThrowsExactly(IllegalArgumentException.class,
                () -> new TopKCodeOptimizer(ROWS, N, M, N + 1));
        assertEquals("k must be in [1, 12], got 13", tooLarge.getMessage());
    }

    @Test
    void shouldRejectNonPositiveSizesAndNegativeIterations() {
        IllegalArgumentException sizes = assertThrowsExactly(IllegalArgumentException.class,
                () -> new TopKCodeOptimizer(0, N, M, K));
        assertEquals("rows, latents and measurements must be >= 1", sizes.getMessage());
        Problem p = Problem.find(44L);
        try (TensorArena arena = new TensorArena("topk-test"); TopKCodeOptimizer optimizer = new TopKCodeOptimizer(
                ROWS, N, M, K)) {
            IllegalArgumentException iterations = assertThrowsExactly(IllegalArgumentException.class,
                    () -> optimizer.run(p.x(arena), p.atoms(arena), PAPER_ADAM, -1));
            assertEquals("iterations must be >= 0, got -1", iterations.getMessage());
        }
    }

    /** Observations and unit atoms whose correlations all keep a margin from 0 (so every first step is ±lr). */
    private record Problem(long seed, float[] x, float[] atoms) {

        static Problem find(long start) {
            for (long seed = start; ; seed += 1000) {
                SplittableRandom random = new SplittableRandom(seed);
                float[] x = new float[ROWS * M];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                float[] atoms = new float[N * M];
                for (int i = 0; i < N; i++) {
                    double[] row = new double[M];
                    double norm = 0;
                    for (int j = 0; j < M; j++) {
                        row[j] = random.nextGaussian();
                        norm += row[j] * row[j];
                    }
                    for (int j = 0; j < M; j++) {
                        atoms[i * M + j] = (float) (row[j] / Math.sqrt(norm));
                    }
                }
                Problem p = new Problem(seed, x, atoms);
                if (p.hasMargin()) {
                    return p;
                }
            }
        }

        /** |x_r·d_j| ≥ 0.05: Adam's ε (1e-8) is then negligible against the gradient 2/(B·M)·|x_r·d_j|. */
        private boolean hasMargin() {
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < N; j++) {
                    if (Math.abs(correlation(r, j)) < 0.05) {
                        return false;
                    }
                }
            }
            return true;
        }

        double correlation(int r, int j) {
            double sum = 0;
            for (int m = 0; m < M; m++) {
                sum += (double) x[r * M + m] * atoms[j * M + m];
            }
            return sum;
        }

        /** (1/(B·M))·‖codes·D − X‖², in double. */
        double loss(float[] codes) {
            double squares = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int m = 0; m < M; m++) {
                    double value = -x[r * M + m];
                    for (int j = 0; j < N; j++) {
                        value += (double) codes[r * N + j] * atoms[j * M + m];
                    }
                    squares += value * value;
                }
            }
            return squares / (ROWS * M);
        }

        MemorySegment x(TensorArena arena) {
            return copy(arena, x);
        }

        MemorySegment atoms(TensorArena arena) {
            return copy(arena, atoms);
        }

        private static MemorySegment copy(TensorArena arena, float[] values) {
            MemorySegment segment = arena.allocateFloats(values.length);
            MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
            return segment;
        }
    }
}
