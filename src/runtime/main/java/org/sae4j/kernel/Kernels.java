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
 * <p>Signatures follow BLAS: row-major matrices as (segment, element offset, leading dimension), fp32 unless a
 * method says bf16. Invalid arguments (negative sizes, views outside their segment, outputs overlapping inputs,
 * non-finite scalars where they make no sense, NaN thresholds) throw {@link IllegalArgumentException} naming the
 * problem before any element is written.
 *
 * <pre>{@code
 * // Z = max(X·Wᵀ + b, 0): batch 4096, d_in 768, 16384 latents, W stored one row per latent
 * Kernels.encodeRelu(4096, 16384, 768, x, 0, 768, w, 0, 768, b, 0, z, 0, 16384);
 * }</pre>
 *
 * <p><b>Note:</b> thread-safe. Multi-threaded operations bound to one {@link KernelContext} take its pool in turn;
 * operations of different contexts run at once; results are identical for every thread count. Operands in a confined arena are only accessible by
 * their owner, so such calls run on the calling thread alone. Calls allocate nothing in steady state.
 */
public final class Kernels {

    /** Below this many multiply-adds an operation runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    /** Column chunks are multiples of this (full vectors and packed panels). */
    private static final int COLUMN_GRAIN = 64;

    /** Row chunks are multiples of this (whole micro-tiles). */
    private static final int ROW_GRAIN = 24;

    private Kernels() {
    }

    private static final class Holder {
        static final KernelProvider IMPL = KernelSelector.select();
        /** Per caller thread, so that single-task jobs from different threads never wait for each other. */
        static final ThreadLocal<MatrixJob> JOBS = ThreadLocal.withInitial(MatrixJob::new);
        static final ThreadLocal<Workspace> WORKSPACES =
                ThreadLocal.withInitial(() -> Workspace.reclaimedByGc("kernels-caller-"
                        + Thread.currentThread().getName()));
    }

    /** The provider every call goes to. */
    static KernelProvider provider() {
        return Holder.IMPL;
    }

    /** Name of the kernel provider chosen for this JVM: {@code "scalar"} or {@code "simd"}. */
    public static String providerName() {
        return provider().name();
    }

    /** Vector width of the chosen provider in bits; 0 for the scalar provider. */
    public static int vectorBitSize() {
        return provider().vectorBitSize();
    }

    /** float lanes per vector of the chosen provider; 1 for the scalar provider. */
    public static int floatLanes() {
        return provider().floatLanes();
    }

    /** Threads the calling thread's operations may use: those of {@link KernelContext#current()}. */
    public static int threads() {
        return KernelContext.current().threads();
    }

    /** One line describing the provider, its vector width and the calling thread's kernel context. */
    public static String describe() {
        KernelProvider impl = provider();
        return impl.name() + " kernels, " + impl.vectorBitSize() + "-bit vectors (" + impl.floatLanes()
                + " float lanes), " + KernelContext.current();
    }

    // ---- backward epilogues ----

    /**
     * {@code g[i] = a[i] > 0 ? g[i] + shift : 0}: the gradient through ReLU (or top-k then ReLU) at activations a,
     * with a constant added first (the L1 term's λ/(B·N)); g modified, may not overlap a unless identical.
     *
     * @throws IllegalArgumentException on bad extents or a non-finite shift
     */
    public static void reluGradient(int n, MemorySegment a, long aOff, MemorySegment g, long gOff, float shift) {
        checkElementwise(n, a, aOff, g, gOff);
        Checks.finite("shift", shift);
        provider().reluGradient(n, a, aOff, g, gOff, shift);
    }

    /**
     * {@code g[i] = z[i]·(g[i] + shift)}: the gradient with respect to θ where z = exp(θ), with a constant added first;
     * g modified.
     *
     * @throws IllegalArgumentException on bad extents or a non-finite shift
     */
    public static void scaleShifted(int n, MemorySegment z, long zOff, MemorySegment g, long gOff, float shift) {
        checkElementwise(n, z, zOff, g, gOff);
        Checks.finite("shift", shift);
        provider().scaleShifted(n, z, zOff, g, gOff, shift);
    }

    /**
     * {@code y[i] = exp(x[i])}, within 3 ulp of the exact value for normal results, bit-identical on every provider
     * and however the code is compiled; y modified, may alias x exactly.
     */
    public static void exp(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        provider().exp(n, x, xOff, y, yOff);
    }

    // ---- level 1 ----

    /** Returns {@code Σ x[i]·y[i]}. */
    public static float dot(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        return provider().dot(n, x, xOff, y, yOff);
    }

    /** Returns {@code Σ x[i]²}. */
    public static float sumSquares(int n, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        return provider().sumSquares(n, x, xOff);
    }

    /** {@code y = alpha·x + y}; y modified. */
    public static void axpy(int n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        Checks.sameOrDisjoint("y", y, yOff, "x", x, xOff, n);
        provider().axpy(n, alpha, x, xOff, y, yOff);
    }

    /** {@code x = alpha·x}; x modified. */
    public static void scale(int n, float alpha, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        provider().scale(n, alpha, x, xOff);
    }

    /** {@code norms[i] = ‖a[i,:]‖₂}; norms modified. */
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
     * Scales every row of a to unit L2 norm ({@code a[i,:] = a[i,:]·(1/‖a[i,:]‖)}; zero rows stay zero) and writes
     * the norms before scaling to {@code norms}. a and norms modified.
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

    /** {@code y = max(x + b, 0)}; y modified (may be exactly x). */
    public static void biasRelu(int n, MemorySegment x, long xOff, MemorySegment b, long bOff, MemorySegment y,
                                long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        Checks.vector("b", b, bOff, n, F32_BYTES);
        provider().biasRelu(n, x, xOff, b, bOff, y, yOff);
    }

    /** {@code y = (x + b > theta) ? x + b : 0}; y modified (may be exactly x). theta must not contain NaN. */
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

    /** {@code y = sign(x)·max(|x| − lambda, 0)}; y modified (may be exactly x). lambda finite and ≥ 0. */
    public static void softThreshold(int n, float lambda, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        checkLambda(lambda);
        provider().softThreshold(n, lambda, x, xOff, y, yOff);
    }

    /** {@code y = max(x − lambda, 0)}; y modified (may be exactly x). lambda finite and ≥ 0. */
    public static void softThresholdNonNegative(int n, float lambda, MemorySegment x, long xOff, MemorySegment y,
                                                long yOff) {
        checkElementwise(n, x, xOff, y, yOff);
        checkLambda(lambda);
        provider().softThresholdNonNegative(n, lambda, x, xOff, y, yOff);
    }

    // ---- reduced precision ----

    /** {@code dst = (float) src} for bf16 src; dst modified. */
    public static void widenBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        Checks.nonNegative("n", n);
        Checks.vector("src", src, srcOff, n, BF16_BYTES);
        Checks.vector("dst", dst, dstOff, n, F32_BYTES);
        Checks.disjoint("dst", dst, dstOff, 1, n, n, "src", src, srcOff, 1, n, n, BF16_BYTES);
        provider().widenBf16(n, src, srcOff, dst, dstOff);
    }

    /** {@code dst = bf16(src)}, round to nearest even; dst (bf16) modified. */
    public static void narrowToBf16(int n, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        Checks.nonNegative("n", n);
        Checks.vector("src", src, srcOff, n, F32_BYTES);
        Checks.vector("dst", dst, dstOff, n, BF16_BYTES);
        Checks.disjoint("src", src, srcOff, 1, n, n, "dst", dst, dstOff, 1, n, n, BF16_BYTES);
        provider().narrowToBf16(n, src, srcOff, dst, dstOff);
    }

    // ---- optimiser ----

    /**
     * One Adam step at (1-based) {@code step} with learning rate {@code lr}, PyTorch's formulation and defaults
     * semantics; p, m and v modified.
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
     * x not modified.
     */
    public static int countNonZero(int n, MemorySegment x, long xOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        return provider().countNonZero(n, x, xOff);
    }

    /**
     * Writes the non-zero elements ({@code != 0f}, as in {@link #countNonZero}) of {@code x[0:n]} in ascending order,
     * {@code indices[off+t] = column0 + j} and {@code values[off+t] = x[j]}, and returns their count t. At most
     * {@code limit} entries are written; indices and values modified only in {@code [off, off + count)}, x not
     * modified.
     *
     * <pre>{@code
     * // CSR row r of a dense [batch, width] code matrix, appended at position write
     * int count = Kernels.compactNonZero(width, z, (long) r * width, 0, indices, values, write, capacity - write);
     * }</pre>
     *
     * @throws IllegalArgumentException when x holds more than {@code limit} non-zero elements (indices and values
     *                                  then hold unspecified entries in {@code [off, off + limit)}), or when an
     *                                  argument is invalid
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
     * {@code indices/values} at {@code off}, indices ascending; returns {@code min(k, n)}.
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
     * latent; out (rows × d, leading dimension ldo) modified.
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

    /** {@code y = alpha·A·x + beta·y}, A m×n fp32; y (m) modified. */
    public static void gemv(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                            long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV, F32_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** {@code y = alpha·A·x + beta·y}, A m×n bf16; y (m) modified. */
    public static void gemvBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda, MemorySegment x,
                                long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_BF16, BF16_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** {@code y = alpha·Aᵀ·x + beta·y}, A m×n fp32; y (n) modified. */
    public static void gemvTransposed(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                      MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_T, F32_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** {@code y = alpha·Aᵀ·x + beta·y}, A m×n bf16; y (n) modified. */
    public static void gemvTransposedBf16(int m, int n, float alpha, MemorySegment a, long aOff, int lda,
                                          MemorySegment x, long xOff, float beta, MemorySegment y, long yOff) {
        gemvJob(MatrixJob.Op.GEMV_T_BF16, BF16_BYTES, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    // ---- matrix-matrix ----

    /** {@code C = alpha·A·B + beta·C}, A m×k, B k×n; C modified. */
    public static void gemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                            long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, k, n, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /** {@code C = alpha·A·Bᵀ + beta·C}, A m×k, B n×k; C modified. */
    public static void gemmNT(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM_NT, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, n, k, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /** {@code C = alpha·Aᵀ·B + beta·C}, A k×m, B k×n; C modified. */
    public static void gemmTN(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda, MemorySegment b,
                              long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        gemmJob(MatrixJob.Op.GEMM_TN, m, n, k, alpha, a, aOff, lda, k, m, b, bOff, ldb, k, n, F32_BYTES, beta, c, cOff,
                ldc);
    }

    /** {@code C = alpha·A·Bᵀ + beta·C}, A m×k fp32, B n×k bf16; C modified. */
    public static void gemmNTBf16(int m, int n, int k, float alpha, MemorySegment a, long aOff, int lda,
                                  MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff,
                                  int ldc) {
        gemmJob(MatrixJob.Op.GEMM_NT_BF16, m, n, k, alpha, a, aOff, lda, m, k, b, bOff, ldb, n, k, BF16_BYTES, beta, c,
                cOff, ldc);
    }

    // ---- fused SAE encoders: Z = epilogue(X·Wᵀ + bias), X m×k, W n×k, Z m×n ----

    /** {@code Z = X·Wᵀ + bias}; Z modified. */
    public static void encodeBias(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        encodeJob(MatrixJob.Op.ENCODE_BIAS, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, null, 0, z, zOff, ldz);
    }

    /** {@code Z = max(X·Wᵀ + bias, 0)}; Z modified. */
    public static void encodeRelu(int m, int n, int k, MemorySegment x, long xOff, int ldx, MemorySegment w,
                                  long wOff, int ldw, MemorySegment bias, long biasOff, MemorySegment z, long zOff,
                                  int ldz) {
        encodeJob(MatrixJob.Op.ENCODE_RELU, m, n, k, x, xOff, ldx, w, wOff, ldw, bias, biasOff, null, 0, z, zOff, ldz);
    }

    /** {@code Z = (P > theta) ? P : 0}, {@code P = X·Wᵀ + bias}; Z modified. theta must not contain NaN. */
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
     * (index, pre-activation) pairs, indices ascending; the dense rows are never materialised. out is reset to m rows
     * over n latents.
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
     */
    private static void runLargerSide(MatrixJob job, long fmas) {
        if (job.n >= job.m) {
            runColumns(job, fmas);
        } else {
            runRows(job, fmas);
        }
    }

    private static void runRows(MatrixJob job, long fmas) {
        KernelContext context = KernelContext.current();
        job.splitColumns = false;
        job.chunk = chunk(job, context, job.m, ROW_GRAIN, fmas);
        execute(job, context);
    }

    private static void runColumns(MatrixJob job, long fmas) {
        KernelContext context = KernelContext.current();
        job.splitColumns = true;
        job.chunk = chunk(job, context, job.n, COLUMN_GRAIN, fmas);
        execute(job, context);
    }

    /**
     * One chunk per thread, rounded up to the grain; everything in one chunk for small work or when a segment is
     * confined to the calling thread.
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
     * A single task runs on the calling thread with that thread's workspace, without touching the pool, so
     * independent callers (several training runs at once) proceed in parallel; split jobs take their context's pool
     * in turn.
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

    private static void checkShape(int m, int n) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
    }

    private static void checkEncodeOperands(int m, int n, int k, MemorySegment x, long xOff, int ldx,
                                            MemorySegment w, long wOff, int ldw, MemorySegment bias, long biasOff) {
        checkShape(m, n);
        Checks.nonNegative("k", k);
        Checks.matrix("x", x, xOff, m, k, ldx, F32_BYTES);
        Checks.matrix("w", w, wOff, n, k, ldw, F32_BYTES);
        Checks.vector("bias", bias, biasOff, n, F32_BYTES);
    }

    private static void checkElementwise(int n, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        Checks.nonNegative("n", n);
        Checks.vector("x", x, xOff, n, F32_BYTES);
        Checks.vector("y", y, yOff, n, F32_BYTES);
        Checks.sameOrDisjoint("y", y, yOff, "x", x, xOff, n);
    }

    private static void checkThresholds(int n, MemorySegment theta, long thetaOff) {
        Checks.vector("theta", theta, thetaOff, n, F32_BYTES);
        // A sum of squares is NaN exactly when some element is NaN (±Inf only gives +Inf).
        if (Float.isNaN(provider().sumSquares(n, theta, thetaOff))) {
            throw new IllegalArgumentException("theta contains NaN: JumpReLU thresholds must be numbers");
        }
    }

    private static void checkLambda(float lambda) {
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }

    private static void checkArrays(int[] indices, float[] values, int off, int count) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (off < 0 || (long) off + count > indices.length || (long) off + count > values.length) {
            throw new IllegalArgumentException("output arrays too short: need " + count + " entries from " + off
                    + ", have " + Math.min(indices.length, values.length));
        }
    }

    private static void sqrtInPlace(int n, MemorySegment v, long off) {
        for (int i = 0; i < n; i++) {
            v.setAtIndex(Layouts.F32, off + i, (float) Math.sqrt(v.getAtIndex(Layouts.F32, off + i)));
        }
    }
}
