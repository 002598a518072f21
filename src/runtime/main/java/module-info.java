/**
 * The sae4j runtime: SIMD kernels over off-heap memory, tensors, file formats, sparse solvers, and sparse
 * autoencoders with refinement and evaluation.
 *
 * <p>Exported: {@code kernel} (the {@code Kernels} facade and its execution context), {@code tensor}, {@code io},
 * {@code solve}, {@code optim}, {@code sae}, {@code sae.refine} and {@code sae.eval}. The kernel providers (scalar
 * reference and SIMD), the provider selection and the scheduler stay inside the module.
 *
 * <p>The Vector API is optional ({@code requires static}): without {@code --add-modules=jdk.incubator.vector} the
 * scalar kernels run.
 */
module org.sae4j {
    requires static jdk.incubator.vector;
    requires java.logging;
    requires java.management;
    requires jdk.management;
    requires com.fasterxml.jackson.databind;

    exports org.sae4j.kernel;
    exports org.sae4j.tensor;
    exports org.sae4j.io;
    exports org.sae4j.solve;
    exports org.sae4j.optim;
    exports org.sae4j.sae;
    exports org.sae4j.sae.refine;
    exports org.sae4j.sae.eval;
}
