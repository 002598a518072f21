package org.sae4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sae4j.solve.FistaOptions.Constraint;
import org.sae4j.solve.FistaOptions.GradientRoute;
import org.sae4j.solve.FistaOptions.Method;
import org.sae4j.solve.FistaOptions.Start;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;

/** Argument validation, route selection and the FLOP formulas of {@link Fista}. */
final class FistaValidationTest {

    @Test
    void shouldRejectInvalidOptionsWhenConstructed() {
        assertMessage("lambda must be finite and >= 0, got -0.5", () -> FistaOptions.of(-0.5f));
        assertMessage("lambda must be finite and >= 0, got NaN", () -> FistaOptions.of(Float.NaN));
        assertMessage("lambda must be finite and >= 0, got Infinity", () -> FistaOptions.of(Float.POSITIVE_INFINITY));
        FistaOptions options = FistaOptions.of(0.1f);
        assertMessage("maxIterations must be >= 1, got 0", () -> options.withMaxIterations(0));
        assertMessage("tolerance must be finite and >= 0, got NaN", () -> options.withTolerance(Double.NaN));
        assertMessage("tolerance must be finite and >= 0, got -1.0E-6", () -> options.withTolerance(-1e-6));
        assertMessage("stepSize must be finite and > 0 (or 0 to estimate it), got -1.0",
                () -> options.withStepSize(-1f));
        assertMessage("powerIterations must be >= 1, got 0", () -> options.withPowerIteration(0, 1L));
        assertMessage("latents and dModel must be >= 1, got 0, 8", () -> FistaOptions.paperEquivalentLambda(0.01f,
                0, 8));
        assertEquals(0.0025f, FistaOptions.paperEquivalentLambda(0.01f, 16, 8), 0f, "paper lambda at N16 M8");
    }

    @Test
    void shouldRejectMismatchedShapesWhenSolving() {
        int batch = 4;
        int latents = 6;
        int dModel = 4;
        DenseMatrix x = zeros(batch, dModel);
        DenseMatrix d = zeros(latents, dModel);
        DenseMatrix z = zeros(batch, latents);
        FistaOptions options = FistaOptions.of(0.1f).withMaxIterations(10);
        try (FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel)) {
            assertMessage("x has 5 columns, the dictionary has dModel 4",
                    () -> Fista.solve(zeros(batch, 5), d, z, options, workspace, null));
            assertMessage("d is 6x5, the workspace expects 6x4 (latents x dModel)",
                    () -> Fista.solve(x, zeros(latents, 5), z, options, workspace, null));
            assertMessage("d is 7x4, the workspace expects 6x4 (latents x dModel)",
                    () -> Fista.solve(x, zeros(7, dModel), z, options, workspace, null));
            assertMessage("z is 4x5, must be 4x6 (rows of x x latents)",
                    () -> Fista.solve(x, d, zeros(batch, 5), options, workspace, null));
            assertMessage("z is 3x6, must be 4x6 (rows of x x latents)",
                    () -> Fista.solve(x, d, zeros(3, latents), options, workspace, null));
            assertMessage("x has 5 rows, must be in [1, 4] (workspace capacity)",
                    () -> Fista.solve(zeros(5, dModel), d, zeros(5, latents), options, workspace, null));
            assertMessage("x has 0 rows, must be in [1, 4] (workspace capacity)",
                    () -> Fista.solve(zeros(0, dModel), d, zeros(0, latents), options, workspace, null));
            assertMessage("trace has 10 entries, needs maxIterations + 1 = 11",
                    () -> Fista.solve(x, d, z, options, workspace, new double[10]));
            DenseMatrix bf16 = new DenseMatrix(MemorySegment.ofArray(new short[latents * dModel]), DType.BF16, 0,
                    latents, dModel, dModel);
            assertMessage("d must be F32, got BF16", () -> Fista.solve(x, bf16, z, options, workspace, null));
            assertMessage("power iterations must be >= 1, got 0", () -> Fista.lipschitzBound(d, workspace, 0, 1L));
        }
        try (FistaWorkspace wide = new FistaWorkspace(batch, 8, dModel)) {
            assertMessage("the GRAM route needs latents < 2 x dModel (it is never cheaper otherwise), got latents 8,"
                    + " dModel 4", () -> Fista.solve(x, zeros(8, dModel), zeros(batch, 8),
                    options.withRoute(GradientRoute.GRAM), wide, null));
        }
        assertMessage("batch, latents and dModel must be >= 1, got 0, 6, 4", () -> new FistaWorkspace(0, 6, 4));
        assertMessage("route must be RESIDUAL or GRAM; resolve AUTO with resolveRoute",
                () -> Fista.iterationFlops(options, GradientRoute.AUTO, 1, 6, 4));
    }

    @Test
    void shouldCountFlopsByTheDocumentedFormulasWhenShapeIsPaperSized() {
        FistaOptions options = FistaOptions.of(0.0025f);
        // N16 M8 B1024, FISTA, Z ≥ 0, residual route: 4BNM + 3BN + 4BM + 2BN + 3BN + 3BM = 696 per sample
        // (the paper's ITO iteration counts 704, paper-spec §9.2).
        assertEquals(696L * 1024, Fista.iterationFlops(options, GradientRoute.RESIDUAL, 1024, 16, 8));
        // ISTA drops the momentum: 4BNM + 3BN + 4BM + 2BN = 624 per sample.
        assertEquals(624L * 1024, Fista.iterationFlops(options.withMethod(Method.ISTA), GradientRoute.RESIDUAL,
                1024, 16, 8));
        // Signed codes pay 3BN more for the L1 norm.
        assertEquals(744L * 1024, Fista.iterationFlops(options.withConstraint(Constraint.SIGNED),
                GradientRoute.RESIDUAL, 1024, 16, 8));
        // Gram route, N12 M8 B10: 2BN² + 9BN + 2BN + 6BN = 2·10·144 + 17·120.
        assertEquals(2L * 10 * 144 + 17 * 120, Fista.iterationFlops(options, GradientRoute.GRAM, 10, 12, 8));
        // Set-up, residual, estimated step with 100 power iterations:
        // 2BNM + 4BM + 2BN + 2NM + 3M + 100·(4NM + 2N + 5M).
        long b = 1024;
        long expected = 2 * b * 16 * 8 + 4 * b * 8 + 2 * b * 16 + 2 * 16 * 8 + 3 * 8 + 100 * (4 * 16 * 8 + 2 * 16
                + 5 * 8);
        assertEquals(expected, Fista.setupFlops(options, GradientRoute.RESIDUAL, 1024, 16, 8));
        // Given step and warm start under Z ≥ 0: no power iteration, BN for the projection.
        assertEquals(2 * b * 16 * 8 + 4 * b * 8 + 2 * b * 16 + b * 16, Fista.setupFlops(
                options.withStepSize(0.2f).withStart(Start.WARM), GradientRoute.RESIDUAL, 1024, 16, 8));
        // Gram set-up: 2N²M + 2BNM + 2BN² + 2BM + 6BN + 2BN with a given step.
        assertEquals(2L * 144 * 8 + 2 * 10 * 12 * 8 + 2 * 10 * 144 + 2 * 10 * 8 + 8 * 10 * 12,
                Fista.setupFlops(options.withStepSize(0.2f), GradientRoute.GRAM, 10, 12, 8));
    }

    @Test
    void shouldReportTotalFlopsAsSetupPlusIterationsWhenSolvedSeed61() {
        SplittableRandom random = new SplittableRandom(61);
        int batch = 5;
        int latents = 12;
        int dModel = 8;
        float[] d = FistaReference.unitRows(random, latents, dModel);
        float[] x = FistaReference.gaussian(random, batch, dModel);
        FistaOptions options = FistaOptions.of(0.05f).withMaxIterations(37).withTolerance(0);
        try (FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel)) {
            FistaResult result = Fista.solve(FistaReference.matrix(x, batch, dModel),
                    FistaReference.matrix(d, latents, dModel), zeros(batch, latents), options, workspace, null);
            GradientRoute route = Fista.resolveRoute(options, batch, latents, dModel);
            assertEquals(route, result.route(), "route");
            assertEquals(37, result.iterations(), "iterations");
            assertEquals(Fista.setupFlops(options, route, batch, latents, dModel)
                    + 37 * Fista.iterationFlops(options, route, batch, latents, dModel), result.totalFlops());
        }
    }

    @Test
    void shouldPickCheaperRouteWhenAutoResolves() {
        FistaOptions options = FistaOptions.of(0.01f);
        // N ≥ 2M: the Gram product B·N·N is at least the two B·N·M products.
        assertEquals(GradientRoute.RESIDUAL, Fista.resolveRoute(options, 1024, 16, 8));
        assertEquals(GradientRoute.RESIDUAL, Fista.resolveRoute(options, 4096, 16384, 768));
        // N ≪ M: the Gram route's 2BN² per iteration beats 4BNM by far.
        assertEquals(GradientRoute.GRAM, Fista.resolveRoute(options, 1024, 64, 256));
        // Tiny shapes: the element-wise work decides (N6 M4 B3: 522 vs 516 per iteration).
        assertEquals(GradientRoute.RESIDUAL, Fista.resolveRoute(options, 3, 6, 4));
        assertEquals(GradientRoute.GRAM, Fista.resolveRoute(options.withRoute(GradientRoute.GRAM), 3, 6, 4));
        assertEquals(GradientRoute.RESIDUAL, Fista.resolveRoute(options.withRoute(GradientRoute.RESIDUAL), 1024,
                64, 256));
    }

    private static DenseMatrix zeros(int rows, int cols) {
        return FistaReference.matrix(new float[rows * cols], rows, cols);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException error = assertThrowsExactly(IllegalArgumentException.class, call);
        assertEquals(expected, error.getMessage());
    }
}
