package org.sae4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.solve.FistaOptions.Constraint;
import org.sae4j.solve.FistaOptions.GradientRoute;
import org.sae4j.solve.FistaOptions.Method;
import org.sae4j.tensor.DenseMatrix;

/**
 * fp32 {@link Fista} against the double-precision {@link FistaReference} on a tiny problem (N = 6, M = 4, B = 3),
 * the optimality conditions at convergence, and the power-iteration step bound.
 */
final class FistaReferenceTest {

    private static final int BATCH = 3;
    private static final int LATENTS = 6;
    private static final int DMODEL = 4;
    private static final float LAMBDA = 0.1f;
    private static final int SAME_ITERATIONS = 25;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (long seed : new long[] {11L, 12L, 13L}) {
            for (Method method : Method.values()) {
                for (Constraint constraint : Constraint.values()) {
                    for (GradientRoute route : new GradientRoute[] {GradientRoute.RESIDUAL, GradientRoute.GRAM}) {
                        cases.add(Arguments.of(seed, method, constraint, route));
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "seed {0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void shouldMatchDoubleReferenceWithinRoundingBoundWhenRunForSameIterations(long seed, Method method,
                                                                               Constraint constraint,
                                                                               GradientRoute route) {
        Problem problem = Problem.random(seed);
        FistaOptions options = FistaOptions.of(LAMBDA).withMethod(method).withConstraint(constraint)
                .withRoute(route).withMaxIterations(SAME_ITERATIONS).withTolerance(0);
        float[] z = new float[BATCH * LATENTS];
        FistaResult result;
        try (FistaWorkspace workspace = new FistaWorkspace(BATCH, LATENTS, DMODEL)) {
            result = Fista.solve(problem.xMatrix(), problem.dMatrix(), FistaReference.matrix(z, BATCH, LATENTS),
                    options, workspace, null);
        }
        assertEquals(route, result.route(), "route");
        assertEquals(SAME_ITERATIONS, result.iterations(), "tolerance 0 runs the whole budget");
        FistaReference.Run reference = problem.reference.run(new double[BATCH * LATENTS], result.stepSize(), LAMBDA,
                constraint == Constraint.NON_NEGATIVE, method == Method.FISTA, result.iterations());
        double maxError = 0;
        for (int i = 0; i < z.length; i++) {
            maxError = Math.max(maxError, Math.abs(z[i] - reference.codes()[i]));
        }
        assertTrue(maxError <= reference.errorBound(), "max |z - z_ref| = " + maxError + " exceeds the bound "
                + reference.errorBound() + " after " + result.iterations() + " iterations, seed " + seed);
        double largest = 0;
        for (double v : reference.codes()) {
            largest = Math.max(largest, Math.abs(v));
        }
        // The worst-case bound is only informative while it stays well below the codes themselves.
        assertTrue(reference.errorBound() <= 0.01 * largest, "bound " + reference.errorBound()
                + " is not below 1% of the largest code " + largest + ", seed " + seed);
        if (constraint == Constraint.NON_NEGATIVE) {
            for (float v : z) {
                assertTrue(v >= 0f, "negative code " + v + ", seed " + seed);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void shouldSatisfyKktConditionsWhenConverged(long seed, Method method, Constraint constraint,
                                                 GradientRoute route) {
        Problem problem = Problem.random(seed);
        FistaOptions options = FistaOptions.of(LAMBDA).withMethod(method).withConstraint(constraint)
                .withRoute(route).withMaxIterations(4000).withTolerance(0);
        float[] z = new float[BATCH * LATENTS];
        FistaResult result;
        try (FistaWorkspace workspace = new FistaWorkspace(BATCH, LATENTS, DMODEL)) {
            result = Fista.solve(problem.xMatrix(), problem.dMatrix(), FistaReference.matrix(z, BATCH, LATENTS),
                    options, workspace, null);
        }
        double[] codes = FistaReference.widen(z);
        double[] gradient = problem.reference.gradient(codes);
        double[] magnitude = problem.reference.magnitude(codes);
        double gammaK = FistaReference.gamma(problem.reference.depth());
        double u = FistaReference.UNIT_ROUNDOFF;
        int zeros = 0;
        for (int i = 0; i < z.length; i++) {
            // An fp32 fixed point z = fl(prox(fl(z − s·g̃))) leaves g̃ within rounding of the KKT value: the
            // gradient error γ_K·2·A(z), plus the update roundings 4u·(|z|/s + |g| + λ).
            double tolerance = 2 * gammaK * magnitude[i]
                    + 4 * u * (Math.abs(z[i]) / result.stepSize() + Math.abs(gradient[i]) + LAMBDA);
            String where = "entry " + i + " z = " + z[i] + " grad = " + gradient[i] + ", seed " + seed + ", "
                    + result.iterations() + " iterations";
            if (z[i] > 0f) {
                assertEquals(-LAMBDA, gradient[i], tolerance, "z > 0 needs grad = -lambda: " + where);
            } else if (z[i] < 0f) {
                assertEquals(LAMBDA, gradient[i], tolerance, "z < 0 needs grad = +lambda: " + where);
            } else {
                zeros++;
                assertTrue(gradient[i] >= -LAMBDA - tolerance, "z = 0 needs grad >= -lambda: " + where);
                if (constraint == Constraint.SIGNED) {
                    assertTrue(gradient[i] <= LAMBDA + tolerance, "z = 0 needs |grad| <= lambda: " + where);
                }
            }
        }
        assertTrue(zeros > 0 && zeros < z.length, "lambda " + LAMBDA + " should give a partly sparse solution, "
                + zeros + " zeros, seed " + seed);
    }

    @Test
    void shouldBoundLargestEigenvalueFromAboveWhenEstimatingStepSeed21() {
        for (long seed = 21; seed < 26; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int latents = 12;
            int dModel = 5;
            float[] d = FistaReference.gaussian(random, latents, dModel);
            double exact = largestEigenvalue(d, latents, dModel);
            double bound;
            try (FistaWorkspace workspace = new FistaWorkspace(1, latents, dModel)) {
                bound = Fista.lipschitzBound(FistaReference.matrix(d, latents, dModel), workspace,
                        FistaOptions.DEFAULT_POWER_ITERATIONS, seed);
            }
            // fp32 Rayleigh quotients are accurate to a few γ_N relative; the safety factor dwarfs that.
            assertTrue(bound >= exact, "bound " + bound + " below lambda_max " + exact + ", seed " + seed);
            assertTrue(bound <= Fista.LIPSCHITZ_SAFETY * exact * (1 + 1e-5), "bound " + bound
                    + " above the safety factor times lambda_max " + exact + ", seed " + seed);
        }
    }

    /** λ_max of Dᵀ·D by power iteration in double, run until the Rayleigh quotient settles. */
    private static double largestEigenvalue(float[] d, int latents, int dModel) {
        double[] gram = new double[dModel * dModel];
        for (int a = 0; a < dModel; a++) {
            for (int b = 0; b < dModel; b++) {
                double s = 0;
                for (int i = 0; i < latents; i++) {
                    s += (double) d[i * dModel + a] * d[i * dModel + b];
                }
                gram[a * dModel + b] = s;
            }
        }
        double[] v = new double[dModel];
        Arrays.fill(v, 1.0);
        double rayleigh = 0;
        for (int it = 0; it < 20_000; it++) {
            double[] w = new double[dModel];
            double norm = 0;
            double vv = 0;
            double vw = 0;
            for (int a = 0; a < dModel; a++) {
                for (int b = 0; b < dModel; b++) {
                    w[a] += gram[a * dModel + b] * v[b];
                }
                norm += w[a] * w[a];
                vv += v[a] * v[a];
                vw += v[a] * w[a];
            }
            rayleigh = vw / vv;
            norm = Math.sqrt(norm);
            for (int a = 0; a < dModel; a++) {
                v[a] = w[a] / norm;
            }
        }
        return rayleigh;
    }

    /** A random tiny problem: unit-norm atoms, Gaussian observations. */
    private record Problem(float[] x, float[] d, FistaReference reference) {

        static Problem random(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] d = FistaReference.unitRows(random, LATENTS, DMODEL);
            float[] x = FistaReference.gaussian(random, BATCH, DMODEL);
            return new Problem(x, d, new FistaReference(x, d, BATCH, LATENTS, DMODEL));
        }

        DenseMatrix xMatrix() {
            return FistaReference.matrix(x, BATCH, DMODEL);
        }

        DenseMatrix dMatrix() {
            return FistaReference.matrix(d, LATENTS, DMODEL);
        }
    }
}
