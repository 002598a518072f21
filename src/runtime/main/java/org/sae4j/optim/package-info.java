/**
 * Training state for gradient descent on off-heap tensors: a {@link org.sae4j.optim.Parameter} (values, gradient and
 * Adam moments) and the Adam hyper-parameters ({@link org.sae4j.optim.AdamOptions}) in PyTorch's formulation.
 *
 * <h2>Where it sits</h2>
 *
 * Beside the solvers, above {@link org.sae4j.tensor} and {@link org.sae4j.kernel}: a parameter is four fp32
 * segments of a caller's {@link org.sae4j.tensor.TensorArena}, and its update is one call of the fused
 * {@link org.sae4j.kernel.Kernels#adam} kernel. The trainers of the lab (synthetic dictionaries, SAEs on activation
 * streams) own the parameters and write their gradients; this package knows nothing of SAEs.
 *
 * <h2>A worked example</h2>
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("dictionary-training")) {
 *     Parameter dictionary = new Parameter(arena, "D", latents * dModel);   // values, gradient, m, v: zeroed
 *     MemorySegment norms = arena.allocateFloats(latents);
 *     dictionary.set(initialAtoms);                                        // float[latents * dModel]
 *     AdamOptions adam = AdamOptions.pytorch(1e-3f);                       // β1 0.9, β2 0.999, ε 1e-8
 *     for (long step = 1; step <= steps; step++) {
 *         // ... the backward pass writes dictionary.gradient() with Kernels.gemm and friends
 *         dictionary.adamStep(step, adam);                                 // in place, allocation-free
 *         // project back to unit atoms; the Adam moments are left as they are
 *         Kernels.normaliseRows(latents, dModel, dictionary.values(), 0, dModel, norms, 0);
 *     }
 *     float[] learned = dictionary.toArray();                              // a copy
 * }
 * }</pre>
 *
 * <h2>Ownership, threads and allocation</h2>
 *
 * The arena passed to {@link org.sae4j.optim.Parameter#Parameter(org.sae4j.tensor.TensorArena, String, int)} owns the
 * four segments: closing it frees the parameter, and the caller closes it. {@code values()} and {@code gradient()}
 * return the live segments, not copies. A parameter is not thread-safe; a step allocates nothing and runs on the
 * threads of the calling thread's {@link org.sae4j.kernel.KernelContext}. {@code AdamOptions} is an immutable,
 * validated record. Adam state is per parameter and survives {@link org.sae4j.optim.Parameter#set}, as in PyTorch;
 * {@link org.sae4j.optim.Parameter#clearMoments()} starts it afresh.
 */
package org.sae4j.optim;
