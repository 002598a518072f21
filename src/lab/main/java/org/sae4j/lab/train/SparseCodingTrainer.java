package org.sae4j.lab.train;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.SplittableRandom;

import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.metrics.Flops;
import org.sae4j.lab.metrics.Mcc;
import org.sae4j.lab.solve.LogCodeInference;
import org.sae4j.lab.solve.LogCodeOptions;
import org.sae4j.lab.solve.LogCodes;
import org.sae4j.optim.AdamOptions;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * The paper's sparse coding (paper-spec §6.4): per-sample log-codes for the training split and a dictionary,
 * learned jointly by full-batch Adam on MSE-mean + λ·mean|Ŝ|, the atoms projected to unit norm before every
 * forward pass. Test codes come from a fresh {@link LogCodeInference} with the current dictionary frozen (the
 * reference's {@code optimize_codes}: 10,000 Adam iterations at lr 3e-3 from −10).
 *
 * <p>Initialisation: log S = −10 everywhere; D standard normal, row-major from a {@link SplittableRandom} of the
 * seed. FLOPs follow {@link Flops#sparseCodingTraining} (the batch counted twice, as in the reference) and
 * {@link Flops#optimizeCodes} for the test inference.
 *
 * <p><b>Note:</b> not thread-safe. {@link #step()} allocates nothing; an evaluation with test inference costs
 * as much as the configured number of ITO iterations.
 */
public final class SparseCodingTrainer implements Trainer {

    /**
     * @param lambda             λ ≥ 0
     * @param adam               optimiser of the codes and the dictionary
     * @param initSeed           seed of the dictionary initialisation
     * @param evaluationInterval evaluate every E steps, E ≥ 1
     * @param testInference      test-time inference settings; 0 iterations skips the test split
     */
    public record Options(float lambda, AdamOptions adam, long initSeed, int evaluationInterval,
                          LogCodeOptions testInference) {

        public Options {
            Objects.requireNonNull(adam, "adam");
            Objects.requireNonNull(testInference, "testInference");
            if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
                throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
            }
            if (evaluationInterval < 1) {
                throw new IllegalArgumentException("evaluationInterval must be >= 1, got " + evaluationInterval);
            }
        }

        /** The unknown-setting configuration: λ 0.01, Adam lr 1e-3, evaluation every 500 steps, reference ITO. */
        public static Options paper(long initSeed) {
            return new Options(0.01f, AdamOptions.pytorch(1e-3f), initSeed, 500, LogCodeOptions.paperOptimizeCodes());
        }

        public Options withTestIterations(int iterations) {
            return new Options(lambda, adam, initSeed, evaluationInterval, testInference.withIterations(iterations));
        }

        public Options withEvaluationInterval(int interval) {
            return new Options(lambda, adam, initSeed, interval, testInference);
        }

        public Options withLambda(float newLambda) {
            return new Options(newLambda, adam, initSeed, evaluationInterval, testInference.withLambda(newLambda));
        }

        public Options withLearningRate(float learningRate) {
            return new Options(lambda, adam.withLearningRate(learningRate), initSeed, evaluationInterval,
                    testInference);
        }
    }

    private final int latents;
    private final int measurements;
    private final int trainSamples;
    private final int testSamples;
    private final Options options;
    private final TensorArena arena;
    private final LogCodes trainCodes;
    private final Dictionary dictionary;
    private final MemorySegment trainX;
    private final MemorySegment testX;
    private final MemorySegment trueTrainCodes;
    private final MemorySegment trueTestCodes;
    private final MemorySegment trueAtoms;
    private final LogCodeInference testInference;
    private long completedSteps;
    private long trainingNanos;

    /**
     * @throws IllegalArgumentException when the arrays do not match the shapes
     */
    public SparseCodingTrainer(int latents, int measurements, float[] trueAtoms, float[] trainX, float[] trainCodes,
                               float[] testX, float[] testCodes, Options options) {
        this.options = Objects.requireNonNull(options, "options");
        int[] rows = Shapes.splitRows(latents, measurements, trueAtoms, trainX, trainCodes, testX, testCodes);
        this.latents = latents;
        this.measurements = measurements;
        this.trainSamples = rows[0];
        this.testSamples = rows[1];
        this.arena = new TensorArena("sparse-coding-" + latents + "x" + measurements);
        this.trainCodes = new LogCodes(arena, trainSamples, latents, measurements);
        this.trainCodes.reset(LogCodeOptions.PAPER_INITIAL_LOG_CODE);
        this.dictionary = Dictionary.learned(arena, latents, measurements, new SplittableRandom(options.initSeed()));
        this.trainX = Shapes.copy(arena, trainX);
        this.testX = Shapes.copy(arena, testX);
        this.trueTrainCodes = Shapes.copy(arena, trainCodes);
        this.trueTestCodes = Shapes.copy(arena, testCodes);
        this.trueAtoms = Shapes.copy(arena, trueAtoms);
        this.testInference = new LogCodeInference(testSamples, latents, measurements);
    }

    /** A trainer on the paper's synthetic data. */
    public static SparseCodingTrainer of(SyntheticData data, Options options) {
        Objects.requireNonNull(data, "data");
        return new SparseCodingTrainer(data.config().latents(), data.config().measurements(), data.dictionary(),
                data.trainObservations(), data.trainCodes(), data.testObservations(), data.testCodes(), options);
    }

    public Options options() {
        return options;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    @Override
    public long completedSteps() {
        return completedSteps;
    }

    @Override
    public int evaluationInterval() {
        return options.evaluationInterval();
    }

    /** The training codes' log-parameters. */
    public LogCodes trainCodes() {
        return trainCodes;
    }

    /** The training loss and the gradients of log S and D at the current parameters, without an update. */
    public double computeGradients() {
        MemorySegment atoms = dictionary.projectInPlace();
        trainCodes.forward(trainX, atoms);
        double loss = trainCodes.loss(options.lambda());
        trainCodes.backward(atoms, options.lambda(), dictionary.parameter().gradient());
        return loss;
    }

    /** One joint Adam step of the codes and the dictionary. Allocates nothing. */
    @Override
    public void step() {
        long start = System.nanoTime();
        MemorySegment atoms = dictionary.projectInPlace();
        trainCodes.forward(trainX, atoms);
        trainCodes.backward(atoms, options.lambda(), dictionary.parameter().gradient());
        long t = completedSteps + 1;
        trainCodes.logCodes().adamStep(t, options.adam());
        dictionary.parameter().adamStep(t, options.adam());
        completedSteps = t;
        trainingNanos += System.nanoTime() - start;
    }

    /**
     * Training loss, dictionary MCC, and the test split's loss and MCC after a fresh ITO with the current dictionary;
     * with test inference configured to 0 iterations, as {@link #evaluateTrainingSplit()}.
     */
    @Override
    public TrainingEvaluation evaluate() {
        LogCodeOptions inference = options.testInference();
        if (inference.iterations() == 0) {
            return evaluateTrainingSplit();
        }
        MemorySegment atoms = dictionary.projectedCopy();
        TrainingEvaluation training = evaluateTrainingSplit(atoms);
        double testLoss = testInference.run(testX, atoms, inference, null);
        double testMcc = Mcc.hungarian(DenseMatrix.f32(trueTestCodes, testSamples, latents),
                DenseMatrix.f32(testInference.codes(), testSamples, latents));
        return new TrainingEvaluation(completedSteps, training.trainLoss(), testLoss, testMcc,
                training.dictionaryMcc(), training.trainingFlops(), testInference.flops(inference.iterations()),
                training.trainingSeconds());
    }

    /**
     * The state without test inference: the test fields hold the training split's loss and code MCC, and the
     * inference FLOPs are 0.
     */
    public TrainingEvaluation evaluateTrainingSplit() {
        return evaluateTrainingSplit(dictionary.projectedCopy());
    }

    private TrainingEvaluation evaluateTrainingSplit(MemorySegment atoms) {
        trainCodes.forward(trainX, atoms);
        double trainLoss = trainCodes.loss(options.lambda());
        double trainMcc = Mcc.hungarian(DenseMatrix.f32(trueTrainCodes, trainSamples, latents),
                DenseMatrix.f32(trainCodes.codes(), trainSamples, latents));
        double dictionaryMcc = Mcc.dictionary(DenseMatrix.f32(trueAtoms, latents, measurements),
                DenseMatrix.f32(atoms, latents, measurements));
        return new TrainingEvaluation(completedSteps, trainLoss, trainLoss, trainMcc, dictionaryMcc,
                Flops.sparseCodingTraining(measurements, latents, trainSamples, completedSteps, true), 0,
                trainingNanos / 1e9);
    }

    @Override
    public void close() {
        testInference.close();
        arena.close();
    }
}
