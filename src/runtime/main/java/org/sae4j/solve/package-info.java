/**
 * Per-sample sparse inference on a fixed dictionary: proximal gradient ({@link org.sae4j.solve.Fista}, FISTA or
 * ISTA) for the lasso {@code min_Z ½‖X − Z·D‖²_F + λ‖Z‖₁} with or without {@code Z ≥ 0}, and greedy matching pursuit
 * and orthogonal matching pursuit ({@link org.sae4j.solve.Pursuit}).
 *
 * <h2>Where it sits</h2>
 *
 * Above {@link org.sae4j.tensor} and {@link org.sae4j.kernel}: every iteration is a handful of
 * {@link org.sae4j.kernel.Kernels} calls (GEMMs, axpy, soft thresholds) on buffers of a
 * {@link org.sae4j.solve.FistaWorkspace}, and the solvers never touch the Vector API. Below {@link org.sae4j.sae}:
 * {@link org.sae4j.sae.refine.SaeRefiner} runs them on a loaded SAE's decoder to refine or replace its encoder's
 * codes, and the paper lab runs them on learned dictionaries. Dictionaries are stored one atom per row,
 * {@code D [N, M]}, the orientation of an SAE decoder.
 *
 * <h2>A worked example</h2>
 *
 * One workspace per problem shape, allocated once; each solve then allocates only its small result record (and a
 * random generator when the step is estimated):
 *
 * <pre>{@code
 * int batch = 1024, latents = 16, dModel = 8;
 * try (TensorArena arena = new TensorArena("fista-demo");
 *      FistaWorkspace workspace = new FistaWorkspace(batch, latents, dModel)) {
 *     DenseMatrix x = arena.allocateMatrix(DType.F32, batch, dModel);     // observations X [B, M]
 *     DenseMatrix d = arena.allocateMatrix(DType.F32, latents, dModel);   // dictionary D [N, M], one atom per row
 *     DenseMatrix z = arena.allocateMatrix(DType.F32, batch, latents);    // codes Z [B, N], written by the solve
 *     // ... fill x and d (a dictionary that is not all zeros)
 *     float lambda = FistaOptions.paperEquivalentLambda(0.01f, latents, dModel);   // 0.0025
 *     FistaOptions options = FistaOptions.of(lambda).withMaxIterations(2000).withTolerance(1e-7);
 *     double lipschitz = Fista.lipschitzBound(d, workspace, FistaOptions.DEFAULT_POWER_ITERATIONS, 7L);
 *     options = options.withStepSize((float) (1 / lipschitz));            // estimate once, reuse for every batch
 *     FistaResult result = Fista.solve(x, d, z, options, workspace, null);
 *     long flops = result.totalFlops();
 *
 *     FistaResult refined = Fista.solve(x, d, z, options.withStart(FistaOptions.Start.WARM)
 *             .withMaxIterations(25), workspace, null);                  // warm start from the codes in z
 * }
 * }</pre>
 *
 * <h2>Ownership</h2>
 *
 * A {@code FistaWorkspace} owns its scratch in its own shared {@link org.sae4j.tensor.TensorArena}; the caller closes
 * it, once ({@code close()} is not idempotent), and a solve with a closed workspace throws
 * {@link java.lang.IllegalStateException}. The operands of {@code Fista.solve} are the caller's views: x and d are
 * read (and copied into the workspace where the kernels need density), z is read for a warm start and always
 * overwritten with the last iterate. A {@code Pursuit} uses the caller's decoder, target, code and residual segments
 * in place, so they must outlive it; it owns only its correlation buffer, freed by its {@code close()}.
 *
 * <h2>Threads and allocation</h2>
 *
 * {@code Fista} is stateless: concurrent solves are safe as long as each uses its own workspace and outputs. A
 * workspace or a pursuit serves one solve at a time. Inside a solve the kernels split their work over the threads of
 * the calling thread's {@link org.sae4j.kernel.KernelContext}; results are bit-identical for every thread count. FISTA
 * iterations allocate nothing; {@code Pursuit.run} allocates per-row state (Cholesky factors for OMP) on every call.
 * Options and results are immutable, validated records. NaN or infinite inputs propagate into the objective, which
 * then never meets the tolerance.
 */
package org.sae4j.solve;
