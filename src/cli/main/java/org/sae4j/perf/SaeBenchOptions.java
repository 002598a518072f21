package org.sae4j.perf;

/**
 * Shape and effort of an {@link SaeBenchmark} run.
 *
 * @param dIn            input width, ≥ 1
 * @param dSae           latents, ≥ 1
 * @param topK           k of the top-k variant, in [1, dSae]
 * @param batch          rows of the throughput runs, ≥ 1
 * @param samples        timed batch-1 calls per latency measurement, ≥ 1
 * @param repeats        timed calls per throughput measurement (the median is kept), ≥ 1
 * @param watchSize      latents in the watch-list, in [1, dSae]
 * @param fistaBatch     rows per FISTA solve, in [1, batch]
 * @param fistaSteps     FISTA steps per timed solve, ≥ 1
 * @param seed           seed of the weights and inputs
 */
public record SaeBenchOptions(int dIn, int dSae, int topK, int batch, int samples, int repeats, int watchSize,
        int fistaBatch, int fistaSteps, long seed) {

    /** Validates the ranges. */
    public SaeBenchOptions {
        if (dIn < 1 || dSae < 1 || batch < 1 || samples < 1 || repeats < 1 || fistaSteps < 1) {
            throw new IllegalArgumentException("sizes and counts must be >= 1");
        }
        if (topK < 1 || topK > dSae || watchSize < 1 || watchSize > dSae) {
            throw new IllegalArgumentException("k and the watch-list size must be in [1, d_sae = " + dSae + "], got "
                    + topK + ", " + watchSize);
        }
        if (fistaBatch < 1 || fistaBatch > batch) {
            throw new IllegalArgumentException("FISTA batch must be in [1, batch = " + batch + "], got " + fistaBatch);
        }
    }

    /** The reference shape: GPT-2-small width 768, 24,576 latents, k = 32, batch 4096, 64 watched latents. */
    public static SaeBenchOptions reference() {
        return new SaeBenchOptions(768, 24_576, 32, 4096, 5000, 5, 64, 256, 10, 20_251_126L);
    }
}
