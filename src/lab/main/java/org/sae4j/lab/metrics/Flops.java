package org.sae4j.lab.metrics;

/**
 * The paper's FLOP counters (paper-spec §9, reference {@code experiments/calculate_flops.py}), reproduced exactly,
 * quirks included. M = measurements, N = latents, H = hidden width of the MLP encoder, B = samples, t = steps
 * (t = step index + 1, the number of completed full-batch steps); "[learn]" terms count only when D is learned.
 *
 * <pre>{@code
 *   SAE   forward   2MN + N + 2NM [+ MN]
 *         backward  N + (2NM + N) + 2NM + 2(MN + N) [+ 2NM]
 *         training  (forward + backward)·B·t          inference (2MN + N + 2NM)·B
 *   MLP   forward   2MH + H + 2HN + N + 2NM [+ MN]
 *         backward  N + (2NH + N) + H + (2MH + H) + 2NM + 2(MH + H + HN + N) [+ 2NM]
 *         training  (forward + backward)·B·t          inference (2MH + H + 2HN + N + 2NM)·B
 *   SC    f = [3MN] + N + 2MN;  loss = 2M·B + N·B;  backward = 2f;  update = N·B [+ MN]
 *         training  (f + loss + backward + update)·B·t     (B enters twice: quadratic, as in the reference)
 *         inference [3MN] + N·B + 2MN·B
 *   ITO   (MN + N + (4MN + 2M + 11N)·iterations)·B
 *   known-codes encoder-only SAE  ((2MN + N) + (N + 2MN + N) + 2(MN + N))·B·t
 * }</pre>
 *
 * <p>At N = 16, M = 8, B = 1024: SAE 1,360 per sample-step with D fixed (1,744 learned), SAE inference 540,672,
 * MLP (H = 32) 5,360 / 5,744, sparse coding 52,477,952 per step, ITO 72,957,952 for 101 iterations.
 *
 * <pre>{@code
 * long x = Flops.saeTraining(8, 16, 1024, 101, false) + Flops.saeInference(8, 16, 1024);   // 141,197,312
 * }</pre>
 *
 * <p>The reference converts through a float ({@code int(fpi·B·effective_iterations)}); for full-batch training and
 * totals below 2⁵³ that is exact, and these methods use exact long arithmetic.
 *
 * <p><b>Note:</b> pure arithmetic, thread-safe, allocation-free. Negative arguments and totals that overflow a
 * long throw {@link IllegalArgumentException}.
 */
public final class Flops {

    private Flops() {
    }

    /** SAE forward FLOPs per sample: {@code 2MN + N + 2NM [+ MN]}. */
    public static long saeForwardPerSample(int measurements, int latents, boolean learnDictionary) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        long forward = 2 * m * n + n + 2 * n * m;
        return learnDictionary ? forward + m * n : forward;
    }

    /** SAE backward FLOPs per sample: {@code N + (2NM + N) + 2NM + 2(MN + N) [+ 2NM]}. */
    public static long saeBackwardPerSample(int measurements, int latents, boolean learnDictionary) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        long backward = n + (2 * n * m + n) + 2 * n * m + 2 * (m * n + n);
        return learnDictionary ? backward + 2 * n * m : backward;
    }

    /** SAE training FLOPs per sample and step: forward + backward (1,360 fixed, 1,744 learned at N16/M8). */
    public static long saeTrainingPerSampleStep(int measurements, int latents, boolean learnDictionary) {
        return saeForwardPerSample(measurements, latents, learnDictionary)
                + saeBackwardPerSample(measurements, latents, learnDictionary);
    }

    /**
     * SAE training FLOPs over {@code steps} full-batch steps on {@code samples} samples.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long saeTraining(int measurements, int latents, long samples, long steps,
                                   boolean learnDictionary) {
        return product(saeTrainingPerSampleStep(measurements, latents, learnDictionary), count("samples", samples),
                count("steps", steps));
    }

    /** SAE inference FLOPs on {@code samples} samples: {@code (2MN + N + 2NM)·B}. */
    public static long saeInference(int measurements, int latents, long samples) {
        return product(saeForwardPerSample(measurements, latents, false), count("samples", samples), 1);
    }

    /** MLP forward FLOPs per sample: {@code 2MH + H + 2HN + N + 2NM [+ MN]}. */
    public static long mlpForwardPerSample(int measurements, int hidden, int latents, boolean learnDictionary) {
        long m = size("measurements", measurements);
        long h = size("hidden", hidden);
        long n = size("latents", latents);
        long forward = 2 * m * h + h + 2 * h * n + n + 2 * n * m;
        return learnDictionary ? forward + m * n : forward;
    }

    /** MLP backward FLOPs per sample: {@code N + (2NH + N) + H + (2MH + H) + 2NM + 2(MH + H + HN + N) [+ 2NM]}. */
    public static long mlpBackwardPerSample(int measurements, int hidden, int latents, boolean learnDictionary) {
        long m = size("measurements", measurements);
        long h = size("hidden", hidden);
        long n = size("latents", latents);
        long backward = n + (2 * n * h + n) + h + (2 * m * h + h) + 2 * n * m + 2 * (m * h + h + h * n + n);
        return learnDictionary ? backward + 2 * n * m : backward;
    }

    /** MLP training FLOPs per sample and step: forward + backward (5,360 fixed at N16/M8/H32). */
    public static long mlpTrainingPerSampleStep(int measurements, int hidden, int latents, boolean learnDictionary) {
        return mlpForwardPerSample(measurements, hidden, latents, learnDictionary)
                + mlpBackwardPerSample(measurements, hidden, latents, learnDictionary);
    }

    /**
     * MLP training FLOPs over {@code steps} full-batch steps on {@code samples} samples.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long mlpTraining(int measurements, int hidden, int latents, long samples, long steps,
                                   boolean learnDictionary) {
        return product(mlpTrainingPerSampleStep(measurements, hidden, latents, learnDictionary),
                count("samples", samples), count("steps", steps));
    }

    /** MLP inference FLOPs on {@code samples} samples: {@code (2MH + H + 2HN + N + 2NM)·B}. */
    public static long mlpInference(int measurements, int hidden, int latents, long samples) {
        return product(mlpForwardPerSample(measurements, hidden, latents, false), count("samples", samples), 1);
    }

    /** Sparse-coding inference FLOPs: {@code [3MN] + N·B + 2MN·B} (the normalisation is counted once). */
    public static long sparseCodingInference(int measurements, int latents, long samples, boolean learnDictionary) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        long b = count("samples", samples);
        long normalisation = learnDictionary ? 3 * m * n : 0;
        return sum(normalisation, product(n, b, 1), product(2 * m * n, b, 1));
    }

    /**
     * FLOPs of one sparse-coding training iteration per sample, {@code f + loss + backward + update} with
     * {@code f = [3MN] + N + 2MN}, {@code loss = 2M·B + N·B}, {@code backward = 2f}, {@code update = N·B [+ MN]}
     * (51,248 at N16/M8/B1024 with D learned). The loss and update terms already carry the batch B.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long sparseCodingTrainingPerIteration(int measurements, int latents, long batch,
                                                        boolean learnDictionary) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        long b = count("batch", batch);
        long forward = sparseCodingInference(measurements, latents, 1, learnDictionary);
        long loss = sum(product(2 * m, b, 1), product(n, b, 1), 0);
        long backward = product(2, forward, 1);
        long update = sum(product(n, b, 1), learnDictionary ? m * n : 0, 0);
        return sum(sum(forward, loss, backward), update, 0);
    }

    /**
     * Sparse-coding training FLOPs over {@code steps} full-batch steps: per-iteration × B × t. Paper quirk kept on
     * purpose (paper-spec §9.1, §12.10): the per-iteration count already contains B, so the total is quadratic in B.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long sparseCodingTraining(int measurements, int latents, long samples, long steps,
                                            boolean learnDictionary) {
        long b = count("samples", samples);
        return product(sparseCodingTrainingPerIteration(measurements, latents, b, learnDictionary), b,
                count("steps", steps));
    }

    /** Per-sample set-up FLOPs of {@code optimize_codes}: {@code MN + N} (144 at N16/M8). */
    public static long optimizeCodesInit(int measurements, int latents) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        return m * n + n;
    }

    /** Per-sample FLOPs of one {@code optimize_codes} iteration: {@code 4MN + 2M + 11N} (704 at N16/M8). */
    public static long optimizeCodesPerIteration(int measurements, int latents) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        return 4 * m * n + 2 * m + 11 * n;
    }

    /**
     * Inference-time optimisation FLOPs: {@code (MN + N + (4MN + 2M + 11N)·iterations)·B}.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long optimizeCodes(int measurements, int latents, long samples, long iterations) {
        long perSample = sum(optimizeCodesInit(measurements, latents),
                product(optimizeCodesPerIteration(measurements, latents), count("iterations", iterations), 1), 0);
        return product(perSample, count("samples", samples), 1);
    }

    /**
     * Encoder-only SAE FLOPs per sample and step as stored in the known-codes results:
     * {@code (2MN + N) + (N + 2MN + N) + 2(MN + N)} (848 at N16/M8). The committed script would also count the
     * decoder; the stored numbers do not (paper-spec §9.1).
     */
    public static long knownCodesEncoderPerSampleStep(int measurements, int latents) {
        long m = size("measurements", measurements);
        long n = size("latents", latents);
        return (2 * m * n + n) + (n + 2 * m * n + n) + 2 * (m * n + n);
    }

    /**
     * Encoder-only SAE training FLOPs of the known-codes experiment over {@code steps} full-batch steps.
     *
     * @throws IllegalArgumentException on negative arguments or overflow
     */
    public static long knownCodesEncoderTraining(int measurements, int latents, long samples, long steps) {
        return product(knownCodesEncoderPerSampleStep(measurements, latents), count("samples", samples),
                count("steps", steps));
    }

    /**
     * Forward FLOPs per sample of an encoder with layer widths [M, H₁, …, N] followed by the decoder, generalising
     * the SAE (no hidden layer) and MLP (one) formulas to any depth: {@code Σ_l (2·w_{l−1}·w_l + w_l) + 2NM [+ MN]}.
     * Equals {@link #saeForwardPerSample} and {@link #mlpForwardPerSample} for zero and one hidden layer.
     *
     * @param widths layer widths from input to codes, at least two
     */
    public static long encoderForwardPerSample(int[] widths, boolean learnDictionary) {
        long forward = decoderForward(widths);
        for (int l = 1; l < widths.length; l++) {
            long in = size("width", widths[l - 1]);
            long out = size("width", widths[l]);
            forward += 2 * in * out + out;
        }
        return learnDictionary ? forward + decoderSize(widths) : forward;
    }

    /**
     * Backward FLOPs per sample of the same encoder and decoder: per layer from the top, the activation derivative
     * w_l and the layer's gradients 2·w_{l−1}·w_l + w_l, then 2NM for ∂L/∂Ŝ and two per parameter and bias
     * ({@code 2·Σ_l (w_{l−1}·w_l + w_l)}) [+ 2NM]. Equals {@link #saeBackwardPerSample} and
     * {@link #mlpBackwardPerSample} for zero and one hidden layer.
     */
    public static long encoderBackwardPerSample(int[] widths, boolean learnDictionary) {
        long backward = decoderForward(widths);
        for (int l = 1; l < widths.length; l++) {
            long in = size("width", widths[l - 1]);
            long out = size("width", widths[l]);
            backward += out + (2 * in * out + out) + 2 * (in * out + out);
        }
        return learnDictionary ? backward + 2 * decoderSize(widths) : backward;
    }

    /** Training FLOPs of an encoder of any depth: (forward + backward)·B·t. */
    public static long encoderTraining(int[] widths, long samples, long steps, boolean learnDictionary) {
        return product(encoderForwardPerSample(widths, learnDictionary)
                + encoderBackwardPerSample(widths, learnDictionary), count("samples", samples), count("steps", steps));
    }

    /** Inference FLOPs of an encoder of any depth with the decoder: forward·B with D fixed. */
    public static long encoderInference(int[] widths, long samples) {
        return product(encoderForwardPerSample(widths, false), count("samples", samples), 1);
    }

    /**
     * Encoder-only training FLOPs of the known-codes experiment for any depth: the training count without the
     * decoder's 2NM forward and 2NM backward terms. Equals {@link #knownCodesEncoderTraining} for the SAE.
     */
    public static long knownCodesTraining(int[] widths, long samples, long steps) {
        long perSample = encoderForwardPerSample(widths, false) + encoderBackwardPerSample(widths, false)
                - 2 * decoderForward(widths);
        return product(perSample, count("samples", samples), count("steps", steps));
    }

    private static long decoderSize(int[] widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an encoder needs at least input and code widths, got "
                    + widths.length);
        }
        return size("measurements", widths[0]) * size("latents", widths[widths.length - 1]);
    }

    private static long decoderForward(int[] widths) {
        return 2 * decoderSize(widths);
    }

    private static long size(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    private static long count(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    private static long product(long a, long b, long c) {
        try {
            return Math.multiplyExact(Math.multiplyExact(a, b), c);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("FLOP count " + a + " x " + b + " x " + c + " overflows a long",
                    overflow);
        }
    }

    private static long sum(long a, long b, long c) {
        try {
            return Math.addExact(Math.addExact(a, b), c);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("FLOP count " + a + " + " + b + " + " + c + " overflows a long",
                    overflow);
        }
    }
}
