package org.sae4j.kernel;

import static org.sae4j.kernel.Checks.BF16_BYTES;
import static org.sae4j.kernel.Checks.F32_BYTES;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.internal.KernelSelector;
import org.sae4j.kernel.spi.KernelProvider;
import org.sae4j.kernel.spi.Workspace;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

/**
 * The kernel facade: validates arguments, splits large operations over the threads of the calling thread's
 * {@link KernelContext}, and calls the one kernel provider (scalar reference or SIMD) chosen when the class is first
 * used ({@link KernelConfig}; forced with {@value KernelConfig#KERNELS_PROP_NAME}).
 *
 * <p>Signatures follow BLAS: row-major matrices as (segment, element offset, leading dimension), fp32 unless a method
 * says bf16; offsets and leading dimensions count elements, never bytes. Every parameter is documented as modified or
 * not modified. Invalid arguments (negative sizes, views outside their segment, outputs overlapping inputs, non-finite
 * scalars where they make no sense, NaN thresholds) throw {@link IllegalArgumentException} naming the problem before
 * any element is written; the providers behind the facade check nothing.
 *
 * <pre>{@code
 * // Z = max(X·Wᵀ + b, 0): batch 4096, d_in 768, 16384 latents, W stored one row per latent
 * Kernels.encodeRelu(4096, 16384, 768, x, 0, 768, w, 0, 768, b, 0, z, 0, 16384);
 * }</pre>
 *
 * <p><b>Note:</b> thread-safe. Multi-threaded operations bound to one {@link KernelContext} take its pool in turn;
 * operations of different contexts run at once; results are identical for every thread count. Operands in a confined
 * arena are only accessible by their owner, so such calls run on the calling thread alone. Calls allocate nothing in
 * steady state (the first call on a thread creates that thread's job and scratch).
 */
public final class Kernels {

    /** Below this many multiply-adds an operation runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    /** Column chunks are multiples of this (full vectors and packed panels). */
    private static final int COLUMN_GRAIN = 64;

    /** Row chunks are multiples of this (whole micro-tiles). */
    private static final int ROW_GRAIN = 24;

    /** Not instantiable: static entry points only. */
    private Kernels() {
    }

    /**
     * Lazily initialised state: the provider is selected, and logged, on the first call that needs it rather than when
     * {@code Kernels} itself loads.
     */
    private static final class Holder {
        /** The one provider of this JVM, final so that every call site stays monomorphic. */
        static final KernelProvider IMPL = KernelSelector.select();
        /** Per caller thread, so that single-task jobs from different threads never wait for each other. */
        static final ThreadLocal<MatrixJob> JOBS = ThreadLocal.withInitial(MatrixJob::new);
        /** Per caller thread: the packing scratch a single-task job runs with on that thread. */
        static final ThreadLocal<Workspace> WORKSPACES =
                ThreadLocal.withInitial(() -> Workspace.reclaimedByGc("kernels-caller-"
                        + Thread.currentThread().getName()));

        /** Not instantiated: a holder of static state. */
        private Holder() {
        }
    }

    /**
     * The provider every call goes to.
     *
     * @return the scalar or SIMD provider selected for this JVM
     */
    static KernelProvider provider() {
        return Holder.IMPL;
    }

    /**
     * Name of the kernel provider chosen for this JVM.
     *
     * @return {@code "scalar"} or {@code "simd"}
     */
    public static String providerName() {
        return provider().name();
    }

    /**
     * Vector width of the chosen provider in bits.
     *
     * @return 128, 256 or 512 for the SIMD provider; 32 (one float) for the scalar provider
     */
    public static int vectorBitSize() {
        return provider().vectorBitSize();
    }

    /**
     * float lanes per vector of the chosen provider.
     *
     * @return {@code vectorBitSize() / 32}: 1 for the scalar provider
     */
    public static int floatLanes() {
        return provider().floatLanes();
    }

    /**
     * Threads the calling thread's operations may use: those of {@link KernelContext#current()}.
     *
     * @return the bound context's thread count, or the shared context's when none is bound
     */
    public static int threads() {
        return KernelContext.current().threads();
    }

    /**
     * One line describing the provider, its vector width and the calling thread's kernel context, for logs and reports.
     *
     * @return for example {@code "simd kernels, 512-bit vectors (16 float lanes), kernel context 'shared', 8 threads"}
     */
    public static String describe() {
        KernelProvider impl = provider();
        return impl.name() + " kernels, " + impl.vectorBitSize() + "-bit vectors (" + impl.floatLanes()
                + " float lanes), " + KernelContext.current();
    }

    // ---- backward epilogues ----

    /**
     * {@code g[i] = a[i] > 0 ? g[i] + shift : 0}: the gradient through ReLU (or top-k then ReLU) at activations a, with
     * a constant added first (the L1 term's λ/(B·N)).
     *
     * @param n     elements, ≥ 0
     * @param a     activations; not modified
     * @param aOff  element offset of a[0]
     * @param g     upstream gradient; modified: the gradient with respect to the pre-activations. It may be the same
     *              elements as a, never a partial overlap
     * @param gOff  element offset of g[0]
     * @param shift constant added to g where a is positive; finite
     * @throws IllegalArgumentException on bad extents, a partial overlap or a non-finite shift
     */
    public static void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        checkElementwise(n, a, aOff, g, gOff);
        Checks.finite("shift", shift);
        provider().reluGradient(n, a, aOff, g, gOff, shift);
    }

    /**
     * {@code g[i] = z[i]·(g[i] + shift)}: the gradient with respect to θ where z = exp(θ), with a constant added first.
     *
     * @param n     elements, ≥ 0
     * @param z     exp(θ); not modified
     * @param zOff  element offset of z[0]
     * @param g     gradient with respect to z; modified: the gradient with respect to θ. It may be the same elements as
     *              z, never a partial overlap
     * @param gOff  element offset of g[0]
     * @param shift constant added to g first; finite
     * @throws IllegalArgumentException on bad extents, a partial overlap or a non-finite shift
     */
    public static void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        checkElementwise(n, z, zOff, g, gOff);
        Checks.finite("shift", shift);
        provider().scaleShifted(n, z, zOff, g, gOff, shift);
    }

    /**
     * {@code y[i] = exp(x[i])}, within 3 ulp of the exact value for normal results, bit-identical on every provider and
     * however the code is compiled.
     *
     * @param n    elements, ≥ 0
     * @param x    inputs; not modified (unless y is the same elements)
     * @param xOff element offset of x[0]
     * @param y    outputs; modified. It may alias x exactly, never partly
     * @param yOff element offset of y[0]
     * @throws IllegalArgumentException on bad extents or a partial overlap
     */
    public static void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        provider().exp(n, x, xOff, y, yOff);
    }

    // ---- level 1 ----

    /**
     * Returns {@code Σ x[i]·y[i]}, accumulated in fp32 with several independent partial sums.
     *
     * @param n    elements, ≥ 0
     * @param x    first vector; not modified
     * @param xOff element offset of x[0]
     * @param y    second vector; not modified (may be x)
     * @param yOff element offset of y[0]
     * @return the dot product; 0 for n = 0
     * @throws IllegalArgumentException on bad extents
     */
    public static float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        return provider().dot(n, x, xOff, y, yOff);
    }

    /**
     * Returns {@code Σ x[i]²}.
     *
     * @param n    elements, ≥ 0
     * @param x    the vector; not modified
     * @param xOff element offset of x[0]
     * @return the squared L2 norm; NaN exactly when an element is NaN
     * @throws IllegalArgumentException on bad extents
     */
    public static float sumSquares(int n, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        return provider().sumSquares(n, x, xOff);
    }

    /**
     * {@code y = alpha·x + y}.
     *
     * @param n     elements, ≥ 0
     * @param alpha scale of x
     * @param x     the added vector; not modified (unless y is the same elements)
     * @param xOff  element offset of x[0]
     * @param y     the accumulator; modified. It may be the same elements as x, never a partial overlap
     * @param yOff  element offset of y[0]
     * @throws IllegalArgumentException on bad extents or a partial overlap
     */
    public static void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        Checks.sameOrDisjoint("y", y, yOff, "x", x, xOff, n);
        provider().axpy(n, alpha, x, xOff, y, yOff);
    }

    /**
     * {@code x = alpha·x}.
     *
     * @param n     elements, ≥ 0
     * @param alpha the factor
     * @param x     the vector; modified
     * @param xOff  element offset of x[0]
     * @throws IllegalArgumentException on bad extents
     */
    public static void scale(int n, float alpha, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        provider().scale(n, alpha, x, xOff);
    }

    /**
     * {@code norms[i] = ‖a[i,:]‖₂}, from fp32 sums of squares.
     *
     * @param m        rows, ≥ 0
     * @param n        columns, ≥ 0
     * @param a        A, m×n; not modified
     * @param aOff     element offset of A[0,0]
     * @param lda      leading dimension of A, ≥ n when m &gt; 1
     * @param norms    [m]; modified
     * @param normsOff element offset of norms[0]
     * @throws IllegalArgumentException on bad extents
     */
    public static void rowNorms(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment norms,
                                long normsOff) {
        checkShape(m, n);
        Checks.matrix("a", a, aOff, m, n, lda, F32_BYTES);
        Checks.vector("norms", norms, normsOff, m, F32_BYTES);
        KernelProvider impl = provider();
        impl.rowSumSquares(m, n, a, aOff, lda, norms, normsOff);
        sqrtInPlace(m, norms, normsOff);
    }

    /**
     * Scales every row of a to unit L2 norm ({@code a[i,:] = a[i,:]·(1/‖a[i,:]‖)}; zero rows stay zero) and writes the
     * norms before scaling to {@code norms}.
     *
     * @param m        rows, ≥ 0
     * @param n        columns, ≥ 0
     * @param a        A, m×n; modified
     * @param aOff     element offset of A[0,0]
     * @param lda      leading dimension of A, ≥ n when m &gt; 1
     * @param norms    [m]; modified: the norms before scaling
     * @param normsOff element offset of norms[0]
     * @throws IllegalArgumentException on bad extents
     */
    public static void normaliseRows(int m, int n, MemorySegment a, long aOff, int lda, MemorySegment norms,
                                     long normsOff) {
        rowNorms(m, n, a, aOff, lda, norms, normsOff);
        KernelProvider impl = provider();
        for (int i = 0; i < m; i++) {
            float norm = norms.getAtIndex(Layouts.F32, normsOff + i);
            if (norm > 0f) {
                impl.scale(n, 1f / norm, a, aOff + (long) i * lda);
            }
        }
    }

    // ---- activations and proximal steps ----

    /**
     * {@code y = max(x + b, 0)}.
     *
     * @param n    elements, ≥ 0
     * @param x    inputs; not modified (unless y is the same elements)
     * @param xOff element offset of x[0]
     * @param b    bias; not modified
     * @param bOff element offset of b[0]
     * @param y    outputs; modified. It may be exactly x, never a partial overlap
     * @param yOff element offset of y[0]
     * @throws IllegalArgumentException on bad extents or a partial overlap
     */
    public static void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y,
                                long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        Checks.vector("b", b, bOff, n, F32_BYTES);
        provider().biasRelu(n, x, xOff, b, bOff, y, yOff);
    }

    /**
     * {@code y = (x + b > theta) ? x + b : 0}, the comparison strict.
     *
     * @param n        elements, ≥ 0
     * @param x        inputs; not modified (unless y is the same elements)
     * @param xOff     element offset of x[0]
     * @param b        bias; not modified
     * @param bOff     element offset of b[0]
     * @param theta    thresholds; not modified; must not contain NaN
     * @param thetaOff element offset of theta[0]
     * @param y        outputs; modified. It may be exactly x, never a partial overlap
     * @param yOff     element offset of y[0]
     * @throws IllegalArgumentException on bad extents, a partial overlap or a NaN threshold
     */
    public static void biasJumpRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff,
                                    MemorySegment theta, long thetaOff, MemorySegment y, long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        Checks.vector("b", b, bOff, n, F32_BYTES);
        checkThresholds(n, theta, thetaOff);
        provider().biasJumpRelu(n, x, xOff, b, bOff, theta, thetaOff, y, yOff);
    }

    /**
     * {@code z = (z + gateBias > 0) ? max(z·magnitudeScale + magnitudeBias, 0) : 0} in place: the gated SAE epilogue
     * over the projection z = x·W_gateᵀ that gate and magnitude share (magnitudeScale = exp(r_mag)). The magnitude is
     * a multiply then an add, two roundings, on every provider, so results are bit-identical across providers. A
     * NaN gate gives 0, an open gate with a NaN magnitude gives NaN. z modified; gateBias, magnitudeScale and
     * magnitudeBias not modified and must not overlap z.
     *
     * @param n              elements (latents), ≥ 0
     * @param z              the shared projection in, the activations out; modified
     * @param zOff           element offset of z[0]
     * @param gateBias       [n] b_gate; not modified
     * @param gOff           element offset of gateBias[0]
     * @param magnitudeScale [n] exp(r_mag); not modified
     * @param sOff           element offset of magnitudeScale[0]
     * @param magnitudeBias  [n] b_mag; not modified
     * @param bOff           element offset of magnitudeBias[0]
     * @throws IllegalArgumentException on bad extents or a parameter overlapping z
     */
    public static void gatedRelu(int n, MemorySegment z, long zOff, MemorySegment gateBias, long gOff,
                                 MemorySegment magnitudeScale, long sOff, MemorySegment magnitudeBias, long bOff) {
        Checks.nonNegative("n", n);
        Checks.vector("z", z, zOff, n, F32_BYTES);
        Checks.vector("gateBias", gateBias, gOff, n, F32_BYTES);
        Checks.vector("magnitudeScale", magnitudeScale, sOff, n, F32_BYTES);
        Checks.vector("magnitudeBias", magnitudeBias, bOff, n, F32_BYTES);
        Checks.disjoint("z", z, zOff, 1, n, n, "gateBias", gateBias, gOff, 1, n, n, F32_BYTES);
        Checks.disjoint("z", z, zOff, 1, n, n, "magnitudeScale", magnitudeScale, sOff, 1, n, n, F32_BYTES);
        Checks.disjoint("z", z, zOff, 1, n, n, "magnitudeBias", magnitudeBias, bOff, 1, n, n, F32_BYTES);
        provider().gatedRelu(n, z, zOff, gateBias, gOff, magnitudeScale, sOff, magnitudeBias, bOff);
    }

    /**
     * {@code y = sign(x)·max(|x| − lambda, 0)}, the proximal step of {@code lambda·‖·‖₁}.
     *
     * @param n      elements, ≥ 0
     * @param lambda threshold, finite and ≥ 0
     * @param x      inputs; not modified (unless y is the same elements)
     * @param xOff   element offset of x[0]
     * @param y      outputs; modified. It may be exactly x, never a partial overlap
     * @param yOff   element offset of y[0]
     * @throws IllegalArgumentException on bad extents, a partial overlap or an invalid lambda
     */
    public static void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        checkLambda(lambda);
        provider().softThreshold(n, lambda, x, xOff, y, yOff);
    }

    /**
     * {@code y = max(x − lambda, 0)}, the proximal step of {@code lambda·‖·‖₁} restricted to y ≥ 0.
     *
     * @param n      elements, ≥ 0
     * @param lambda threshold, finite and ≥ 0
     * @param x      inputs; not modified (unless y is the same elements)
     * @param xOff   element offset of x[0]
     * @param y      outputs; modified. It may be exactly x, never a partial overlap
     * @param yOff   element offset of y[0]
     * @throws IllegalArgumentException on bad extents, a partial overlap or an invalid lambda
     */
    public static void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y,
                                                long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        checkLambda(lambda);
        provider().softThresholdNonNegative(n, lambda, x, xOff, y, yOff);
    }

    // ---- reduced precision ----

    /**
     * {@code dst = (float) src} for bf16 src, exact.
     *
     * @param n      elements, ≥ 0
     * @param src    bf16 elements; not modified
     * @param srcOff element offset of src[0], in bf16 elements
     * @param dst    fp32 elements; modified; must not overlap src
     * @param dstOff element offset of dst[0], in fp32 elements
     * @throws IllegalArgumentException on bad extents or overlapping operands
     */
    public static void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        Checks.nonNegative("n", n);
        Checks.vector("src", src, srcOff, n, BF16_BYTES);
        Checks.vector("dst", dst, dstOff, n, F32_BYTES);
        Checks.disjoint("dst", dst, dstOff, 1, n, n, "src", src, srcOff, 1, n, n, BF16_BYTES);
        provider().widenBf16(n, src, srcOff, dst, dstOff);
    }

    /**
     * {@code dst = bf16(src)}, round to nearest even.
     *
     * @param n      elements, ≥ 0
     * @param src    fp32 elements; not modified
     * @param srcOff element offset of src[0], in fp32 elements
     * @param dst    bf16 elements; modified; must not overlap src
     * @param dstOff element offset of dst[0], in bf16 elements
     * @throws IllegalArgumentException on bad extents or overlapping operands
     */
    public static void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        Checks.nonNegative("n", n);
        Checks.vector("src", src, srcOff, n, F32_BYTES);
        Checks.vector("dst", dst, dstOff, n, BF16_BYTES);
        Checks.disjoint("src", src, srcOff, 1, n, n, "dst", dst, dstOff, 1, n, n, BF16_BYTES);
        provider().narrowToBf16(n, src, srcOff, dst, dstOff);
    }

    // ---- optimiser ----

    /**
     * One Adam step at (1-based) {@code step} with learning rate {@code lr}, PyTorch's formulation:
     * {@code m = β1·m + (1 − β1)·g}, {@code v = β2·v + (1 − β2)·g²}, {@code p −= (lr/(1 − β1^step))·m/(√v/√(1 −
     * β2^step) + eps)}; the bias corrections are computed here in double.
     *
     * @param n     parameters, ≥ 0
     * @param p     parameters; modified
     * @param pOff  element offset of p[0]
     * @param g     gradient; not modified
     * @param gOff  element offset of g[0]
     * @param m     first moment; modified
     * @param mOff  element offset of m[0]
     * @param v     second moment; modified
     * @param vOff  element offset of v[0]
     * @param lr    learning rate, finite
     * @param beta1 β1 in [0, 1)
     * @param beta2 β2 in [0, 1)
     * @param eps   ε, finite and &gt; 0
     * @param step  the step number t, ≥ 1
     * @throws IllegalArgumentException on bad extents or an out-of-range hyper-parameter
     */
    public static void adam(int n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m, long mOff,
                            MemorySegment v, long vOff, float lr, float beta1, float beta2, float eps, long step) {
        Checks.nonNegative("n", n);
        Checks.vector("p", p, pOff, n, F32_BYTES);
        Checks.vector("g", g, gOff, n, F32_BYTES);
        Checks.vector("m", m, mOff, n, F32_BYTES);
        Checks.vector("v", v, vOff, n, F32_BYTES);
        Checks.finite("lr", lr);
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + step);
        }
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        provider().adam(n, p, pOff, g, gOff, m, mOff, v, vOff, beta1, beta2, eps, stepSize, bc2Sqrt);
    }

    // ---- compaction of dense codes ----

    /**
     * Returns the number of elements of {@code x[0:n]} that are {@code != 0f}: −0 counts as zero, NaN as non-zero.
     *
     * @param n    elements, ≥ 0
     * @param x    the vector; not modified
     * @param xOff element offset of x[0]
     * @return the count, in [0, n]
     * @throws IllegalArgumentException on bad extents
     */
    public static int countNonZero(int n, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        return provider().countNonZero(n, x, xOff);
    }

    /**
     * Writes the non-zero elements ({@code != 0f}, as in {@link #countNonZero}) of {@code x[0:n]} in ascending order,
     * {@code indices[off+t] = column0 + j} and {@code values[off+t] = x[j]}, and returns their count t.
     *
     * <pre>{@code
     * // CSR row r of a dense [batch, width] code matrix, appended at position write
     * int count = Kernels.compactNonZero(width, z, (long) r * width, 0, indices, values, write, capacity - write);
     * }</pre>
     *
     * @param n       elements, ≥ 0
     * @param x       the dense row; not modified
     * @param xOff    element offset of x[0]
     * @param column0 added to every written index (the row's first column in a wider matrix), ≥ 0
     * @param indices modified only in {@code [off, off + count)}
     * @param values  modified only in {@code [off, off + count)}
     * @param off     first position written, ≥ 0
     * @param limit   most entries that may be written; both arrays need {@code off + limit} entries
     * @return the number of non-zero elements written
     * @throws IllegalArgumentException when x holds more than {@code limit} non-zero elements (indices and values then
     *                                  hold unspecified entries in {@code [off, off + limit)}), or when an argument is
     *                                  invalid
     */
    public static int compactNonZero(int n, MemorySegment x, long xOff, int column0, int[] indices, float[] values,
                                     int off, int limit) {
        Checks.nonNegative("n", n);
        Checks.nonNegative("column0", column0);
        Checks.nonNegative("limit", limit);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        if (n > 0 && column0 > Integer.MAX_VALUE - (n - 1)) {
            throw new IllegalArgumentException("columns " + column0 + " + [0, " + n + ") exceed the int range");
        }
        checkArrays(indices, values, off, limit);
        int count = provider().compactNonZero(n, x, xOff, column0, indices, values, off, limit);
        if (count < 0) {
            throw new IllegalArgumentException("x holds more than limit = " + limit + " non-zero elements");
        }
        return count;
    }

    // ---- selection and sparse decode ----

    /**
     * Selects the top {@code k} of {@code x[0:n]} (larger first, ties to the lower index, NaN lowest) into
     * {@code indices/values} at {@code off}, indices ascending.
     *
     * @param n       elements, ≥ 0
     * @param x       the scores; not modified
     * @param xOff    element offset of x[0]
     * @param k       how many to keep, ≥ 0
     * @param indices modified in {@code [off, off + min(k, n))}
     * @param values  modified in {@code [off, off + min(k, n))}: the selected scores
     * @param off     first position written, ≥ 0
     * @return {@code min(k, n)}, the entries written
     * @throws IllegalArgumentException on bad extents or arrays shorter than {@code off + min(k, n)}
     */
    public static int topK(int n, MemorySegment x, long xOff, int k, int[] indices, float[] values, int off) {
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        int kept = Math.min(k, n);
        checkArrays(indices, values, off, kept);
        return provider().topK(n, x, xOff, k, indices, values, off);
    }

    /**
     * {@code (indices[off+g], values[off+g]) = (argmax, max) of x[g·w, (g+1)·w)} for {@code g < groups},
     * {@code w = n / groups}: the group maxima of sparsify's groupmax, indices counted from x[0]. Ties go to the
     * lower index (−0 and +0 tie), NaN is never chosen after a group's first element, and a group whose first
     * element is NaN reports it. Indices ascend with g; indices and values modified only in
     * {@code [off, off + groups)}, x not modified.
     *
     * <pre>{@code
     * // the k group maxima of row r of [batch, dSae] ReLU activations a
     * Kernels.groupMax(dSae, k, a, (long) r * dSae, indices, values, r * k);
     * }</pre>
     *
     * @param n       elements, ≥ 0; a multiple of {@code groups}
     * @param groups  number of groups, the entries written; in [1, n] when n &gt; 0, 0 when n is 0
     * @param x       the scores; not modified
     * @param xOff    element offset of x[0]
     * @param indices modified in {@code [off, off + groups)}: each group's argmax, counted from x[0]
     * @param values  modified in {@code [off, off + groups)}: each group's maximum
     * @param off     first position written, ≥ 0
     * @throws IllegalArgumentException when groups does not split n into non-empty groups of equal width, or on bad
     *                                  extents or output arrays too short
     */
    public static void groupMax(int n, int groups, MemorySegment x, long xOff, int[] indices, float[] values,
                                int off) {
        Checks.nonNegative("n", n);
        Checks.nonNegative("groups", groups);
        if (groups == 0 ? n != 0 : n < groups || n % groups != 0) {
            throw new IllegalArgumentException("groups = " + groups + " must split n = " + n
                    + " into non-empty groups of equal width");
        }
        Checks.vector("x", x, xOff, n, F32_BYTES);
        checkArrays(indices, values, off, groups);
        provider().groupMax(n, groups, x, xOff, indices, values, off);
    }

    /**
     * {@code out[r,:] = bias + Σ codes[r,t]·w[idx(r,t), :]} for every row r of {@code codes}, W [cols × d] one row per
     * latent; a copy of the bias, then one gather-axpy per row.
     *
     * @param codes   the sparse codes; not modified; every index must lie in [0, codes.cols())
     * @param w       W, codes.cols()×d fp32, one row per latent; not modified
     * @param wOff    element offset of W[0,0]
     * @param ldw     leading dimension of W, ≥ d when codes.cols() &gt; 1
     * @param d       output width, ≥ 0
     * @param bias    [d]; not modified
     * @param biasOff element offset of bias[0]
     * @param out     codes.rows()×d; modified; must not overlap w or bias
     * @param outOff  element offset of out[0,0]
     * @param ldo     leading dimension of out, ≥ d when codes.rows() &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or an index outside [0, codes.cols())
     */
    public static void decode(SparseCode codes, MemorySegment w, long wOff, int ldw, int d, MemorySegment bias,
                              long biasOff, MemorySegment out, long outOff, int ldo) {
        Objects.requireNonNull(codes, "codes");
        Checks.nonNegative("d", d);
        int rows = codes.rows();
        Checks.matrix("w", w, wOff, codes.cols(), d, ldw, F32_BYTES);
        Checks.vector("bias", bias, biasOff, d, F32_BYTES);
        Checks.matrix("out", out, outOff, rows, d, ldo, F32_BYTES);
        Checks.disjoint("out", out, outOff, rows, d, ldo, "w", w, wOff, codes.cols(), d, ldw, F32_BYTES);
        Checks.disjoint("out", out, outOff, rows, d, ldo, "bias", bias, biasOff, 1, d, d, F32_BYTES);
        int[] indices = codes.indices();
        for (int t = 0; t < codes.nnz(); t++) {
            if (indices[t] < 0 || indices[t] >= codes.cols()) {
                throw new IllegalArgumentException("codes: latent index " + indices[t] + " at entry " + t
                        + " outside [0, " + codes.cols() + ")");
            }
        }
        MatrixJob job = prepare(MatrixJob.Op.DECODE, rows, d, 0);
        job.b = w;
        job.bOff = wOff;
        job.ldb = ldw;
        job.bias = bias;
        job.biasOff = biasOff;
        job.c = out;
        job.cOff = outOff;
        job.ldc = ldo;
        job.indices = indices;
        job.values = codes.values();
        job.rowPointers = codes.rowPointers();
        runRows(job, (long) codes.nnz() * d);
    }

    // ---- matrix-vector ----

    /**
     * {@code y = alpha·A·x + beta·y}, A m×n fp32. With {@code beta == 0}, y is overwritten without being read.
     *
     * @param m     rows of A and length of y, ≥ 0
     * @param n     columns of A and length of x, ≥ 0
     * @param alpha scale of A·x, finite
     * @param a     A; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ n when m &gt; 1
     * @param x     [n]; not modified
     * @param xOff  element offset of x[0]
     * @param beta  scale of the old y, finite
     * @param y     [m]; modified; must not overlap A or x
     * @param yOff  element offset of y[0]
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                            long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV, F32_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /**
     * {@code y = alpha·A·x + beta·y}, A m×n bf16 widened in registers, x and y fp32, fp32 accumulation.
     *
     * @param m     rows of A and length of y, ≥ 0
     * @param n     columns of A and length of x, ≥ 0
     * @param alpha scale of A·x, finite
     * @param a     A in bf16; not modified
     * @param aOff  element offset of A[0,0], in bf16 elements
     * @param lda   leading dimension of A, ≥ n when m &gt; 1
     * @param x     [n] fp32; not modified
     * @param xOff  element offset of x[0]
     * @param beta  scale of the old y, finite
     * @param y     [m] fp32; modified; must not overlap A or x
     * @param yOff  element offset of y[0]
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                                long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_BF16, BF16_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /**
     * {@code y = alpha·Aᵀ·x + beta·y}, A m×n fp32 (read row by row: a transposed GEMV streams A as fast as a plain
     * one).
     *
     * @param m     rows of A and length of x, ≥ 0
     * @param n     columns of A and length of y, ≥ 0
     * @param alpha scale of Aᵀ·x, finite
     * @param a     A; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ n when m &gt; 1
     * @param x     [m]; not modified
     * @param xOff  element offset of x[0]
     * @param beta  scale of the old y, finite
     * @param y     [n]; modified; must not overlap A or x
     * @param yOff  element offset of y[0]
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                      MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_T, F32_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /**
     * {@code y = alpha·Aᵀ·x + beta·y}, A m×n bf16 widened in registers, x and y fp32, fp32 accumulation.
     *
     * @param m     rows of A and length of x, ≥ 0
     * @param n     columns of A and length of y, ≥ 0
     * @param alpha scale of Aᵀ·x, finite
     * @param a     A in bf16; not modified
     * @param aOff  element offset of A[0,0], in bf16 elements
     * @param lda   leading dimension of A, ≥ n when m &gt; 1
     * @param x     [m] fp32; not modified
     * @param xOff  element offset of x[0]
     * @param beta  scale of the old y, finite
     * @param y     [n] fp32; modified; must not overlap A or x
     * @param yOff  element offset of y[0]
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                          MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_T_BF16, BF16_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    // ---- matrix-matrix ----

    /**
     * {@code C = alpha·A·B + beta·C}, A m×k, B k×n, C m×n, all fp32. With {@code beta == 0}, C is overwritten without
     * being read.
     *
     * @param m     rows of A and C, ≥ 0
     * @param n     columns of B and C, ≥ 0
     * @param k     columns of A and rows of B, ≥ 0
     * @param alpha scale of A·B, finite
     * @param a     A; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ k when m &gt; 1
     * @param b     B; not modified
     * @param bOff  element offset of B[0,0]
     * @param ldb   leading dimension of B, ≥ n when k &gt; 1
     * @param beta  scale of the old C, finite
     * @param c     C; modified; must not overlap A or B
     * @param cOff  element offset of C[0,0]
     * @param ldc   leading dimension of C, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, k, n, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /**
     * {@code C = alpha·A·Bᵀ + beta·C}, A m×k, B n×k, C m×n, all fp32: the shape of an encoder (B one row per latent)
     * and of every correlation with a dictionary.
     *
     * @param m     rows of A and C, ≥ 0
     * @param n     rows of B and columns of C, ≥ 0
     * @param k     columns of A and B, ≥ 0
     * @param alpha scale of A·Bᵀ, finite
     * @param a     A; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ k when m &gt; 1
     * @param b     B; not modified
     * @param bOff  element offset of B[0,0]
     * @param ldb   leading dimension of B, ≥ k when n &gt; 1
     * @param beta  scale of the old C, finite
     * @param c     C; modified; must not overlap A or B
     * @param cOff  element offset of C[0,0]
     * @param ldc   leading dimension of C, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM_NT, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, n, k, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /**
     * {@code C = alpha·Aᵀ·B + beta·C}, A k×m, B k×n, C m×n, all fp32: the shape of a weight gradient.
     *
     * @param m     columns of A and rows of C, ≥ 0
     * @param n     columns of B and C, ≥ 0
     * @param k     rows of A and B, ≥ 0
     * @param alpha scale of Aᵀ·B, finite
     * @param a     A; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ m when k &gt; 1
     * @param b     B; not modified
     * @param bOff  element offset of B[0,0]
     * @param ldb   leading dimension of B, ≥ n when k &gt; 1
     * @param beta  scale of the old C, finite
     * @param c     C; modified; must not overlap A or B
     * @param cOff  element offset of C[0,0]
     * @param ldc   leading dimension of C, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM_TN, m, n, k, alpha, a, aOff, lda, k, m, b, bOff, ldb, k, n, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /**
     * {@code C = alpha·A·Bᵀ + beta·C}, A m×k fp32, B n×k bf16 widened in registers, C m×n fp32, fp32 accumulation.
     *
     * @param m     rows of A and C, ≥ 0
     * @param n     rows of B and columns of C, ≥ 0
     * @param k     columns of A and B, ≥ 0
     * @param alpha scale of A·Bᵀ, finite
     * @param a     A, fp32; not modified
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A, ≥ k when m &gt; 1
     * @param b     B, bf16; not modified
     * @param bOff  element offset of B[0,0], in bf16 elements
     * @param ldb   leading dimension of B, ≥ k when n &gt; 1
     * @param beta  scale of the old C, finite
     * @param c     C, fp32; modified; must not overlap A or B
     * @param cOff  element offset of C[0,0]
     * @param ldc   leading dimension of C, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or a non-finite scalar
     */
    public static void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda,
                                  MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff,
                                  int ldc) {
        gemmJob(MatrixJob.Op.GEMM_NT_BF16, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, n, k, BF16_BYTES, beta, c,
                cOff, ldc);
    }

    // ---- fused SAE encoders: Z = epilogue(X·Wᵀ + bias), X m×k, W n×k, Z m×n ----

    /**
     * {@code Z = X·Wᵀ + bias}, the bias added in the GEMM's epilogue.
     *
     * @param m       rows of X and Z (the batch), ≥ 0
     * @param n       rows of W and columns of Z (the latents), ≥ 0
     * @param k       columns of X and W (d_in), ≥ 0
     * @param x       X, m×k; not modified
     * @param xOff    element offset of X[0,0]
     * @param ldx     leading dimension of X, ≥ k when m &gt; 1
     * @param w       W, n×k, one row per latent; not modified
     * @param wOff    element offset of W[0,0]
     * @param ldw     leading dimension of W, ≥ k when n &gt; 1
     * @param bias    [n]; not modified
     * @param biasOff element offset of bias[0]
     * @param z       Z, m×n; modified; must not overlap X, W or bias
     * @param zOff    element offset of Z[0,0]
     * @param ldz     leading dimension of Z, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents or overlapping operands
     */
    public static void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        encodeJob(MatrixJob.Op.ENCODE_BIAS, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, null, 0, z, zOff, ldz);
    }

    /**
     * {@code Z = max(X·Wᵀ + bias, 0)}, bias and ReLU applied in the GEMM's epilogue.
     *
     * @param m       rows of X and Z (the batch), ≥ 0
     * @param n       rows of W and columns of Z (the latents), ≥ 0
     * @param k       columns of X and W (d_in), ≥ 0
     * @param x       X, m×k; not modified
     * @param xOff    element offset of X[0,0]
     * @param ldx     leading dimension of X, ≥ k when m &gt; 1
     * @param w       W, n×k, one row per latent; not modified
     * @param wOff    element offset of W[0,0]
     * @param ldw     leading dimension of W, ≥ k when n &gt; 1
     * @param bias    [n]; not modified
     * @param biasOff element offset of bias[0]
     * @param z       Z, m×n; modified; must not overlap X, W or bias
     * @param zOff    element offset of Z[0,0]
     * @param ldz     leading dimension of Z, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents or overlapping operands
     */
    public static void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        encodeJob(MatrixJob.Op.ENCODE_RELU, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, null, 0, z, zOff, ldz);
    }

    /**
     * {@code Z = (P > theta) ? P : 0}, {@code P = X·Wᵀ + bias}, the comparison strict and applied in the GEMM's
     * epilogue (clamp θ at 0 beforehand to also get a ReLU).
     *
     * @param m        rows of X and Z (the batch), ≥ 0
     * @param n        rows of W and columns of Z (the latents), ≥ 0
     * @param k        columns of X and W (d_in), ≥ 0
     * @param x        X, m×k; not modified
     * @param xOff     element offset of X[0,0]
     * @param ldx      leading dimension of X, ≥ k when m &gt; 1
     * @param w        W, n×k, one row per latent; not modified
     * @param wOff     element offset of W[0,0]
     * @param ldw      leading dimension of W, ≥ k when n &gt; 1
     * @param bias     [n]; not modified
     * @param biasOff  element offset of bias[0]
     * @param theta    [n] thresholds; not modified; must not contain NaN
     * @param thetaOff element offset of theta[0]
     * @param z        Z, m×n; modified; must not overlap X, W, bias or theta
     * @param zOff     element offset of Z[0,0]
     * @param ldz      leading dimension of Z, ≥ n when m &gt; 1
     * @throws IllegalArgumentException on bad extents, overlapping operands or a NaN threshold
     */
    public static void encodeJumpRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                      long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment theta,
                                      long thetaOff, MemorySegment z, long zOff, int ldz) {
        Checks.nonNegative("n", n);
        checkThresholds(n, theta, thetaOff);
        encodeJob(MatrixJob.Op.ENCODE_JUMP_RELU, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, theta, thetaOff,
                z, zOff, ldz);
    }

    /**
     * Row-wise top-{@code topK} of {@code X·Wᵀ + bias} streamed into {@code out}: row i keeps {@code min(topK, n)}
     * (index, pre-activation) pairs, indices ascending, ranked as {@link #topK}; the dense rows are never materialised.
     * Non-positive values are kept: apply a ReLU afterwards if the model needs one.
     *
     * @param m       rows of X (the batch), ≥ 0
     * @param n       rows of W (the latents), ≥ 0
     * @param k       columns of X and W (d_in), ≥ 0
     * @param x       X, m×k; not modified
     * @param xOff    element offset of X[0,0]
     * @param ldx     leading dimension of X, ≥ k when m &gt; 1
     * @param w       W, n×k, one row per latent; not modified
     * @param wOff    element offset of W[0,0]
     * @param ldw     leading dimension of W, ≥ k when n &gt; 1
     * @param bias    [n]; not modified
     * @param biasOff element offset of bias[0]
     * @param topK    latents kept per row, ≥ 0
     * @param out     modified: reset to m rows of {@code min(topK, n)} entries over n latents; needs {@code out.cols()
     *                == n}, at least m rows and {@code m·min(topK, n)} entries of capacity
     * @throws IllegalArgumentException on bad extents, a negative {@code topK}, or an {@code out} of another width or
     *                                  too little capacity
     */
    public static void encodeTopK(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, int topK, SparseCode out) {
        Objects.requireNonNull(out, "out");
        Checks.nonNegative("topK", topK);
        checkEncodeOperands(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff);
        if (out.cols() != n) {
            throw new IllegalArgumentException("out has " + out.cols() + " latents, the encoder has " + n);
        }
        int kept = Math.min(topK, n);
        out.resetFixed(m, kept);
        MatrixJob job = prepare(MatrixJob.Op.ENCODE_TOPK, m, n, k);
        job.a = x;
        job.aOff = xOff;
        job.lda = ldx;
        job.b = w;
        job.bOff = wOff;
        job.ldb = ldw;
        job.bias = bias;
        job.biasOff = biasOff;
        job.topK = topK;
        job.indices = out.indices();
        job.values = out.values();
        runRows(job, (long) m * n * k);
    }

    // ---- dispatch ----

    /**
     * Validates a GEMV and runs it, split over output rows (plain) or output columns (transposed).
     *
     * @param op    one of the four GEMV operations
     * @param aBytes bytes per element of A (4 or 2)
     * @param m     rows of A
     * @param n     columns of A
     * @param alpha scale of the product
     * @param a     A
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A
     * @param x     the input vector
     * @param xOff  element offset of x[0]
     * @param beta  scale of the old y
     * @param y     the output vector
     * @param yOff  element offset of y[0]
     */
    private static void gemvJob(MatrixJob.Op op, int aBytes, int m, int n, float alpha, MemorySegment a, long aOff,
                                int lda, MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        checkShape(m, n);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        boolean transposed = op == MatrixJob.Op.GEMV_T || op == MatrixJob.Op.GEMV_T_BF16;
        int xLength = transposed ? m : n;
        int yLength = transposed ? n : m;
        Checks.matrix("a", a, aOff, m, n, lda, aBytes);
        Checks.vector("x", x, xOff, xLength, F32_BYTES);
        Checks.vector("y", y, yOff, yLength, F32_BYTES);
        Checks.disjoint("y", y, yOff, 1, yLength, yLength, "a", a, aOff, m, n, lda, aBytes);
        Checks.disjoint("y", y, yOff, 1, yLength, yLength, "x", x, xOff, 1, xLength, xLength, F32_BYTES);
        MatrixJob job = prepare(op, m, n, 0);
        job.alpha = alpha;
        job.beta = beta;
        job.a = a;
        job.aOff = aOff;
        job.lda = lda;
        job.b = x;
        job.bOff = xOff;
        job.c = y;
        job.cOff = yOff;
        long work = (long) m * n;
        if (transposed) {
            runColumns(job, work);
        } else {
            runRows(job, work);
        }
    }

    /**
     * Validates a GEMM (with A and B given as stored, aRows×aCols and bRows×bCols) and runs it split along its larger
     * output side.
     *
     * @param op    one of the four GEMM operations
     * @param m     rows of C
     * @param n     columns of C
     * @param k     the inner dimension
     * @param alpha scale of the product
     * @param a     A
     * @param aOff  element offset of A[0,0]
     * @param lda   leading dimension of A
     * @param aRows rows of A as stored
     * @param aCols columns of A as stored
     * @param b     B
     * @param bOff  element offset of B[0,0]
     * @param ldb   leading dimension of B
     * @param bRows rows of B as stored
     * @param bCols columns of B as stored
     * @param bBytes bytes per element of B (4 or 2)
     * @param beta  scale of the old C
     * @param c     C
     * @param cOff  element offset of C[0,0]
     * @param ldc   leading dimension of C
     */
    private static void gemmJob(MatrixJob.Op op, int m, int n, int k, float alpha, MemorySegment a, long aOff,
                                int lda, int aRows, int aCols, MemorySegment b, long bOff, int ldb, int bRows,
                                int bCols, int bBytes, float beta, MemorySegment c, long cOff, int ldc) {
        checkShape(m, n);
        Checks.nonNegative("k", k);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        Checks.matrix("a", a, aOff, aRows, aCols, lda, F32_BYTES);
        Checks.matrix("b", b, bOff, bRows, bCols, ldb, bBytes);
        Checks.matrix("c", c, cOff, m, n, ldc, F32_BYTES);
        Checks.disjoint("c", c, cOff, m, n, ldc, "a", a, aOff, aRows, aCols, lda, F32_BYTES);
        Checks.disjoint("c", c, cOff, m, n, ldc, "b", b, bOff, bRows, bCols, ldb, bBytes);
        MatrixJob job = prepare(op, m, n, k);
        job.alpha = alpha;
        job.beta = beta;
        job.a = a;
        job.aOff = aOff;
        job.lda = lda;
        job.b = b;
        job.bOff = bOff;
        job.ldb = ldb;
        job.c = c;
        job.cOff = cOff;
        job.ldc = ldc;
        runLargerSide(job, (long) m * n * k);
    }

    /**
     * Validates a fused encoder (theta null unless JumpReLU) and runs it split along its larger output side.
     *
     * @param op       one of the three dense encoder operations
     * @param m        rows of X and Z
     * @param n        rows of W and columns of Z
     * @param k        columns of X and W
     * @param x        X
     * @param xOff     element offset of X[0,0]
     * @param ldx      leading dimension of X
     * @param w        W
     * @param wOff     element offset of W[0,0]
     * @param ldw      leading dimension of W
     * @param bias     [n]
     * @param biasOff  element offset of bias[0]
     * @param theta    [n] thresholds, or null
     * @param thetaOff element offset of theta[0]
     * @param z        Z
     * @param zOff     element offset of Z[0,0]
     * @param ldz      leading dimension of Z
     */
    private static void encodeJob(MatrixJob.Op op, int m, int n, int k, MemorySegment x, long xOff, int ldx,
                                  MemorySegment w, long wOff, int ldw, MemorySegment bias, long biasOff,
                                  MemorySegment theta, long thetaOff, MemorySegment z, long zOff, int ldz) {
        checkEncodeOperands(m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff);
        Checks.matrix("z", z, zOff, m, n, ldz, F32_BYTES);
        Checks.disjoint("z", z, zOff, m, n, ldz, "x", x, xOff, m, k, ldx, F32_BYTES);
        Checks.disjoint("z", z, zOff, m, n, ldz, "w", w, wOff, n, k, ldw, F32_BYTES);
        Checks.disjoint("z", z, zOff, m, n, ldz, "bias", bias, biasOff, 1, n, n, F32_BYTES);
        if (theta != null) {
            Checks.disjoint("z", z, zOff, m, n, ldz, "theta", theta, thetaOff, 1, n, n, F32_BYTES);
        }
        MatrixJob job = prepare(op, m, n, k);
        job.a = x;
        job.aOff = xOff;
        job.lda = ldx;
        job.b = w;
        job.bOff = wOff;
        job.ldb = ldw;
        job.bias = bias;
        job.biasOff = biasOff;
        job.theta = theta;
        job.thetaOff = thetaOff;
        job.c = z;
        job.cOff = zOff;
        job.ldc = ldz;
        runLargerSide(job, (long) m * n * k);
    }

    /**
     * The calling thread's job, set to {@code op} over m×n outputs with inner dimension k and the selected provider.
     *
     * @param op the operation
     * @param m  output rows
     * @param n  output columns
     * @param k  inner dimension (0 for GEMV and decode)
     * @return the job, whose operands the caller then sets
     */
    private static MatrixJob prepare(MatrixJob.Op op, int m, int n, int k) {
        MatrixJob job = Holder.JOBS.get();
        job.impl = Holder.IMPL;
        job.op = op;
        job.m = m;
        job.n = n;
        job.k = k;
        return job;
    }

    /**
     * Splits along the output dimension whose chunks re-pack the smaller operand: column chunks re-pack A (m×k), row
     * chunks re-pack B (n×k).
     *
     * @param job  the prepared job
     * @param fmas multiply-adds of the whole operation
     */
    private static void runLargerSide(MatrixJob job, long fmas) {
        if (job.n >= job.m) {
            runColumns(job, fmas);
        } else {
            runRows(job, fmas);
        }
    }

    /**
     * Runs the job split into row chunks of the output.
     *
     * @param job  the prepared job
     * @param fmas multiply-adds of the whole operation
     */
    private static void runRows(MatrixJob job, long fmas) {
        KernelContext context = KernelContext.current();
        job.splitColumns = false;
        job.chunk = chunk(job, context, job.m, ROW_GRAIN, fmas);
        execute(job, context);
    }

    /**
     * Runs the job split into column chunks of the output.
     *
     * @param job  the prepared job
     * @param fmas multiply-adds of the whole operation
     */
    private static void runColumns(MatrixJob job, long fmas) {
        KernelContext context = KernelContext.current();
        job.splitColumns = true;
        job.chunk = chunk(job, context, job.n, COLUMN_GRAIN, fmas);
        execute(job, context);
    }

    /**
     * One chunk per thread, rounded up to the grain; everything in one chunk for small work or when a segment is
     * confined to the calling thread. The chunking depends on the thread count but never changes results.
     *
     * @param job     the prepared job
     * @param context the calling thread's context
     * @param extent  rows or columns being split
     * @param grain   chunks are multiples of this
     * @param fmas    multiply-adds of the whole operation
     * @return the chunk size, ≥ 1
     */
    private static int chunk(MatrixJob job, KernelContext context, int extent, int grain, long fmas) {
        int threads = context.threads();
        if (threads == 1 || fmas < PARALLEL_MIN_FMAS || extent <= grain || !job.sharedWith(context.pool())) {
            return Math.max(extent, 1);
        }
        int perThread = (extent + threads - 1) / threads;
        return (perThread + grain - 1) / grain * grain;
    }

    /**
     * A single task runs on the calling thread with that thread's workspace, without touching the pool, so independent
     * callers (several training runs at once) proceed in parallel; split jobs take their context's pool in turn. The
     * job's operand references are cleared afterwards.
     *
     * @param job     the prepared, chunked job
     * @param context the calling thread's context
     */
    private static void execute(MatrixJob job, KernelContext context) {
        try {
            int tasks = job.taskCount();
            if (tasks == 1) {
                job.run(0, Holder.WORKSPACES.get());
            } else {
                context.pool().run(tasks, job);
            }
        } finally {
            job.clear();
        }
    }

    // ---- validation ----

    /**
     * Checks that both dimensions are non-negative.
     *
     * @param m rows
     * @param n columns
     * @throws IllegalArgumentException naming the negative one
     */
    private static void checkShape(int m, int n) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
    }

    /**
     * Checks the shapes and extents shared by every fused encoder: X m×k, W n×k and bias [n].
     *
     * @param m       rows of X
     * @param n       rows of W
     * @param k       columns of X and W
     * @param x       X
     * @param xOff    element offset of X[0,0]
     * @param ldx     leading dimension of X
     * @param w       W
     * @param wOff    element offset of W[0,0]
     * @param ldw     leading dimension of W
     * @param bias    the bias
     * @param biasOff element offset of bias[0]
     * @throws IllegalArgumentException naming the operand at fault
     */
    private static void checkEncodeOperands(int m, int n, int k, MemorySegment x, long xOff, int ldx,
                                            MemorySegment w, long wOff, int ldw, MemorySegment bias, long biasOff) {
        checkShape(m, n);
        Checks.nonNegative("k", k);
        Checks.matrix("x", x, xOff, m, k, ldx, F32_BYTES);
        Checks.matrix("w", w, wOff, n, k, ldw, F32_BYTES);
        Checks.vector("bias", bias, biasOff, n, F32_BYTES);
    }

    /**
     * Checks an element-wise operation: both vectors within their segments, y either exactly x or disjoint from it.
     *
     * @param n    elements
     * @param x    the input
     * @param xOff element offset of x[0]
     * @param y    the output
     * @param yOff element offset of y[0]
     * @throws IllegalArgumentException naming the operand at fault
     */
    private static void checkElementwise(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        Checks.sameOrDisjoint("y", y, yOff, "x", x, xOff, n);
    }

    /**
     * Checks that the JumpReLU thresholds are within their segment and contain no NaN (one sum-of-squares pass).
     *
     * @param n        elements
     * @param theta    the thresholds
     * @param thetaOff element offset of theta[0]
     * @throws IllegalArgumentException on a bad extent or a NaN
     */
    private static void checkThresholds(int n, MemorySegment theta, long thetaOff) {
        Checks.vector("theta", theta, thetaOff, n, F32_BYTES);
        // A sum of squares is NaN exactly when some element is NaN (±Inf only gives +Inf).
        if (Float.isNaN(provider().sumSquares(n, theta, thetaOff))) {
            throw new IllegalArgumentException("theta contains NaN: JumpReLU thresholds must be numbers");
        }
    }

    /**
     * Checks a soft-threshold λ.
     *
     * @param lambda the threshold
     * @throws IllegalArgumentException unless it is finite and ≥ 0
     */
    private static void checkLambda(float lambda) {
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }

    /**
     * Checks that both output arrays hold {@code count} entries from {@code off}.
     *
     * @param indices the index array
     * @param values  the value array
     * @param off     first position written
     * @param count   entries written
     * @throws IllegalArgumentException if either is too short or {@code off} is negative
     */
    private static void checkArrays(int[] indices, float[] values, int off, int count) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (off < 0 || (long) off + count > indices.length || (long) off + count > values.length) {
            throw new IllegalArgumentException("output arrays too short: need " + count + " entries from " + off
                    + ", have " + Math.min(indices.length, values.length));
        }
    }

    /**
     * {@code v[i] = √v[i]}, rounded once to fp32.
     *
     * @param n   elements
     * @param v   the vector; modified
     * @param off element offset of v[0]
     */
    private static void sqrtInPlace(int n, MemorySegment v, long off) {
        for (int i = 0; i < n; i++) {
            v.setAtIndex(Layouts.F32, off + i, (float) Math.sqrt(v.getAtIndex(Layouts.F32, off + i)));
        }
    }
}
