package org.sae4j.solve;

import java.util.Objects;

/**
 * Settings of one {@link Fista} solve of {@code min_Z ½‖X − Z·D‖²_F + λ‖Z‖₁} (optionally subject to Z ≥ 0).
 *
 * <pre>{@code
 * float lambda = FistaOptions.paperEquivalentLambda(0.01f, 16, 8);          // 0.0025
 * FistaOptions options = FistaOptions.of(lambda)
 *         .withMaxIterations(2000)
 *         .withTolerance(1e-7)
 *         .withStart(FistaOptions.Start.WARM);
 * }</pre>
 *
 * <p>The objective is a sum over the batch, not the paper's mean-based loss (paper-spec §5); use
 * {@link #paperEquivalentLambda} to convert the paper's λ into the one with the same minimisers.
 *
 * @param lambda          L1 weight λ, finite and ≥ 0
 * @param constraint      whether codes are kept non-negative
 * @param method          FISTA (Beck–Teboulle momentum) or plain ISTA
 * @param start           zero codes or the caller's codes as the first iterate
 * @param route           how the gradient is computed ({@link GradientRoute#AUTO} picks by FLOPs)
 * @param maxIterations   iteration budget, ≥ 1
 * @param tolerance       stop when {@code |f_k − f_{k−1}| ≤ tolerance·|f_k|} (whole-batch objective); finite,
 *                        ≥ 0; 0 disables the early stop, so the whole budget runs
 * @param stepSize        proximal-gradient step; 0 estimates 1/L by power iteration
 *                        ({@link Fista#lipschitzBound}); otherwise finite and &gt; 0
 * @param powerIterations power-iteration count of the step estimate, ≥ 1
 * @param powerSeed       seed of the power iteration's random start vector
 */
public record FistaOptions(float lambda, Constraint constraint, Method method, Start start, GradientRoute route,
                           int maxIterations, double tolerance, float stepSize, int powerIterations,
                           long powerSeed) {

    /** Default iteration budget of {@link #of}. */
    public static final int DEFAULT_MAX_ITERATIONS = 1000;

    /** Default relative objective change of {@link #of}. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    /**
     * Default power-iteration count. The Rayleigh quotient's error shrinks like (λ₂/λ₁)^(2·iterations); 100
     * iterations leave it far below the 5 % safety margin of {@link Fista#LIPSCHITZ_SAFETY} unless the two largest
     * eigenvalues of D·Dᵀ are within about 2 % of each other, and the Frobenius cap bounds the estimate from above.
     */
    public static final int DEFAULT_POWER_ITERATIONS = 100;

    /** Default power-iteration seed. */
    public static final long DEFAULT_POWER_SEED = 0x5AE4F157L;

    /** Feasible set of the codes. */
    public enum Constraint {
        /** Z ≥ 0: the proximal step is {@code max(v − s·λ, 0)}. */
        NON_NEGATIVE,
        /** Z unconstrained: the proximal step is {@code sign(v)·max(|v| − s·λ, 0)}. */
        SIGNED
    }

    /** Iteration scheme. */
    public enum Method {
        /** Accelerated proximal gradient with the Beck–Teboulle t-sequence. */
        FISTA,
        /** Plain proximal gradient (no momentum); the objective never increases in exact arithmetic. */
        ISTA
    }

    /** First iterate. */
    public enum Start {
        /** Z₀ = 0. */
        ZERO,
        /** Z₀ = the codes passed in (projected onto Z ≥ 0 under {@link Constraint#NON_NEGATIVE}). */
        WARM
    }

    /** How the gradient (Z·D − X)·Dᵀ is formed; see {@link Fista} for the FLOP counts of each. */
    public enum GradientRoute {
        /** The cheaper of the two for the shape and iteration budget ({@link Fista#resolveRoute}). */
        AUTO,
        /** Residual R = Z·D − X, then R·Dᵀ: two B×N×M GEMMs per iteration. */
        RESIDUAL,
        /** Gram matrix D·Dᵀ and X·Dᵀ once, then Z·(D·Dᵀ) − X·Dᵀ: one B×N×N GEMM per iteration. */
        GRAM
    }

    /** Validates every component. */
    public FistaOptions {
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(route, "route");
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        if (!(stepSize >= 0f) || !Float.isFinite(stepSize)) {
            throw new IllegalArgumentException("stepSize must be finite and > 0 (or 0 to estimate it), got "
                    + stepSize);
        }
        if (powerIterations < 1) {
            throw new IllegalArgumentException("powerIterations must be >= 1, got " + powerIterations);
        }
    }

    /**
     * Defaults for {@code lambda}: non-negative FISTA from zero, automatic route, {@value #DEFAULT_MAX_ITERATIONS}
     * iterations, tolerance {@value #DEFAULT_TOLERANCE}, step estimated by {@value #DEFAULT_POWER_ITERATIONS} power
     * iterations.
     *
     * @param lambda L1 weight λ, finite and ≥ 0
     * @return the options
     * @throws IllegalArgumentException when lambda is negative, NaN or infinite
     */
    public static FistaOptions of(float lambda) {
        return new FistaOptions(lambda, Constraint.NON_NEGATIVE, Method.FISTA, Start.ZERO, GradientRoute.AUTO,
                DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, 0f, DEFAULT_POWER_ITERATIONS, DEFAULT_POWER_SEED);
    }

    /**
     * The λ of this objective whose minimisers equal those of the paper's mean-based loss {@code (1/(B·M))·‖X − Z·D‖² +
     * (λ_paper/(B·N))·‖Z‖₁} (paper-spec §5): multiplying that loss by B·M/2 gives {@code λ = λ_paper·M/(2N)} (0.0025
     * for λ_paper = 0.01, N = 16, M = 8).
     *
     * @param paperLambda the paper's λ, finite and ≥ 0
     * @param latents     atoms N, ≥ 1
     * @param dModel      dimensions M, ≥ 1
     * @return the equivalent λ of {@link Fista}'s summed objective
     * @throws IllegalArgumentException when a size is not positive or the result is not a valid lambda
     */
    public static float paperEquivalentLambda(float paperLambda, int latents, int dModel) {
        if (latents < 1 || dModel < 1) {
            throw new IllegalArgumentException("latents and dModel must be >= 1, got " + latents + ", " + dModel);
        }
        float lambda = (float) ((double) paperLambda * dModel / (2.0 * latents));
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException("paperLambda must be finite and >= 0, got " + paperLambda);
        }
        return lambda;
    }

    /**
     * A copy with another λ.
     *
     * @param newLambda L1 weight, finite and ≥ 0
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public FistaOptions withLambda(float newLambda) {
        return new FistaOptions(newLambda, constraint, method, start, route, maxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another constraint.
     *
     * @param newConstraint the feasible set of the codes
     * @return a new record; this one is unchanged
     */
    public FistaOptions withConstraint(Constraint newConstraint) {
        return new FistaOptions(lambda, newConstraint, method, start, route, maxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another method.
     *
     * @param newMethod FISTA or ISTA
     * @return a new record; this one is unchanged
     */
    public FistaOptions withMethod(Method newMethod) {
        return new FistaOptions(lambda, constraint, newMethod, start, route, maxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another start.
     *
     * @param newStart zero codes or the caller's codes as the first iterate
     * @return a new record; this one is unchanged
     */
    public FistaOptions withStart(Start newStart) {
        return new FistaOptions(lambda, constraint, method, newStart, route, maxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another gradient route.
     *
     * @param newRoute {@link GradientRoute#AUTO}, {@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM}
     * @return a new record; this one is unchanged
     */
    public FistaOptions withRoute(GradientRoute newRoute) {
        return new FistaOptions(lambda, constraint, method, start, newRoute, maxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another iteration budget.
     *
     * @param newMaxIterations iterations, ≥ 1
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public FistaOptions withMaxIterations(int newMaxIterations) {
        return new FistaOptions(lambda, constraint, method, start, route, newMaxIterations, tolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another tolerance.
     *
     * @param newTolerance relative objective change that stops the solve, finite and ≥ 0; 0 runs the whole budget
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public FistaOptions withTolerance(double newTolerance) {
        return new FistaOptions(lambda, constraint, method, start, route, maxIterations, newTolerance, stepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with a fixed step (0 to estimate it).
     *
     * @param newStepSize the proximal-gradient step s, finite and &gt; 0, or 0 for 1/L from
     *                    {@link Fista#lipschitzBound}
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public FistaOptions withStepSize(float newStepSize) {
        return new FistaOptions(lambda, constraint, method, start, route, maxIterations, tolerance, newStepSize,
                powerIterations, powerSeed);
    }

    /**
     * A copy with another power-iteration count and seed (used only when the step is estimated).
     *
     * @param newPowerIterations power iterations, ≥ 1
     * @param newPowerSeed       seed of the start vector
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public FistaOptions withPowerIteration(int newPowerIterations, long newPowerSeed) {
        return new FistaOptions(lambda, constraint, method, start, route, maxIterations, tolerance, stepSize,
                newPowerIterations, newPowerSeed);
    }
}
