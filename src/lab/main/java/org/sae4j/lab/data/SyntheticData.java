package org.sae4j.lab.data;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * The paper's synthetic data (paper-spec §3): K-sparse half-normal codes S, a dictionary D_gen with unit-norm rows,
 * and observations X = S·D_gen, split into a training half and a test half.
 *
 * <pre>{@code
 *   S     [2B, N]  S[r, j] = |g[r, j]| for j in support(r), else 0;  g ~ N(0, 1), |support(r)| = K
 *   D_gen [N, M]   rows g_i / ‖g_i‖₂,  g_i ~ N(0, I_M)
 *   X     [2B, M]  X = fl32(S·D_gen + σ·ε)   (σ = noiseStd, 0 in the paper)
 *   train = rows [0, B),  test = rows [B, 2B),  B = samplesPerSplit
 * }</pre>
 *
 * <p>In {@link SyntheticConfig.Mode#NUMPY_COMPATIBLE} mode the codes follow the reference {@code generate_data}
 * draw for draw ({@link #drawNumpyCodeRow}): float64 values identical to numpy's, rounded to float32 as
 * {@code torch.tensor(S, dtype=float32)} does. The dictionary cannot be reproduced (the reference draws it from
 * torch's generator); it comes from a {@link SplittableRandom} stream of the same seed in both modes, so switching
 * the mode changes S and X but not D_gen. Each product X[r, :] is accumulated in double over the support in
 * ascending index order and rounded once, so X is the correctly rounded value of S_f32·D_f32 up to double rounding
 * (deterministic, independent of thread count). An exact zero inside a numpy support has probability zero and is
 * kept as drawn; the native mode redraws it, so every native row has exactly K non-zeros.
 *
 * <pre>{@code
 * SyntheticData data = SyntheticData.generate(SyntheticConfig.paper(20240625));
 * float[] sTrain = data.trainCodes();          // [1024, 16]
 * float[] dGen = data.dictionary();            // [16, 8], unit rows
 * try (TensorArena arena = new TensorArena("experiment")) {
 *     DenseMatrix xTest = data.matrix(arena, SyntheticData.Part.TEST_OBSERVATIONS);   // [1024, 8]
 * }
 * }</pre>
 *
 * <p><b>Note:</b> immutable and thread-safe; every accessor returns a fresh copy. Generation is single-threaded and
 * allocates the three arrays plus O(N + M) scratch.
 */
public final class SyntheticData {

    /** The arrays {@link #matrix(TensorArena, Part)} can copy off-heap. */
    public enum Part {
        /** S rows [0, B): shape [B, N]. */
        TRAIN_CODES,
        /** S rows [B, 2B): shape [B, N]. */
        TEST_CODES,
        /** X rows [0, B): shape [B, M]. */
        TRAIN_OBSERVATIONS,
        /** X rows [B, 2B): shape [B, M]. */
        TEST_OBSERVATIONS,
        /** D_gen: shape [N, M], one unit-norm atom per row (the sae4j dictionary layout). */
        DICTIONARY,
        /** D = D_genᵀ as the experiment scripts use it: shape [M, N], unit-norm columns. */
        DICTIONARY_COLUMNS
    }

    private final SyntheticConfig config;
    private final float[] codes;          // [2B, N]
    private final float[] dictionary;     // [N, M]
    private final float[] observations;   // [2B, M]

    private SyntheticData(SyntheticConfig config, float[] codes, float[] dictionary, float[] observations) {
        this.config = config;
        this.codes = codes;
        this.dictionary = dictionary;
        this.observations = observations;
    }

    /**
     * Generates the data set a configuration describes; the same configuration always gives the same arrays.
     *
     * @throws NullPointerException when config is null
     */
    public static SyntheticData generate(SyntheticConfig config) {
        Objects.requireNonNull(config, "config");
        int latents = config.latents();
        int measurements = config.measurements();
        int rows = config.totalSamples();
        // Independent streams for D, native codes and noise, so the dictionary is the same in both modes.
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom dictionaryStream = root.split();
        SplittableRandom codeStream = root.split();
        SplittableRandom noiseStream = root.split();

        float[] dictionary = drawDictionary(new PolarGaussian(dictionaryStream), latents, measurements);
        float[] codes = new float[rows * latents];
        int[][] supports = new int[rows][];
        if (config.mode() == SyntheticConfig.Mode.NUMPY_COMPATIBLE) {
            drawNumpyCodes(config, codes, supports);
        } else {
            drawNativeCodes(config, new PolarGaussian(codeStream), codes, supports);
        }
        float[] observations = multiply(codes, supports, dictionary, rows, latents, measurements,
                config.noiseStd(), new PolarGaussian(noiseStream));
        return new SyntheticData(config, codes, dictionary, observations);
    }

    /**
     * One code row of the reference generator: {@code s = |normal(0, 1, N)|}, then
     * {@code choice(N, K, replace=False)}, then zeros outside the chosen support.
     *
     * @param rng draws from it in the reference order (N Gaussians, then one permutation of N); modified
     * @param k   number of non-zeros, 0 ≤ k ≤ row.length
     * @param row [N] output; modified
     * @return the support in choice order
     * @throws IllegalArgumentException when the row is empty or k is out of range
     */
    public static int[] drawNumpyCodeRow(NumpyRandom rng, int k, double[] row) {
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(row, "row");
        if (row.length == 0) {
            throw new IllegalArgumentException("code row must have N >= 1 entries");
        }
        if (k < 0 || k > row.length) {
            throw new IllegalArgumentException("K must be in [0, N = " + row.length + "], got " + k);
        }
        rng.normal(0.0, 1.0, row);
        int[] support = rng.choiceWithoutReplacement(row.length, k);
        boolean[] active = new boolean[row.length];
        for (int index : support) {
            active[index] = true;
        }
        for (int j = 0; j < row.length; j++) {
            row[j] = active[j] ? Math.abs(row[j]) : 0.0;
        }
        return support;
    }

    /** The configuration that produced this data. */
    public SyntheticConfig config() {
        return config;
    }

    /** Rows in the training split (B). */
    public int trainSamples() {
        return config.samplesPerSplit();
    }

    /** Rows in the test split (B). */
    public int testSamples() {
        return config.samplesPerSplit();
    }

    /** All codes S, train rows first: a copy, shape [2B, N] row-major. */
    public float[] codes() {
        return codes.clone();
    }

    /** Training codes: a copy, shape [B, N] row-major. */
    public float[] trainCodes() {
        return half(codes, config.latents(), 0);
    }

    /** Test codes: a copy, shape [B, N] row-major. */
    public float[] testCodes() {
        return half(codes, config.latents(), 1);
    }

    /** All observations X, train rows first: a copy, shape [2B, M] row-major. */
    public float[] observations() {
        return observations.clone();
    }

    /** Training observations: a copy, shape [B, M] row-major. */
    public float[] trainObservations() {
        return half(observations, config.measurements(), 0);
    }

    /** Test observations: a copy, shape [B, M] row-major. */
    public float[] testObservations() {
        return half(observations, config.measurements(), 1);
    }

    /** D_gen, one unit-norm atom per row: a copy, shape [N, M] row-major. */
    public float[] dictionary() {
        return dictionary.clone();
    }

    /** D = D_genᵀ with unit-norm columns, as the experiment scripts use it: a copy, shape [M, N] row-major. */
    public float[] dictionaryColumns() {
        int latents = config.latents();
        int measurements = config.measurements();
        float[] transposed = new float[dictionary.length];
        for (int i = 0; i < latents; i++) {
            for (int j = 0; j < measurements; j++) {
                transposed[j * latents + i] = dictionary[i * measurements + j];
            }
        }
        return transposed;
    }

    /**
     * Copies one part into a new fp32 matrix owned by {@code arena} (row stride = columns).
     *
     * @return a dense [rows, cols] view; see {@link Part} for the shape
     */
    public DenseMatrix matrix(TensorArena arena, Part part) {
        Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(part, "part");
        int samples = config.samplesPerSplit();
        int latents = config.latents();
        int measurements = config.measurements();
        return switch (part) {
            case TRAIN_CODES -> copy(arena, trainCodes(), samples, latents);
            case TEST_CODES -> copy(arena, testCodes(), samples, latents);
            case TRAIN_OBSERVATIONS -> copy(arena, trainObservations(), samples, measurements);
            case TEST_OBSERVATIONS -> copy(arena, testObservations(), samples, measurements);
            case DICTIONARY -> copy(arena, dictionary, latents, measurements);
            case DICTIONARY_COLUMNS -> copy(arena, dictionaryColumns(), measurements, latents);
        };
    }

    @Override
    public String toString() {
        return "SyntheticData[" + config + "]";
    }

    private static DenseMatrix copy(TensorArena arena, float[] values, int rows, int cols) {
        DenseMatrix matrix = arena.allocateMatrix(DType.F32, rows, cols);
        MemorySegment.copy(values, 0, matrix.segment(), Layouts.F32, 0, values.length);
        return matrix;
    }

    private float[] half(float[] all, int cols, int which) {
        int length = config.samplesPerSplit() * cols;
        return Arrays.copyOfRange(all, which * length, (which + 1) * length);
    }

    private static float[] drawDictionary(PolarGaussian gaussian, int latents, int measurements) {
        float[] dictionary = new float[latents * measurements];   // [N, M]
        double[] atom = new double[measurements];
        for (int i = 0; i < latents; i++) {
            double squares;
            do {
                squares = 0.0;
                for (int j = 0; j < measurements; j++) {
                    atom[j] = gaussian.next();
                    squares += atom[j] * atom[j];
                }
            } while (squares == 0.0);
            double norm = Math.sqrt(squares);
            for (int j = 0; j < measurements; j++) {
                dictionary[i * measurements + j] = (float) (atom[j] / norm);
            }
        }
        return dictionary;
    }

    private static void drawNumpyCodes(SyntheticConfig config, float[] codes, int[][] supports) {
        NumpyRandom rng = new NumpyRandom(config.seed());
        int latents = config.latents();
        double[] row = new double[latents];
        for (int r = 0; r < supports.length; r++) {
            int[] support = drawNumpyCodeRow(rng, config.activePerSample(), row);
            for (int j = 0; j < latents; j++) {
                codes[r * latents + j] = (float) row[j];
            }
            supports[r] = support;
        }
    }

    private static void drawNativeCodes(SyntheticConfig config, PolarGaussian gaussian, float[] codes,
                                        int[][] supports) {
        int latents = config.latents();
        int active = config.activePerSample();
        SplittableRandom indexStream = gaussian.stream();
        int[] order = new int[latents];
        for (int j = 0; j < latents; j++) {
            order[j] = j;
        }
        for (int r = 0; r < supports.length; r++) {
            // A partial Fisher–Yates pass over the running permutation yields a uniform K-subset per row.
            int[] support = new int[active];
            for (int a = 0; a < active; a++) {
                int pick = a + indexStream.nextInt(latents - a);
                int swap = order[a];
                order[a] = order[pick];
                order[pick] = swap;
                support[a] = order[a];
                float value;
                do {
                    value = (float) Math.abs(gaussian.next());
                } while (value == 0.0f);
                codes[r * latents + order[a]] = value;
            }
            supports[r] = support;
        }
    }

    private static float[] multiply(float[] codes, int[][] supports, float[] dictionary, int rows, int latents,
                                    int measurements, double noiseStd, PolarGaussian noise) {
        float[] observations = new float[rows * measurements];   // [2B, M]
        double[] accumulator = new double[measurements];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(accumulator, 0.0);
            int[] support = supports[r].clone();
            Arrays.sort(support);
            for (int j : support) {
                double code = codes[r * latents + j];
                for (int c = 0; c < measurements; c++) {
                    accumulator[c] += code * dictionary[j * measurements + c];
                }
            }
            for (int c = 0; c < measurements; c++) {
                double value = accumulator[c];
                if (noiseStd > 0.0) {
                    value += noiseStd * noise.next();
                }
                observations[r * measurements + c] = (float) value;
            }
        }
        return observations;
    }

    /** Polar Box–Muller over a SplittableRandom, written out so the stream does not depend on the JDK's Gaussian. */
    private static final class PolarGaussian {
        private final SplittableRandom stream;
        private boolean hasCached;
        private double cached;

        PolarGaussian(SplittableRandom stream) {
            this.stream = stream;
        }

        SplittableRandom stream() {
            return stream;
        }

        double next() {
            if (hasCached) {
                hasCached = false;
                return cached;
            }
            double u;
            double v;
            double radiusSquared;
            do {
                u = 2.0 * stream.nextDouble() - 1.0;
                v = 2.0 * stream.nextDouble() - 1.0;
                radiusSquared = u * u + v * v;
            } while (radiusSquared >= 1.0 || radiusSquared == 0.0);
            // StrictMath pins the logarithm to fdlibm, so the stream is the same on every JVM and CPU.
            double factor = Math.sqrt(-2.0 * StrictMath.log(radiusSquared) / radiusSquared);
            cached = factor * u;
            hasCached = true;
            return factor * v;
        }
    }
}
