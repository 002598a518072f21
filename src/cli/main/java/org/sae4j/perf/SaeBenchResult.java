package org.sae4j.perf;

import org.sae4j.sae.PrecisionDrift;

/**
 * Everything one {@link SaeBenchmark} run measured.
 *
 * @param options                 the shape and effort
 * @param kernels                 the kernel provider in use ({@code Kernels.describe()})
 * @param threads                 kernel threads
 * @param openMillis              each timed open of the SAELens folder plus one batch-1 encode, in order (the first
 *                                includes class loading and the first compilations)
 * @param fp32WeightBytes         encoder + decoder bytes of the fp32 model
 * @param bf16WeightBytes         the same for the bf16 copy
 * @param meanL0                  mean active latents per row of the standard model on the batch
 * @param batch1Fp32              batch-1 sparse encode latency, fp32 weights
 * @param batch1Bf16              the same with bf16 weights
 * @param batch1Watch             batch-1 encode of the watch-list only
 * @param standard                batch sparse encode, standard, fp32
 * @param standardBf16            the same with bf16 weights
 * @param topK                    batch sparse encode, top-k
 * @param watch                   batch encode of the watch-list only
 * @param fistaVectorStepsPerSecond FISTA steps per second per vector (one step on one row), from the difference
 *                                between refined and amortised solves
 * @param bf16Drift               bf16 against fp32 on up to 256 rows of the batch
 */
public record SaeBenchResult(SaeBenchOptions options, String kernels, int threads, double[] openMillis,
        long fp32WeightBytes, long bf16WeightBytes, double meanL0, Latency batch1Fp32, Latency batch1Bf16,
        Latency batch1Watch, Throughput standard, Throughput standardBf16, Throughput topK, Throughput watch,
        double fistaVectorStepsPerSecond, PrecisionDrift bf16Drift) {
}
