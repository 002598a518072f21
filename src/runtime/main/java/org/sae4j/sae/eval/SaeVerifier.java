package org.sae4j.sae.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.sae4j.io.FormatException;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.SaeSource;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.SparsifyWriter;
import org.sae4j.sae.eval.VerificationCheck.Status;

/**
 * Checks an SAE with a clear pass/fail meaning, each giving PASS, FAIL, WARN or SKIP, in this order:
 * <ol>
 *   <li>{@value #FINITE_WEIGHTS}: every weight is finite (FAIL names the first tensor and element that is not);</li>
 *   <li>{@value #DECODER_ROW_NORMS}: min, median and max of the decoder row norms (FAIL if one is not finite);</li>
 *   <li>{@value #DEAD_DECODER_ROWS}: rows of zero norm (WARN: those latents write nothing);</li>
 *   <li>{@value #B_DEC_RANGE}: the range of {@code b_dec} (FAIL if not finite);</li>
 *   <li>{@value #THRESHOLDS}: the JumpReLU thresholds' range (SKIP without thresholds; WARN when some are negative,
 *       since those latents then act as a plain ReLU);</li>
 *   <li>{@value #FORWARD_FINITE}: the forward pass on {@value #RANDOM_ROWS} seeded standard Gaussian rows (seed
 *       {@value #SEED}) is finite;</li>
 *   <li>{@value #SELF_ACTIVATION}: up to {@value #MAX_SELF_ROWS} decoder rows of non-zero norm, evenly spaced over
 *       the latents and fed back as inputs (plus {@code b_dec} when the SAE subtracts it), activate their own latent
 *       for at least half of them (WARN otherwise; SKIP for transcoders, whose decoder writes another space);</li>
 *   <li>{@code round trip FORMAT DTYPE}: the model written to a temporary folder in its own format (sparsify when it
 *       came from sparsify, SAELens otherwise) and dtype ({@link SaeDType#nearest}), read back, gives every tensor
 *       exactly as that dtype stores it ({@link WeightComparison}) and the same config; when the values are
 *       bit-identical the forward pass must be too. An I/O error replaces this check with a FAIL named
 *       {@value #IO}.</li>
 * </ol>
 *
 * <pre>{@code
 * try (Sae sae = SaeLoader.load(folder)) {
 *     VerificationReport report = SaeVerifier.verify(sae);
 *     if (!report.passed()) {
 *         report.checks().forEach(System.out::println);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Note:</b> stateless and thread-safe; the SAE and weights are not modified. Allocates copies of the size of
 * the weights (the round trip reads the written model back) and writes, then deletes, a temporary folder.
 */
public final class SaeVerifier {

    /** Number of Gaussian rows the forward pass runs on. */
    public static final int RANDOM_ROWS = 8;
    /** Seed of the Gaussian rows. */
    public static final long SEED = 20240625L;
    /** Most decoder rows fed back for the self-activation check. */
    public static final int MAX_SELF_ROWS = 256;

    /** Name of the finite-weights check. */
    public static final String FINITE_WEIGHTS = "finite weights";
    /** Name of the decoder-norm summary. */
    public static final String DECODER_ROW_NORMS = "decoder row norms";
    /** Name of the dead-row check. */
    public static final String DEAD_DECODER_ROWS = "dead decoder rows";
    /** Name of the {@code b_dec} range check. */
    public static final String B_DEC_RANGE = "b_dec range";
    /** Name of the JumpReLU threshold check. */
    public static final String THRESHOLDS = "thresholds";
    /** Name of the forward-pass check. */
    public static final String FORWARD_FINITE = "forward finite";
    /** Name of the self-activation check. */
    public static final String SELF_ACTIVATION = "decoder rows self-activate";
    /** Name of the check an I/O error in the round trip gives. */
    public static final String IO = "io";

    /** Names of the tensors {@link #finiteWeights} scans, in its order, for its FAIL message. */
    private static final String[] TENSOR_NAMES = {"encoder", "encoder_bias", "decoder", "decoder_bias", "threshold",
            "b_mag", "r_mag"};

    /** Static checks only. */
    private SaeVerifier() {
    }

    /**
     * Runs every check on {@code sae} (its effective config and weights, after any fold on load).
     *
     * @param sae the model; borrowed, not modified or closed
     * @return the checks in the order of the class comment; a round trip that fails to write or read gives a FAIL
     *         check, not an exception
     */
    public static VerificationReport verify(Sae sae) {
        Objects.requireNonNull(sae, "sae");
        SaeConfig config = sae.config();
        SaeWeights weights = sae.weights();
        double[] norms = decoderNorms(config, weights);
        List<VerificationCheck> checks = weightChecks(weights, norms);
        float[] inputs = gaussian(config.dIn());
        checks.add(forwardFinite(sae, inputs));
        checks.add(selfActivation(sae, config, weights, norms));
        checks.add(roundTrip(sae, config, weights, inputs));
        return new VerificationReport(checks);
    }

    /**
     * Runs every check on weights that may not build a model ({@link Sae#of} refuses non-finite values): when they
     * are finite this is {@link #verify(Sae)} on {@code Sae.of(config, weights)}; otherwise the weight checks run and
     * the model checks (forward pass, self-activation, round trip) are SKIP.
     *
     * @param config  what the weights compute
     * @param weights the parameters in engine orientation; not modified
     * @return the checks in the order of the class comment
     * @throws IllegalArgumentException if finite weights do not build a model ({@link Sae#of}: an array of the wrong
     *                                  length, for instance); for weights that are not finite, only if the decoder or
     *                                  {@code b_dec}, which the weight checks read, has the wrong length
     */
    public static VerificationReport verify(SaeConfig config, SaeWeights weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        if (finiteWeights(weights).status() != Status.FAIL) {
            try (Sae sae = Sae.of(config, weights)) {
                return verify(sae);
            }
        }
        requireLength("decoder", weights.decoder(), (long) config.dSae() * config.dOut());
        requireLength("decoder_bias", weights.decoderBias(), config.dOut());
        List<VerificationCheck> checks = weightChecks(weights, decoderNorms(config, weights));
        String reason = "weights are not finite; no model to run";
        checks.add(new VerificationCheck(FORWARD_FINITE, Status.SKIP, reason));
        checks.add(new VerificationCheck(SELF_ACTIVATION, Status.SKIP, reason));
        checks.add(new VerificationCheck(roundTripName(config), Status.SKIP, reason));
        return new VerificationReport(checks);
    }

    /**
     * The checks that need only the weights: finiteness, decoder row norms, dead rows, b_dec range, thresholds.
     *
     * @param weights the parameters; not modified
     * @param norms   [d_sae] the decoder row norms, from {@link #decoderNorms}
     * @return a new mutable list, for the model checks to be appended
     */
    private static List<VerificationCheck> weightChecks(SaeWeights weights, double[] norms) {
        List<VerificationCheck> checks = new ArrayList<>();
        checks.add(finiteWeights(weights));
        checks.add(normSummary(norms));
        checks.add(deadRows(norms));
        checks.add(range(B_DEC_RANGE, weights.decoderBias()));
        checks.add(thresholds(weights));
        return checks;
    }

    /**
     * PASS when every value of the encoder, biases, decoder, threshold and gated parameters is finite (W_skip is not
     * scanned), else FAIL naming the first tensor and element that is not.
     *
     * @param weights the parameters; not modified
     * @return the {@value #FINITE_WEIGHTS} check
     */
    private static VerificationCheck finiteWeights(SaeWeights weights) {
        float[][] arrays = {weights.encoder(), weights.encoderBias(), weights.decoder(), weights.decoderBias(),
                weights.threshold(), weights.magnitudeBias(), weights.magnitudeLogScale()};
        long count = 0;
        for (int t = 0; t < arrays.length; t++) {
            if (arrays[t] == null) {
                continue;
            }
            for (int i = 0; i < arrays[t].length; i++) {
                if (!Float.isFinite(arrays[t][i])) {
                    return new VerificationCheck(FINITE_WEIGHTS, Status.FAIL, TENSOR_NAMES[t] + " element " + i
                            + " is " + arrays[t][i]);
                }
            }
            count += arrays[t].length;
        }
        return new VerificationCheck(FINITE_WEIGHTS, Status.PASS, count + " values");
    }

    /**
     * Euclidean norm of each decoder row, accumulated in double.
     *
     * @param config  for d_sae and d_out
     * @param weights holds the [d_sae, d_out] decoder; not modified
     * @return a new [d_sae] array; NaN or infinite for a row holding such a value
     */
    private static double[] decoderNorms(SaeConfig config, SaeWeights weights) {
        int dOut = config.dOut();
        double[] norms = new double[config.dSae()];
        for (int j = 0; j < norms.length; j++) {
            double squares = 0;
            for (int i = 0; i < dOut; i++) {
                double value = weights.decoder()[j * dOut + i];
                squares += value * value;
            }
            norms[j] = Math.sqrt(squares);
        }
        return norms;
    }

    /**
     * Min, median (the upper one for an even count) and max of the decoder row norms; FAIL if one is not finite.
     *
     * @param norms [d_sae] row norms, d_sae ≥ 1; not modified
     * @return the {@value #DECODER_ROW_NORMS} check
     */
    private static VerificationCheck normSummary(double[] norms) {
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        boolean finite = Arrays.stream(sorted).allMatch(Double::isFinite);
        return new VerificationCheck(DECODER_ROW_NORMS, finite ? Status.PASS : Status.FAIL, String.format(
                "min %.4g, median %.4g, max %.4g", sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]));
    }

    /**
     * Counts decoder rows of zero norm; WARN when there is one.
     *
     * @param norms [d_sae] row norms; not modified
     * @return the {@value #DEAD_DECODER_ROWS} check
     */
    private static VerificationCheck deadRows(double[] norms) {
        long dead = Arrays.stream(norms).filter(n -> n == 0).count();
        return new VerificationCheck(DEAD_DECODER_ROWS, dead == 0 ? Status.PASS : Status.WARN,
                dead + " of " + norms.length + " rows have zero norm");
    }

    /**
     * The range [min, max] of {@code values}; FAIL when an end is not finite, which a NaN or an infinity among the
     * values makes it.
     *
     * @param name   the check's name
     * @param values the values; not modified
     * @return the check, its detail the range
     */
    private static VerificationCheck range(String name, float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        boolean finite = Double.isFinite(min) && Double.isFinite(max);
        return new VerificationCheck(name, finite ? Status.PASS : Status.FAIL,
                String.format("[%.4g, %.4g]", min, max));
    }

    /**
     * The JumpReLU thresholds' range: SKIP without thresholds, FAIL as {@link #range}, WARN when some are negative.
     *
     * @param weights the parameters; not modified
     * @return the {@value #THRESHOLDS} check
     */
    private static VerificationCheck thresholds(SaeWeights weights) {
        float[] theta = weights.threshold();
        if (theta == null) {
            return new VerificationCheck(THRESHOLDS, Status.SKIP, "no JumpReLU threshold");
        }
        VerificationCheck range = range(THRESHOLDS, theta);
        if (range.status() == Status.FAIL) {
            return range;
        }
        long negative = 0;
        for (float value : theta) {
            if (value < 0) {
                negative++;
            }
        }
        return new VerificationCheck(THRESHOLDS, negative == 0 ? Status.PASS : Status.WARN, range.detail()
                + (negative == 0 ? "" : ", " + negative + " negative (those latents act as plain ReLU)"));
    }

    /**
     * [RANDOM_ROWS, dIn] standard Gaussian values (Box–Muller) from {@link #SEED}.
     *
     * @param dIn row width
     * @return a new array of {@code RANDOM_ROWS·dIn} values, the same on every call
     */
    private static float[] gaussian(int dIn) {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] x = new float[RANDOM_ROWS * dIn];
        for (int i = 0; i < x.length; i++) {
            double u = 1 - random.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return x;
    }

    /**
     * Runs the forward pass on the Gaussian rows; FAIL naming the first output element that is not finite.
     *
     * @param sae    the model
     * @param inputs [RANDOM_ROWS, d_in] from {@link #gaussian}; not modified
     * @return the {@value #FORWARD_FINITE} check
     */
    private static VerificationCheck forwardFinite(Sae sae, float[] inputs) {
        float[] out = sae.forward(inputs);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                return new VerificationCheck(FORWARD_FINITE, Status.FAIL, "output element " + i + " is " + out[i]
                        + " (seed " + SEED + ")");
            }
        }
        return new VerificationCheck(FORWARD_FINITE, Status.PASS, RANDOM_ROWS + " Gaussian rows, seed " + SEED);
    }

    /**
     * Decoder row j, fed back as an input (plus b_dec when the SAE subtracts it), should fire latent j: up to
     * {@value #MAX_SELF_ROWS} rows of non-zero norm, evenly spaced over the latents, are encoded; PASS when at least
     * half fire their own latent, else WARN. SKIP when d_out differs from d_in (the decoder does not write the input
     * space), WARN when every decoder row is zero.
     *
     * @param sae     the model
     * @param config  its configuration
     * @param weights its parameters (decoder and b_dec are read); not modified
     * @param norms   [d_sae] decoder row norms; not modified
     * @return the {@value #SELF_ACTIVATION} check
     */
    private static VerificationCheck selfActivation(Sae sae, SaeConfig config, SaeWeights weights, double[] norms) {
        if (config.dOut() != config.dIn()) {
            return new VerificationCheck(SELF_ACTIVATION, Status.SKIP, "decoder writes d_out " + config.dOut()
                    + ", not the input space");
        }
        int dIn = config.dIn();
        int[] latents = IntStream.range(0, config.dSae()).filter(j -> norms[j] > 0).toArray();
        if (latents.length == 0) {
            return new VerificationCheck(SELF_ACTIVATION, Status.WARN, "every decoder row is zero");
        }
        int rows = Math.min(MAX_SELF_ROWS, latents.length);
        int[] sampled = new int[rows];
        float[] x = new float[rows * dIn]; // [rows, dIn]
        for (int r = 0; r < rows; r++) {
            int j = latents[(int) ((long) r * latents.length / rows)];
            sampled[r] = j;
            for (int i = 0; i < dIn; i++) {
                float bias = config.applyBDecToInput() ? weights.decoderBias()[i] : 0f;
                x[r * dIn + i] = weights.decoder()[j * dIn + i] + bias;
            }
        }
        float[] codes = sae.encode(x); // [rows, dSae]
        int active = 0;
        for (int r = 0; r < rows; r++) {
            if (codes[r * config.dSae() + sampled[r]] > 0) {
                active++;
            }
        }
        double fraction = (double) active / rows;
        return new VerificationCheck(SELF_ACTIVATION, fraction >= 0.5 ? Status.PASS : Status.WARN,
                active + " of " + rows + " sampled latents fire on their own decoder row");
    }

    /**
     * The round trip's check name, {@code round trip FORMAT DTYPE}.
     *
     * @param config the model's configuration: its source picks the format, its dtype the written type
     * @return e.g. {@code round trip saelens float32}
     */
    private static String roundTripName(SaeConfig config) {
        boolean sparsify = config.source() == SaeSource.SPARSIFY;
        return "round trip " + (sparsify ? "sparsify" : "saelens") + " "
                + SaeDType.nearest(config.dtype()).torchName();
    }

    /**
     * The round trip in a new temporary folder, deleted afterwards; an I/O error (creating, writing, reading or
     * deleting) gives a FAIL named {@value #IO} instead.
     *
     * @param sae     the model, for the forward pass compared at the end
     * @param config  its configuration
     * @param weights its parameters, written and compared; not modified
     * @param inputs  [RANDOM_ROWS, d_in] rows for the forward comparison; not modified
     * @return the round-trip check, or the {@value #IO} check
     */
    private static VerificationCheck roundTrip(Sae sae, SaeConfig config, SaeWeights weights, float[] inputs) {
        try {
            Path dir = Files.createTempDirectory("sae4j-verify");
            try {
                return roundTrip(dir, sae, config, weights, inputs);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            return new VerificationCheck(IO, Status.FAIL, oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Writes the model into {@code dir} in its own format and dtype, reads it back and compares tensors, config and,
     * when the tensors are bit-exact, the forward pass; a writer or loader refusal is a FAIL.
     *
     * @param dir     an empty folder to write into
     * @param sae     the model, for the forward comparison
     * @param config  its configuration
     * @param weights its parameters; not modified
     * @param inputs  [RANDOM_ROWS, d_in] rows for the forward comparison; not modified
     * @return the round-trip check
     * @throws IOException if writing or reading fails other than by a format error
     */
    private static VerificationCheck roundTrip(Path dir, Sae sae, SaeConfig config, SaeWeights weights,
            float[] inputs) throws IOException {
        String name = roundTripName(config);
        SaeDType dtype = SaeDType.nearest(config.dtype());
        try {
            if (config.source() == SaeSource.SPARSIFY) {
                SparsifyWriter.write(dir, config, weights, dtype);
            } else {
                SaeWriter.write(dir, config, weights, dtype);
            }
            try (Sae reloaded = SaeLoader.load(dir)) {
                List<WeightComparison.TensorDiff> diffs = WeightComparison.compare(weights, reloaded.weights(),
                        dtype);
                for (WeightComparison.TensorDiff diff : diffs) {
                    if (diff.wrongRounding() > 0) {
                        return new VerificationCheck(name, Status.FAIL, diff.name() + ": " + diff.wrongRounding()
                                + " of " + diff.count() + " values differ from the written " + dtype.torchName()
                                + " values");
                    }
                }
                String configDiff = configDifference(config, reloaded.config());
                if (!configDiff.isEmpty()) {
                    return new VerificationCheck(name, Status.FAIL, "config differs: " + configDiff);
                }
                if (!WeightComparison.allBitExact(diffs)) {
                    return new VerificationCheck(name, Status.PASS, diffs.size() + " tensors as rounded to "
                            + dtype.torchName() + ", max |error| " + WeightComparison.maxAbsError(diffs));
                }
                if (!Arrays.equals(sae.forward(inputs), reloaded.forward(inputs))) {
                    return new VerificationCheck(name, Status.FAIL, "bit-exact weights but the forward pass differs");
                }
                return new VerificationCheck(name, Status.PASS, diffs.size() + " tensors bit-exact, forward bit-exact");
            }
        } catch (IllegalArgumentException | FormatException e) {
            return new VerificationCheck(name, Status.FAIL, oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The config fields a round trip must keep, named where they differ; empty when none does.
     *
     * @param a the configuration written
     * @param b the configuration read back
     * @return the differing fields' names, comma-separated, or the empty string
     */
    private static String configDifference(SaeConfig a, SaeConfig b) {
        List<String> diffs = new ArrayList<>();
        if (a.architecture() != b.architecture()) {
            diffs.add("architecture");
        }
        if (a.dIn() != b.dIn() || a.dSae() != b.dSae() || a.dOut() != b.dOut()) {
            diffs.add("widths");
        }
        if (a.k() != b.k()) {
            diffs.add("k");
        }
        if (a.normalisation() != b.normalisation()) {
            diffs.add("normalisation");
        }
        if (a.applyBDecToInput() != b.applyBDecToInput()) {
            diffs.add("apply_b_dec_to_input");
        }
        if (a.rescaleActsByDecoderNorm() != b.rescaleActsByDecoderNorm()) {
            diffs.add("rescale_acts_by_decoder_norm");
        }
        if (!a.folds().equals(b.folds())) {
            diffs.add("folds");
        }
        return String.join(", ", diffs);
    }

    /**
     * Checks an array's length against the config.
     *
     * @param name     the tensor, for the message
     * @param values   the array, or null
     * @param expected the length the config needs
     * @throws IllegalArgumentException if the array is missing or has another length
     */
    private static void requireLength(String name, float[] values, long expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(name + " has " + (values == null ? "no" : values.length)
                    + " values, the config needs " + expected);
        }
    }

    /**
     * A message flattened to one line, for a check's detail.
     *
     * @param message the text
     * @return the text with line breaks replaced by spaces
     */
    private static String oneLine(String message) {
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Deletes a folder and everything under it, deepest entries first.
     *
     * @param dir the folder
     * @throws IOException if an entry cannot be listed or deleted
     */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
