package org.sae4j.solve;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.SplittableRandom;

import org.sae4j.kernel.Kernels;
import org.sae4j.solve.FistaOptions.Constraint;
import org.sae4j.solve.FistaOptions.GradientRoute;
import org.sae4j.solve.FistaOptions.Method;
import org.sae4j.solve.FistaOptions.Start;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;

/**
 * Batch sparse inference with a fixed dictionary by proximal gradient descent (ISTA) or its accelerated form
 * (FISTA, Beck and Teboulle 2009):
 *
 * <pre>{@code
 *   minimise  f(Z) = ½‖X − Z·D‖²_F + λ‖Z‖₁   [subject to Z ≥ 0]    X [B, M], D [N, M] one atom per row, Z [B, N]
 *   ∇(Z)     = (Z·D − X)·Dᵀ
 *   Z_k      = prox(Y_k − s·∇(Y_k)),  prox(v) = max(v − sλ, 0) (Z ≥ 0) or sign(v)·max(|v| − sλ, 0) (signed)
 *   FISTA    t_1 = 1,  t_{k+1} = (1 + √(1 + 4t_k²))/2,  Y_1 = Z_0,
 *            Y_{k+1} = Z_k + β_k·(Z_k − Z_{k−1}),  β_k = (t_k − 1)/t_{k+1}
 *   ISTA     Y_k = Z_{k−1}
 *   stop     after iteration k when |f(Z_k) − f(Z_{k−1})| ≤ tolerance·|f(Z_k)| (tolerance > 0), or at the budget
 * }</pre>
 *
 * <p><b>Step.</b> Either the caller's step, or s = 1/L with L = {@link #lipschitzBound}: a seeded power iteration
 * on Dᵀ·D (same largest eigenvalue as D·Dᵀ, vectors of length M), whose Rayleigh quotient is a lower bound of
 * λ_max, multiplied by {@value #LIPSCHITZ_SAFETY} and capped at ‖D‖²_F (an upper bound of λ_max). A too-small L
 * could make ISTA diverge; a slightly large one only slows convergence.
 *
 * <p><b>Gradient routes.</b> Both keep the linear image of the current iterate, so the objective of every
 * iterate costs no extra GEMM, and get the image at Y by linearity
 * ({@code image(Y) = (1+β)·image(Z_k) − β·image(Z_{k−1})}):
 * <ul>
 *   <li>{@link GradientRoute#RESIDUAL}: R = Z·D − X (B×M×N GEMM), ∇ = R_Y·Dᵀ (B×N×M GEMM);
 *       f = ½Σ_b ‖R_b‖² + λ‖Z‖₁ with per-row norms summed in double.</li>
 *   <li>{@link GradientRoute#GRAM}: G = D·Dᵀ and C = X·Dᵀ once, then P = Z·G − C (B×N×N GEMM) is the gradient;
 *       f = ½‖X‖² + ½⟨Z, P − C⟩ + λ‖Z‖₁. This form cancels: its absolute error is of order
 *       (N + M)·ε·‖X‖², so tolerances below about (N + M)·ε·‖X‖²/f are not meaningful on this route.</li>
 * </ul>
 * {@link GradientRoute#AUTO} takes the route with fewer total FLOPs over the iteration budget
 * ({@link #resolveRoute}); the Gram route can only win when N &lt; 2·M.
 *
 * <p><b>FLOPs</b> (2 per multiply-add in GEMM, GEMV, dot, sum of squares and axpy, i.e. 2·m·n·k per GEMM as in
 * the paper lab's FLOP counters ({@code org.sae4j.lab.metrics.Flops}); 1 per element for scale and the proximal
 * step; copies and O(B) scalar bookkeeping free; a = 1 for FISTA, 0 for ISTA; L1 = 2BN non-negative, 5BN signed).
 * At N16 M8 a non-negative FISTA iteration costs 696 FLOPs per sample, against 704 for the paper's ITO iteration
 * (paper-spec §9.2):
 * <pre>{@code
 *   per iteration  RESIDUAL  4BNM + 3BN + 4BM + L1 + a·(3BN + 3BM)
 *                  GRAM      2BN² + 9BN + L1 + a·6BN
 *   set-up         RESIDUAL  2BNM + 4BM + L1
 *                  GRAM      2N²M + 2BNM + 2BN² + 2BM + 6BN + L1
 *                  + BN       for a warm start under Z ≥ 0 (projection)
 *                  + 2NM + 3M + p·(4NM + 2N + 5M)   when the step is estimated with p power iterations
 *   total          set-up + iterations·per iteration            ({@link FistaResult#totalFlops()})
 * }</pre>
 *
 * <pre>{@code
 * try (FistaWorkspace workspace = new FistaWorkspace(1024, 16, 8)) {
 *     double[] trace = new double[2001];
 *     FistaOptions options = FistaOptions.of(0.0025f).withMaxIterations(2000).withTolerance(1e-7);
 *     FistaResult result = Fista.solve(x, d, z, options, workspace, trace);   // z [1024, 16] receives the codes
 * }
 * }</pre>
 *
 * <p><b>Note:</b> stateless; thread-safe as long as concurrent solves use different workspaces and outputs. Each
 * iteration allocates nothing: it runs only {@link Kernels} calls on the workspace's buffers and O(B) scalar
 * bookkeeping; a solve allocates the small result record (and a random generator when it estimates the step).
 * Results are bit-identical for every kernel thread count. NaN or infinite inputs propagate into the objective,
 * which then never meets the tolerance.
 */
public final class Fista {

    /** Factor applied to the power-iteration estimate of the Lipschitz constant. */
    public static final double LIPSCHITZ_SAFETY = 1.05;

    /** Bytes per fp32 element, as a long so that byte offsets never overflow int. */
    private static final long F32 = Float.BYTES;

    /** Not instantiable: the solver is stateless, its state lives in the {@link FistaWorkspace}. */
    private Fista() {
    }

    /**
     * Solves the problem for every row of {@code x} and writes the codes to {@code z}.
     *
     * @param x         [B, M] observations, 1 ≤ B ≤ the workspace capacity, fp32; not modified
     * @param d         [N, M] dictionary, one atom per row, fp32; not modified
     * @param z         [B, N] fp32; read as the first iterate when {@code options.start()} is {@link Start#WARM},
     *                  modified (receives the last iterate)
     * @param options   solver settings
     * @param workspace scratch sized for (≥ B, N, M)
     * @param trace     null, or at least {@code maxIterations + 1} entries: {@code trace[0]} receives the objective
     *                  of the first iterate and {@code trace[k]} that after iteration k; later entries not modified
     * @return iterations used, convergence flag, final objective, step, route and FLOPs
     * @throws IllegalArgumentException on shape or dtype mismatches, a batch of 0 or above the capacity, a trace too
     *                                  short, or the Gram route on a workspace without it
     */
    public static FistaResult solve(DenseMatrix x, DenseMatrix d, DenseMatrix z, FistaOptions options,
                                    FistaWorkspace workspace, double[] trace) {
        Objects.requireNonNull(options, "options");
        checkProblem(x, d, z, workspace);
        if (trace != null && trace.length < options.maxIterations() + 1L) {
            throw new IllegalArgumentException("trace has " + trace.length + " entries, needs maxIterations + 1 = "
                    + (options.maxIterations() + 1L));
        }
        int batch = x.rows();
        int latents = workspace.latents;
        int dModel = workspace.dModel;
        GradientRoute route = resolveRoute(options, batch, latents, dModel);
        boolean gramRoute = route == GradientRoute.GRAM;
        boolean accelerated = options.method() == Method.FISTA;
        boolean nonNegative = options.constraint() == Constraint.NON_NEGATIVE;
        int bn = batch * latents;
        int bm = batch * dModel;
        long dOff = d.offset();
        int ldd = leadingDimension(d);

        float step = options.stepSize();
        if (step == 0f) {
            double lipschitz = lipschitzBound(d, workspace, options.powerIterations(), options.powerSeed());
            // A zero dictionary makes f independent of the data term: any step converges.
            step = lipschitz > 0 ? (float) (1.0 / lipschitz) : 1f;
        }
        float threshold = step * options.lambda();

        copyIn(x, workspace.x, dModel);
        MemorySegment codes = workspace.codes;
        MemorySegment codesPrev = workspace.codesPrev;
        if (options.start() == Start.WARM) {
            copyIn(z, codes, latents);
            if (nonNegative) {
                Kernels.softThresholdNonNegative(bn, 0f, codes, 0, codes, 0);
            }
        } else {
            codes.asSlice(0, bn * F32).fill((byte) 0);
        }

        double halfSquaredX = 0;
        MemorySegment image;
        MemorySegment imagePrev;
        if (gramRoute) {
            Kernels.gemmNT(latents, latents, dModel, 1f, d.segment(), dOff, ldd, d.segment(), dOff, ldd, 0f,
                    workspace.gram, 0, latents);
            Kernels.gemmNT(batch, latents, dModel, 1f, workspace.x, 0, dModel, d.segment(), dOff, ldd, 0f,
                    workspace.xd, 0, latents);
            halfSquaredX = 0.5 * rowSquaresSum(workspace, workspace.x, batch, dModel);
            image = workspace.image;
            imagePrev = workspace.imagePrev;
        } else {
            image = workspace.residual;
            imagePrev = workspace.residualPrev;
        }
        int imageSize = gramRoute ? bn : bm;

        computeImage(gramRoute, codes, image, d, workspace, batch);
        double objective = objective(gramRoute, nonNegative, options.lambda(), halfSquaredX, codes, image,
                workspace, batch);
        double initialObjective = objective;
        if (trace != null) {
            trace[0] = objective;
        }
        MemorySegment.copy(codes, 0, codesPrev, 0, bn * F32);
        MemorySegment.copy(image, 0, imagePrev, 0, imageSize * F32);

        double t = 1;
        float beta = 0f;
        int iterations = 0;
        boolean converged = false;
        while (iterations < options.maxIterations()) {
            iterations++;
            MemorySegment y;
            MemorySegment gradient;
            if (accelerated) {
                y = workspace.extrapolated;
                extrapolate(bn, beta, codes, codesPrev, y);
                if (gramRoute) {
                    gradient = workspace.gradient;
                    extrapolate(bn, beta, image, imagePrev, gradient);
                } else {
                    extrapolate(bm, beta, image, imagePrev, workspace.residualY);
                    gradient = workspace.gradient;
                    Kernels.gemmNT(batch, latents, dModel, 1f, workspace.residualY, 0, dModel, d.segment(), dOff,
                            ldd, 0f, gradient, 0, latents);
                }
            } else {
                y = codes;
                if (gramRoute) {
                    gradient = image;
                } else {
                    gradient = workspace.gradient;
                    Kernels.gemmNT(batch, latents, dModel, 1f, image, 0, dModel, d.segment(), dOff, ldd, 0f,
                            gradient, 0, latents);
                }
            }

            // The new iterate overwrites Z_{k−1}, which Y already absorbed.
            MemorySegment.copy(y, 0, codesPrev, 0, bn * F32);
            Kernels.axpy(bn, -step, gradient, 0, codesPrev, 0);
            if (nonNegative) {
                Kernels.softThresholdNonNegative(bn, threshold, codesPrev, 0, codesPrev, 0);
            } else {
                Kernels.softThreshold(bn, threshold, codesPrev, 0, codesPrev, 0);
            }
            MemorySegment swap = codes;
            codes = codesPrev;
            codesPrev = swap;
            swap = image;
            image = imagePrev;
            imagePrev = swap;

            computeImage(gramRoute, codes, image, d, workspace, batch);
            double previous = objective;
            objective = objective(gramRoute, nonNegative, options.lambda(), halfSquaredX, codes, image, workspace,
                    batch);
            if (trace != null) {
                trace[iterations] = objective;
            }
            if (options.tolerance() > 0
                    && Math.abs(objective - previous) <= options.tolerance() * Math.abs(objective)) {
                converged = true;
                break;
            }
            if (accelerated) {
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                beta = (float) ((t - 1) / tNext);
                t = tNext;
            }
        }
        copyOut(codes, z, latents);
        return new FistaResult(iterations, converged, initialObjective, objective, step, route,
                setupFlops(options, route, batch, latents, dModel),
                iterationFlops(options, route, batch, latents, dModel));
    }

    /**
     * An upper estimate of the Lipschitz constant of ∇, the largest eigenvalue of D·Dᵀ:
     * {@code min(LIPSCHITZ_SAFETY·ρ, ‖D‖²_F)} where ρ is the Rayleigh quotient ‖D·v‖²/‖v‖² after {@code iterations}
     * steps of power iteration on Dᵀ·D from a Gaussian vector drawn with {@code seed}. Returns 0 for a zero dictionary.
     * Deterministic for a seed; allocates only the random generator.
     *
     * @param d          [N, M] dictionary, fp32; not modified
     * @param workspace  scratch for (N, M); its power-iteration vectors are modified
     * @param iterations power-iteration count, ≥ 1
     * @param seed       seed of the start vector
     * @return the bound L (s = 1/L is a safe step), or 0 when D is zero
     * @throws IllegalArgumentException when the shapes disagree or iterations &lt; 1
     */
    public static double lipschitzBound(DenseMatrix d, FistaWorkspace workspace, int iterations, long seed) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(workspace, "workspace");
        checkDictionary(d, workspace);
        if (iterations < 1) {
            throw new IllegalArgumentException("power iterations must be >= 1, got " + iterations);
        }
        int latents = workspace.latents;
        int dModel = workspace.dModel;
        long dOff = d.offset();
        int ldd = leadingDimension(d);
        double frobenius = 0;
        for (int i = 0; i < latents; i++) {
            frobenius += Kernels.sumSquares(dModel, d.segment(), dOff + (long) i * ldd);
        }
        if (frobenius == 0) {
            return 0;
        }
        MemorySegment v = workspace.powerV;
        MemorySegment u = workspace.powerU;
        MemorySegment w = workspace.powerW;
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = 0; j < dModel; j++) {
            v.setAtIndex(Layouts.F32, j, (float) random.nextGaussian());
        }
        normalise(dModel, v);
        double rayleigh = 0;
        for (int it = 0; it < iterations; it++) {
            Kernels.gemv(latents, dModel, 1f, d.segment(), dOff, ldd, v, 0, 0f, u, 0);
            double vv = Kernels.sumSquares(dModel, v, 0);
            rayleigh = vv > 0 ? Kernels.sumSquares(latents, u, 0) / vv : 0;
            Kernels.gemvTransposed(latents, dModel, 1f, d.segment(), dOff, ldd, u, 0, 0f, w, 0);
            if (!normalise(dModel, w)) {
                break;
            }
            MemorySegment swap = v;
            v = w;
            w = swap;
        }
        return Math.min(rayleigh * LIPSCHITZ_SAFETY, frobenius);
    }

    /**
     * The route a solve of {@code batch} samples takes: {@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM} as
     * requested, or for {@link GradientRoute#AUTO} the one with fewer set-up + maxIterations·per-iteration FLOPs (ties
     * go to the residual route, whose objective does not cancel).
     *
     * @param options the solve's settings (route, budget, constraint, method, start and step are read)
     * @param batch   samples B, ≥ 1
     * @param latents atoms N, ≥ 1
     * @param dModel  dimensions M, ≥ 1
     * @return {@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM}, never {@link GradientRoute#AUTO}
     * @throws IllegalArgumentException when the Gram route is requested with N ≥ 2·M, or a size is not positive
     */
    public static GradientRoute resolveRoute(FistaOptions options, int batch, int latents, int dModel) {
        Objects.requireNonNull(options, "options");
        checkSizes(batch, latents, dModel);
        boolean gramPossible = latents < 2L * dModel;
        return switch (options.route()) {
            case RESIDUAL -> GradientRoute.RESIDUAL;
            case GRAM -> {
                if (!gramPossible) {
                    throw new IllegalArgumentException("the GRAM route needs latents < 2 x dModel (it is never "
                            + "cheaper otherwise), got latents " + latents + ", dModel " + dModel);
                }
                yield GradientRoute.GRAM;
            }
            case AUTO -> {
                if (!gramPossible) {
                    yield GradientRoute.RESIDUAL;
                }
                double budget = options.maxIterations();
                double residual = setupFlops(options, GradientRoute.RESIDUAL, batch, latents, dModel)
                        + budget * iterationFlops(options, GradientRoute.RESIDUAL, batch, latents, dModel);
                double gram = setupFlops(options, GradientRoute.GRAM, batch, latents, dModel)
                        + budget * iterationFlops(options, GradientRoute.GRAM, batch, latents, dModel);
                yield gram < residual ? GradientRoute.GRAM : GradientRoute.RESIDUAL;
            }
        };
    }

    /**
     * FLOPs of one iteration (see the class Javadoc): RESIDUAL {@code 4BNM + 3BN + 4BM + L1 + a·(3BN + 3BM)}, GRAM
     * {@code 2BN² + 9BN + L1 + a·6BN}, with a = 1 for FISTA and L1 = 2BN (non-negative) or 5BN (signed).
     *
     * @param options the solve's settings (method and constraint are read)
     * @param route   {@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM}
     * @param batch   samples B, ≥ 1
     * @param latents atoms N, ≥ 1
     * @param dModel  dimensions M, ≥ 1
     * @return FLOPs per iteration for the whole batch
     * @throws IllegalArgumentException for {@link GradientRoute#AUTO} or a size that is not positive
     */
    public static long iterationFlops(FistaOptions options, GradientRoute route, int batch, int latents,
                                      int dModel) {
        Objects.requireNonNull(options, "options");
        checkSizes(batch, latents, dModel);
        long b = batch;
        long n = latents;
        long m = dModel;
        long momentum = options.method() == Method.FISTA ? 1 : 0;
        long l1 = l1Flops(options, b, n);
        return switch (checkResolved(route)) {
            case RESIDUAL -> 4 * b * n * m + 3 * b * n + 4 * b * m + l1 + momentum * (3 * b * n + 3 * b * m);
            case GRAM -> 2 * b * n * n + 9 * b * n + l1 + momentum * 6 * b * n;
            case AUTO -> throw new AssertionError("resolved above");
        };
    }

    /**
     * FLOPs spent before the first iteration (see the class Javadoc): RESIDUAL {@code 2BNM + 4BM + L1}, GRAM
     * {@code 2N²M + 2BNM + 2BN² + 2BM + 6BN + L1}, plus BN for a warm start under Z ≥ 0 and
     * {@code 2NM + 3M + p·(4NM + 2N + 5M)} when the step is estimated with p power iterations.
     *
     * @param options the solve's settings (method, constraint, start, step and power iterations are read)
     * @param route   {@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM}
     * @param batch   samples B, ≥ 1
     * @param latents atoms N, ≥ 1
     * @param dModel  dimensions M, ≥ 1
     * @return FLOPs of the set-up for the whole batch
     * @throws IllegalArgumentException for {@link GradientRoute#AUTO} or a size that is not positive
     */
    public static long setupFlops(FistaOptions options, GradientRoute route, int batch, int latents, int dModel) {
        Objects.requireNonNull(options, "options");
        checkSizes(batch, latents, dModel);
        long b = batch;
        long n = latents;
        long m = dModel;
        long l1 = l1Flops(options, b, n);
        long flops = switch (checkResolved(route)) {
            case RESIDUAL -> 2 * b * n * m + 4 * b * m + l1;
            case GRAM -> 2 * n * n * m + 2 * b * n * m + 2 * b * n * n + 2 * b * m + 6 * b * n + l1;
            case AUTO -> throw new AssertionError("resolved above");
        };
        if (options.start() == Start.WARM && options.constraint() == Constraint.NON_NEGATIVE) {
            flops += b * n;
        }
        if (options.stepSize() == 0f) {
            flops += 2 * n * m + 3 * m + options.powerIterations() * (4 * n * m + 2 * n + 5 * m);
        }
        return flops;
    }

    // ---- iteration pieces ----

    /**
     * {@code out = (1 + beta)·current − beta·previous}, the FISTA extrapolation (3 FLOPs per element).
     *
     * @param size     elements
     * @param beta     momentum β_k
     * @param current  Z_k (or its image); not modified
     * @param previous Z_{k−1} (or its image); not modified
     * @param out      Y_{k+1} (or its image); modified
     */
    private static void extrapolate(int size, float beta, MemorySegment current, MemorySegment previous,
                                    MemorySegment out) {
        MemorySegment.copy(current, 0, out, 0, size * F32);
        Kernels.scale(size, 1f + beta, out, 0);
        Kernels.axpy(size, -beta, previous, 0, out, 0);
    }

    /**
     * Residual route: {@code R = Z·D − X}; Gram route: {@code P = Z·G − X·Dᵀ}.
     *
     * @param gramRoute whether the Gram route runs
     * @param codes     Z [B, N]; not modified
     * @param image     R [B, M] or P [B, N]; modified
     * @param d         the dictionary [N, M]
     * @param workspace holds X, G and X·Dᵀ
     * @param batch     samples B
     */
    private static void computeImage(boolean gramRoute, MemorySegment codes, MemorySegment image, DenseMatrix d,
                                     FistaWorkspace workspace, int batch) {
        int latents = workspace.latents;
        int dModel = workspace.dModel;
        if (gramRoute) {
            Kernels.gemm(batch, latents, latents, 1f, codes, 0, latents, workspace.gram, 0, latents, 0f, image, 0,
                    latents);
            Kernels.axpy(batch * latents, -1f, workspace.xd, 0, image, 0);
        } else {
            Kernels.gemm(batch, dModel, latents, 1f, codes, 0, latents, d.segment(), d.offset(),
                    leadingDimension(d), 0f, image, 0, dModel);
            Kernels.axpy(batch * dModel, -1f, workspace.x, 0, image, 0);
        }
    }

    /**
     * f(Z) from the image of Z; uses the workspace's gradient buffer as scratch.
     *
     * @param gramRoute    whether {@code image} is P (Gram) or R (residual)
     * @param nonNegative  whether Z ≥ 0, so that ‖Z‖₁ is the plain sum
     * @param lambda       L1 weight λ
     * @param halfSquaredX ½‖X‖²_F (Gram route only)
     * @param codes        Z [B, N]; not modified
     * @param image        the image of Z; not modified
     * @param workspace    scratch
     * @param batch        samples B
     * @return ½‖X − Z·D‖²_F + λ‖Z‖₁, summed in double
     */
    private static double objective(boolean gramRoute, boolean nonNegative, float lambda, double halfSquaredX,
                                    MemorySegment codes, MemorySegment image, FistaWorkspace workspace, int batch) {
        int latents = workspace.latents;
        int bn = batch * latents;
        double data;
        if (gramRoute) {
            MemorySegment difference = workspace.gradient;
            MemorySegment.copy(image, 0, difference, 0, bn * F32);
            Kernels.axpy(bn, -1f, workspace.xd, 0, difference, 0);
            double dots = 0;
            for (int b = 0; b < batch; b++) {
                long off = (long) b * latents;
                dots += Kernels.dot(latents, codes, off, difference, off);
            }
            data = halfSquaredX + 0.5 * dots;
        } else {
            data = 0.5 * rowSquaresSum(workspace, image, batch, workspace.dModel);
        }
        double l1 = rowSumsTotal(workspace, codes, batch);
        if (!nonNegative) {
            // |z| = 2·max(z, 0) − z keeps the L1 norm on the available kernels.
            Kernels.softThresholdNonNegative(bn, 0f, codes, 0, workspace.gradient, 0);
            l1 = 2 * rowSumsTotal(workspace, workspace.gradient, batch) - l1;
        }
        return data + lambda * l1;
    }

    /**
     * Σ_b ‖a_b‖² of a dense [batch, cols] matrix, per-row norms summed in double.
     *
     * @param workspace holds the [B] row scratch
     * @param a         the matrix; not modified
     * @param batch     rows
     * @param cols      columns
     * @return the squared Frobenius norm
     */
    private static double rowSquaresSum(FistaWorkspace workspace, MemorySegment a, int batch, int cols) {
        Kernels.rowNorms(batch, cols, a, 0, cols, workspace.rows, 0);
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            double norm = workspace.rows.getAtIndex(Layouts.F32, b);
            sum += norm * norm;
        }
        return sum;
    }

    /**
     * Σ of all entries of a dense [batch, N] matrix: row sums by GEMV with ones, summed in double.
     *
     * @param workspace holds the ones vector and the [B] row scratch
     * @param a         the matrix; not modified
     * @param batch     rows
     * @return the sum of every entry
     */
    private static double rowSumsTotal(FistaWorkspace workspace, MemorySegment a, int batch) {
        int latents = workspace.latents;
        Kernels.gemv(batch, latents, 1f, a, 0, latents, workspace.ones, 0, 0f, workspace.rows, 0);
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            sum += workspace.rows.getAtIndex(Layouts.F32, b);
        }
        return sum;
    }

    /**
     * Scales v to unit norm; false when v is zero.
     *
     * @param n elements of v
     * @param v the vector; modified
     * @return whether v had a positive norm
     */
    private static boolean normalise(int n, MemorySegment v) {
        double norm = Math.sqrt(Kernels.sumSquares(n, v, 0));
        if (!(norm > 0)) {
            return false;
        }
        Kernels.scale(n, (float) (1 / norm), v, 0);
        return true;
    }

    /**
     * FLOPs of the L1 term per evaluation: 2BN for Z ≥ 0 (one GEMV of row sums), 5BN signed (|z| through the
     * non-negative threshold).
     *
     * @param options the solve's settings (the constraint is read)
     * @param b       samples B
     * @param n       atoms N
     * @return FLOPs of one L1 evaluation
     */
    private static long l1Flops(FistaOptions options, long b, long n) {
        return options.constraint() == Constraint.NON_NEGATIVE ? 2 * b * n : 5 * b * n;
    }

    // ---- copies and validation ----

    /**
     * Copies a strided view into a dense [rows, cols] buffer of the workspace.
     *
     * @param source the caller's view; not modified
     * @param dense  the workspace buffer; modified
     * @param cols   columns of the view
     */
    private static void copyIn(DenseMatrix source, MemorySegment dense, int cols) {
        int rows = source.rows();
        if (rows == 1 || source.rowStride() == cols) {
            MemorySegment.copy(source.segment(), source.offset() * F32, dense, 0, (long) rows * cols * F32);
            return;
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(source.segment(), (source.offset() + (long) r * source.rowStride()) * F32, dense,
                    (long) r * cols * F32, cols * F32);
        }
    }

    /**
     * Copies a dense [rows, cols] workspace buffer into a strided view.
     *
     * @param dense  the workspace buffer; not modified
     * @param target the caller's view; modified
     * @param cols   columns of the view
     */
    private static void copyOut(MemorySegment dense, DenseMatrix target, int cols) {
        int rows = target.rows();
        if (rows == 1 || target.rowStride() == cols) {
            MemorySegment.copy(dense, 0, target.segment(), target.offset() * F32, (long) rows * cols * F32);
            return;
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(dense, (long) r * cols * F32, target.segment(),
                    (target.offset() + (long) r * target.rowStride()) * F32, cols * F32);
        }
    }

    /**
     * A single-row view may carry any stride; the kernels want one that covers the row.
     *
     * @param matrix a view
     * @return {@code max(rowStride, cols)}
     */
    private static int leadingDimension(DenseMatrix matrix) {
        return Math.max(matrix.rowStride(), matrix.cols());
    }

    /**
     * Checks the operands of {@link #solve} against each other and the workspace.
     *
     * @param x         [B, M] observations
     * @param d         [N, M] dictionary
     * @param z         [B, N] codes
     * @param workspace scratch
     * @throws IllegalArgumentException on a dtype or shape mismatch, or a batch outside [1, capacity]
     */
    private static void checkProblem(DenseMatrix x, DenseMatrix d, DenseMatrix z, FistaWorkspace workspace) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(z, "z");
        Objects.requireNonNull(workspace, "workspace");
        checkDictionary(d, workspace);
        checkF32("x", x);
        checkF32("z", z);
        if (x.cols() != workspace.dModel) {
            throw new IllegalArgumentException("x has " + x.cols() + " columns, the dictionary has dModel "
                    + workspace.dModel);
        }
        if (x.rows() < 1 || x.rows() > workspace.capacity) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows, must be in [1, "
                    + workspace.capacity + "] (workspace capacity)");
        }
        if (z.rows() != x.rows() || z.cols() != workspace.latents) {
            throw new IllegalArgumentException("z is " + z.rows() + "x" + z.cols() + ", must be " + x.rows() + "x"
                    + workspace.latents + " (rows of x x latents)");
        }
    }

    /**
     * Checks that the dictionary is fp32 of the workspace's shape.
     *
     * @param d         [N, M] dictionary
     * @param workspace scratch
     * @throws IllegalArgumentException on a dtype or shape mismatch
     */
    private static void checkDictionary(DenseMatrix d, FistaWorkspace workspace) {
        checkF32("d", d);
        if (d.rows() != workspace.latents || d.cols() != workspace.dModel) {
            throw new IllegalArgumentException("d is " + d.rows() + "x" + d.cols() + ", the workspace expects "
                    + workspace.latents + "x" + workspace.dModel + " (latents x dModel)");
        }
    }

    /**
     * Checks that a view holds fp32 elements.
     *
     * @param name   names the operand in the message
     * @param matrix the view
     * @throws IllegalArgumentException if it is not F32
     */
    private static void checkF32(String name, DenseMatrix matrix) {
        if (matrix.dtype() != DType.F32) {
            throw new IllegalArgumentException(name + " must be F32, got " + matrix.dtype());
        }
    }

    /**
     * Checks that every size is positive.
     *
     * @param batch   samples B
     * @param latents atoms N
     * @param dModel  dimensions M
     * @throws IllegalArgumentException if one is not
     */
    private static void checkSizes(int batch, int latents, int dModel) {
        if (batch < 1 || latents < 1 || dModel < 1) {
            throw new IllegalArgumentException("batch, latents and dModel must be >= 1, got " + batch + ", "
                    + latents + ", " + dModel);
        }
    }

    /**
     * Checks that a route is concrete.
     *
     * @param route the route
     * @return {@code route}
     * @throws IllegalArgumentException for {@link GradientRoute#AUTO}
     */
    private static GradientRoute checkResolved(GradientRoute route) {
        Objects.requireNonNull(route, "route");
        if (route == GradientRoute.AUTO) {
            throw new IllegalArgumentException("route must be RESIDUAL or GRAM; resolve AUTO with resolveRoute");
        }
        return route;
    }
}
