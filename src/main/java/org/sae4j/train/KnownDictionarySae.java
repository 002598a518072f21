package org.sae4j.train;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.sae4j.kernel.Kernels;
import org.sae4j.metrics.Flops;
import org.sae4j.metrics.Mcc;
import org.sae4j.paper.SyntheticData;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * The paper's known-dictionary SAE (paper-spec §6.1, §10.1, §11.3): a linear–ReLU encoder trained full-batch with
 * Adam while the decoder is frozen to the true dictionary D.
 *
 * <pre>{@code
 *   X [B, M]   observations (training split)          D [N, M]   true atoms, one row per latent, frozen
 *   W [N, M]   encoder, one row per latent             b [N]      encoder bias (0 and never updated without bias)
 *   P = X·Wᵀ + b,   Ŝ = ReLU(P),   X̂ = Ŝ·D,   R = X̂ − X                               // [B, N], [B, M]
 *   L = (1/(B·M))·Σ R² + λ·(1/(B·N))·Σ |Ŝ|                                              // paper-spec §5, §7
 *   G = ∂L/∂P = 1[P > 0] ⊙ ((2/(B·M))·R·D + λ/(B·N))                                   // [B, N]
 *   ∂L/∂W = Gᵀ·X  [N, M],   ∂L/∂b = Gᵀ·1  [N]
 * }</pre>
 *
 * <p>The mask uses PyTorch's conventions: ReLU'(0) = 0 and sign(0) = 0, and Ŝ ≥ 0 so sign(Ŝ) = 1[P &gt; 0]. Each
 * step computes the loss and both gradients at the current parameters, then applies one Adam step
 * ({@link Kernels#adam}, PyTorch formulation, paper-spec §5) with 1-based step count t.
 *
 * <p>Initialisation (paper-spec §5, PyTorch's default {@code Linear} init): every W entry and, with a bias, every
 * b entry is drawn from U(−1/√M, +1/√M) by a {@link SplittableRandom} of {@link SaeTrainingOptions#initSeed()}, W
 * row-major first, then b, each as {@code (float) ((2u − 1)/√M)} with u a 53-bit uniform double. torch's generator
 * cannot be reproduced, so only the distribution matches the reference.
 *
 * <p>Precision: the O(B·N·M) work runs in fp32 through the {@link Kernels} GEMMs, so results are identical for
 * every kernel thread count; bias and ReLU use {@link Kernels#biasRelu} row by row. The loss sums, the ReLU mask and the λ term are O(B·N) loops; the loss is summed in
 * double (paper-spec §12.15). Test-split MCC uses {@link Mcc#hungarian}; FLOPs follow {@link Flops#saeTraining}
 * with D fixed and {@link Flops#saeInference} (paper-spec §9).
 *
 * <pre>{@code
 * SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625));
 * try (KnownDictionarySae sae = KnownDictionarySae.of(data, SaeTrainingOptions.paper(20240625L + 42))) {
 *     SaeEvaluation start = sae.evaluate();
 *     SaeTrainingHistory history = sae.train(20_000, null);
 *     System.out.println(history.peakEvaluation() + " -> " + history.lastEvaluation());
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe; one caller at a time. All tensors, Adam moments and scratch live in one shared
 * {@link TensorArena} owned by the model and freed by {@link #close()}; {@link #step()} allocates nothing. An
 * evaluation allocates (the MCC computation, the {@link SaeEvaluation}); {@link #train} allocates its loss array up
 * front.
 */
public final class KnownDictionarySae implements AutoCloseable {

    private final int latents;
    private final int measurements;
    private final int trainSamples;
    private final int testSamples;
    private final SaeTrainingOptions options;
    private final float reconstructionScale;  // 2/(B·M): ∂(mean R²)/∂R
    private final float sparsityGradient;     // λ/(B·N): ∂(λ·mean|Ŝ|)/∂Ŝ where Ŝ > 0

    private final TensorArena arena;
    private final MemorySegment dictionary;   // [N, M]
    private final MemorySegment trainX;       // [B, M]
    private final MemorySegment testX;        // [B_test, M]
    private final MemorySegment testCodes;    // [B_test, N]
    private final MemorySegment weights;      // [N, M]
    private final MemorySegment bias;         // [N]
    private final MemorySegment weightGrad;   // [N, M]
    private final MemorySegment biasGrad;     // [N]
    private final MemorySegment weightM;      // [N, M]
    private final MemorySegment weightV;      // [N, M]
    private final MemorySegment biasM;        // [N]
    private final MemorySegment biasV;        // [N]
    private final MemorySegment trainZ;       // [B, N] codes Ŝ
    private final MemorySegment codeGrad;     // [B, N] ∂L/∂P
    private final MemorySegment trainR;       // [B, M] residual X̂ − X
    private final MemorySegment testZ;        // [B_test, N]
    private final MemorySegment testR;        // [B_test, M]
    private final MemorySegment ones;         // [B]
    private final DenseMatrix testCodesView;
    private final DenseMatrix testZView;

    private long completedSteps;

    /**
     * Builds a model for explicit data, with the encoder initialised from {@code options.initSeed()}.
     *
     * @param latents           N ≥ 1
     * @param measurements      M ≥ 1
     * @param dictionary        [N, M] row-major true atoms (the frozen decoder); copied
     * @param trainObservations [B, M] row-major training observations, B ≥ 1; copied
     * @param testObservations  [B_test, M] row-major test observations, B_test ≥ 1; copied
     * @param testCodes         [B_test, N] row-major true test codes; copied
     * @param options           training settings
     * @throws IllegalArgumentException when a size is not positive or an array length does not match the shapes
     * @throws NullPointerException     when an argument is null
     */
    public KnownDictionarySae(int latents, int measurements, float[] dictionary, float[] trainObservations,
                              float[] testObservations, float[] testCodes, SaeTrainingOptions options) {
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(trainObservations, "trainObservations");
        Objects.requireNonNull(testObservations, "testObservations");
        Objects.requireNonNull(testCodes, "testCodes");
        this.options = Objects.requireNonNull(options, "options");
        if (latents < 1 || measurements < 1) {
            throw new IllegalArgumentException("latents and measurements must be >= 1, got " + latents + ", "
                    + measurements);
        }
        if ((long) latents * measurements != dictionary.length) {
            throw new IllegalArgumentException("dictionary has " + dictionary.length + " entries, expected "
                    + latents + "x" + measurements);
        }
        this.latents = latents;
        this.measurements = measurements;
        this.trainSamples = samples("trainObservations", trainObservations.length, measurements);
        this.testSamples = samples("testObservations", testObservations.length, measurements);
        if ((long) testSamples * latents != testCodes.length) {
            throw new IllegalArgumentException("testCodes has " + testCodes.length + " entries, expected "
                    + testSamples + "x" + latents);
        }
        if ((long) Math.max(trainSamples, testSamples) * Math.max(latents, measurements) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("problem exceeds the largest kernel extent");
        }
        this.reconstructionScale = (float) (2.0 / ((double) trainSamples * measurements));
        this.sparsityGradient = (float) (options.l1Coefficient() / ((double) trainSamples * latents));

        long weightCount = (long) latents * measurements;
        this.arena = new TensorArena("known-dictionary-sae-" + latents + "x" + measurements);
        this.dictionary = copyOf(dictionary);
        this.trainX = copyOf(trainObservations);
        this.testX = copyOf(testObservations);
        this.testCodes = copyOf(testCodes);
        this.weights = arena.allocateFloats(weightCount);
        this.bias = arena.allocateFloats(latents);
        this.weightGrad = arena.allocateFloats(weightCount);
        this.biasGrad = arena.allocateFloats(latents);
        this.weightM = arena.allocateFloats(weightCount);
        this.weightV = arena.allocateFloats(weightCount);
        this.biasM = arena.allocateFloats(latents);
        this.biasV = arena.allocateFloats(latents);
        this.trainZ = arena.allocateFloats((long) trainSamples * latents);
        this.codeGrad = arena.allocateFloats((long) trainSamples * latents);
        this.trainR = arena.allocateFloats((long) trainSamples * measurements);
        this.testZ = arena.allocateFloats((long) testSamples * latents);
        this.testR = arena.allocateFloats((long) testSamples * measurements);
        this.ones = arena.allocateFloats(trainSamples);
        for (int i = 0; i < trainSamples; i++) {
            ones.setAtIndex(F32, i, 1f);
        }
        this.testCodesView = DenseMatrix.f32(this.testCodes, testSamples, latents);
        this.testZView = DenseMatrix.f32(testZ, testSamples, latents);
        initialise();
    }

    /**
     * Builds a model on the paper's synthetic data: the training split trains, the test split evaluates, and the
     * frozen decoder is the generating dictionary D_gen [N, M].
     *
     * @throws NullPointerException when an argument is null
     */
    public static KnownDictionarySae of(SyntheticData data, SaeTrainingOptions options) {
        Objects.requireNonNull(data, "data");
        return new KnownDictionarySae(data.config().latents(), data.config().measurements(), data.dictionary(),
                data.trainObservations(), data.testObservations(), data.testCodes(), options);
    }

    /** N, the number of latents. */
    public int latents() {
        return latents;
    }

    /** M, the observed dimension. */
    public int measurements() {
        return measurements;
    }

    /** B, the number of training samples (the full batch). */
    public int trainSamples() {
        return trainSamples;
    }

    /** The number of test samples. */
    public int testSamples() {
        return testSamples;
    }

    /** The settings this model trains with. */
    public SaeTrainingOptions options() {
        return options;
    }

    /** Completed Adam steps t. */
    public long completedSteps() {
        return completedSteps;
    }

    /** The encoder weights W: a copy, [N, M] row-major. */
    public float[] encoderWeights() {
        return weights.toArray(F32);
    }

    /** The encoder bias b: a copy, [N] (all 0 without a bias). */
    public float[] encoderBias() {
        return bias.toArray(F32);
    }

    /**
     * Replaces the encoder weights; the Adam moments and step count are kept.
     *
     * @param values [N, M] row-major; not modified
     * @throws IllegalArgumentException when the length is not N·M
     */
    public void setEncoderWeights(float[] values) {
        load(weights, values, "weights");
    }

    /**
     * Replaces the encoder bias; the Adam moments and step count are kept.
     *
     * @param values [N]; not modified
     * @throws IllegalArgumentException when the length is not N, or when the model has no bias and a value is not 0
     */
    public void setEncoderBias(float[] values) {
        if (!options.useBias()) {
            for (float value : values) {
                if (value != 0f) {
                    throw new IllegalArgumentException("the model has no bias; values must be 0");
                }
            }
        }
        load(bias, values, "bias");
    }

    /** ∂L/∂W from the last {@link #computeGradients()} or {@link #step()}: a copy, [N, M] row-major. */
    public float[] weightGradient() {
        return weightGrad.toArray(F32);
    }

    /** ∂L/∂b from the last {@link #computeGradients()} or {@link #step()}: a copy, [N] (0 without a bias). */
    public float[] biasGradient() {
        return biasGrad.toArray(F32);
    }

    /** The training loss at the current parameters (paper-spec §5); parameters and gradients are not changed. */
    public double trainLoss() {
        return forward(trainX, trainSamples, trainZ, trainR);
    }

    /** The loss on the test split at the current parameters. */
    public double testLoss() {
        return forward(testX, testSamples, testZ, testR);
    }

    /** Hungarian MCC between the true test codes and the current encoder's test codes (paper-spec §8.1). */
    public double testMcc() {
        encode(testX, testSamples, testZ);
        return Mcc.hungarian(testCodesView, testZView);
    }

    /**
     * The training loss and its gradients at the current parameters, without an update; read the gradients with
     * {@link #weightGradient()} and {@link #biasGradient()}.
     *
     * @return L at the current parameters
     */
    public double computeGradients() {
        double loss = forward(trainX, trainSamples, trainZ, trainR);
        backward();
        return loss;
    }

    /**
     * One full-batch training step: loss and gradients at the current parameters, then one Adam update of W (and
     * b with a bias). Allocates nothing.
     *
     * @return the loss before the update
     */
    public double step() {
        double loss = computeGradients();
        long t = completedSteps + 1;
        Kernels.adam(latents * measurements, weights, 0, weightGrad, 0, weightM, 0, weightV, 0,
                options.learningRate(), options.beta1(), options.beta2(), options.epsilon(), t);
        if (options.useBias()) {
            Kernels.adam(latents, bias, 0, biasGrad, 0, biasM, 0, biasV, 0, options.learningRate(), options.beta1(),
                    options.beta2(), options.epsilon(), t);
        }
        completedSteps = t;
        return loss;
    }

    /**
     * The state after {@link #completedSteps()} steps: training and test loss, test MCC and the FLOP counts.
     */
    public SaeEvaluation evaluate() {
        double train = trainLoss();
        double test = testLoss();
        double mcc = Mcc.hungarian(testCodesView, testZView);
        return new SaeEvaluation(completedSteps, train, test, mcc,
                Flops.saeTraining(measurements, latents, trainSamples, completedSteps, false),
                Flops.saeInference(measurements, latents, testSamples));
    }

    /**
     * Runs {@code steps} training steps, recording every step's loss and evaluating after every completed step
     * count that is a multiple of E ({@link SaeTrainingOptions#evaluationInterval()}), counted over the model's
     * lifetime so that consecutive calls continue the schedule.
     *
     * @param steps    number of steps, ≥ 0
     * @param listener receives each evaluation as it is made; may be null
     * @return the losses and evaluations of this call
     * @throws IllegalArgumentException when steps is negative
     */
    public SaeTrainingHistory train(int steps, SaeTrainingListener listener) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        long firstStep = completedSteps;
        double[] losses = new double[steps];
        List<SaeEvaluation> evaluations = new ArrayList<>();
        int interval = options.evaluationInterval();
        for (int i = 0; i < steps; i++) {
            losses[i] = step();
            if (completedSteps % interval == 0) {
                SaeEvaluation evaluation = evaluate();
                evaluations.add(evaluation);
                if (listener != null) {
                    listener.onEvaluation(evaluation);
                }
            }
        }
        return new SaeTrainingHistory(firstStep, losses, evaluations);
    }

    /** Frees every tensor of the model; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "KnownDictionarySae[N=" + latents + ", M=" + measurements + ", B=" + trainSamples + ", bias="
                + options.useBias() + ", steps=" + completedSteps + "]";
    }

    private void initialise() {
        SplittableRandom random = new SplittableRandom(options.initSeed());
        double bound = 1.0 / Math.sqrt(measurements);
        int weightCount = latents * measurements;
        for (int i = 0; i < weightCount; i++) {
            weights.setAtIndex(F32, i, (float) ((2.0 * random.nextDouble() - 1.0) * bound));
        }
        if (options.useBias()) {
            for (int i = 0; i < latents; i++) {
                bias.setAtIndex(F32, i, (float) ((2.0 * random.nextDouble() - 1.0) * bound));
            }
        }
    }

    /**
     * Ŝ = ReLU(X·Wᵀ + b), unfused: a GEMM, then bias and ReLU row by row. At the paper's N = 16, M = 8 this measured
     * about 30 times faster than {@link Kernels#encodeRelu} and, unlike it, allocation-free.
     */
    private void encode(MemorySegment x, int samples, MemorySegment z) {
        Kernels.gemmNT(samples, latents, measurements, 1f, x, 0, measurements, weights, 0, measurements, 0f, z, 0,
                latents);
        for (int row = 0; row < samples; row++) {
            long offset = (long) row * latents;
            Kernels.biasRelu(latents, z, offset, bias, 0, z, offset);
        }
    }

    /** Ŝ and R = Ŝ·D − X for one split; returns the loss, summed in double. */
    private double forward(MemorySegment x, int samples, MemorySegment z, MemorySegment r) {
        encode(x, samples, z);
        Kernels.gemm(samples, measurements, latents, 1f, z, 0, latents, dictionary, 0, measurements, 0f, r, 0,
                measurements);
        int residualCount = samples * measurements;
        Kernels.axpy(residualCount, -1f, x, 0, r, 0);
        double squares = 0;
        for (int i = 0; i < residualCount; i++) {
            double value = r.getAtIndex(F32, i);
            squares += value * value;
        }
        int codeCount = samples * latents;
        double magnitudes = 0;
        for (int i = 0; i < codeCount; i++) {
            magnitudes += Math.abs(z.getAtIndex(F32, i));
        }
        return squares / residualCount + options.l1Coefficient() * (magnitudes / codeCount);
    }

    /** Gradients of the last training-split {@link #forward}, from its codes and residual. */
    private void backward() {
        Kernels.gemmNT(trainSamples, latents, measurements, reconstructionScale, trainR, 0, measurements,
                dictionary, 0, measurements, 0f, codeGrad, 0, latents);
        int codeCount = trainSamples * latents;
        for (int i = 0; i < codeCount; i++) {
            // Ŝ > 0 exactly where P > 0: there ReLU' = 1 and sign(Ŝ) = 1; elsewhere both derivatives are 0.
            float grad = trainZ.getAtIndex(F32, i) > 0f ? codeGrad.getAtIndex(F32, i) + sparsityGradient : 0f;
            codeGrad.setAtIndex(F32, i, grad);
        }
        Kernels.gemmTN(latents, measurements, trainSamples, 1f, codeGrad, 0, latents, trainX, 0, measurements, 0f,
                weightGrad, 0, measurements);
        if (options.useBias()) {
            Kernels.gemvTransposed(trainSamples, latents, 1f, codeGrad, 0, latents, ones, 0, 0f, biasGrad, 0);
        }
    }

    private MemorySegment copyOf(float[] values) {
        MemorySegment segment = arena.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, F32, 0, values.length);
        return segment;
    }

    private static void load(MemorySegment target, float[] values, String name) {
        Objects.requireNonNull(values, name);
        long expected = target.byteSize() / Float.BYTES;
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " entries, expected " + expected);
        }
        MemorySegment.copy(values, 0, target, F32, 0, values.length);
    }

    private static int samples(String name, int length, int measurements) {
        if (length == 0 || length % measurements != 0) {
            throw new IllegalArgumentException(name + " has " + length + " entries, not a positive multiple of M = "
                    + measurements);
        }
        return length / measurements;
    }
}
