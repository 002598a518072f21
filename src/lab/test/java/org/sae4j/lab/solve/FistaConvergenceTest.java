package org.sae4j.lab.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.metrics.Mcc;
import org.sae4j.solve.Fista;
import org.sae4j.solve.FistaOptions.Constraint;
import org.sae4j.solve.FistaOptions.GradientRoute;
import org.sae4j.solve.FistaOptions.Method;
import org.sae4j.solve.FistaOptions.Start;
import org.sae4j.solve.FistaOptions;
import org.sae4j.solve.FistaReference;
import org.sae4j.solve.FistaResult;
import org.sae4j.solve.FistaWorkspace;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;
import org.sae4j.testing.SteadyState;

/**
 * Convergence behaviour of {@link Fista}: ISTA's monotone objective, FISTA's speed-up and code recovery on the
 * paper's synthetic data with the true dictionary (paper-spec §3, §11.2), warm starts, thread-count determinism and
 * allocation-free iterations.
 */
final class FistaConvergenceTest {

    private static final long PAPER_SEED = 20240625L;
    private static final int PAPER_BATCH = SyntheticConfig.PAPER_SAMPLES_PER_SPLIT;
    private static final int PAPER_LATENTS = SyntheticConfig.PAPER_LATENTS;
    private static final int PAPER_DMODEL = SyntheticConfig.PAPER_MEASUREMENTS;
    /** The paper's λ = 0.01 on its mean-based loss, converted to this objective (0.0025). */
    private static final float PAPER_LAMBDA = FistaOptions.paperEquivalentLambda(0.01f, PAPER_LATENTS,
            PAPER_DMODEL);

    @ParameterizedTest(name = "seed {0}, B {1}, N {2}, M {3}, {4}")
    @CsvSource({
        "31, 16, 12, 8, NON_NEGATIVE", "32, 16, 12, 8, SIGNED", "33, 16, 24, 8, NON_NEGATIVE",
        "34, 16, 24, 8, SIGNED", "35, 9, 40, 16, NON_NEGATIVE"})
    void shouldNeverIncreaseObjectiveWhenRunningIstaSeed(long seed, int batch, int latents, int dModel,
                                                         Constraint constraint) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] d = FistaReference.unitRows(random, latents, dModel);
        float[] x = FistaReference.gaussian(random, batch, dModel);
        FistaReference reference = new FistaReference(x, d, batch, latents, dModel);
        float lambda = 0.05f;
        int budget = 40;
        FistaOptions options = FistaOptions.of(lambda).withMethod(Method.ISTA).withConstraint(constraint)
                .withTolerance(0);
        double[] trace = new double[budget + 1];
        double[][] iterates = new double[budget + 1][];
        iterates[0] = new double[batch * latents];
        float step;
        try (FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel)) {
            float[] z = new float[batch * latents];
            FistaResult full = Fista.solve(FistaReference.matrix(x, batch, dModel),
                    FistaReference.matrix(d, latents, dModel), FistaReference.matrix(z, batch, latents),
                    options.withMaxIterations(budget), workspace, trace);
            step = full.stepSize();
            // Solves are deterministic, so a budget of k reproduces the k-th iterate of the full run.
            for (int k = 1; k <= budget; k++) {
                float[] prefix = new float[batch * latents];
                Fista.solve(FistaReference.matrix(x, batch, dModel), FistaReference.matrix(d, latents, dModel),
                        FistaReference.matrix(prefix, batch, latents), options.withMaxIterations(k), workspace, null);
                iterates[k] = FistaReference.widen(prefix);
            }
        }
        double lipschitz = 1 / (double) step;
        double decrease = 0;
        for (int k = 1; k <= budget; k++) {
            double[] previous = iterates[k - 1];
            double[] current = iterates[k];
            // Z̃_k = T(Z̃_{k−1}) + δ with T the exact ISTA map, which never increases f; the rounding δ can raise f
            // by at most Σ(|∇h| + λ)·|δ| + L·‖δ‖² (h the smooth part, L ≤ 1/s).
            double[] gPrevious = reference.gradient(previous);
            double[] gCurrent = reference.gradient(current);
            double[] delta = reference.localError(previous, previous, previous, gPrevious, step, lambda);
            double roundingRise = 0;
            double deltaSquared = 0;
            for (int i = 0; i < delta.length; i++) {
                roundingRise += (Math.abs(gPrevious[i]) + Math.abs(gCurrent[i]) + lambda) * delta[i];
                deltaSquared += delta[i] * delta[i];
            }
            roundingRise += lipschitz * deltaSquared;
            double exactPrevious = reference.objective(previous, lambda);
            double exactCurrent = reference.objective(current, lambda);
            assertTrue(exactCurrent <= exactPrevious + roundingRise, "f(Z_" + k + ") = " + exactCurrent
                    + " > f(Z_" + (k - 1) + ") = " + exactPrevious + " + " + roundingRise + ", seed " + seed);
            double evaluation = reference.objectiveErrorBound(current, lambda);
            assertEquals(exactCurrent, trace[k], evaluation, "reported objective at iteration " + k + ", seed "
                    + seed);
            assertTrue(trace[k] <= trace[k - 1] + roundingRise + evaluation
                    + reference.objectiveErrorBound(previous, lambda), "trace rises at iteration " + k + ": "
                    + trace[k - 1] + " -> " + trace[k] + ", seed " + seed);
            decrease += exactPrevious - exactCurrent;
        }
        assertTrue(decrease > 0.1 * trace[0], "ISTA should make real progress, decrease " + decrease + " of "
                + trace[0] + ", seed " + seed);
    }

    @Test
    void shouldReachIstaObjectiveInFewerIterationsWhenAcceleratedOnPaperDataSeed20240625() {
        int budget = 300;
        try (PaperProblem paper = new PaperProblem(); FistaWorkspace workspace = paper.workspace()) {
            double[] ista = new double[budget + 1];
            double[] fista = new double[budget + 1];
            FistaOptions options = FistaOptions.of(PAPER_LAMBDA).withMaxIterations(budget).withTolerance(0);
            paper.solve(options.withMethod(Method.ISTA), workspace, ista);
            paper.solve(options.withMethod(Method.FISTA), workspace, fista);
            double target = ista[budget];
            int reached = -1;
            for (int k = 0; k <= budget; k++) {
                if (fista[k] <= target) {
                    reached = k;
                    break;
                }
            }
            System.out.printf("paper data seed %d, lambda %s: ISTA objective %.6g after %d iterations, FISTA reaches"
                    + " it after %d (FISTA at %d: %.6g)%n", PAPER_SEED, PAPER_LAMBDA, target, budget, reached,
                    budget, fista[budget]);
            assertTrue(reached > 0 && reached < budget, "FISTA reaches ISTA's " + budget + "-iteration objective "
                    + target + " after " + reached + " iterations");
        }
    }

    @Test
    void shouldRecoverTrueCodesWhenSolvingWithTrueDictionarySeed20240625() {
        try (PaperProblem paper = new PaperProblem(); FistaWorkspace workspace = paper.workspace()) {
            FistaOptions options = FistaOptions.of(PAPER_LAMBDA).withMaxIterations(5000).withTolerance(1e-6);
            FistaResult result = paper.solve(options, workspace, null);
            double mcc = Mcc.hungarian(paper.truth, paper.codesMatrix());
            System.out.printf("paper data seed %d, true D, lambda %s: FISTA %d iterations, converged %s, objective "
                    + "%.6g, MCC %.4f, %,d FLOPs%n", PAPER_SEED, PAPER_LAMBDA, result.iterations(),
                    result.converged(), result.objective(), mcc, result.totalFlops());
            assertTrue(result.converged(), "converged within the budget");
            // FISTA solves the same convex problem that the paper's ITO approaches by Adam on log-codes (§6.2), so
            // it should do at least as well as ITO's best reported MCC (0.967 at 19.9k iterations, §11.2).
            assertTrue(mcc >= 0.967, "MCC " + mcc + " below the paper's ITO value 0.967");
            for (float v : paper.codes) {
                assertTrue(v >= 0f, "negative code " + v);
            }
        }
    }

    @Test
    void shouldConvergeWithinFewIterationsWhenWarmStartedFromTrueCodesSeed20240625() {
        try (PaperProblem paper = new PaperProblem(); FistaWorkspace workspace = paper.workspace()) {
            // X = S·D exactly, so with a vanishing λ the true codes are optimal up to O(λ): the first step barely
            // moves them. Zero start must instead travel the whole way.
            float lambda = 1e-5f;
            FistaOptions options = FistaOptions.of(lambda).withMaxIterations(300).withTolerance(1e-5);
            FistaResult cold = paper.solve(options, workspace, null);
            System.arraycopy(paper.trueCodes, 0, paper.codes, 0, paper.codes.length);
            FistaResult warm = paper.solve(options.withStart(Start.WARM), workspace, null);
            // At the paper's λ the optimum is shifted from S by the shrinkage, yet the warm start still saves most
            // of the work.
            FistaOptions paperOptions = FistaOptions.of(PAPER_LAMBDA).withMaxIterations(3000).withTolerance(1e-4);
            FistaResult paperCold = paper.solve(paperOptions, workspace, null);
            System.arraycopy(paper.trueCodes, 0, paper.codes, 0, paper.codes.length);
            FistaResult paperWarm = paper.solve(paperOptions.withStart(Start.WARM), workspace, null);
            System.out.printf("warm start from S, lambda %s: %d iterations (zero start %d); lambda %s: %d (zero start"
                    + " %d)%n", lambda, warm.iterations(), cold.iterations(), PAPER_LAMBDA, paperWarm.iterations(),
                    paperCold.iterations());
            assertTrue(warm.converged() && warm.iterations() <= 3, "warm start took " + warm.iterations());
            assertTrue(cold.iterations() >= 100, "zero start took only " + cold.iterations()
                    + " (about 2,100 iterations without a budget)");
            assertTrue(paperWarm.converged() && paperWarm.iterations() * 10 <= paperCold.iterations(),
                    "warm " + paperWarm.iterations() + " vs cold " + paperCold.iterations() + " at the paper's lambda");
        }
    }

    @ParameterizedTest(name = "seed {0}, B {1}, N {2}, M {3}, {4}, {5}")
    @CsvSource({"41, 384, 256, 64, RESIDUAL, SIGNED", "42, 384, 96, 64, GRAM, NON_NEGATIVE"})
    void shouldGiveBitIdenticalResultsWhenRunWithOneOrTwoThreadsSeed(long seed, int batch, int latents, int dModel,
                                                                    GradientRoute route, Constraint constraint) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] d = FistaReference.unitRows(random, latents, dModel);
        float[] x = FistaReference.gaussian(random, batch, dModel);
        int budget = 25;
        FistaOptions options = FistaOptions.of(0.05f).withRoute(route).withConstraint(constraint)
                .withMaxIterations(budget).withTolerance(0);
        float[][] codes = new float[2][batch * latents];
        double[][] traces = new double[2][budget + 1];
        try (TensorArena arena = new TensorArena("fista-threads");
             FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel);
             KernelContext one = KernelContext.create("one", 1);
             KernelContext two = KernelContext.create("two", 2)) {
            // Off-heap operands, so that the kernels really split the work over both threads.
            DenseMatrix xMatrix = copy(arena, x, batch, dModel);
            DenseMatrix dMatrix = copy(arena, d, latents, dModel);
            DenseMatrix zMatrix = arena.allocateMatrix(DType.F32, batch, latents);
            for (int run = 0; run < 2; run++) {
                double[] trace = traces[run];
                FistaResult result = (run == 0 ? one : two).call(() -> Fista.solve(xMatrix, dMatrix, zMatrix,
                        options, workspace, trace));
                assertEquals(route, result.route(), "route");
                MemorySegment.copy(zMatrix.segment(), Layouts.F32, 0, codes[run], 0,
                        batch * latents);
            }
        }
        for (int i = 0; i < codes[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(codes[0][i]), Float.floatToRawIntBits(codes[1][i]),
                    "code " + i + " differs between 1 and 2 threads, seed " + seed);
        }
        for (int k = 0; k <= budget; k++) {
            assertEquals(Double.doubleToRawLongBits(traces[0][k]), Double.doubleToRawLongBits(traces[1][k]),
                    "objective at iteration " + k + " differs between 1 and 2 threads, seed " + seed);
        }
    }

    @Tag("steady-state")
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"RESIDUAL, SIGNED", "GRAM, NON_NEGATIVE"})
    void shouldAllocateNothingPerIterationWhenSolvingSeed51(GradientRoute route, Constraint constraint) {
        SplittableRandom random = new SplittableRandom(51);
        int batch = 64;
        int latents = 12;
        int dModel = 8;
        float[] d = FistaReference.unitRows(random, latents, dModel);
        float[] x = FistaReference.gaussian(random, batch, dModel);
        float[] z = new float[batch * latents];
        FistaOptions options = FistaOptions.of(0.05f).withRoute(route).withConstraint(constraint).withTolerance(0);
        try (FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel)) {
            DenseMatrix xMatrix = FistaReference.matrix(x, batch, dModel);
            DenseMatrix dMatrix = FistaReference.matrix(d, latents, dModel);
            DenseMatrix zMatrix = FistaReference.matrix(z, batch, latents);
            long[] bytes = new long[2];
            int[] budgets = {20, 420};
            // the extra iterations' allocation, measured again until the SIMD kernels run compiled (SteadyState)
            long extra = SteadyState.onceWarm(() -> {
                for (int i = 0; i < 2; i++) {
                    FistaOptions budget = options.withMaxIterations(budgets[i]);
                    bytes[i] = SteadyState.allocatedBytes(() -> Fista.solve(xMatrix, dMatrix, zMatrix, budget,
                            workspace, null));
                }
                return bytes[1] - bytes[0];
            });
            assertTrue(extra <= 0, "solve allocates " + (double) extra / (budgets[1] - budgets[0]) + " bytes per "
                    + "iteration (" + bytes[0] + " bytes for " + budgets[0] + " iterations, " + bytes[1] + " for "
                    + budgets[1] + "; " + Kernels.describe() + ")");
        }
    }

    private static DenseMatrix copy(TensorArena arena, float[] values, int rows, int cols) {
        DenseMatrix matrix = arena.allocateMatrix(DType.F32, rows, cols);
        MemorySegment.copy(values, 0, matrix.segment(), Layouts.F32, 0, values.length);
        return matrix;
    }

    /** The paper's synthetic test split with its true dictionary (seed 20240625, N 16, M 8, K 3, B 1024). */
    private static final class PaperProblem implements AutoCloseable {

        final TensorArena arena = new TensorArena("fista-paper");
        final DenseMatrix x;
        final DenseMatrix d;
        final DenseMatrix truth;
        final float[] trueCodes;
        final float[] codes = new float[PAPER_BATCH * PAPER_LATENTS];

        PaperProblem() {
            SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(PAPER_SEED));
            x = data.matrix(arena, SyntheticData.Part.TEST_OBSERVATIONS);
            d = data.matrix(arena, SyntheticData.Part.DICTIONARY);
            truth = data.matrix(arena, SyntheticData.Part.TEST_CODES);
            trueCodes = data.testCodes();
        }

        FistaWorkspace workspace() {
            return new FistaWorkspace(PAPER_BATCH, PAPER_LATENTS, PAPER_DMODEL);
        }

        DenseMatrix codesMatrix() {
            return FistaReference.matrix(codes, PAPER_BATCH, PAPER_LATENTS);
        }

        FistaResult solve(FistaOptions options, FistaWorkspace workspace, double[] trace) {
            return Fista.solve(x, d, codesMatrix(), options, workspace, trace);
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
