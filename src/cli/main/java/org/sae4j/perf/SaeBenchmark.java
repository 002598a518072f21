package org.sae4j.perf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.sae4j.io.NpyWriter;
import org.sae4j.kernel.Kernels;
import org.sae4j.sae.PrecisionDrift;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWorkspace;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.WatchList;
import org.sae4j.sae.refine.RefinementMethod;
import org.sae4j.sae.refine.SaeRefiner;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Times a standard SAE of a given shape end to end: written as a SAELens folder, opened from disk, encoded one
 * vector at a time (fp32 and bf16 weights, HdrHistogram percentiles) and in batches (standard, top-k, bf16,
 * watch-list), and refined with FISTA.
 *
 * <p>The weights are seeded Gaussians shaped like a trained SAE: encoder rows of norm about 1, unit-norm decoder
 * rows, b_enc around −2.5 so that a standard-normal input activates roughly 0.6% of the latents (about 150 of
 * 24,576). The folder and the inputs ({@code x.npy}) stay in the work folder, so a peer can time the same weights on
 * the same inputs.
 */
public final class SaeBenchmark {

    private static final int OPENS = 5;
    private static final int INPUT_POOL = 256;

    private SaeBenchmark() {
    }

    /**
     * Runs every measurement; {@code workDir} receives the SAE folder {@code sae/} and {@code x.npy}.
     *
     * @throws IOException if the folder cannot be written or read back
     */
    public static SaeBenchResult run(SaeBenchOptions options, Path workDir) throws IOException {
        int dIn = options.dIn();
        int dSae = options.dSae();
        int batch = options.batch();
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, dIn, dSae);
        SaeWeights weights = weights(options);
        Path folder = workDir.resolve("sae");
        SaeWriter.write(folder, config, weights);
        float[] inputs = gaussian(new SplittableRandom(options.seed() + 7), batch * dIn, 1.0);
        NpyWriter.writeFloats(workDir.resolve("x.npy"), new long[] {batch, dIn}, inputs);

        double[] opens = new double[OPENS];
        for (int i = 0; i < OPENS; i++) {
            long start = System.nanoTime();
            try (Sae sae = SaeLoader.load(folder); SaeWorkspace ws = sae.newWorkspace(1)) {
                sae.encodeOne(Arrays.copyOf(inputs, dIn), new int[dSae], new float[dSae], ws);
            }
            opens[i] = (System.nanoTime() - start) / 1e6;
        }

        try (Sae sae = SaeLoader.load(folder); Sae bf16 = sae.withBf16Weights();
                Sae topk = Sae.of(SaeConfig.of(SaeArchitecture.TOPK, dIn, dSae).withK(options.topK()), weights);
                TensorArena arena = new TensorArena("bench-sae");
                SaeWorkspace one = sae.newWorkspace(1); SaeWorkspace many = sae.newWorkspace(batch);
                SaeWorkspace topkMany = topk.newWorkspace(batch);
                WatchList watch = sae.watchList(evenlySpaced(options.watchSize(), dSae))) {
            MemorySegment x = arena.allocateFloats((long) batch * dIn);
            MemorySegment.copy(inputs, 0, x, Layouts.F32, 0, inputs.length);
            int[] indices = new int[dSae];
            float[] values = new float[dSae];
            float[] watched = new float[options.watchSize()];
            float[][] pool = rows(inputs, dIn, Math.min(INPUT_POOL, batch));
            // the small-matrix kernels of a watch-list reach C2 only after a few thousand calls
            int warmup = Math.max(2000, options.samples());
            int[] next = {0};
            Latency fp32 = Latency.measure(() -> sae.encodeOne(pool[next[0]++ % pool.length], indices, values, one),
                    warmup, options.samples());
            Latency reduced = Latency.measure(
                    () -> bf16.encodeOne(pool[next[0]++ % pool.length], indices, values, one), warmup,
                    options.samples());
            Latency watchOne = Latency.measure(() -> watch.encodeOne(pool[next[0]++ % pool.length], watched, one),
                    warmup, options.samples());

            // bf16 weights move codes near zero across it, so their count differs a little from fp32's
            int capacity = 2 * Math.max(sae.encodeSparse(inputs).nnz(), batch * options.topK());
            SparseCode codes = SparseCode.withCapacity(batch, dSae, capacity);
            DenseMatrix xs = DenseMatrix.f32(x, batch, sae.dIn());
            Throughput standard = Throughput.measure(() -> sae.encodeSparse(xs, codes, many), batch,
                    options.repeats());
            double meanL0 = (double) codes.nnz() / batch;
            Throughput reducedBatch = Throughput.measure(() -> bf16.encodeSparse(xs, codes, many), batch,
                    options.repeats());
            Throughput topkBatch = Throughput.measure(() -> topk.encodeSparse(xs, codes, topkMany), batch,
                    options.repeats());
            DenseMatrix watchOut = DenseMatrix.f32(arena.allocateFloats((long) batch * options.watchSize()), batch,
                    options.watchSize());
            Throughput watchBatch = Throughput.measure(() -> watch.encode(xs, watchOut, many), batch,
                    options.repeats());
            double fistaSeconds = fistaSecondsPerVectorStep(sae, x, options);
            PrecisionDrift drift = PrecisionDrift.measure(sae, bf16, x, Math.min(batch, 256));
            return new SaeBenchResult(options, Kernels.describe(), Kernels.threads(), opens, sae.weightBytes(),
                    bf16.weightBytes(), meanL0, fp32, reduced, watchOne, standard, reducedBatch, topkBatch,
                    watchBatch, 1 / fistaSeconds, drift);
        }
    }

    /** (time of amortised + s FISTA steps − time of amortised alone) / (s · rows), medians of the repeats. */
    private static double fistaSecondsPerVectorStep(Sae sae, MemorySegment x, SaeBenchOptions options) {
        int rows = options.fistaBatch();
        try (SaeRefiner refiner = new SaeRefiner(sae, rows)) {
            DenseMatrix xs = DenseMatrix.f32(x, rows, sae.dIn());
            float lambda = refiner.estimateLambda(xs);
            RefinementMethod refine = new RefinementMethod.Fista(options.fistaSteps(), lambda);
            Throughput refined = Throughput.measure(() -> refiner.refine(xs, refine), rows, options.repeats());
            Throughput encoded = Throughput.measure(() -> refiner.refine(xs, new RefinementMethod.Amortised()),
                    rows, options.repeats());
            return (refined.medianSeconds() - encoded.medianSeconds()) / ((double) options.fistaSteps() * rows);
        }
    }

    private static SaeWeights weights(SaeBenchOptions options) {
        int dIn = options.dIn();
        int dSae = options.dSae();
        SplittableRandom random = new SplittableRandom(options.seed());
        float[] encoder = gaussian(random, dSae * dIn, 1 / Math.sqrt(dIn));
        float[] decoder = new float[dSae * dIn];
        for (int j = 0; j < dSae; j++) {
            double norm = 0;
            for (int i = 0; i < dIn; i++) {
                norm += (double) encoder[j * dIn + i] * encoder[j * dIn + i];
            }
            for (int i = 0; i < dIn; i++) {
                decoder[j * dIn + i] = (float) (encoder[j * dIn + i] / Math.sqrt(norm));
            }
        }
        float[] encoderBias = gaussian(random, dSae, 0.1);
        for (int j = 0; j < dSae; j++) {
            encoderBias[j] -= 2.5f;
        }
        return SaeWeights.of(encoder, encoderBias, decoder, gaussian(random, dIn, 0.01));
    }

    private static int[] evenlySpaced(int count, int range) {
        int[] latents = new int[count];
        for (int i = 0; i < count; i++) {
            latents[i] = (int) ((long) i * range / count);
        }
        return latents;
    }

    private static float[][] rows(float[] values, int width, int count) {
        float[][] rows = new float[count][];
        for (int r = 0; r < count; r++) {
            rows[r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
        }
        return rows;
    }

    private static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            values[i] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return values;
    }
}
