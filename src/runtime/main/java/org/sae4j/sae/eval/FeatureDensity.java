package org.sae4j.sae.eval;

/**
 * Per-latent feature density (fraction of tokens with {@code f_j > 0}) over a window of tokens, and the latent
 * health counts of sae-formats §12.3.
 *
 * <p>Rare counts include the dead latents (their density 0 is below both bounds). The histogram is of
 * log10(density + 1e-10) over [{@link #HISTOGRAM_MIN}, {@link #HISTOGRAM_MAX}] in {@link #HISTOGRAM_BINS} equal
 * bins; the top value log10(1 + 1e-10) falls in the last bin.
 *
 * @param windowTokens     tokens the densities are measured over
 * @param density          per-latent density in [0, 1]
 * @param dead             latents that never fired in the window
 * @param rareBelow1e5     latents with density &lt; 1e-5
 * @param rareBelow1e6     latents with density &lt; 1e-6
 * @param denseThreshold   the density above which a latent counts as dense
 * @param dense            latents with density &gt; {@code denseThreshold}
 * @param histogramCounts  latents per log-density bin
 */
public record FeatureDensity(long windowTokens, double[] density, int dead, int rareBelow1e5, int rareBelow1e6,
        double denseThreshold, int dense, long[] histogramCounts) {

    /** Offset added before the log so that dead latents land at −10. */
    public static final double LOG_EPSILON = 1e-10;
    /** Lower edge of the histogram (log10 of {@link #LOG_EPSILON}). */
    public static final double HISTOGRAM_MIN = -10;
    /** Upper edge of the histogram. */
    public static final double HISTOGRAM_MAX = 0;
    /** Number of histogram bins (width 0.25). */
    public static final int HISTOGRAM_BINS = 40;

    /** Validates and copies the arrays. */
    public FeatureDensity {
        density = density.clone();
        histogramCounts = histogramCounts.clone();
        if (histogramCounts.length != HISTOGRAM_BINS) {
            throw new IllegalArgumentException("histogram needs " + HISTOGRAM_BINS + " bins, got "
                    + histogramCounts.length);
        }
    }

    /**
     * Densities from per-latent firing counts over {@code windowTokens} tokens.
     *
     * @param fireCounts     tokens each latent fired on; not modified
     * @param windowTokens   tokens in the window, &gt; 0
     * @param denseThreshold density above which a latent counts as dense, in [0, 1]
     * @return the densities and health counts
     * @throws IllegalArgumentException if the window is not positive, a count is outside [0, window] or the threshold
     *                                  is outside [0, 1]
     */
    public static FeatureDensity of(long[] fireCounts, long windowTokens, double denseThreshold) {
        if (windowTokens <= 0) {
            throw new IllegalArgumentException("density needs at least one token, got " + windowTokens);
        }
        if (!(denseThreshold >= 0 && denseThreshold <= 1)) {
            throw new IllegalArgumentException("dense threshold must be in [0, 1], got " + denseThreshold);
        }
        double[] density = new double[fireCounts.length];
        long[] histogram = new long[HISTOGRAM_BINS];
        int dead = 0;
        int rare5 = 0;
        int rare6 = 0;
        int dense = 0;
        for (int j = 0; j < fireCounts.length; j++) {
            if (fireCounts[j] < 0 || fireCounts[j] > windowTokens) {
                throw new IllegalArgumentException("latent " + j + " fired " + fireCounts[j] + " times in "
                        + windowTokens + " tokens");
            }
            double value = (double) fireCounts[j] / windowTokens;
            density[j] = value;
            dead += fireCounts[j] == 0 ? 1 : 0;
            rare5 += value < 1e-5 ? 1 : 0;
            rare6 += value < 1e-6 ? 1 : 0;
            dense += value > denseThreshold ? 1 : 0;
            histogram[bin(Math.log10(value + LOG_EPSILON))]++;
        }
        return new FeatureDensity(windowTokens, density, dead, rare5, rare6, denseThreshold, dense, histogram);
    }

    /**
     * Number of latents.
     *
     * @return the length of {@link #density()}
     */
    public int latents() {
        return density.length;
    }

    /**
     * Dead latents as a fraction of all latents.
     *
     * @return in [0, 1]
     */
    public double deadFraction() {
        return (double) dead / density.length;
    }

    /**
     * Fraction of latents with density &lt; 1e-5.
     *
     * @return in [0, 1]
     */
    public double rareBelow1e5Fraction() {
        return (double) rareBelow1e5 / density.length;
    }

    /**
     * Fraction of latents with density &lt; 1e-6.
     *
     * @return in [0, 1]
     */
    public double rareBelow1e6Fraction() {
        return (double) rareBelow1e6 / density.length;
    }

    /**
     * Fraction of latents denser than the threshold.
     *
     * @return in [0, 1]
     */
    public double denseFraction() {
        return (double) dense / density.length;
    }

    /**
     * Centre of histogram bin {@code b} on the log10 axis.
     *
     * @param b a bin index in [0, {@value #HISTOGRAM_BINS})
     * @return {@code HISTOGRAM_MIN + (b + 0.5)·0.25}
     */
    public static double binCentre(int b) {
        return HISTOGRAM_MIN + (b + 0.5) * binWidth();
    }

    /**
     * The density array (a copy).
     *
     * @return per-latent densities in [0, 1]
     */
    @Override
    public double[] density() {
        return density.clone();
    }

    /**
     * The histogram counts (a copy).
     *
     * @return {@value #HISTOGRAM_BINS} counts
     */
    @Override
    public long[] histogramCounts() {
        return histogramCounts.clone();
    }

    /**
     * Width of one histogram bin on the log10 axis.
     *
     * @return 0.25
     */
    private static double binWidth() {
        return (HISTOGRAM_MAX - HISTOGRAM_MIN) / HISTOGRAM_BINS;
    }

    /**
     * The bin of a log10 density, clamped to the histogram.
     *
     * @param logDensity log10(density + 1e-10)
     * @return a bin index in [0, {@value #HISTOGRAM_BINS})
     */
    private static int bin(double logDensity) {
        int b = (int) Math.floor((logDensity - HISTOGRAM_MIN) / binWidth());
        return Math.clamp(b, 0, HISTOGRAM_BINS - 1);
    }
}
