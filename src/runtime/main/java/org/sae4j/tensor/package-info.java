/**
 * Tensors as sae4j holds them: off-heap fp32 or bf16 memory owned by a named {@link org.sae4j.tensor.TensorArena},
 * row-major views of it ({@link org.sae4j.tensor.DenseMatrix}), and batches of sparse codes in CSR form
 * ({@link org.sae4j.tensor.SparseCode}).
 *
 * <h2>Where it sits</h2>
 *
 * One floor above the kernels: {@link org.sae4j.kernel.Kernels} takes the segments this package allocates (plus
 * element offsets and leading dimensions) and fills the {@code SparseCode}s it defines. The file readers of
 * {@link org.sae4j.io} map weights into a {@code TensorArena}; the solvers ({@link org.sae4j.solve}), the SAE
 * ({@link org.sae4j.sae}) and its refinement and evaluation build their buffers from it. Nothing here computes:
 * there are no tensor operations, only memory, layouts and element conversions.
 *
 * <h2>A worked example</h2>
 *
 * Allocate a batch, view the weights as a matrix, encode densely with a fused kernel, then select the top 32
 * latents of each row straight into a reusable {@code SparseCode}:
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("demo")) {
 *     int batch = 64, dIn = 768, dSae = 16384, k = 32;
 *     MemorySegment x = arena.allocateFloats((long) batch * dIn);        // [batch, d_in], zeroed, 64-byte aligned
 *     RandomFill.uniform(x, new SplittableRandom(42));                   // seeded operands
 *     DenseMatrix w = arena.allocateMatrix(DType.F32, dSae, dIn);        // [d_sae, d_in], one row per latent
 *     MemorySegment b = arena.allocateFloats(dSae);                      // [d_sae]
 *     MemorySegment z = arena.allocateFloats((long) batch * dSae);       // [batch, d_sae]
 *     Kernels.encodeRelu(batch, dSae, dIn, x, 0, dIn, w.segment(), w.offset(), w.rowStride(), b, 0, z, 0, dSae);
 *     float first = DenseMatrix.f32(z, batch, dSae).get(0, 0);            // cold-path element read
 *
 *     SparseCode codes = SparseCode.withCapacity(batch, dSae, batch * k); // sized once, reused per batch
 *     Kernels.encodeTopK(batch, dSae, dIn, x, 0, dIn, w.segment(), w.offset(), w.rowStride(), b, 0, k, codes);
 *     int latent = codes.indices()[codes.rowStart(3)];                    // row 3's lowest selected latent
 * }                                                                      // every segment above is freed here
 * }</pre>
 *
 * <h2>Ownership</h2>
 *
 * <ul>
 *   <li>A {@code TensorArena} is a named {@link java.lang.foreign.Arena#ofShared() shared arena}. Whoever creates it
 *       owns it and closes it, once ({@code close()} is not idempotent), after the last use of every segment it
 *       handed out, including files mapped into {@link org.sae4j.tensor.TensorArena#arena()}. Classes that own one
 *       ({@code Sae}, {@code SaeWorkspace}, {@code FistaWorkspace}, {@code SaeRefiner}...) close it in their own
 *       {@code close()}.</li>
 *   <li>A {@code DenseMatrix} is a view: it owns nothing and copies nothing; its elements live as long as the
 *       segment's arena.</li>
 *   <li>A {@code SparseCode} owns three heap arrays sized once by
 *       {@link org.sae4j.tensor.SparseCode#withCapacity}; {@code indices()}, {@code values()} and
 *       {@code rowPointers()} return the live arrays, which kernels overwrite in place.</li>
 * </ul>
 *
 * <h2>Layout rules</h2>
 *
 * Elements are little-endian and read with the unaligned layouts of {@link org.sae4j.tensor.Layouts}, because a
 * mapped file may put a tensor at any byte offset; memory sae4j allocates is 64-byte aligned all the same. Offsets
 * and strides count elements, never bytes. bf16 is the upper half of a binary32: widening is exact and narrowing
 * rounds to nearest even ({@link org.sae4j.tensor.Layouts#floatToBf16}).
 *
 * <h2>Threads and allocation</h2>
 *
 * Allocation from a {@code TensorArena} is thread-safe, and its segments may be read and written by any thread, so
 * the kernel threads can split work over them (operands in a confined arena keep a kernel call on the calling
 * thread). Closing an arena while another thread uses one of its segments makes that use fail with
 * {@link java.lang.IllegalStateException}. {@code DenseMatrix} is an immutable view; {@code SparseCode} is not
 * thread-safe and is meant to be reused by one thread, which keeps steady-state encoding free of allocation. Only
 * the methods documented "for tests and cold paths" allocate on the heap.
 */
package org.sae4j.tensor;
