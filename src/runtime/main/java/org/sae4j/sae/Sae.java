package org.sae4j.sae;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.io.NonFiniteInputException;
import org.sae4j.io.NonFiniteScan;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * A loaded sparse autoencoder (or transcoder) with its weights off-heap in engine orientation: encoder and decoder both
 * one row per latent, fp32 (or bf16 after {@link #withBf16Weights()}), owned by this object's {@link TensorArena}. A
 * model opened by {@link SaeLoader} from a safetensors file maps that file read-only into the same arena and reads its
 * fp32 decoder (and a sparsify encoder) in place unless a fold on load has to change them; {@link #of} copies the
 * caller's arrays.
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(Path.of("gpt2-small-res-jb/blocks.8.hook_resid_pre"));
 *      SaeWorkspace ws = sae.newWorkspace(256);
 *      TensorArena io = new TensorArena("batches")) {
 *     DenseMatrix x = DenseMatrix.f32(io.allocateFloats(256L * sae.dIn()), 256, sae.dIn());     // refilled per batch
 *     DenseMatrix xHat = DenseMatrix.f32(io.allocateFloats(256L * sae.dOut()), 256, sae.dOut());
 *     SparseCode codes = SparseCode.withCapacity(256, sae.dSae(), 256 * sae.dSae());
 *     sae.encodeSparse(x, codes, ws);                                 // CSR, indices ascending per row
 *     sae.decode(codes, xHat);                                        // normalised space, b_dec added
 *     SparseCode same = sae.forward(x, xHat, ws);                     // encode, decode, de-normalise, skip term
 * }
 * }</pre>
 *
 * <p>Pipeline (sae-formats §8.1): input normalisation (§9), then {@code x' = x − b_dec} when
 * {@code apply_b_dec_to_input}, then the architecture's encode rule; decode is {@code f·W_dec + b_dec}. {@link #encode}
 * and {@link #encodeSparse} apply the input normalisation; {@link #decode} and {@link #decodeDense} return the
 * reconstruction in the <em>normalised</em> space, because the per-row statistics of
 * {@link Normalisation#CONSTANT_NORM_RESCALE} and {@link Normalisation#LAYER_NORM} are known only to the call that saw
 * the input; {@link #forward} runs the whole pipeline and de-normalises. With {@link Normalisation#NONE} the two spaces
 * coincide. Models with a skip connection ({@link #hasSkip()}: {@code skip_transcoder}, sparsify
 * {@code skip_connection}) add {@code x·W_skipᵀ} of the raw input x (before normalisation and b_dec subtraction) to the
 * de-normalised output; only {@link #forward} and {@link #forwardOne} see x, so {@link #decode} and
 * {@link #decodeDense} return the dictionary part alone.
 *
 * <p>Semantics fixed here: JumpReLU keeps {@code h} only when {@code h > θ} (strict) and {@code h > 0}; TopK keeps the
 * k largest pre-activations per row (ties to the lower index) and then drops those that are not positive, so a row may
 * hold fewer than k entries; groupmax keeps each of k contiguous groups' largest ReLU activation (ties to the lower
 * index, zero maxima dropped); gated keeps {@code ReLU(exp(r_mag)·(x'·w) + b_mag)} where {@code x'·w + b_gate > 0}. A
 * topk model with {@code rescale_acts_by_decoder_norm} has the decoder row norms folded into the weights on
 * construction (same codes, same reconstructions) and reports the flag as false afterwards.
 *
 * <p>Matrix arguments are {@link DenseMatrix} views of native fp32 memory (heap segments are rejected by the SIMD
 * kernels; a {@link DType#BF16} view is refused); the batch is the view's row count and its column count must be the
 * model's width (d_in, d_sae or d_out), else the call throws naming the view and both widths. Inputs may have any row
 * stride: they are copied into the workspace row by row before anything reads them (the skip term reads the raw input
 * through its leading dimension). Outputs and {@link #decodeDense}'s codes need contiguous rows (row stride equal to
 * the column count), because the encode epilogues, the de-normalisation and the non-finite scan work on packed rows;
 * a strided view there is refused, never read or written with the wrong stride.
 *
 * <p>Inputs must be finite: every encode, forward and decode entry point throws {@link NonFiniteInputException}
 * naming the row (in the batch given) and the column of the first NaN or infinity, before it computes or writes
 * anything, rather than return codes of NaN. The check is one SIMD pass over the batch·d_in input values (for decode,
 * over the code values); callers that would rather skip or zero such rows apply a
 * {@link org.sae4j.io.NonFinitePolicy} first.
 *
 * <p>Weights are fp32 or, after {@link #withBf16Weights()}, bf16 ({@link #weightPrecision()}); both accumulate in
 * fp32. A batch of one runs as a matrix-vector product (memory-bound), larger batches as the fused GEMM encoders.
 *
 * <p>Allocation-free use: the encode and forward entry points have an overload taking a {@link SaeWorkspace}
 * ({@link #newWorkspace}), plus the single-row {@link #encodeOne} and {@link #forwardOne} on caller arrays; they
 * allocate nothing in steady state, whatever the normalisation (its statistics live in the workspace).
 * {@link #decode(SparseCode, DenseMatrix)} and {@link #decodeDense(DenseMatrix, DenseMatrix)} need no
 * workspace; on a bf16 model {@code decode} allocates a one-row scratch per call. {@link #watchList} computes a chosen
 * subset of latents only.
 *
 * <p><b>Note:</b> immutable and thread-safe: any number of threads may encode, decode and run {@link #forward} at once,
 * each with its own {@link SaeWorkspace} (a workspace is not thread-safe). The overloads without a workspace allocate a
 * temporary one per call (a few batch-sized buffers) and the array conveniences allocate their results. Kernels run on
 * the threads of the calling thread's {@link org.sae4j.kernel.KernelContext}. {@link #close()} frees the weights (and
 * unmaps the file); call it once, after every other thread has finished with the model: using the model afterwards
 * throws {@link IllegalStateException}.
 */
public final class Sae implements AutoCloseable {

    /** What the model computes, after any fold done on load. */
    private final SaeConfig config;
    /** Owns every weight segment (copies and file mappings); closed by {@link #close()}. */
    private final TensorArena arena;
    /** How the encoder and decoder matrices are stored: F32, or BF16 after {@link #withBf16Weights()}. */
    private final DType precision;
    /** [dSae, dIn] encoder rows, fp32 or bf16 (possibly built lazily from a stored column layout). */
    private final EncoderMatrix encoder;
    /** [dSae] b_enc, or b_gate for gated; fp32. */
    private final MemorySegment encoderBias;
    /** [dSae, dOut] W_dec, fp32 or bf16. */
    private final MemorySegment decoder;
    /** [dOut] b_dec, fp32. */
    private final MemorySegment decoderBias;
    /** [dSae] JumpReLU θ as stored (the plan keeps its own clamped copy); null unless JumpReLU. */
    private final MemorySegment threshold;
    /** [dSae] gated b_mag; null unless gated. */
    private final float[] magnitudeBias;
    /** [dSae] gated r_mag (the plan keeps exp(r_mag)); null unless gated. */
    private final float[] magnitudeLogScale;
    /** [dOut, dIn] fp32 W_skip; null without a skip connection. */
    private final MemorySegment skip;
    /** The encode rule over all d_sae latents, with its derived parameters in {@link #arena}. */
    private final EncodePlan plan;
    /** Decoding from the fp32 or bf16 decoder. */
    private final DecodePlan decoding;

    /**
     * Binds weights that {@code arena} owns and builds the encode and decode plans; the caller has validated them.
     *
     * @param config            the effective configuration
     * @param arena             owns every segment below; closed by {@link #close()}
     * @param precision         element type of the encoder and decoder
     * @param encoder           [dSae, dIn] encoder rows
     * @param encoderBias       [dSae] b_enc or b_gate
     * @param decoder           [dSae, dOut] W_dec
     * @param decoderBias       [dOut] b_dec
     * @param threshold         [dSae] θ, or null
     * @param magnitudeBias     [dSae] b_mag, or null
     * @param magnitudeLogScale [dSae] r_mag, or null
     * @param skip              [dOut, dIn] W_skip, or null
     */
    private Sae(SaeConfig config, TensorArena arena, DType precision, EncoderMatrix encoder,
            MemorySegment encoderBias, MemorySegment decoder, MemorySegment decoderBias, MemorySegment threshold,
            float[] magnitudeBias, float[] magnitudeLogScale, MemorySegment skip) {
        this.config = config;
        this.arena = arena;
        this.precision = precision;
        this.encoder = encoder;
        this.encoderBias = encoderBias;
        this.decoder = decoder;
        this.decoderBias = decoderBias;
        this.threshold = threshold;
        this.magnitudeBias = magnitudeBias;
        this.magnitudeLogScale = magnitudeLogScale;
        this.skip = skip;
        this.plan = EncodePlan.of(config, precision, encoder, encoderBias, threshold, magnitudeBias,
                magnitudeLogScale, arena);
        this.decoding = new DecodePlan(precision, config.dSae(), config.dOut(), decoder, decoderBias);
    }

    /**
     * Copies {@code weights} into a new model that owns its own arena; the arrays are not kept and may change
     * afterwards.
     *
     * @param config  what the model computes
     * @param weights the parameters in engine orientation; not modified
     * @return the model; the caller closes it
     * @throws IllegalArgumentException if an array is missing or has the wrong length for {@code config} (a
     *                                  skip_transcoder needs {@code skip}; only it, topk and groupmax accept one), a
     *                                  value is not finite, or the config asks for
     *                                  {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN} (fold the factor first)
     */
    public static Sae of(SaeConfig config, SaeWeights weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        SaeArguments.checkArray("encoder", weights.encoder(), (long) dSae * dIn);
        SaeArguments.checkArray(gated ? "b_gate" : "b_enc", weights.encoderBias(), dSae);
        SaeArguments.checkArray("decoder", weights.decoder(), (long) dSae * dOut);
        SaeArguments.checkArray("b_dec", weights.decoderBias(), dOut);
        SaeArguments.checkOptional("threshold", weights.threshold(), dSae, config.architecture().hasThreshold());
        SaeArguments.checkOptional("b_mag", weights.magnitudeBias(), dSae, gated);
        SaeArguments.checkOptional("r_mag", weights.magnitudeLogScale(), dSae, gated);
        SaeArguments.checkSkip(config, weights.skip() == null ? -1 : weights.skip().length);
        TensorArena owner = new TensorArena("sae-" + config.architecture().saeLensName());
        try {
            return assemble(config, owner, EncoderMatrix.ofRows(copy(owner, weights.encoder()), dSae, dIn),
                    copy(owner, weights.encoderBias()),
                    copy(owner, weights.decoder()), copy(owner, weights.decoderBias()),
                    weights.threshold() == null ? null : copy(owner, weights.threshold()),
                    weights.magnitudeBias() == null ? null : weights.magnitudeBias().clone(),
                    weights.magnitudeLogScale() == null ? null : weights.magnitudeLogScale().clone(),
                    weights.skip() == null ? null : copy(owner, weights.skip()));
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Takes ownership of validated, finite weights already in {@code owner}; folds the topk decoder norms when the
     * config asks for the rescaling (in place, so the encoder and decoder must be writable copies then).
     *
     * @param config            the configuration as read
     * @param owner             the arena the model will own and close
     * @param encoder           [dSae, dIn]
     * @param encoderBias       [dSae]
     * @param decoder           [dSae, dOut]
     * @param decoderBias       [dOut]
     * @param threshold         [dSae] or null
     * @param magnitudeBias     [dSae] or null
     * @param magnitudeLogScale [dSae] or null
     * @param skip              [dOut, dIn] or null
     * @return the model
     * @throws IllegalArgumentException if the skip matrix does not fit the config or the config asks for
     *                                  {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN}
     */
    static Sae assemble(SaeConfig config, TensorArena owner, EncoderMatrix encoder, MemorySegment encoderBias,
            MemorySegment decoder, MemorySegment decoderBias, MemorySegment threshold, float[] magnitudeBias,
            float[] magnitudeLogScale, MemorySegment skip) {
        SaeArguments.checkSkip(config, skip == null ? -1 : skip.byteSize() / Float.BYTES);
        if (config.normalisation() == Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
            throw new IllegalArgumentException("normalize_activations expected_average_only_in needs its scaling "
                    + "factor folded into the weights before use");
        }
        SaeConfig effective = config;
        if (config.rescaleActsByDecoderNorm()) {
            SaeFolding.foldDecoderNormsInPlace(config, encoder.rows(), encoderBias, decoder);
            effective = config.withRescaleActsByDecoderNorm(false)
                    .withWarning("rescale_acts_by_decoder_norm folded into the weights: decoder rows have unit norm")
                    .withFold(new FoldRecord(FoldRecord.DECODER_NORMS_OP, Double.NaN,
                            "rescale_acts_by_decoder_norm folded on load: decoder rows have unit norm"));
        }
        return new Sae(effective, owner, DType.F32, encoder, encoderBias, decoder, decoderBias, threshold,
                magnitudeBias, magnitudeLogScale, skip);
    }

    /**
     * A new model with bf16 copies of the encoder and decoder (round to nearest even) and fp32 copies of everything
     * else (the skip matrix included); encoding accumulates in fp32. Weight memory halves ({@link #weightBytes()});
     * each pre-activation moves by at most 2⁻⁸·Σ|w_ji·x_i| plus accumulation error ({@link PrecisionDrift} measures
     * it). On a bf16 model this copies the weights unchanged. The new model is independent, with its own arena: close
     * both.
     *
     * @return a new bf16 model; the caller closes it
     * @throws IllegalStateException if this model is closed
     */
    public Sae withBf16Weights() {
        int dIn = dIn();
        int dSae = dSae();
        int dOut = dOut();
        TensorArena owner = new TensorArena("sae-" + config.architecture().saeLensName() + "-bf16");
        try {
            MemorySegment encoderBf16 = owner.allocateBf16((long) dSae * dIn);
            MemorySegment decoderBf16 = owner.allocateBf16((long) dSae * dOut);
            if (precision == DType.BF16) {
                encoderBf16.copyFrom(encoder.rows());
                decoderBf16.copyFrom(decoder);
            } else {
                // row by row: one call per latent keeps every element count within int range
                MemorySegment encoderRows = encoder.rows();
                for (int j = 0; j < dSae; j++) {
                    Kernels.narrowToBf16(dIn, encoderRows, (long) j * dIn, encoderBf16, (long) j * dIn);
                    Kernels.narrowToBf16(dOut, decoder, (long) j * dOut, decoderBf16, (long) j * dOut);
                }
            }
            return new Sae(config, owner, DType.BF16, EncoderMatrix.ofRows(encoderBf16, dSae, dIn),
                    copy(owner, encoderBias), decoderBf16,
                    copy(owner, decoderBias), threshold == null ? null : copy(owner, threshold),
                    magnitudeBias == null ? null : magnitudeBias.clone(),
                    magnitudeLogScale == null ? null : magnitudeLogScale.clone(),
                    skip == null ? null : copy(owner, skip));
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * The configuration this model runs with (after any folding done on load).
     *
     * @return the effective configuration
     */
    public SaeConfig config() {
        return config;
    }

    /**
     * Input width.
     *
     * @return d_in
     */
    public int dIn() {
        return config.dIn();
    }

    /**
     * Number of latents.
     *
     * @return d_sae
     */
    public int dSae() {
        return config.dSae();
    }

    /**
     * Decoder output width ({@code dIn} except for transcoders).
     *
     * @return d_out
     */
    public int dOut() {
        return config.dOut();
    }

    /**
     * How the encoder and decoder matrices are stored: {@link DType#F32}, or {@link DType#BF16} after
     * {@link #withBf16Weights()}. Biases, thresholds and gated parameters stay fp32 in every case.
     *
     * @return {@link DType#F32} or {@link DType#BF16}
     */
    public DType weightPrecision() {
        return precision;
    }

    /**
     * Whether the output adds a skip term {@code x·W_skipᵀ} of the raw input x ({@code skip_transcoder}, sparsify
     * {@code skip_connection}); only {@link #forward} and {@link #forwardOne} add it.
     *
     * @return true when the model holds W_skip
     */
    public boolean hasSkip() {
        return skip != null;
    }

    /**
     * Bytes of the encoder and decoder matrices at this model's precision, (d_sae·d_in + d_sae·d_out) times 4 or 2: the
     * bulk of the model (biases and W_skip not counted). A model opened from a SAELens folder copies its stored encoder
     * and builds the row layout on its first batch encode, so it may hold both for a while.
     *
     * @return the nominal weight bytes
     */
    public long weightBytes() {
        return ((long) dSae() * dIn() + (long) dSae() * dOut()) * precision.byteSize();
    }

    /**
     * The encoder, [d_sae, d_in] fp32 row-major, read-only by contract (writing it changes the model under every
     * thread). On a SAELens model the first call transposes the stored encoder.
     *
     * @return the model's own segment of d_sae·d_in floats, valid until {@link #close()}
     * @throws IllegalStateException on a {@link DType#BF16} model, whose matrices are not fp32 (read
     *                               {@link #weights()} for widened copies)
     */
    public MemorySegment encoder() {
        requireFp32("encoder");
        return encoder.rows();
    }

    /**
     * The decoder, [d_sae, d_out] fp32 row-major, read-only by contract; on a model loaded from a safetensors file it
     * is usually a slice of the read-only mapping, where writes throw.
     *
     * @return the model's own segment of d_sae·d_out floats, valid until {@link #close()}
     * @throws IllegalStateException on a {@link DType#BF16} model (read {@link #weights()} instead)
     */
    public MemorySegment decoder() {
        requireFp32("decoder");
        return decoder;
    }

    /**
     * {@code b_enc} (or {@code b_gate} for gated models), [d_sae] fp32 in every precision; read-only by contract.
     *
     * @return the model's own segment, valid until {@link #close()}
     */
    public MemorySegment encoderBias() {
        return encoderBias;
    }

    /**
     * {@code b_dec}, [d_out] fp32 in every precision; read-only by contract.
     *
     * @return the model's own segment, valid until {@link #close()}
     */
    public MemorySegment decoderBias() {
        return decoderBias;
    }

    /**
     * A copy of every parameter as fp32 arrays (engine orientation; bf16 weights widened exactly).
     *
     * @return new arrays, independent of the model
     */
    public SaeWeights weights() {
        return new SaeWeights(read(encoder.rows()), read(encoderBias), read(decoder), read(decoderBias),
                threshold == null ? null : read(threshold),
                magnitudeBias == null ? null : magnitudeBias.clone(),
                magnitudeLogScale == null ? null : magnitudeLogScale.clone(), skip == null ? null : read(skip));
    }

    /**
     * Scratch for up to {@code maxBatch} rows, for the allocation-free overloads; the caller closes it. Not
     * thread-safe: one per thread. It also serves any model of the same d_in, d_sae, d_out and k.
     *
     * @param maxBatch largest batch the workspace accepts, ≥ 1
     * @return a new workspace
     * @throws IllegalArgumentException if {@code maxBatch < 1}
     */
    public SaeWorkspace newWorkspace(int maxBatch) {
        return new SaeWorkspace(config, maxBatch);
    }

    /**
     * Encoding restricted to {@code latents} (sae-formats §8.5): their encoder rows and parameters are copied into a
     * contiguous block, so each row costs O(|S|·d_in) and yields exactly what the full encode gives at those columns.
     *
     * @param latents the latent ids to watch, distinct, each in [0, d_sae); output column s is {@code latents[s]}
     * @return a new watch-list with its own arena; close it no later than this model
     * @throws IllegalArgumentException if {@code latents} is empty, repeats an id or has one outside [0, d_sae), or the
     *                                  model is topk or groupmax (whether a latent survives depends on the others)
     */
    public WatchList watchList(int... latents) {
        return WatchList.of(this, plan, latents);
    }

    // ---- encode ----

    /**
     * Dense codes {@code z = encode(x)}, with a temporary workspace (allocates per call).
     *
     * @param x [batch, d_in] raw activations, fp32, any row stride; not modified
     * @param z [batch, d_sae] fp32 with contiguous rows; modified: the codes, zeros for inactive latents
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if a view is not fp32, has the wrong width or row count, or z's rows are not
     *                                  contiguous
     */
    public void encode(DenseMatrix x, DenseMatrix z) {
        Objects.requireNonNull(x, "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(x.rows(), 1))) {
            encode(x, z, ws);
        }
    }

    /**
     * Dense codes {@code z = encode(x)} using {@code ws}: the shortest dense path. Allocates nothing in steady state
     * (with views at offset 0; a z at another offset costs one slice).
     *
     * @param x  [batch, d_in] raw activations, fp32, any row stride (copied into the workspace row by row); not
     *           modified
     * @param z  [batch, d_sae] fp32 with contiguous rows (the encode epilogues write packed rows); modified: the
     *           codes, zeros for inactive latents
     * @param ws this thread's workspace for a model of this shape, with room for x.rows() rows
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if a view is not fp32, has the wrong width or another row count than x, z's
     *                                  rows are not contiguous, the batch exceeds the workspace, or the workspace was
     *                                  made for another shape
     */
    public void encode(DenseMatrix x, DenseMatrix z, SaeWorkspace ws) {
        checkInput(x);
        MemorySegment out = packedOutput("z", z, x.rows(), dSae(), "d_sae");
        checkWorkspace(ws, x.rows());
        MemorySegment input = prepareInput(x, ws, normaliser(ws));
        encodeDense(input, x.rows(), out, ws);
    }

    /**
     * Dense codes of {@code x} ([batch, d_in], row-major); allocates a workspace and the result.
     *
     * @param x [batch, d_in] inputs; not modified
     * @return [batch, d_sae], row-major
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of d_in
     */
    public float[] encode(float[] x) {
        int batch = SaeArguments.batchOf(x, dIn(), "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(batch, 1))) {
            MemorySegment.copy(x, 0, ws.input(), Layouts.F32, 0, x.length);
            MemorySegment input = prepareInput(ws.input(), batch, ws, normaliser(ws));
            MemorySegment z = ws.dense();
            encodeDense(input, batch, z, ws);
            return z.asSlice(0, (long) batch * dSae() * Float.BYTES).toArray(Layouts.F32);
        }
    }

    /**
     * Sparse codes of x [batch, d_in] into {@code out} (reset to {@code batch} rows, indices ascending, only non-zero
     * values kept), with a temporary workspace (allocates per call).
     *
     * @param x   [batch, d_in] raw activations, fp32, any row stride; not modified
     * @param out codes over d_sae latents with room for {@code batch} rows; modified
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if x is not fp32 or has the wrong width, {@code out} has another number of
     *                                  latents, fewer than {@code batch} rows or too little capacity (topk and
     *                                  groupmax need batch·min(k, d_sae) entries; other architectures as many as
     *                                  there are non-zero codes)
     */
    public void encodeSparse(DenseMatrix x, SparseCode out) {
        Objects.requireNonNull(x, "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(x.rows(), 1))) {
            encodeSparse(x, out, ws);
        }
    }

    /**
     * Sparse codes of x [batch, d_in] into {@code out} using {@code ws}, as
     * {@link #encodeSparse(DenseMatrix, SparseCode)}; allocates nothing in steady state.
     *
     * @param x   [batch, d_in] raw activations, fp32, any row stride; not modified
     * @param out codes over d_sae latents with room for {@code batch} rows; modified
     * @param ws  this thread's workspace for a model of this shape
     * @throws NonFiniteInputException  as {@link #encodeSparse(DenseMatrix, SparseCode)}
     * @throws IllegalArgumentException as {@link #encodeSparse(DenseMatrix, SparseCode)}, or if the workspace is too
     *                                  small or made for another shape
     */
    public void encodeSparse(DenseMatrix x, SparseCode out, SaeWorkspace ws) {
        checkInput(x);
        int batch = x.rows();
        Objects.requireNonNull(out, "out");
        if (out.cols() != dSae()) {
            throw new IllegalArgumentException("out has " + out.cols() + " latents, the SAE has " + dSae());
        }
        if (batch > out.maxRows()) {
            throw new IllegalArgumentException("out holds at most " + out.maxRows() + " rows, batch is " + batch);
        }
        checkWorkspace(ws, batch);
        MemorySegment input = prepareInput(x, ws, normaliser(ws));
        encodeSparseInto(input, batch, out, ws);
    }

    /**
     * Sparse codes of x [batch, d_in] in the workspace's own buffer: the shortest path for streams of batches, as
     * {@link #encodeSparse(DenseMatrix, SparseCode)} but with no capacity to guess. Allocates nothing in steady state
     * once the buffer has grown to the largest code count seen.
     *
     * @param x  [batch, d_in] raw activations, fp32, any row stride; not modified
     * @param ws this thread's workspace for a model of this shape; owns the returned codes
     * @return the codes ([batch, d_sae], indices ascending, only non-zero values); a buffer of {@code ws}, valid until
     *         the next call using {@code ws}
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed
     * @throws IllegalArgumentException if x is not fp32 or has the wrong width, or the workspace does not fit
     */
    public SparseCode encodeSparse(DenseMatrix x, SaeWorkspace ws) {
        checkInput(x);
        checkWorkspace(ws, x.rows());
        return encodeSparsePrepared(prepareInput(x, ws, normaliser(ws)), x.rows(), ws);
    }

    /**
     * Sparse codes of {@code x} ([batch, d_in], row-major) in a new {@link SparseCode}; a thin wrapper over
     * {@link #encodeSparse(DenseMatrix, SaeWorkspace)} with a workspace of its own.
     *
     * @param x [batch, d_in] raw activations, row-major; not modified
     * @return new codes of batch rows over d_sae latents, indices ascending, only non-zero values
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of d_in
     */
    public SparseCode encodeSparse(float[] x) {
        int batch = SaeArguments.batchOf(x, dIn(), "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(batch, 1))) {
            MemorySegment.copy(x, 0, ws.input(), Layouts.F32, 0, x.length);
            return encodeSparsePrepared(prepareInput(ws.input(), batch, ws, normaliser(ws)), batch, ws);
        }
    }

    /**
     * The active latents of one input row: writes their ids (ascending) and values to the front of
     * {@code indices/values} and returns how many there are. Allocates nothing in steady state.
     *
     * @param x       [d_in], not modified
     * @param indices at least d_sae entries (topk and groupmax: at least min(k, d_sae)), modified
     * @param values  as long as {@code indices}' requirement, modified
     * @param ws      scratch from {@link #newWorkspace(int)} (or a model of the same shape)
     * @return the number of active latents
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, row 0 and its
     *                                  column), before indices and values are written
     * @throws IllegalArgumentException if an array has the wrong length or the workspace does not fit
     */
    public int encodeOne(float[] x, int[] indices, float[] values, SaeWorkspace ws) {
        SaeArguments.checkOne(x, dIn(), "x");
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        int needed = selectsK() ? Math.min(config.k(), dSae()) : dSae();
        if (indices.length < needed || values.length < needed) {
            throw new IllegalArgumentException("indices and values need " + needed + " entries ("
                    + (selectsK() ? "min(k, d_sae)" : "d_sae") + "), have "
                    + indices.length + " and " + values.length);
        }
        checkWorkspace(ws, 1);
        MemorySegment.copy(x, 0, ws.input(), Layouts.F32, 0, x.length);
        MemorySegment input = prepareInput(ws.input(), 1, ws, normaliser(ws));
        return encodeOneInto(input, indices, values, ws);
    }

    // ---- decode ----

    /**
     * {@code out[r,:] = Σ codes[r,j]·W_dec[j,:] + b_dec} in the normalised space. This is the dictionary part only: a
     * model with a skip connection ({@link #hasSkip()}) adds {@code x·W_skipᵀ} in {@link #forward}, which sees x. A
     * bf16 model widens each gathered decoder row before adding it, into a one-row scratch allocated per call.
     *
     * @param codes codes over d_sae latents; not modified
     * @param out   [codes.rows(), d_out] fp32 with contiguous rows; modified: the reconstruction in the normalised
     *              space
     * @throws NonFiniteInputException  if a stored code value is NaN or infinite (named {@code codes}, its row and
     *                                  its latent as the column), before out is written
     * @throws IllegalArgumentException if {@code codes} has another number of latents, or {@code out} is not fp32,
     *                                  has the wrong width or row count, or has non-contiguous rows
     */
    public void decode(SparseCode codes, DenseMatrix out) {
        Objects.requireNonNull(codes, "codes");
        if (codes.cols() != dSae()) {
            throw new IllegalArgumentException("codes have " + codes.cols() + " latents, the SAE has " + dSae());
        }
        MemorySegment target = packedOutput("out", out, codes.rows(), dOut(), "d_out");
        NonFiniteScan.requireFinite(codes, NonFiniteInputException.IN_MEMORY_CODES, 0);
        if (precision == DType.F32) {
            decoding.decode(codes, target, null);
        } else {
            try (Arena scratch = Arena.ofConfined()) {
                decoding.decode(codes, target,
                        scratch.allocate((long) dOut() * Float.BYTES, Layouts.ALIGNMENT_BYTES));
            }
        }
    }

    /**
     * The reconstruction of {@code codes} as a new [rows, d_out] array (normalised space, dictionary part only; see
     * the class notes).
     *
     * @param codes codes over d_sae latents; not modified
     * @return a new array of codes.rows()·d_out floats, row-major
     * @throws NonFiniteInputException  as {@link #decode(SparseCode, DenseMatrix)}
     * @throws IllegalArgumentException if {@code codes} has another number of latents
     */
    public float[] decode(SparseCode codes) {
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment out = scratch.allocate((long) codes.rows() * dOut() * Float.BYTES,
                    Layouts.ALIGNMENT_BYTES);
            decode(codes, DenseMatrix.f32(out, codes.rows(), dOut()));
            return out.toArray(Layouts.F32);
        }
    }

    /**
     * {@code out = z·W_dec + b_dec} for dense codes z [batch, d_sae] (dictionary part only, as {@link #decode}); a GEMM
     * for fp32 weights, one transposed GEMV per row for bf16. Allocates nothing (with views at offset 0).
     *
     * @param z   [batch, d_sae] fp32 dense codes with contiguous rows (the non-finite check scans one packed block);
     *            not modified
     * @param out [batch, d_out] fp32 with contiguous rows; modified: the reconstruction in the normalised space
     * @throws NonFiniteInputException  if a code value is NaN or infinite (named {@code codes}, its row and its
     *                                  latent as the column), before out is written
     * @throws IllegalArgumentException if a view is not fp32, has the wrong width or row count, or has
     *                                  non-contiguous rows
     */
    public void decodeDense(DenseMatrix z, DenseMatrix out) {
        Objects.requireNonNull(z, "z");
        int batch = z.rows();
        MemorySegment codes = z.requirePackedF32("z", dSae(), "d_sae").packedSegment();
        MemorySegment target = packedOutput("out", out, batch, dOut(), "d_out");
        NonFiniteScan.requireFinite(codes, batch, dSae(), NonFiniteInputException.IN_MEMORY_CODES, 0);
        decoding.decodeDense(codes, batch, target);
    }

    /**
     * {@link #decodeDense(DenseMatrix, DenseMatrix)} on arrays: z [batch, d_sae] to a new array.
     *
     * @param z [batch, d_sae] dense codes, row-major; not modified
     * @return a new [batch, d_out] array, row-major
     * @throws NonFiniteInputException  as {@link #decodeDense(DenseMatrix, DenseMatrix)}
     * @throws IllegalArgumentException if {@code z.length} is not a multiple of d_sae
     */
    public float[] decodeDense(float[] z) {
        int batch = SaeArguments.batchOf(z, dSae(), "z");
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment out = scratch.allocate((long) batch * dOut() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            decodeDense(DenseMatrix.f32(toSegment(scratch, z), batch, dSae()), DenseMatrix.f32(out, batch, dOut()));
            return out.toArray(Layouts.F32);
        }
    }

    // ---- whole pipeline ----

    /**
     * The reconstruction (or transcoder output) of x [batch, d_in]: normalise, encode, decode, de-normalise, add the
     * skip term; with a temporary workspace (allocates per call).
     *
     * @param x   [batch, d_in] raw activations, fp32, any row stride; not modified
     * @param out [batch, d_out] fp32 with contiguous rows; modified: the de-normalised output, skip term included
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if a view is not fp32, has the wrong width or row count, or out's rows are not
     *                                  contiguous
     */
    public void forward(DenseMatrix x, DenseMatrix out) {
        Objects.requireNonNull(x, "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(x.rows(), 1))) {
            forward(x, out, ws);
        }
    }

    /**
     * {@link #forward(DenseMatrix, DenseMatrix)} using {@code ws}, returning the codes it decoded so that a caller
     * needing both codes and reconstruction encodes once. Allocates nothing in steady state (any normalisation, views
     * at offset 0) once the workspace's sparse buffer has grown to the largest code count.
     *
     * @param x   [batch, d_in] fp32 inputs, any row stride (the skip term reads x through its leading dimension);
     *            not modified
     * @param out [batch, d_out] fp32 with contiguous rows (decode and de-normalisation write packed rows); modified:
     *            the de-normalised output, skip term included
     * @param ws  this thread's workspace for a model of this shape
     * @return the codes of x ([batch, d_sae], indices ascending, as {@link #encodeSparse}); a buffer of {@code ws},
     *         valid until the next call using {@code ws}
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if a view is not fp32, has the wrong width or row count, out's rows are not
     *                                  contiguous, or the workspace does not fit
     */
    public SparseCode forward(DenseMatrix x, DenseMatrix out, SaeWorkspace ws) {
        checkInput(x);
        int batch = x.rows();
        MemorySegment target = packedOutput("out", out, batch, dOut(), "d_out");
        checkWorkspace(ws, batch);
        RowNormaliser normaliser = normaliser(ws);
        SparseCode codes = encodeSparsePrepared(prepareInput(x, ws, normaliser), batch, ws);
        decoding.decode(codes, target, ws.widened());
        if (normaliser != null) {
            normaliser.denormalise(target, batch, dOut());
        }
        addSkip(x.segment(), x.offset(), x.rowStride(), batch, target);
        return codes;
    }

    /**
     * {@link #forward(DenseMatrix, DenseMatrix)} on arrays: x [batch, d_in] to a new [batch, d_out].
     *
     * @param x [batch, d_in] raw activations, row-major; not modified
     * @return a new [batch, d_out] array, row-major: the de-normalised output, skip term included
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, its row in the batch
     *                                  and its column), before anything is computed or written
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of d_in
     */
    public float[] forward(float[] x) {
        int batch = SaeArguments.batchOf(x, dIn(), "x");
        try (SaeWorkspace ws = newWorkspace(Math.max(batch, 1))) {
            forward(DenseMatrix.f32(stage(x, ws), batch, dIn()), DenseMatrix.f32(ws.output(), batch, dOut()), ws);
            return ws.output().asSlice(0, (long) batch * dOut() * Float.BYTES).toArray(Layouts.F32);
        }
    }

    /**
     * The error term {@code e = x − forward(x)} of x [batch, d_in], as a new array: adding it back to the
     * reconstruction gives x (to within one rounding), which is how SAELens's {@code use_error_term} keeps a model's
     * downstream computation exact while the codes stay inspectable.
     *
     * @param x [batch, d_in] raw activations, row-major; not modified
     * @return a new [batch, d_in] array, {@code x − forward(x)}
     * @throws NonFiniteInputException  if a value of x is NaN or infinite, as {@link #forward(float[])}
     * @throws IllegalArgumentException for transcoders, whose output is another layer's activations and whose error
     *                                  term needs those activations, or if {@code x.length} is not a multiple of d_in
     */
    public float[] errorTerm(float[] x) {
        if (config.architecture().isTranscoder()) {
            throw new IllegalArgumentException(config.architecture().saeLensName() + " writes another layer's "
                    + "activations: its error term is target − forward(x), computed with the target");
        }
        float[] error = forward(x);
        for (int i = 0; i < error.length; i++) {
            error[i] = x[i] - error[i];
        }
        return error;
    }

    /**
     * The reconstruction (or transcoder output) of one row, as {@link #forward(DenseMatrix, DenseMatrix)};
     * allocates nothing in steady state.
     *
     * @param x   [d_in], not modified
     * @param out [d_out], modified
     * @param ws  scratch from {@link #newWorkspace(int)}
     * @throws NonFiniteInputException  if a value of x is NaN or infinite (named {@code input}, row 0 and its
     *                                  column), before out is written
     * @throws IllegalArgumentException if an array has the wrong length or the workspace does not fit
     */
    public void forwardOne(float[] x, float[] out, SaeWorkspace ws) {
        SaeArguments.checkOne(x, dIn(), "x");
        SaeArguments.checkOne(out, dOut(), "out");
        checkWorkspace(ws, 1);
        MemorySegment raw = stage(x, ws);
        RowNormaliser normaliser = normaliser(ws);
        MemorySegment input = prepareInput(raw, 1, ws, normaliser);
        int[] indices = ws.oneIndices();
        float[] values = ws.oneValues();
        int active = encodeOneInto(input, indices, values, ws);
        MemorySegment reconstruction = ws.output();
        MemorySegment.copy(decoderBias, 0, reconstruction, 0, (long) dOut() * Float.BYTES);
        decoding.addRows(indices, values, active, 0, reconstruction, 0, ws.widened());
        if (normaliser != null) {
            normaliser.denormalise(reconstruction, 1, dOut());
        }
        addSkip(raw, 0, dIn(), 1, reconstruction);
        MemorySegment.copy(reconstruction, Layouts.F32, 0, out, 0, dOut());
    }

    /** Frees the weights. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "Sae[" + config.architecture().saeLensName() + ", " + dIn() + " -> " + dSae() + " -> " + dOut()
                + (precision == DType.BF16 ? ", bf16" : "") + "]";
    }

    // ---- package-private: watch-lists and drift measurement ----

    /**
     * Prepares x [batch, d_in] into {@code ws.input()} (normalised, b_dec subtracted) and writes the encoder
     * pre-activations {@code x'·W_encᵀ + b_enc} (the gate pre-activation for gated) to h [batch, d_sae].
     *
     * @param x     [batch, d_in] raw inputs; not modified
     * @param batch rows
     * @param h     [batch, d_sae]; modified
     * @param ws    the workspace; its input buffer holds x' afterwards
     * @throws IllegalArgumentException if a segment is too small or the workspace does not fit
     */
    void preActivations(MemorySegment x, int batch, MemorySegment h, SaeWorkspace ws) {
        SaeArguments.checkSegment("x", x, batch, dIn());
        SaeArguments.checkSegment("h", h, batch, dSae());
        checkWorkspace(ws, batch);
        plan.preActivations(prepareInput(x, batch, ws, normaliser(ws)), batch, h);
    }

    /**
     * {@link #prepareInput(MemorySegment, long, int, int, SaeWorkspace, RowNormaliser)} of a checked view: its rows,
     * at its offset and row stride.
     *
     * @param x          [batch, d_in] raw activations, fp32, checked by the caller; not modified (unless it is the
     *                   packed {@code ws.input()} itself, prepared in place)
     * @param ws         the workspace whose input buffer receives x'
     * @param normaliser this model's statistics keeper in {@code ws}, or null without normalisation
     * @return {@code ws.input()}, holding x' [batch, d_in]
     * @throws NonFiniteInputException naming the batch row and the column of the first NaN or infinity
     */
    MemorySegment prepareInput(DenseMatrix x, SaeWorkspace ws, RowNormaliser normaliser) {
        return prepareInput(x.segment(), x.offset(), x.rowStride(), x.rows(), ws, normaliser);
    }

    /**
     * {@link #prepareInput(MemorySegment, long, int, int, SaeWorkspace, RowNormaliser)} of packed rows from element 0.
     *
     * @param x          [batch, d_in] raw activations, fp32, packed from element 0; not modified, unless it is
     *                   {@code ws.input()} itself (an array input already staged there), which is prepared in place
     * @param batch      rows, checked against the workspace by the caller
     * @param ws         the workspace whose input buffer receives x'
     * @param normaliser this model's statistics keeper in {@code ws}, or null without normalisation
     * @return {@code ws.input()}, holding x' [batch, d_in]
     * @throws NonFiniteInputException naming the batch row and the column of the first NaN or infinity
     */
    MemorySegment prepareInput(MemorySegment x, int batch, SaeWorkspace ws, RowNormaliser normaliser) {
        return prepareInput(x, 0, dIn(), batch, ws, normaliser);
    }

    /**
     * Copies x into the workspace (one block for packed rows, else row by row), refuses it if a value is not finite,
     * normalises it and subtracts b_dec as the config says; returns x'. Every encode and forward entry point passes
     * through here before computing anything, so this is the one place the input is checked: one SIMD pass over the
     * batch·d_in values just copied (see {@link NonFiniteScan}).
     *
     * @param x          raw activations, fp32; not modified, unless it is {@code ws.input()} itself at offset 0 with
     *                   packed rows (an array input already staged there), which is prepared in place
     * @param offset     element index of x's row 0
     * @param rowStride  elements between the starts of consecutive rows of x
     * @param batch      rows, checked against the workspace by the caller
     * @param ws         the workspace whose input buffer receives x'
     * @param normaliser this model's statistics keeper in {@code ws}, or null without normalisation; records the
     *                   rows' statistics
     * @return {@code ws.input()}, holding x' [batch, d_in] with packed rows
     * @throws NonFiniteInputException naming the batch row and the column of the first NaN or infinity
     */
    MemorySegment prepareInput(MemorySegment x, long offset, int rowStride, int batch, SaeWorkspace ws,
            RowNormaliser normaliser) {
        int dIn = dIn();
        MemorySegment input = ws.input();
        boolean packed = batch <= 1 || rowStride == dIn;
        if (packed) {
            if (x != input || offset != 0) {
                MemorySegment.copy(x, offset * Float.BYTES, input, 0, (long) batch * dIn * Float.BYTES);
            }
        } else {
            for (int r = 0; r < batch; r++) {
                MemorySegment.copy(x, (offset + (long) r * rowStride) * Float.BYTES, input,
                        (long) r * dIn * Float.BYTES, (long) dIn * Float.BYTES);
            }
        }
        NonFiniteScan.requireFinite(input, batch, dIn, NonFiniteInputException.IN_MEMORY_INPUT, 0);
        if (normaliser != null) {
            normaliser.normalise(input, batch, dIn);
        }
        if (config.applyBDecToInput()) {
            for (int r = 0; r < batch; r++) {
                Kernels.axpy(dIn, -1f, decoderBias, 0, input, (long) r * dIn);
            }
        }
        return input;
    }

    /**
     * Throws unless {@code x} is an fp32 view of d_in columns.
     *
     * @param x the input view
     * @throws NullPointerException     if {@code x} is null
     * @throws IllegalArgumentException naming x if it is not fp32 or has another width than d_in
     */
    void checkInput(DenseMatrix x) {
        Objects.requireNonNull(x, "x").requireF32("x", dIn(), "d_in");
    }

    /**
     * The packed block of an output view after checking it: fp32, {@code width} columns, {@code rows} rows, contiguous
     * rows.
     *
     * @param name      names the view in messages
     * @param out       the output view
     * @param rows      the rows the call writes
     * @param width     the columns it writes
     * @param widthName names the width in messages
     * @return the segment of the view's block, starting at its element (0, 0)
     * @throws NullPointerException     if {@code out} is null
     * @throws IllegalArgumentException naming the view if it is not fp32, has another width or row count, or its rows
     *                                  are not contiguous
     */
    static MemorySegment packedOutput(String name, DenseMatrix out, int rows, int width, String widthName) {
        Objects.requireNonNull(out, name).requirePackedF32(name, width, widthName);
        if (out.rows() != rows) {
            throw new IllegalArgumentException(name + " has " + out.rows() + " rows, the input has " + rows);
        }
        return out.packedSegment();
    }

    /**
     * The workspace's per-row statistics keeper for this model's mode, or null without normalisation.
     *
     * @param ws the workspace
     * @return the normaliser, or null for {@link Normalisation#NONE}
     */
    RowNormaliser normaliser(SaeWorkspace ws) {
        return config.normalisation() == Normalisation.NONE ? null : ws.normaliser(config.normalisation());
    }

    /**
     * Throws unless {@code ws} is shaped for this model and {@code batch} rows.
     *
     * @param ws    the workspace
     * @param batch rows of the call
     * @throws NullPointerException     if {@code ws} is null
     * @throws IllegalArgumentException if the shapes differ or {@code batch} exceeds the workspace
     */
    void checkWorkspace(SaeWorkspace ws, int batch) {
        Objects.requireNonNull(ws, "ws");
        ws.check(config, batch);
    }

    // ---- internals ----

    /**
     * Dense codes of prepared rows; topk and groupmax select into the workspace's sparse buffer first.
     *
     * @param input prepared rows x' [batch, d_in]
     * @param batch rows
     * @param z     [batch, d_sae]; modified
     * @param ws    the workspace
     */
    private void encodeDense(MemorySegment input, int batch, MemorySegment z, SaeWorkspace ws) {
        SparseCode codes = selectsK() ? ws.codes(topKEntries(batch)) : null;
        plan.encodeDense(input, batch, z, codes, ws.dense());
    }

    /**
     * Sparse codes of prepared rows into {@code out}, checking its capacity first.
     *
     * @param input prepared rows x' [batch, d_in]
     * @param batch rows
     * @param out   the caller's codes; modified
     * @param ws    the workspace
     * @throws IllegalArgumentException if {@code out} holds too few entries
     */
    private void encodeSparseInto(MemorySegment input, int batch, SparseCode out, SaeWorkspace ws) {
        if (selectsK()) {
            int needed = topKEntries(batch);
            if (needed > out.maxNnz()) {
                throw new IllegalArgumentException("out holds " + out.maxNnz() + " entries, "
                        + config.architecture().saeLensName() + " needs " + needed);
            }
            plan.encodeSelected(input, batch, out, ws.dense());
            return;
        }
        int nnz = denseCount(input, batch, ws);
        if (nnz > out.maxNnz()) {
            throw new IllegalArgumentException("out holds " + out.maxNnz() + " entries, the codes have " + nnz
                    + " non-zero values");
        }
        SparseCodes.compress(ws.dense(), batch, dSae(), out);
    }

    /**
     * Dense codes into {@code ws.dense()} (not topk); returns their non-zero count.
     *
     * @param input prepared rows x' [batch, d_in]
     * @param batch rows
     * @param ws    the workspace
     * @return the number of non-zero codes
     */
    private int denseCount(MemorySegment input, int batch, SaeWorkspace ws) {
        plan.encodeDense(input, batch, ws.dense(), null, null);
        return SparseCodes.countNonZero(ws.dense(), batch, dSae());
    }

    /**
     * Sparse codes of prepared rows in the workspace's own buffer (grown as needed).
     *
     * @param input prepared rows x' [batch, d_in]
     * @param batch rows
     * @param ws    the workspace; owns the returned codes
     * @return the codes, indices ascending, only non-zero values
     */
    private SparseCode encodeSparsePrepared(MemorySegment input, int batch, SaeWorkspace ws) {
        if (selectsK()) {
            SparseCode codes = ws.codes(topKEntries(batch));
            plan.encodeSelected(input, batch, codes, ws.dense());
            return codes;
        }
        SparseCode codes = ws.codes(denseCount(input, batch, ws));
        SparseCodes.compress(ws.dense(), batch, dSae(), codes);
        return codes;
    }

    /**
     * The active latents of one prepared row into the front of {@code indices/values}.
     *
     * @param input   the prepared row x' [d_in]
     * @param indices modified: latent ids, ascending
     * @param values  modified: their codes
     * @param ws      the workspace
     * @return the number of active latents
     */
    private int encodeOneInto(MemorySegment input, int[] indices, float[] values, SaeWorkspace ws) {
        if (selectsK()) {
            return plan.encodeSelectedOne(input, indices, values, ws.dense());
        }
        plan.encodeDense(input, 1, ws.dense(), null, null);
        return SparseCodes.compressRow(ws.dense(), dSae(), indices, values);
    }

    /**
     * Copies an array input into the workspace: into the prepared-input buffer itself when nothing reads the raw input
     * later, else into a separate buffer, because the skip term needs x as it was before normalisation and b_dec
     * subtraction.
     *
     * @param x  [batch, d_in] raw inputs; not modified
     * @param ws the workspace
     * @return the workspace buffer now holding x
     */
    private MemorySegment stage(float[] x, SaeWorkspace ws) {
        MemorySegment target = skip == null ? ws.input() : ws.rawInput();
        MemorySegment.copy(x, 0, target, Layouts.F32, 0, x.length);
        return target;
    }

    /**
     * {@code out += x·W_skipᵀ} for raw rows x [batch, d_in] (sae-formats §5.4, §8.3); nothing without W_skip.
     *
     * @param x         raw inputs; not modified
     * @param xOffset   element index of x's row 0
     * @param rowStride elements between the starts of consecutive rows of x (the GEMM's leading dimension)
     * @param batch     rows
     * @param out       [batch, d_out] packed from element 0; modified
     */
    private void addSkip(MemorySegment x, long xOffset, int rowStride, int batch, MemorySegment out) {
        if (skip == null || batch == 0) {
            return;
        }
        int dIn = dIn();
        int dOut = dOut();
        if (batch == 1) {
            Kernels.gemv(dOut, dIn, 1f, skip, 0, dIn, x, xOffset, 1f, out, 0);
        } else {
            Kernels.gemmNT(batch, dOut, dIn, 1f, x, xOffset, rowStride, skip, 0, dIn, 1f, out, 0, dOut);
        }
    }

    /**
     * Whether the architecture selects at most k latents per row (topk, groupmax).
     *
     * @return {@link SaeArchitecture#selectsK()} of this model
     */
    private boolean selectsK() {
        return config.architecture().selectsK();
    }

    /**
     * Entries a selecting model writes for {@code batch} rows.
     *
     * @param batch rows
     * @return {@code batch·min(k, d_sae)}
     */
    private int topKEntries(int batch) {
        return batch * Math.min(config.k(), dSae());
    }

    /**
     * Throws unless the encoder and decoder are fp32.
     *
     * @param what names the matrix in the message
     * @throws IllegalStateException on a bf16 model
     */
    private void requireFp32(String what) {
        if (precision != DType.F32) {
            throw new IllegalStateException("the " + what + " of this model is stored as bf16; read weights() for "
                    + "fp32 copies");
        }
    }

    /**
     * An fp32 copy of {@code source} in {@code owner}.
     *
     * @param owner  the arena of the new model
     * @param source fp32 segment; not modified
     * @return the copy
     */
    private MemorySegment copy(TensorArena owner, MemorySegment source) {
        MemorySegment segment = owner.allocateFloats(source.byteSize() / Float.BYTES);
        segment.copyFrom(source);
        return segment;
    }

    /**
     * A segment of this model as fp32 floats, widening the bf16 encoder or decoder.
     *
     * @param segment one of this model's weight segments
     * @return a new array
     */
    private float[] read(MemorySegment segment) {
        if (precision == DType.BF16 && (segment == encoder.rows() || segment == decoder)) {
            float[] values = new float[Math.toIntExact(segment.byteSize() / Short.BYTES)];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.intBitsToFloat(segment.getAtIndex(Layouts.BF16, i) << 16);
            }
            return values;
        }
        return segment.toArray(Layouts.F32);
    }

    /**
     * An fp32 copy of {@code values} in {@code owner}, after checking that every value is finite.
     *
     * @param owner  the arena of the new model
     * @param values the weights; not modified
     * @return the copy
     * @throws IllegalArgumentException naming the first non-finite weight
     */
    private static MemorySegment copy(TensorArena owner, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("weight " + i + " is " + values[i] + "; weights must be finite");
            }
        }
        MemorySegment segment = owner.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }

    /**
     * A 64-byte aligned fp32 copy of {@code values} in a call's scratch arena.
     *
     * @param scratch the call's arena
     * @param values  the array; not modified
     * @return the copy
     */
    private static MemorySegment toSegment(Arena scratch, float[] values) {
        MemorySegment segment = scratch.allocate((long) values.length * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }
}
