package org.sae4j.sae;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * A loaded sparse autoencoder (or transcoder) with its weights off-heap in engine orientation: encoder and decoder
 * both one row per latent, fp32, owned by this object's {@link TensorArena}.
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(Path.of("gpt2-small-res-jb/blocks.8.hook_resid_pre"))) {
 *     float[] x = ...;                                   // [batch, d_in], row-major
 *     SparseCode codes = sae.encodeSparse(x);            // CSR, indices ascending per row
 *     float[] xHat = sae.decode(codes);                  // [batch, d_out], b_dec added
 *     float[] same = sae.forward(x);                     // encode, decode, de-normalise
 * }
 * }</pre>
 *
 * <p>Pipeline (sae-formats §8.1): input normalisation (§9), then {@code x' = x − b_dec} when
 * {@code apply_b_dec_to_input}, then the architecture's encode rule; decode is {@code f·W_dec + b_dec}.
 * {@link #encode} and {@link #encodeSparse} apply the input normalisation; {@link #decode} and {@link #decodeDense}
 * return the reconstruction in the <em>normalised</em> space, because the per-row statistics of
 * {@link Normalisation#CONSTANT_NORM_RESCALE} and {@link Normalisation#LAYER_NORM} are known only to the call that saw
 * the input; {@link #forward} runs the whole pipeline and de-normalises. With {@link Normalisation#NONE} the two
 * spaces coincide.
 *
 * <p>Semantics fixed here: JumpReLU keeps {@code h} only when {@code h > θ} (strict) and {@code h > 0}; TopK keeps
 * the k largest pre-activations per row (ties to the lower index) and then drops those that are not positive, so a
 * row may hold fewer than k entries; gated keeps {@code ReLU(exp(r_mag)·(x'·w) + b_mag)} where
 * {@code x'·w + b_gate > 0}. A topk model with {@code rescale_acts_by_decoder_norm} has the decoder row norms folded
 * into the weights on construction (same codes, same reconstructions) and reports the flag as false afterwards.
 *
 * <p>Segment arguments are native fp32 row-major tensors starting at byte 0 (heap segments are rejected by the
 * kernels); they must hold at least the stated number of elements.
 *
 * <p><b>Note:</b> immutable and thread-safe; every call allocates its scratch in a short-lived shared arena (a few
 * batch-sized buffers) and the array conveniences allocate their results. Using the model after {@link #close()}
 * throws {@link IllegalStateException}.
 */
public final class Sae implements AutoCloseable {

    private final SaeConfig config;
    private final TensorArena arena;
    private final MemorySegment encoder;          // [dSae, dIn]
    private final MemorySegment encoderBias;      // [dSae]: b_enc, or b_gate for gated
    private final MemorySegment decoder;          // [dSae, dOut]
    private final MemorySegment decoderBias;      // [dOut]
    private final MemorySegment threshold;        // [dSae] as stored; null unless JumpReLU
    private final MemorySegment activeThreshold;  // [dSae] max(θ, 0): the fused kernel has no separate ReLU
    private final float[] magnitudeBias;          // [dSae] gated b_mag
    private final float[] magnitudeLogScale;      // [dSae] gated r_mag
    private final float[] magnitudeScale;         // [dSae] exp(r_mag)

    private Sae(SaeConfig config, TensorArena arena, MemorySegment encoder, MemorySegment encoderBias,
            MemorySegment decoder, MemorySegment decoderBias, MemorySegment threshold, float[] magnitudeBias,
            float[] magnitudeLogScale) {
        this.config = config;
        this.arena = arena;
        this.encoder = encoder;
        this.encoderBias = encoderBias;
        this.decoder = decoder;
        this.decoderBias = decoderBias;
        this.threshold = threshold;
        this.magnitudeBias = magnitudeBias;
        this.magnitudeLogScale = magnitudeLogScale;
        if (threshold != null) {
            activeThreshold = arena.allocateFloats(config.dSae());
            for (int j = 0; j < config.dSae(); j++) {
                activeThreshold.setAtIndex(Layouts.F32, j, Math.max(threshold.getAtIndex(Layouts.F32, j), 0f));
            }
        } else {
            activeThreshold = null;
        }
        if (magnitudeLogScale != null) {
            magnitudeScale = new float[magnitudeLogScale.length];
            for (int j = 0; j < magnitudeScale.length; j++) {
                magnitudeScale[j] = (float) Math.exp(magnitudeLogScale[j]);
            }
        } else {
            magnitudeScale = null;
        }
    }

    /**
     * Copies {@code weights} into a new model.
     *
     * @throws IllegalArgumentException if an array is missing or has the wrong length for {@code config}, a value
     *                                  is not finite, or the config asks for
     *                                  {@link Normalisation#EXPECTED_AVERAGE_ONLY_IN} (fold the factor first)
     */
    public static Sae of(SaeConfig config, SaeWeights weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        checkArray("encoder", weights.encoder(), (long) dSae * dIn);
        checkArray(gated ? "b_gate" : "b_enc", weights.encoderBias(), dSae);
        checkArray("decoder", weights.decoder(), (long) dSae * dOut);
        checkArray("b_dec", weights.decoderBias(), dOut);
        checkOptional("threshold", weights.threshold(), dSae, config.architecture().hasThreshold());
        checkOptional("b_mag", weights.magnitudeBias(), dSae, gated);
        checkOptional("r_mag", weights.magnitudeLogScale(), dSae, gated);
        TensorArena owner = new TensorArena("sae-" + config.architecture().saeLensName());
        try {
            return assemble(config, owner, copy(owner, weights.encoder()), copy(owner, weights.encoderBias()),
                    copy(owner, weights.decoder()), copy(owner, weights.decoderBias()),
                    weights.threshold() == null ? null : copy(owner, weights.threshold()),
                    weights.magnitudeBias() == null ? null : weights.magnitudeBias().clone(),
                    weights.magnitudeLogScale() == null ? null : weights.magnitudeLogScale().clone());
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Takes ownership of validated, finite weights already in {@code owner}; folds the topk decoder norms when the
     * config asks for the rescaling.
     */
    static Sae assemble(SaeConfig config, TensorArena owner, MemorySegment encoder, MemorySegment encoderBias,
            MemorySegment decoder, MemorySegment decoderBias, MemorySegment threshold, float[] magnitudeBias,
            float[] magnitudeLogScale) {
        if (config.normalisation() == Normalisation.EXPECTED_AVERAGE_ONLY_IN) {
            throw new IllegalArgumentException("normalize_activations expected_average_only_in needs its scaling "
                    + "factor folded into the weights before use");
        }
        SaeConfig effective = config;
        if (config.rescaleActsByDecoderNorm()) {
            foldDecoderNorms(config, encoder, encoderBias, decoder);
            effective = config.withRescaleActsByDecoderNorm(false)
                    .withWarning("rescale_acts_by_decoder_norm folded into the weights: decoder rows have unit norm");
        }
        return new Sae(effective, owner, encoder, encoderBias, decoder, decoderBias, threshold, magnitudeBias,
                magnitudeLogScale);
    }

    /** The configuration this model runs with (after any folding done on load). */
    public SaeConfig config() {
        return config;
    }

    /** Input width. */
    public int dIn() {
        return config.dIn();
    }

    /** Number of latents. */
    public int dSae() {
        return config.dSae();
    }

    /** Decoder output width ({@code dIn} except for transcoders). */
    public int dOut() {
        return config.dOut();
    }

    /** The encoder, [d_sae, d_in] fp32 row-major, read-only by contract. */
    public MemorySegment encoder() {
        return encoder;
    }

    /** The decoder, [d_sae, d_out] fp32 row-major, read-only by contract. */
    public MemorySegment decoder() {
        return decoder;
    }

    /** {@code b_enc} (or {@code b_gate} for gated models), [d_sae]. */
    public MemorySegment encoderBias() {
        return encoderBias;
    }

    /** {@code b_dec}, [d_out]. */
    public MemorySegment decoderBias() {
        return decoderBias;
    }

    /** A copy of every parameter as arrays (engine orientation), e.g. for {@link SaeWriter}. */
    public SaeWeights weights() {
        return new SaeWeights(read(encoder), read(encoderBias), read(decoder), read(decoderBias),
                threshold == null ? null : read(threshold),
                magnitudeBias == null ? null : magnitudeBias.clone(),
                magnitudeLogScale == null ? null : magnitudeLogScale.clone());
    }

    // ---- encode ----

    /**
     * Dense codes {@code z = encode(x)}: x [batch, d_in] not modified, z [batch, d_sae] modified.
     *
     * @throws IllegalArgumentException if a segment is too small or {@code batch} is negative
     */
    public void encode(MemorySegment x, int batch, MemorySegment z) {
        checkSegment("x", x, batch, dIn());
        checkSegment("z", z, batch, dSae());
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment input = prepareInput(x, batch, scratch, new RowNormaliser(config.normalisation(), batch));
            encodeDense(input, batch, z);
        }
    }

    /**
     * Dense codes of {@code x} ([batch, d_in], row-major).
     *
     * @return [batch, d_sae], row-major
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of d_in
     */
    public float[] encode(float[] x) {
        int batch = batchOf(x, dIn(), "x");
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment z = scratch.allocate((long) batch * dSae() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            encode(toSegment(scratch, x), batch, z);
            return z.toArray(Layouts.F32);
        }
    }

    /**
     * Sparse codes of x [batch, d_in] into {@code out} (reset to {@code batch} rows, indices ascending, only
     * non-zero values kept).
     *
     * @throws IllegalArgumentException if a segment is too small, {@code out} has another number of latents or too
     *                                  little capacity (topk needs batch·min(k, d_sae) entries; other architectures
     *                                  as many as there are non-zero codes)
     */
    public void encodeSparse(MemorySegment x, int batch, SparseCode out) {
        checkSegment("x", x, batch, dIn());
        Objects.requireNonNull(out, "out");
        if (out.cols() != dSae()) {
            throw new IllegalArgumentException("out has " + out.cols() + " latents, the SAE has " + dSae());
        }
        if (batch > out.maxRows()) {
            throw new IllegalArgumentException("out holds at most " + out.maxRows() + " rows, batch is " + batch);
        }
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment input = prepareInput(x, batch, scratch, new RowNormaliser(config.normalisation(), batch));
            encodeSparseInto(input, batch, out, scratch);
        }
    }

    /**
     * Sparse codes of {@code x} ([batch, d_in], row-major) in a new, exactly sized {@link SparseCode}.
     *
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of d_in
     */
    public SparseCode encodeSparse(float[] x) {
        int batch = batchOf(x, dIn(), "x");
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment input = prepareInput(toSegment(scratch, x), batch, scratch,
                    new RowNormaliser(config.normalisation(), batch));
            return newSparse(input, batch, scratch);
        }
    }

    // ---- decode ----

    /**
     * {@code out[r,:] = Σ codes[r,j]·W_dec[j,:] + b_dec} in the normalised space; out [codes.rows(), d_out]
     * modified.
     *
     * @throws IllegalArgumentException if {@code codes} has another number of latents or {@code out} is too small
     */
    public void decode(SparseCode codes, MemorySegment out) {
        Objects.requireNonNull(codes, "codes");
        if (codes.cols() != dSae()) {
            throw new IllegalArgumentException("codes have " + codes.cols() + " latents, the SAE has " + dSae());
        }
        checkSegment("out", out, codes.rows(), dOut());
        Kernels.decode(codes, decoder, 0, dOut(), dOut(), decoderBias, 0, out, 0, dOut());
    }

    /** The reconstruction of {@code codes} as a new [rows, d_out] array (normalised space, see the class notes). */
    public float[] decode(SparseCode codes) {
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment out = scratch.allocate((long) codes.rows() * dOut() * Float.BYTES,
                    Layouts.ALIGNMENT_BYTES);
            decode(codes, out);
            return out.toArray(Layouts.F32);
        }
    }

    /**
     * {@code out = z·W_dec + b_dec} for dense codes z [batch, d_sae]; out [batch, d_out] modified.
     *
     * @throws IllegalArgumentException if a segment is too small
     */
    public void decodeDense(MemorySegment z, int batch, MemorySegment out) {
        checkSegment("z", z, batch, dSae());
        checkSegment("out", out, batch, dOut());
        Kernels.gemm(batch, dOut(), dSae(), 1f, z, 0, dSae(), decoder, 0, dOut(), 0f, out, 0, dOut());
        for (int r = 0; r < batch; r++) {
            Kernels.axpy(dOut(), 1f, decoderBias, 0, out, (long) r * dOut());
        }
    }

    /** {@link #decodeDense(MemorySegment, int, MemorySegment)} on arrays: z [batch, d_sae] to a new array. */
    public float[] decodeDense(float[] z) {
        int batch = batchOf(z, dSae(), "z");
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment out = scratch.allocate((long) batch * dOut() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            decodeDense(toSegment(scratch, z), batch, out);
            return out.toArray(Layouts.F32);
        }
    }

    // ---- whole pipeline ----

    /**
     * The reconstruction (or transcoder output) of x [batch, d_in]: normalise, encode, decode, de-normalise; out
     * [batch, d_out] modified.
     *
     * @throws IllegalArgumentException if a segment is too small
     */
    public void forward(MemorySegment x, int batch, MemorySegment out) {
        checkSegment("x", x, batch, dIn());
        checkSegment("out", out, batch, dOut());
        try (Arena scratch = Arena.ofShared()) {
            RowNormaliser normaliser = new RowNormaliser(config.normalisation(), batch);
            MemorySegment input = prepareInput(x, batch, scratch, normaliser);
            decode(newSparse(input, batch, scratch), out);
            normaliser.denormalise(out, batch, dOut());
        }
    }

    /** {@link #forward(MemorySegment, int, MemorySegment)} on arrays: x [batch, d_in] to a new [batch, d_out]. */
    public float[] forward(float[] x) {
        int batch = batchOf(x, dIn(), "x");
        try (Arena scratch = Arena.ofShared()) {
            MemorySegment out = scratch.allocate((long) batch * dOut() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            forward(toSegment(scratch, x), batch, out);
            return out.toArray(Layouts.F32);
        }
    }

    /** Frees the weights. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "Sae[" + config.architecture().saeLensName() + ", " + dIn() + " -> " + dSae() + " -> " + dOut() + "]";
    }

    // ---- internals ----

    /** Copies x into scratch, normalises it and subtracts b_dec as the config says; returns x' [batch, d_in]. */
    private MemorySegment prepareInput(MemorySegment x, int batch, Arena scratch, RowNormaliser normaliser) {
        int dIn = dIn();
        MemorySegment input = scratch.allocate((long) batch * dIn * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        MemorySegment.copy(x, 0, input, 0, input.byteSize());
        normaliser.normalise(input, batch, dIn);
        if (config.applyBDecToInput()) {
            for (int r = 0; r < batch; r++) {
                Kernels.axpy(dIn, -1f, decoderBias, 0, input, (long) r * dIn);
            }
        }
        return input;
    }

    private void encodeDense(MemorySegment input, int batch, MemorySegment z) {
        int dIn = dIn();
        int dSae = dSae();
        switch (config.architecture()) {
            case STANDARD, TRANSCODER -> Kernels.encodeRelu(batch, dSae, dIn, input, 0, dIn, encoder, 0, dIn,
                    encoderBias, 0, z, 0, dSae);
            case JUMPRELU, JUMPRELU_TRANSCODER -> Kernels.encodeJumpRelu(batch, dSae, dIn, input, 0, dIn, encoder, 0,
                    dIn, encoderBias, 0, activeThreshold, 0, z, 0, dSae);
            case GATED -> encodeGated(input, batch, z);
            case TOPK -> {
                SparseCode codes = SparseCode.withCapacity(batch, dSae, batch * Math.min(config.k(), dSae));
                encodeTopK(input, batch, codes);
                SparseCodes.scatter(codes, z, dSae);
            }
        }
    }

    /** Gate and magnitude share one GEMM; the per-latent epilogue has no fused kernel. */
    private void encodeGated(MemorySegment input, int batch, MemorySegment z) {
        int dSae = dSae();
        Kernels.gemmNT(batch, dSae, dIn(), 1f, input, 0, dIn(), encoder, 0, dIn(), 0f, z, 0, dSae);
        float[] gateBias = encoderBias.toArray(Layouts.F32);
        float[] row = new float[dSae];
        for (int r = 0; r < batch; r++) {
            long offset = (long) r * dSae * Float.BYTES;
            MemorySegment.copy(z, Layouts.F32, offset, row, 0, dSae);
            for (int j = 0; j < dSae; j++) {
                float projection = row[j];
                float magnitude = Math.max(projection * magnitudeScale[j] + magnitudeBias[j], 0f);
                row[j] = projection + gateBias[j] > 0f ? magnitude : 0f;
            }
            MemorySegment.copy(row, 0, z, Layouts.F32, offset, dSae);
        }
    }

    /** Top-k pre-activations, then ReLU by dropping the kept entries that are not positive. */
    private void encodeTopK(MemorySegment input, int batch, SparseCode out) {
        int dIn = dIn();
        int needed = batch * Math.min(config.k(), dSae());
        if (needed > out.maxNnz()) {
            throw new IllegalArgumentException("out holds " + out.maxNnz() + " entries, topk needs " + needed);
        }
        Kernels.encodeTopK(batch, dSae(), dIn, input, 0, dIn, encoder, 0, dIn, encoderBias, 0, config.k(), out);
        SparseCodes.dropNonPositive(out);
    }

    private void encodeSparseInto(MemorySegment input, int batch, SparseCode out, Arena scratch) {
        if (config.architecture() == SaeArchitecture.TOPK) {
            encodeTopK(input, batch, out);
            return;
        }
        MemorySegment z = denseScratch(input, batch, scratch);
        int nnz = SparseCodes.countNonZero(z, batch, dSae());
        if (nnz > out.maxNnz()) {
            throw new IllegalArgumentException("out holds " + out.maxNnz() + " entries, the codes have " + nnz
                    + " non-zero values");
        }
        SparseCodes.compress(z, batch, dSae(), out);
    }

    private SparseCode newSparse(MemorySegment input, int batch, Arena scratch) {
        if (config.architecture() == SaeArchitecture.TOPK) {
            SparseCode codes = SparseCode.withCapacity(batch, dSae(), batch * Math.min(config.k(), dSae()));
            encodeTopK(input, batch, codes);
            return codes;
        }
        MemorySegment z = denseScratch(input, batch, scratch);
        SparseCode codes = SparseCode.withCapacity(batch, dSae(), SparseCodes.countNonZero(z, batch, dSae()));
        SparseCodes.compress(z, batch, dSae(), codes);
        return codes;
    }

    private MemorySegment denseScratch(MemorySegment input, int batch, Arena scratch) {
        MemorySegment z = scratch.allocate((long) batch * dSae() * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        encodeDense(input, batch, z);
        return z;
    }

    /**
     * {@code h_j·n_j} before selection and {@code f_j / n_j} on decode equal scaling encoder row j and b_enc[j] by
     * n_j and dividing decoder row j by n_j (sae-formats §8.2, §10).
     */
    private static void foldDecoderNorms(SaeConfig config, MemorySegment encoder, MemorySegment encoderBias,
            MemorySegment decoder) {
        int dSae = config.dSae();
        int dIn = config.dIn();
        int dOut = config.dOut();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment norms = scratch.allocate((long) dSae * Float.BYTES, Layouts.ALIGNMENT_BYTES);
            Kernels.rowNorms(dSae, dOut, decoder, 0, dOut, norms, 0);
            for (int j = 0; j < dSae; j++) {
                float norm = norms.getAtIndex(Layouts.F32, j);
                Kernels.scale(dIn, norm, encoder, (long) j * dIn);
                encoderBias.setAtIndex(Layouts.F32, j, encoderBias.getAtIndex(Layouts.F32, j) * norm);
                if (norm > 0f) {
                    Kernels.scale(dOut, 1f / norm, decoder, (long) j * dOut);
                }
            }
        }
    }

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

    private static void checkArray(String name, float[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }

    private static void checkOptional(String name, float[] values, int expected, boolean required) {
        if (required) {
            checkArray(name, values, expected);
        } else if (values != null) {
            throw new IllegalArgumentException(name + " is given but the architecture does not use it");
        }
    }

    private static float[] read(MemorySegment segment) {
        return segment.toArray(Layouts.F32);
    }

    private static int batchOf(float[] values, int width, String name) {
        Objects.requireNonNull(values, name);
        if (values.length % width != 0) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, not a multiple of "
                    + width);
        }
        return values.length / width;
    }

    private static void checkSegment(String name, MemorySegment segment, int rows, int cols) {
        Objects.requireNonNull(segment, name);
        if (rows < 0) {
            throw new IllegalArgumentException("negative batch " + rows);
        }
        long bytes = (long) rows * cols * Float.BYTES;
        if (segment.byteSize() < bytes) {
            throw new IllegalArgumentException(name + " has " + segment.byteSize() + " bytes, [" + rows + ", " + cols
                    + "] fp32 needs " + bytes);
        }
    }

    private static MemorySegment toSegment(Arena scratch, float[] values) {
        MemorySegment segment = scratch.allocate((long) values.length * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }
}
