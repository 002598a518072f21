/**
 * The floor every computation stands on: the {@link org.sae4j.kernel.Kernels} facade over one SIMD or scalar kernel
 * provider, the owned thread budgets that large operations split over ({@link org.sae4j.kernel.KernelContext}), and
 * the published switches of the layer ({@link org.sae4j.kernel.KernelConfig}).
 *
 * <h2>Where it sits</h2>
 *
 * At the bottom. Tensors ({@link org.sae4j.tensor}) and files ({@link org.sae4j.io}) provide the memory, the solvers
 * ({@link org.sae4j.solve}), the SAE ({@link org.sae4j.sae}) and its refinement and evaluation
 * ({@link org.sae4j.sae.refine}, {@link org.sae4j.sae.eval}) call {@code Kernels} and nothing below it: only the
 * non-exported {@code kernel.simd} package imports the Vector API, and exactly one provider is loaded per JVM, so
 * call sites stay monomorphic. Signatures are BLAS-like: {@link java.lang.foreign.MemorySegment} operands, element
 * offsets, sizes {@code m, n, k} and leading dimensions, fp32 unless a method says bf16, the first sentence of each
 * method's Javadoc stating the formula with its output named.
 *
 * <h2>A worked example</h2>
 *
 * An encoder layer with its own two kernel threads, encoding batches into caller buffers without allocating:
 *
 * <pre>{@code
 * int batch = 256, dIn = 768, dSae = 24576, k = 32;
 * try (TensorArena arena = new TensorArena("layer-8");
 *      KernelContext context = KernelContext.create("layer-8", 2)) {
 *     MemorySegment x = arena.allocateFloats((long) batch * dIn);      // [batch, d_in], refilled per batch
 *     MemorySegment w = arena.allocateFloats((long) dSae * dIn);       // [d_sae, d_in], one row per latent
 *     MemorySegment b = arena.allocateFloats(dSae);                    // [d_sae]
 *     MemorySegment z = arena.allocateFloats((long) batch * dSae);     // [batch, d_sae]
 *     SparseCode codes = SparseCode.withCapacity(batch, dSae, batch * k);
 *
 *     context.run(() -> {
 *         Kernels.encodeRelu(batch, dSae, dIn, x, 0, dIn, w, 0, dIn, b, 0, z, 0, dSae);    // dense ReLU codes
 *         Kernels.encodeTopK(batch, dSae, dIn, x, 0, dIn, w, 0, dIn, b, 0, k, codes);      // or top-k, sparse
 *     });
 *     float energy = Kernels.sumSquares(dSae, z, 0);                  // no context bound: the shared one
 *     System.out.println(Kernels.describe());                          // provider, vector width, context
 * }
 * }</pre>
 *
 * <h2>Validation</h2>
 *
 * The facade validates; the providers do not. Every entry point of {@code Kernels} checks sizes, extents against
 * each segment, overlaps between outputs and inputs, and the scalars that must be finite (or NaN-free thresholds),
 * and throws {@link java.lang.IllegalArgumentException} naming the argument and the problem before any element is
 * written. The providers behind it (the non-exported {@code kernel.scalar} and {@code kernel.simd}) trust the facade
 * and at most {@code assert}, so nothing but {@code Kernels} may call them.
 *
 * <h2>Threads</h2>
 *
 * A {@code KernelContext} is an owned thread budget. {@link org.sae4j.kernel.KernelContext#create} starts its
 * {@code threads − 1} workers (the calling thread is the last participant); whoever creates it closes it, and
 * {@code close()} is idempotent. A context is bound to the calling thread with a {@link java.lang.ScopedValue} for
 * the duration of {@link org.sae4j.kernel.KernelContext#run} or {@link org.sae4j.kernel.KernelContext#call}; the
 * facade reads the binding once per operation. Code that binds none uses
 * {@link org.sae4j.kernel.KernelContext#shared()}, sized by {@value org.sae4j.kernel.KernelConfig#THREADS_PROP_NAME}
 * and never closed. Operations from several threads bound to one context take its pool in turn; different contexts
 * never wait for each other; small operations and operations on segments of a confined arena run on the calling thread
 * alone. Results are bit-identical for every thread count, because chunks never change the order in which an output
 * element is accumulated.
 *
 * <h2>Selection and allocation</h2>
 *
 * The provider is chosen once, on first use, and logged: {@value org.sae4j.kernel.KernelConfig#KERNELS_PROP_NAME}
 * = {@code auto | scalar | simd} and {@value org.sae4j.kernel.KernelConfig#VECTOR_BIT_SIZE_PROP_NAME} force it; in
 * {@code auto} the SIMD provider needs {@code jdk.incubator.vector} and C2, and a forced mode that cannot be honoured
 * throws instead of falling back. Kernel calls allocate nothing in steady state: jobs and packing scratch are
 * created once per calling thread and once per context worker.
 */
package org.sae4j.kernel;
