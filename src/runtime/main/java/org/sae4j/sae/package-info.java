/**
 * Sparse autoencoders and transcoders at inference: loading the published folder layouts
 * ({@link org.sae4j.sae.SaeLoader}), the model and its encode rules ({@link org.sae4j.sae.Sae},
 * {@link org.sae4j.sae.SaeConfig}, {@link org.sae4j.sae.SaeArchitecture}), per-thread scratch
 * ({@link org.sae4j.sae.SaeWorkspace}), encoding a chosen subset of latents ({@link org.sae4j.sae.WatchList}),
 * bf16 copies and their drift ({@link org.sae4j.sae.PrecisionDrift}), folding ({@link org.sae4j.sae.SaeFolding}) and
 * writing ({@link org.sae4j.sae.SaeWriter}, {@link org.sae4j.sae.SparsifyWriter}).
 *
 * <h2>Where it sits</h2>
 *
 * Above the readers of {@link org.sae4j.io}, which it uses to open SAELens, sparsify, Gemma Scope and Llama Scope
 * folders, and above {@link org.sae4j.tensor} and {@link org.sae4j.kernel}: every encode and decode is a few
 * {@link org.sae4j.kernel.Kernels} calls (a fused GEMM encoder or a GEMV for one row, top-k, sparse decode).
 * {@link org.sae4j.sae.refine} refines a loaded model's codes with the solvers of {@link org.sae4j.solve} on its own
 * decoder, and {@link org.sae4j.sae.eval} measures a model on activation files. Weights are held in engine
 * orientation, encoder and decoder both one row per latent ({@code [d_sae, d_in]} and {@code [d_sae, d_out]}).
 *
 * <h2>A worked example</h2>
 *
 * Load a model once, give each thread its own workspace, and encode and reconstruct batches without allocating:
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(Path.of("gemma-scope-2b-pt-res/layer_12/width_16k/average_l0_82"))) {
 *     int batch = 256;
 *     try (SaeWorkspace ws = sae.newWorkspace(batch);                  // one per thread
 *          TensorArena buffers = new TensorArena("batches")) {
 *         MemorySegment x = buffers.allocateFloats((long) batch * sae.dIn());      // [batch, d_in]
 *         MemorySegment xHat = buffers.allocateFloats((long) batch * sae.dOut());  // [batch, d_out]
 *         SparseCode codes = SparseCode.withCapacity(batch, sae.dSae(), batch * sae.dSae());
 *         for (float[] rows : activations) {                           // [batch, d_in] each
 *             MemorySegment.copy(rows, 0, x, Layouts.F32, 0, rows.length);
 *             sae.encodeSparse(x, batch, codes, ws);                   // CSR codes, indices ascending
 *             SparseCode used = sae.forward(x, batch, xHat, ws);       // reconstruction and its codes
 *         }
 *     }
 *     try (WatchList watch = sae.watchList(1234, 77);                  // two latents only, O(2·d_in) a row
 *          SaeWorkspace one = sae.newWorkspace(1)) {
 *         float[] activity = new float[2];
 *         watch.encodeOne(firstRow, activity, one);
 *     }
 * }
 * }</pre>
 *
 * <h2>Ownership</h2>
 *
 * <ul>
 *   <li>A {@code Sae} owns one {@link org.sae4j.tensor.TensorArena} holding all its weights; its caller closes it,
 *       once, after every thread has finished with it. {@code SaeLoader} maps SAELens and sparsify safetensors files
 *       read-only into that arena: the fp32 decoder (and the sparsify encoder) are read in place from the mapping
 *       unless a fold on load has to change them, so the file is unmapped only when the model closes. Every other
 *       tensor is copied into the arena as fp32 (a SAELens encoder as stored, transposed on the first batch encode);
 *       Gemma Scope and Llama Scope files are read through a temporary arena and copied. {@link org.sae4j.sae.Sae#of}
 *       copies the caller's arrays. sae4j's writers replace files by rename, so a loaded model keeps its bytes.</li>
 *   <li>Accessors such as {@link org.sae4j.sae.Sae#decoder()} return the model's own segments, read-only by contract
 *       and valid until the model closes; {@link org.sae4j.sae.Sae#weights()} returns copies.</li>
 *   <li>A {@code SaeWorkspace}, a {@code WatchList} and a {@link org.sae4j.sae.Sae#withBf16Weights() bf16 copy} each
 *       own their own arena and are closed by their caller; a watch-list reads its model's {@code b_dec}, so it must
 *       be closed no later than the model. The codes returned by the workspace overload of
 *       {@link org.sae4j.sae.Sae#forward forward} belong to the workspace and are valid until its next call.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * A {@code Sae} is immutable and thread-safe: any number of threads may encode, decode and run {@code forward}
 * concurrently, each with its own {@code SaeWorkspace}; a workspace is not thread-safe and must never be shared by two
 * threads at once. A {@code WatchList} follows the same rule. Kernels run on the threads of the calling thread's
 * {@link org.sae4j.kernel.KernelContext}: bind one per model with {@code context.run(...)} to give each model its own
 * thread budget, or let the calls use {@link org.sae4j.kernel.KernelContext#shared()}.
 *
 * <h2>Allocation</h2>
 *
 * The overloads taking a workspace, and {@code encodeOne} and {@code forwardOne} on caller arrays, allocate nothing
 * in steady state, whatever the normalisation. The overloads without a workspace create one per call, and the array
 * conveniences ({@code encode(float[])}, {@code encodeSparse(float[])}, {@code forward(float[])}...) also allocate
 * their results; they are for tests and cold paths.
 *
 * <h2>Errors</h2>
 *
 * A folder that cannot be loaded throws {@link org.sae4j.sae.SaeFormatException}, a
 * {@link org.sae4j.io.FormatException} naming the file and the key or tensor (missing, wrong shape, non-finite values,
 * unsupported feature); a malformed container throws the reader's own {@code FormatException}. Arguments that do not
 * fit the model (segments too small, wrong widths, a workspace of another shape) throw
 * {@link java.lang.IllegalArgumentException} naming them; a closed model or workspace throws
 * {@link java.lang.IllegalStateException}.
 */
package org.sae4j.sae;
