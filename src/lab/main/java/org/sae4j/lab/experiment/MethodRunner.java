package org.sae4j.lab.experiment;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.sae4j.kernel.Kernels;
import org.sae4j.lab.metrics.Mcc;
import org.sae4j.lab.solve.LogCodeInference;
import org.sae4j.lab.solve.LogCodeOptions;
import org.sae4j.lab.solve.TopKCodeOptimizer;
import org.sae4j.lab.train.Encoder;
import org.sae4j.lab.train.EncoderTrainer;
import org.sae4j.lab.train.SparseCodingTrainer;
import org.sae4j.lab.train.TrainingEvaluation;
import org.sae4j.lab.train.TrainingHistory;
import org.sae4j.lab.train.TrainingOptions;
import org.sae4j.optim.AdamOptions;
import org.sae4j.solve.Fista;
import org.sae4j.solve.FistaOptions;
import org.sae4j.solve.FistaResult;
import org.sae4j.solve.FistaWorkspace;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * Runs one {@link LabMethod} for one seed and turns its evaluations into {@link RunResult}s. Seeds follow the
 * reference: the model initialisation uses {@code runSeed + 42} (paper-spec §3.1).
 */
final class MethodRunner {

    /** Name of the extra result of FISTA warm-started from an encoder's codes. */
    static final String WARM_FISTA_SUFFIX = " → FISTA";
    /** Name of the extra result of FISTA started from zero. */
    static final String COLD_FISTA = "FISTA";

    private MethodRunner() {
    }

    /**
     * @param progress receives the number of steps completed since its last call
     */
    static List<RunResult> run(LabMethod method, LabData data, long runSeed, int evaluationInterval,
                               LongConsumer progress) {
        return switch (method) {
            case LabMethod.Encoder encoder -> runEncoder(encoder, data, runSeed, evaluationInterval, progress);
            case LabMethod.TrueDictionaryInference inference -> List.of(runInference(inference, data, runSeed,
                    progress));
            case LabMethod.SparseCoding coding -> runSparseCoding(coding, data, runSeed, evaluationInterval,
                    progress);
        };
    }

    private static List<RunResult> runEncoder(LabMethod.Encoder method, LabData data, long runSeed, int interval,
                                              LongConsumer progress) {
        TrainingOptions options = new TrainingOptions(method.target(), method.lambda(),
                AdamOptions.pytorch(method.learningRate()), runSeed + 42, interval);
        int latents = data.latents();
        int measurements = data.measurements();
        int testRows = data.testSamples();
        List<RunResult> results = new ArrayList<>();
        try (EncoderTrainer trainer = EncoderTrainer.of(data.data(), method.spec(), options);
             LogCodeInference ito = method.decoderInference() == null ? null
                     : new LogCodeInference(testRows, latents, measurements)) {
            List<CurvePoint> curve = new ArrayList<>();
            curve.add(point(trainer.evaluate(), ito, method, trainer, data));
            TrainingHistory history = trainer.train(method.steps(), evaluation -> {
                curve.add(point(evaluation, ito, method, trainer, data));
                progress.accept(interval);
            });
            progress.accept(method.steps() % interval);
            if (history.lastStep() % interval != 0) {
                curve.add(point(trainer.evaluate(), ito, method, trainer, data));
            }
            MemorySegment codes = ito != null ? ito.codes() : testCodes(trainer, data);
            results.add(new RunResult(method.name(), runSeed, curve, CodeStatistics.of(data.testX(), codes,
                    trainer.dictionary().atoms(), testRows, latents, measurements)));
            if (method.fistaBudgets().length > 0) {
                float[] warm = trainer.testEncoding();
                CurvePoint trained = curve.getLast();
                results.add(fista(method.name() + WARM_FISTA_SUFFIX, method.fistaBudgets(), warm, trained, data,
                        runSeed, method.lambda()));
                results.add(fista(COLD_FISTA, method.fistaBudgets(), null, null, data, runSeed, method.lambda()));
            }
        }
        return results;
    }

    private static MemorySegment testCodes(EncoderTrainer trainer, LabData data) {
        return trainer.encoder().forward(data.testX(), data.testSamples());
    }

    private static CurvePoint point(TrainingEvaluation evaluation, LogCodeInference ito, LabMethod.Encoder method,
                                    EncoderTrainer trainer, LabData data) {
        if (ito == null) {
            return new CurvePoint(evaluation.step(), evaluation.testMcc(), evaluation.dictionaryMcc(),
                    evaluation.trainingFlops(), evaluation.inferenceFlops(), evaluation.trainingSeconds());
        }
        LogCodeOptions options = method.decoderInference();
        ito.run(data.testX(), trainer.dictionary().projectedCopy(), options, null);
        double mcc = Mcc.hungarian(data.testCodes(), DenseMatrix.f32(ito.codes(), data.testSamples(),
                data.latents()));
        return new CurvePoint(evaluation.step(), mcc, evaluation.dictionaryMcc(), evaluation.trainingFlops(),
                ito.flops(options.iterations()), evaluation.trainingSeconds() + ito.lastRunSeconds());
    }

    /**
     * FISTA on the true dictionary for each budget, from zero or from {@code warm}; the curve's steps are iteration
     * budgets. A warm start adds the encoder's training and one inference to the FLOPs and seconds.
     */
    private static RunResult fista(String name, int[] budgets, float[] warm, CurvePoint trained, LabData data,
                                   long runSeed, float paperLambda) {
        int rows = data.testSamples();
        int latents = data.latents();
        int measurements = data.measurements();
        FistaOptions base = FistaOptions.of(FistaOptions.paperEquivalentLambda(paperLambda, latents, measurements))
                .withTolerance(0).withStart(warm == null ? FistaOptions.Start.ZERO : FistaOptions.Start.WARM);
        List<CurvePoint> curve = new ArrayList<>();
        Map<String, Double> metrics = Map.of();
        try (TensorArena arena = new TensorArena("fista-probe");
             FistaWorkspace workspace = new FistaWorkspace(rows, latents, measurements)) {
            DenseMatrix x = DenseMatrix.f32(data.testX(), rows, measurements);
            DenseMatrix d = DenseMatrix.f32(data.atoms(), latents, measurements);
            DenseMatrix z = arena.allocateMatrix(org.sae4j.tensor.DType.F32, rows, latents);
            long trainingFlops = trained == null ? 0 : trained.trainingFlops();
            long encodeFlops = trained == null ? 0 : trained.inferenceFlops();
            double trainingSeconds = trained == null ? 0 : trained.seconds();
            for (int budget : budgets) {
                if (warm != null) {
                    MemorySegment.copy(warm, 0, z.segment(), F32, 0, warm.length);
                }
                long start = System.nanoTime();
                FistaResult result = Fista.solve(x, d, z, base.withMaxIterations(budget), workspace, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                double mcc = Mcc.hungarian(data.testCodes(), z);
                curve.add(new CurvePoint(budget, mcc, Double.NaN, trainingFlops,
                        Math.addExact(encodeFlops, result.totalFlops()), trainingSeconds + seconds));
            }
            metrics = CodeStatistics.of(data.testX(), z.segment(), data.atoms(), rows, latents, measurements);
        }
        return new RunResult(name, runSeed, curve, metrics);
    }

    private static RunResult runInference(LabMethod.TrueDictionaryInference method, LabData data, long runSeed,
                                          LongConsumer progress) {
        int rows = data.testSamples();
        int latents = data.latents();
        int measurements = data.measurements();
        LogCodeOptions options = method.options();
        List<CurvePoint> curve = new ArrayList<>();
        try (LogCodeInference ito = new LogCodeInference(rows, latents, measurements)) {
            ito.run(data.testX(), data.atoms(), options, (iteration, loss, codes) -> {
                double mcc = Mcc.hungarian(data.testCodes(), DenseMatrix.f32(codes, rows, latents));
                curve.add(new CurvePoint(iteration, mcc, Double.NaN, 0, ito.flops(iteration), 0));
                progress.accept(options.evaluationInterval());
            });
            if (curve.isEmpty() || curve.getLast().step() != options.iterations()) {
                curve.add(new CurvePoint(options.iterations(), Mcc.hungarian(data.testCodes(),
                        DenseMatrix.f32(ito.codes(), rows, latents)), Double.NaN, 0, ito.flops(options.iterations()),
                        0));
            }
            MemorySegment codes = ito.codes();
            if (method.topK() > 0) {
                keepTopK(codes, rows, latents, method.topK());
                CurvePoint last = curve.removeLast();
                curve.add(new CurvePoint(last.step(), Mcc.hungarian(data.testCodes(),
                        DenseMatrix.f32(codes, rows, latents)), Double.NaN, 0, last.inferenceFlops(),
                        last.seconds()));
            }
            fixSeconds(curve, ito.lastRunSeconds());
            return new RunResult(method.name(), runSeed, curve, CodeStatistics.of(data.testX(), codes, data.atoms(),
                    rows, latents, measurements));
        }
    }

    /**
     * Spreads the run's measured iteration time over the logged points in proportion to their iteration count:
     * every iteration costs the same, and timing each point separately would count the MCC evaluations.
     */
    private static void fixSeconds(List<CurvePoint> curve, double totalSeconds) {
        if (curve.isEmpty() || curve.getLast().step() == 0) {
            return;
        }
        double lastStep = curve.getLast().step();
        for (int i = 0; i < curve.size(); i++) {
            CurvePoint p = curve.get(i);
            curve.set(i, new CurvePoint(p.step(), p.mcc(), p.dictionaryMcc(), p.trainingFlops(), p.inferenceFlops(),
                    totalSeconds * p.step() / lastStep));
        }
    }

    private static List<RunResult> runSparseCoding(LabMethod.SparseCoding method, LabData data, long runSeed,
                                                   int interval, LongConsumer progress) {
        int rows = data.testSamples();
        int latents = data.latents();
        int measurements = data.measurements();
        SparseCodingTrainer.Options options = new SparseCodingTrainer.Options(method.options().lambda(),
                method.options().adam(), runSeed + 42, interval, method.options().testInference());
        List<RunResult> results = new ArrayList<>();
        try (SparseCodingTrainer trainer = SparseCodingTrainer.of(data.data(), options);
             LogCodeInference ito = new LogCodeInference(rows, latents, measurements)) {
            List<CurvePoint> curve = new ArrayList<>();
            trainer.train(method.steps(), evaluation -> {
                curve.add(point(evaluation));
                progress.accept(interval);
            });
            progress.accept(method.steps() % interval);
            CurvePoint last = curve.isEmpty() || curve.getLast().step() != trainer.completedSteps()
                    ? point(trainer.evaluateTrainingSplit()) : curve.removeLast();
            MemorySegment atoms = trainer.dictionary().projectedCopy();
            LogCodeOptions inference = method.finalInference();
            ito.run(data.testX(), atoms, inference, null);
            MemorySegment codes = ito.codes();
            curve.add(new CurvePoint(last.step(), testMcc(data, codes), last.dictionaryMcc(), last.trainingFlops(),
                    ito.flops(inference.iterations()), last.seconds() + ito.lastRunSeconds()));
            results.add(new RunResult(method.name(), runSeed, curve, CodeStatistics.of(data.testX(), codes, atoms,
                    rows, latents, measurements)));
            CurvePoint trained = curve.getLast();
            try (TensorArena arena = new TensorArena("inference-top-k")) {
                MemorySegment kept = arena.allocateFloats((long) rows * latents);
                for (int k : method.inferenceTopK()) {
                    MemorySegment.copy(codes, 0, kept, 0, kept.byteSize());
                    keepTopK(kept, rows, latents, k);
                    results.add(new RunResult(method.name() + "-InferenceTopK @ k=" + k, runSeed,
                            List.of(withMcc(trained, testMcc(data, kept))),
                            CodeStatistics.of(data.testX(), kept, atoms, rows, latents, measurements)));
                }
            }
            for (int k : method.optimizeTopK()) {
                try (TopKCodeOptimizer optimizer = new TopKCodeOptimizer(rows, latents, measurements, k)) {
                    MemorySegment optimised = optimizer.run(data.testX(), atoms,
                            AdamOptions.pytorch(TopKCodeOptimizer.PAPER_LEARNING_RATE), method.optimizeIterations());
                    results.add(new RunResult(method.name() + "-OptimizeTopK @ k=" + k, runSeed,
                            List.of(withMcc(trained, testMcc(data, optimised))),
                            CodeStatistics.of(data.testX(), optimised, atoms, rows, latents, measurements)));
                }
            }
        }
        return results;
    }

    private static CurvePoint point(TrainingEvaluation evaluation) {
        return new CurvePoint(evaluation.step(), evaluation.testMcc(), evaluation.dictionaryMcc(),
                evaluation.trainingFlops(), evaluation.inferenceFlops(), evaluation.trainingSeconds());
    }

    private static CurvePoint withMcc(CurvePoint point, double mcc) {
        return new CurvePoint(point.step(), mcc, point.dictionaryMcc(), point.trainingFlops(), point.inferenceFlops(),
                point.seconds());
    }

    private static double testMcc(LabData data, MemorySegment codes) {
        return Mcc.hungarian(data.testCodes(), DenseMatrix.f32(codes, data.testSamples(), data.latents()));
    }

    /** Keeps the k largest codes of each row (ties to the lower index), zeroing the rest. */
    static void keepTopK(MemorySegment codes, int rows, int latents, int k) {
        Encoder.keepLargest(codes, rows, latents, k, new int[k], new float[k]);
    }
}
