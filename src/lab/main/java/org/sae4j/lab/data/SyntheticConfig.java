package org.sae4j.lab.data;

import java.util.Objects;

/**
 * Configuration of the paper's synthetic sparse-coding data (paper-spec §3): {@code latents} = N sources,
 * {@code measurements} = M observed dimensions, {@code activePerSample} = K non-zeros per code row,
 * {@code samplesPerSplit} rows in each of the train and test splits (2·samplesPerSplit rows are generated, the
 * first half is the training split, as the reference's {@code generate_data(N, M, K, 2·num_data, seed)}).
 *
 * <pre>{@code
 * SyntheticConfig paper = SyntheticConfig.paper(20240625);           // N16 M8 K3, 1024 + 1024, numpy codes
 * SyntheticConfig wide = new SyntheticConfig(128, 32, 9, 4096, 7L, 0.01, SyntheticConfig.Mode.NATIVE);
 * }</pre>
 *
 * @param latents          N ≥ 1, number of sparse sources (dictionary atoms)
 * @param measurements     M ≥ 1, observed dimension
 * @param activePerSample  K, 0 ≤ K ≤ N, non-zero sources per sample
 * @param samplesPerSplit  rows per split, ≥ 1
 * @param seed             data seed; in {@link Mode#NUMPY_COMPATIBLE} mode 0 ≤ seed ≤ 2³² − 1
 * @param noiseStd         standard deviation of Gaussian noise added to X, finite and ≥ 0 (0 in the paper)
 * @param mode             how the codes S are drawn
 */
public record SyntheticConfig(int latents, int measurements, int activePerSample, int samplesPerSplit, long seed,
                              double noiseStd, Mode mode) {

    /** Sources of the code matrix S; the dictionary always comes from sae4j's own seeded generator. */
    public enum Mode {
        /** S bit-identical to numpy's legacy {@code RandomState} stream of the reference {@code generate_data}. */
        NUMPY_COMPATIBLE,
        /** S from a fast {@link java.util.SplittableRandom} stream (same distribution, different values). */
        NATIVE
    }

    /** N of the paper's synthetic experiments. */
    public static final int PAPER_LATENTS = 16;
    /** M of the paper's synthetic experiments. */
    public static final int PAPER_MEASUREMENTS = 8;
    /** K of the paper's synthetic experiments. */
    public static final int PAPER_ACTIVE = 3;
    /** Rows per split in the paper's synthetic experiments. */
    public static final int PAPER_SAMPLES_PER_SPLIT = 1024;

    /** Validates every component. */
    public SyntheticConfig {
        Objects.requireNonNull(mode, "mode");
        if (latents < 1) {
            throw new IllegalArgumentException("latents (N) must be >= 1, got " + latents);
        }
        if (measurements < 1) {
            throw new IllegalArgumentException("measurements (M) must be >= 1, got " + measurements);
        }
        if (activePerSample < 0 || activePerSample > latents) {
            throw new IllegalArgumentException(
                    "activePerSample (K) must be in [0, N = " + latents + "], got " + activePerSample);
        }
        if (samplesPerSplit < 1) {
            throw new IllegalArgumentException("samplesPerSplit must be >= 1, got " + samplesPerSplit);
        }
        if ((long) samplesPerSplit * 2 * Math.max(latents, measurements) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("2 x " + samplesPerSplit + " samples x max(N, M) = "
                    + Math.max(latents, measurements) + " exceeds the largest Java array");
        }
        if ((long) latents * measurements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dictionary " + latents + "x" + measurements
                    + " exceeds the largest Java array");
        }
        if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
            throw new IllegalArgumentException("noiseStd must be finite and >= 0, got " + noiseStd);
        }
        if (mode == Mode.NUMPY_COMPATIBLE && (seed < 0 || seed > NumpyRandom.MAX_SEED)) {
            throw new IllegalArgumentException("NUMPY_COMPATIBLE seed must be in [0, 2^32 - 1], got " + seed);
        }
    }

    /** The paper's setting: N = 16, M = 8, K = 3, 1024 + 1024 samples, no noise, numpy-compatible codes. */
    public static SyntheticConfig paper(long seed) {
        return new SyntheticConfig(PAPER_LATENTS, PAPER_MEASUREMENTS, PAPER_ACTIVE, PAPER_SAMPLES_PER_SPLIT, seed,
                0.0, Mode.NUMPY_COMPATIBLE);
    }

    /** Rows generated in total, {@code 2·samplesPerSplit}. */
    public int totalSamples() {
        return 2 * samplesPerSplit;
    }

    /** A copy with another seed. */
    public SyntheticConfig withSeed(long newSeed) {
        return new SyntheticConfig(latents, measurements, activePerSample, samplesPerSplit, newSeed, noiseStd, mode);
    }

    /** A copy with another code source. */
    public SyntheticConfig withMode(Mode newMode) {
        return new SyntheticConfig(latents, measurements, activePerSample, samplesPerSplit, seed, noiseStd, newMode);
    }
}
