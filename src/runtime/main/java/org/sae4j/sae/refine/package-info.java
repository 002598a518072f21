/**
 * Sparse inference on a loaded SAE's own decoder: the amortised encoder as a warm start, then proximal-gradient
 * (FISTA) steps or greedy pursuits ({@link org.sae4j.sae.refine.SaeRefiner},
 * {@link org.sae4j.sae.refine.RefinementMethod}), the calibration of λ to the encoder's sparsity
 * ({@link org.sae4j.sae.refine.LambdaCalibration}), and the amortisation-gap report that prices each extra step in
 * reconstruction error and time ({@link org.sae4j.sae.refine.GapAnalysis}).
 *
 * <h2>Where it sits</h2>
 *
 * On top of {@link org.sae4j.sae} and {@link org.sae4j.solve}: the problem is the SAE's, the solvers are generic. A
 * refiner treats the decoder {@code W_dec [d_sae, d_in]} as the dictionary and solves, for each input row, the
 * non-negative lasso {@code min_z ½‖t − z·W_dec‖² + λ‖z‖₁} with target {@code t = normalise(x) − b_dec}, so that
 * {@code z·W_dec + b_dec}, de-normalised, is the reconstruction, exactly as the SAE decodes. The command line and
 * {@link org.sae4j.sae.eval.BatchEncoder} sit above it.
 *
 * <h2>A worked example</h2>
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(Path.of("blocks.8.hook_resid_pre"));
 *      TensorArena arena = new TensorArena("activations");
 *      SaeRefiner refiner = new SaeRefiner(sae, 256)) {
 *     MemorySegment x = arena.allocateFloats(256L * sae.dIn());         // [256, d_in] raw activations
 *     // ... fill x
 *     RefinedBatch encoder = refiner.refine(x, 256, new RefinementMethod.Amortised());
 *     double encoderError = encoder.squaredError();                     // read before the next call
 *     LambdaCalibration lambda = LambdaCalibration.matchL0(refiner, x, 128,
 *             (double) encoder.activeLatents() / 256, 25, LambdaCalibration.DEFAULT_TOLERANCE,
 *             LambdaCalibration.DEFAULT_MAX_PROBES);                    // λ keeping the encoder's L0
 *     RefinedBatch refined = refiner.refine(x, 256, new RefinementMethod.Fista(25, lambda.lambda()));
 *     MemorySegment codes = refined.codes();                           // [256, d_sae], the refiner's buffer
 *
 *     GapReport report = GapAnalysis.run(sae, x, 256, GapOptions.defaults().withBatch(128), done -> { });
 *     int steps = report.stepsToHalveFvu();
 * }
 * }</pre>
 *
 * <h2>Ownership</h2>
 *
 * A {@code SaeRefiner} owns its buffers (target, codes, reconstruction, residuals), and, created on first use, a
 * {@link org.sae4j.solve.FistaWorkspace} and a {@link org.sae4j.solve.Pursuit}; its {@code close()} frees them all,
 * once. It borrows the {@link org.sae4j.sae.Sae}, which must outlive it and which it never closes. A
 * {@link org.sae4j.sae.refine.RefinedBatch} is a view: its {@code codes} and {@code reconstruction} segments are the
 * refiner's buffers, read-only by contract and overwritten by the next {@code refine} or {@code estimateLambda}.
 * {@code GapAnalysis.run} creates and closes its own refiner.
 *
 * <h2>Threads and allocation</h2>
 *
 * A refiner is not thread-safe: use one per thread (they may share one {@code Sae}). Inside a call the kernels use
 * the threads of the calling thread's {@link org.sae4j.kernel.KernelContext}. Refinement is a measuring tool rather
 * than a steady-state path: each {@code refine} allocates a little on the heap (a row normaliser, the encoder's
 * temporary workspace, the result record) and a pursuit allocates its per-row state on every run. Options, reports,
 * rows and methods are immutable records.
 *
 * <h2>What is refused</h2>
 *
 * Transcoders (their target is another layer's activations), models with a skip connection (their output is not the
 * decoder's alone) and bf16 copies (the solvers read the decoder in fp32) are refused with an
 * {@link java.lang.IllegalArgumentException} when the refiner is created.
 */
package org.sae4j.sae.refine;
