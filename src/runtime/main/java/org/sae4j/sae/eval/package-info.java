/**
 * Measuring a loaded SAE on activations: streaming reconstruction metrics
 * ({@link org.sae4j.sae.eval.ReconstructionStats}), sparsity and feature density
 * ({@link org.sae4j.sae.eval.LatentStats}, {@link org.sae4j.sae.eval.FeatureDensity}), the whole evaluation over an
 * activation file ({@link org.sae4j.sae.eval.SaeEvaluator}), and encoding batches by the SAE's encoder or a solver on
 * its decoder ({@link org.sae4j.sae.eval.EncodingMethod}, {@link org.sae4j.sae.eval.BatchEncoder}).
 *
 * <h2>Where it sits</h2>
 *
 * At the top of the runtime, beside {@link org.sae4j.sae.refine}: an evaluation reads an
 * {@link org.sae4j.io.ActivationFile} a block of rows at a time, runs {@link org.sae4j.sae.Sae#forward} with a
 * workspace, and feeds the statistics classes, which know nothing of SAEs and can be fed by any code. Metric names
 * follow sae-formats §12 ({@code mse_sum}, {@code fvu}, {@code l0}, dead and dense latents...); reconstructions are
 * compared with their targets in the de-normalised space, the skip term included.
 *
 * <h2>A worked example</h2>
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("eval");
 *      Sae sae = SaeLoader.load(Path.of("blocks.8.hook_resid_pre"))) {
 *     ActivationFile input = ActivationFile.open(Path.of("resid_pre_8.npy"), null, arena);   // mapped, not copied
 *     EvalResult result = SaeEvaluator.evaluate(sae, input, null, EvalOptions.defaults(),
 *             done -> System.err.print("\r" + done + " / " + input.rows()));
 *     Map<String, Object> json = result.toMap();                      // §12 names, ready for a JSON writer
 *
 *     // the same statistics fed by hand, batch by batch
 *     ReconstructionStats stats = new ReconstructionStats(sae.dOut());
 *     LatentStats latents = new LatentStats(sae.dSae());
 *     float[] x = input.readRows(0, 1024);
 *     stats.add(x, sae.forward(x), 1024);
 *     latents.add(sae.encodeSparse(x));
 *     stats.addLegacyPass(x, 1024);                                   // after the last add, same order
 *     double fvu = stats.fvu(), l0 = latents.l0();
 *     FeatureDensity density = latents.density(EvalOptions.DEFAULT_DENSE_THRESHOLD);
 * }
 * }</pre>
 *
 * <h2>Ownership</h2>
 *
 * Nothing here closes the {@link org.sae4j.sae.Sae} or the activation files' arena: the caller owns both and keeps
 * them open for the whole evaluation. {@code SaeEvaluator.evaluate} creates and closes its own workspace and batch
 * buffers. A {@code BatchEncoder} owns a {@link org.sae4j.sae.SaeWorkspace} (amortised) or a
 * {@link org.sae4j.sae.refine.SaeRefiner} and a code buffer (solvers), freed by its {@code close()}; the codes its
 * {@code encode} returns are one of those buffers, valid until its next call, and a caller that keeps them copies
 * them.
 *
 * <h2>Threads and allocation</h2>
 *
 * {@code SaeEvaluator} is stateless and thread-safe; the statistics classes and {@code BatchEncoder} are not
 * thread-safe and are fed by one thread. Evaluation is a batch job, not a steady-state path: it allocates per batch
 * (rows widened from the file, the reconstruction copied out, the statistics' scratch), and the per-token errors of
 * the legacy explained variance take 8 bytes a token. Every sum is kept in double; the total variance is merged
 * per dimension (Chan's update) so that a large shared mean does not cancel digits away. Options and results are
 * immutable, validated records.
 *
 * <h2>Progress callbacks</h2>
 *
 * {@code SaeEvaluator.evaluate} reports a running total of rows done after each batch; note that
 * {@link org.sae4j.sae.refine.GapAnalysis#run} reports per-batch increments instead.
 */
package org.sae4j.sae.eval;
