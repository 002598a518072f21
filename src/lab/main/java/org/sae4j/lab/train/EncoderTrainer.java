package org.sae4j.lab.train;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sae4j.kernel.Kernels;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.metrics.Flops;
import org.sae4j.lab.metrics.Mcc;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * Full-batch Adam training of an amortised encoder (SAE or MLP, paper-spec §6.1, §6.3, §6.6) against one of the
 * {@link TrainingTarget}s, with test-split evaluation and the paper's FLOP accounting.
 *
 * <pre>{@code
 *   reconstruction:  R = Ŝ·D − X,  L = (1/(B·M))·Σ R² + λ·(1/(B·N))·Σ|Ŝ|
 *                    ∂L/∂Ŝ = (2/(B·M))·R·Dᵀ + (λ/(B·N))·sign(Ŝ),   ∂L/∂D = (2/(B·M))·Ŝᵀ·R   (learned D)
 *   known codes:     c_j = Σ_b S_bj·Ŝ_bj / max(‖S_j‖·‖Ŝ_j‖, ε),  L = −(1/N)·Σ_j c_j,  ε = 1e-8
 *                    ∂L/∂Ŝ_bj = −(1/N)·(S_bj/(‖S_j‖·‖Ŝ_j‖) − c_j·Ŝ_bj/‖Ŝ_j‖²),  or −(1/N)·S_bj/ε below ε
 * }</pre>
 *
 * <p>Codes are non-negative, so sign(Ŝ) = 1[Ŝ &gt; 0], and the encoder's backward pass masks where Ŝ = 0 (sign(0) =
 * ReLU'(0) = 0, PyTorch's conventions). Each step evaluates the loss and gradients at the current parameters, then
 * applies one Adam step to every parameter with the 1-based step count. Initialisation draws the encoder first,
 * then a learned dictionary, from one {@link SplittableRandom} of {@link TrainingOptions#initSeed()}.
 *
 * <p>Determinism: the O(B·N·M) work runs through {@link Kernels} GEMMs whose results do not depend on the thread
 * count; loss sums are taken in double in a fixed order (paper-spec §12.14–15).
 *
 * <pre>{@code
 * SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625));
 * try (EncoderTrainer sae = EncoderTrainer.of(data, EncoderSpec.sae(),
 *         TrainingOptions.paper(TrainingTarget.KNOWN_DICTIONARY, 20240625L + 42))) {
 *     TrainingHistory history = sae.train(20_000, null);
 *     System.out.println(history.peakEvaluation() + " -> " + history.lastEvaluation());
 * }
 * }</pre>
 *
 * <p><b>Note:</b> not thread-safe. Every tensor lives in one arena owned by the trainer and freed by
 * {@link #close()}; {@link #step()} allocates nothing, an evaluation allocates for the MCC.
 */
public final class EncoderTrainer implements Trainer {

    private static final double COSINE_EPSILON = 1e-8;

    private final int latents;
    private final int measurements;
    private final int trainSamples;
    private final int testSamples;
    private final EncoderSpec spec;
    private final TrainingOptions options;
    private final int[] widths;

    private final TensorArena arena;
    private final Encoder encoder;
    private final Dictionary dictionary;
    private final List<Parameter> parameters;
    private final Parameter[] parameterArray;  // iterated by step() without an iterator
    private final float[] trueAtoms;
    private final MemorySegment trainX;
    private final MemorySegment testX;
    private final MemorySegment trainCodes;
    private final MemorySegment testCodes;
    private final MemorySegment residual;   // [max(B, B_test), M]
    private final MemorySegment codeGrad;   // [B, N]
    private final double[] columnDots;
    private final double[] truthNorms;
    private final double[] estimateNorms;

    private long completedSteps;
    private long trainingNanos;

    /**
     * @param latents      N ≥ 1
     * @param measurements M ≥ 1
     * @param trueAtoms    [N, M] true dictionary (the frozen decoder, or the reference of the dictionary MCC); copied
     * @param trainX       [B, M] training observations; copied
     * @param trainCodes   [B, N] true training codes (the target of {@link TrainingTarget#KNOWN_CODES}); copied
     * @param testX        [B_test, M] test observations; copied
     * @param testCodes    [B_test, N] true test codes; copied
     * @throws IllegalArgumentException when a size is not positive or an array does not match the shapes
     */
    public EncoderTrainer(int latents, int measurements, float[] trueAtoms, float[] trainX, float[] trainCodes,
                          float[] testX, float[] testCodes, EncoderSpec spec, TrainingOptions options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
        int[] rows = Shapes.splitRows(latents, measurements, trueAtoms, trainX, trainCodes, testX, testCodes);
        this.latents = latents;
        this.measurements = measurements;
        this.trainSamples = rows[0];
        this.testSamples = rows[1];
        this.widths = spec.widths(measurements, latents);
        this.trueAtoms = trueAtoms.clone();

        int capacity = Math.max(trainSamples, testSamples);
        this.arena = new TensorArena("encoder-trainer-" + spec.label());
        SplittableRandom init = new SplittableRandom(options.initSeed());
        this.encoder = new Encoder(arena, spec, measurements, latents, capacity, init);
        this.dictionary = options.target() == TrainingTarget.LEARNED_DICTIONARY
                ? Dictionary.learned(arena, latents, measurements, init)
                : Dictionary.frozen(arena, latents, measurements, trueAtoms);
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        if (dictionary.isLearned()) {
            all.add(dictionary.parameter());
        }
        this.parameters = List.copyOf(all);
        this.parameterArray = all.toArray(new Parameter[0]);
        this.trainX = Shapes.copy(arena, trainX);
        this.testX = Shapes.copy(arena, testX);
        this.trainCodes = Shapes.copy(arena, trainCodes);
        this.testCodes = Shapes.copy(arena, testCodes);
        this.residual = arena.allocateFloats((long) capacity * measurements);
        this.codeGrad = arena.allocateFloats((long) trainSamples * latents);
        this.columnDots = new double[latents];
        this.truthNorms = new double[latents];
        this.estimateNorms = new double[latents];
    }

    /** A trainer on the paper's synthetic data: training split to train, test split to evaluate. */
    public static EncoderTrainer of(SyntheticData data, EncoderSpec spec, TrainingOptions options) {
        Objects.requireNonNull(data, "data");
        return new EncoderTrainer(data.config().latents(), data.config().measurements(), data.dictionary(),
                data.trainObservations(), data.trainCodes(), data.testObservations(), data.testCodes(), spec,
                options);
    }

    public EncoderSpec spec() {
        return spec;
    }

    public TrainingOptions options() {
        return options;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    /** Every trainable parameter: the encoder's, then a learned dictionary. */
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public long completedSteps() {
        return completedSteps;
    }

    @Override
    public int evaluationInterval() {
        return options.evaluationInterval();
    }

    /** The training loss at the current parameters; parameters and gradients are not changed. */
    public double trainLoss() {
        forward(trainX, trainSamples, false);
        return loss(trainX, trainSamples, trainCodes);
    }

    /** The loss on the test split at the current parameters. */
    public double testLoss() {
        forward(testX, testSamples, false);
        return loss(testX, testSamples, testCodes);
    }

    /**
     * The training loss and every parameter's gradient at the current parameters, without an update.
     *
     * @return L at the current parameters
     */
    public double computeGradients() {
        forward(trainX, trainSamples, true);
        double loss = loss(trainX, trainSamples, trainCodes);
        backward();
        return loss;
    }

    /** One full-batch step: gradients at the current parameters, then one Adam update of every parameter. */
    @Override
    public void step() {
        long start = System.nanoTime();
        forward(trainX, trainSamples, true);
        backward();
        long t = completedSteps + 1;
        for (Parameter parameter : parameterArray) {
            parameter.adamStep(t, options.adam());
        }
        completedSteps = t;
        trainingNanos += System.nanoTime() - start;
    }

    /** The encoder's codes for the test split at the current parameters: a copy, [B_test, N]. */
    public float[] testEncoding() {
        return encoder.forward(testX, testSamples).asSlice(0, (long) testSamples * latents * Float.BYTES)
                .toArray(F32);
    }

    /** Losses, test MCC, dictionary MCC and FLOPs at the current parameters. */
    @Override
    public TrainingEvaluation evaluate() {
        double train = trainLoss();
        double test = testLoss();
        MemorySegment codes = encoder.codes();  // testLoss() just encoded the test split
        DenseMatrix truth = DenseMatrix.f32(testCodes, testSamples, latents);
        DenseMatrix estimate = DenseMatrix.f32(codes, testSamples, latents);
        double mcc = options.target() == TrainingTarget.KNOWN_CODES ? Mcc.pairwise(truth, estimate)
                : Mcc.hungarian(truth, estimate);
        double dictionaryMcc = Double.NaN;
        if (dictionary.isLearned()) {
            MemorySegment reference = MemorySegment.ofArray(trueAtoms);
            dictionaryMcc = Mcc.dictionary(DenseMatrix.f32(reference, latents, measurements),
                    DenseMatrix.f32(dictionary.projectedCopy(), latents, measurements));
        }
        long trainingFlops = options.target() == TrainingTarget.KNOWN_CODES
                ? Flops.knownCodesTraining(widths, trainSamples, completedSteps)
                : Flops.encoderTraining(widths, trainSamples, completedSteps, dictionary.isLearned());
        return new TrainingEvaluation(completedSteps, train, test, mcc, dictionaryMcc, trainingFlops,
                Flops.encoderInference(widths, testSamples), trainingNanos / 1e9);
    }

    /** Frees every tensor; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "EncoderTrainer[" + spec.label() + ", " + options.target() + ", N=" + latents + ", M=" + measurements
                + ", B=" + trainSamples + ", steps=" + completedSteps + "]";
    }

    /**
     * Codes and, for the reconstruction targets, the residual R = Ŝ·D − X of one split. Training projects a learned
     * dictionary in place (the reference's forward pass); evaluation reads a projected copy, so that evaluating never
     * changes the training trajectory.
     */
    private void forward(MemorySegment x, int rows, boolean training) {
        MemorySegment atoms = training ? dictionary.projectInPlace() : dictionary.projectedCopy();
        MemorySegment codes = encoder.forward(x, rows);
        if (options.target() != TrainingTarget.KNOWN_CODES) {
            Kernels.gemm(rows, measurements, latents, 1f, codes, 0, latents, atoms, 0, measurements,
                    0f, residual, 0, measurements);
            Kernels.axpy(rows * measurements, -1f, x, 0, residual, 0);
        }
    }

    /** The loss of the last {@link #forward}, summed in double. */
    private double loss(MemorySegment x, int rows, MemorySegment truth) {
        MemorySegment codes = encoder.codes();
        if (options.target() == TrainingTarget.KNOWN_CODES) {
            return -cosineSum(truth, codes, rows) / latents;
        }
        int residualCount = rows * measurements;
        double squares = 0;
        for (int i = 0; i < residualCount; i++) {
            double value = residual.getAtIndex(F32, i);
            squares += value * value;
        }
        int codeCount = rows * latents;
        double magnitudes = 0;
        for (int i = 0; i < codeCount; i++) {
            magnitudes += Math.abs(codes.getAtIndex(F32, i));
        }
        return squares / residualCount + options.l1Coefficient() * (magnitudes / codeCount);
    }

    /** Gradients of the last training-split {@link #forward}. */
    private void backward() {
        MemorySegment codes = encoder.codes();
        float sparsity = 0f;
        if (options.target() == TrainingTarget.KNOWN_CODES) {
            cosineSum(trainCodes, codes, trainSamples);
            cosineGradient(codes);
        } else {
            float scale = (float) (2.0 / ((double) trainSamples * measurements));
            Kernels.gemmNT(trainSamples, latents, measurements, scale, residual, 0, measurements, dictionary.atoms(),
                    0, measurements, 0f, codeGrad, 0, latents);
            // Ŝ ≥ 0, so sign(Ŝ)·λ/(B·N) is the constant λ/(B·N) on active codes: the encoder adds it where it masks.
            sparsity = (float) (options.l1Coefficient() / ((double) trainSamples * latents));
            if (dictionary.isLearned()) {
                Kernels.gemmTN(latents, measurements, trainSamples, scale, codes, 0, latents, residual, 0,
                        measurements, 0f, dictionary.parameter().gradient(), 0, measurements);
            }
        }
        encoder.backward(trainX, trainSamples, codeGrad, sparsity);
    }

    /** Σ_j c_j over the rows, leaving the per-column sums in the scratch arrays for {@link #cosineGradient}. */
    private double cosineSum(MemorySegment truth, MemorySegment codes, int rows) {
        Arrays.fill(columnDots, 0);
        Arrays.fill(truthNorms, 0);
        Arrays.fill(estimateNorms, 0);
        for (int row = 0; row < rows; row++) {
            long offset = (long) row * latents;
            for (int j = 0; j < latents; j++) {
                double s = truth.getAtIndex(F32, offset + j);
                double z = codes.getAtIndex(F32, offset + j);
                columnDots[j] += s * z;
                truthNorms[j] += s * s;
                estimateNorms[j] += z * z;
            }
        }
        double sum = 0;
        for (int j = 0; j < latents; j++) {
            truthNorms[j] = Math.sqrt(truthNorms[j]);
            estimateNorms[j] = Math.sqrt(estimateNorms[j]);
            sum += columnDots[j] / Math.max(truthNorms[j] * estimateNorms[j], COSINE_EPSILON);
        }
        return sum;
    }

    /** ∂L/∂Ŝ of the cosine loss, from the column sums {@link #cosineSum} left behind. */
    private void cosineGradient(MemorySegment codes) {
        double scale = -1.0 / latents;
        for (int row = 0; row < trainSamples; row++) {
            long offset = (long) row * latents;
            for (int j = 0; j < latents; j++) {
                double s = trainCodes.getAtIndex(F32, offset + j);
                double z = codes.getAtIndex(F32, offset + j);
                double norms = truthNorms[j] * estimateNorms[j];
                double grad;
                if (norms > COSINE_EPSILON) {
                    double cosine = columnDots[j] / norms;
                    grad = s / norms - cosine * z / (estimateNorms[j] * estimateNorms[j]);
                } else {
                    grad = s / COSINE_EPSILON;
                }
                codeGrad.setAtIndex(F32, offset + j, (float) (scale * grad));
            }
        }
    }
}
