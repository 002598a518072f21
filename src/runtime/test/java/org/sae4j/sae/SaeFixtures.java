package org.sae4j.sae;

import java.util.SplittableRandom;

/** Seeded random SAE weights and inputs for tests; sizes small enough for the double-precision oracle. */
final class SaeFixtures {

    static final int D_IN = 24;
    static final int D_SAE = 40;

    private SaeFixtures() {
    }

    /** Gaussian values with standard deviation {@code scale} plus {@code shift}. */
    static float[] gaussian(long seed, int n, double scale, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (shift + scale * gaussian(random));
        }
        return values;
    }

    /**
     * Random weights for {@code config}: encoder and decoder entries of scale 1/√d_in, biases of scale 0.3 (so that
     * roughly half the latents fire), JumpReLU thresholds in [0, 0.6), gated r_mag of scale 0.5, and a skip matrix
     * (as {@link #withSkip}) for architectures that need one.
     */
    static SaeWeights weights(SaeConfig config, long seed) {
        int dIn = config.dIn();
        int dSae = config.dSae();
        int dOut = config.dOut();
        double scale = 1 / Math.sqrt(dIn);
        SaeWeights weights = SaeWeights.of(gaussian(seed, dSae * dIn, scale, 0), gaussian(seed + 1, dSae, 0.3, 0),
                gaussian(seed + 2, dSae * dOut, scale, 0), gaussian(seed + 3, dOut, 0.3, 0));
        if (config.architecture().hasThreshold()) {
            float[] theta = gaussian(seed + 4, dSae, 0, 0);
            SplittableRandom random = new SplittableRandom(seed + 5);
            for (int j = 0; j < dSae; j++) {
                theta[j] = (float) (0.6 * random.nextDouble());
            }
            weights = weights.withThreshold(theta);
        }
        if (config.architecture().requiresSkip()) {
            weights = withSkip(config, weights, seed);
        }
        if (config.architecture() == SaeArchitecture.GATED) {
            weights = weights.withMagnitude(gaussian(seed + 6, dSae, 0.3, 0), gaussian(seed + 7, dSae, 0.5, 0));
        }
        return weights;
    }

    /** {@code weights} with a seeded [d_out, d_in] skip matrix of scale 1/√d_in. */
    static SaeWeights withSkip(SaeConfig config, SaeWeights weights, long seed) {
        return weights.withSkip(gaussian(seed + 8, config.dOut() * config.dIn(), 1 / Math.sqrt(config.dIn()), 0));
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
