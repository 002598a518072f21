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

    private static final String[] TENSOR_NAMES = {"encoder", "encoder_bias", "decoder", "decoder_bias", "threshold",
            "b_mag", "r_mag"};

    private SaeVerifier() {
    }

    /** Runs every check on {@code sae} (its effective config and weights, after any fold on load). */
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
     * @throws IllegalArgumentException if an array has the wrong length for {@code config}
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

    private static List<VerificationCheck> weightChecks(SaeWeights weights, double[] norms) {
        List<VerificationCheck> checks = new ArrayList<>();
        checks.add(finiteWeights(weights));
        checks.add(normSummary(norms));
        checks.add(deadRows(norms));
        checks.add(range(B_DEC_RANGE, weights.decoderBias()));
        checks.add(thresholds(weights));
        return checks;
    }

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

    /** Euclidean norm of each decoder row, accumulated in double. */
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

    private static VerificationCheck normSummary(double[] norms) {
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        boolean finite = Arrays.stream(sorted).allMatch(Double::isFinite);
        return new VerificationCheck(DECODER_ROW_NORMS, finite ? Status.PASS : Status.FAIL, String.format(
                "min %.4g, median %.4g, max %.4g", sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]));
    }

    private static VerificationCheck deadRows(double[] norms) {
        long dead = Arrays.stream(norms).filter(n -> n == 0).count();
        return new VerificationCheck(DEAD_DECODER_ROWS, dead == 0 ? Status.PASS : Status.WARN,
                dead + " of " + norms.length + " rows have zero norm");
    }

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

    /** [RANDOM_ROWS, dIn] standard Gaussian values (Box–Muller) from {@link #SEED}. */
    private static float[] gaussian(int dIn) {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] x = new float[RANDOM_ROWS * dIn];
        for (int i = 0; i < x.length; i++) {
            double u = 1 - random.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return x;
    }

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

    /** Decoder row j, fed back as an input (plus b_dec when the SAE subtracts it), should fire latent j. */
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

    private static String roundTripName(SaeConfig config) {
        boolean sparsify = config.source() == SaeSource.SPARSIFY;
        return "round trip " + (sparsify ? "sparsify" : "saelens") + " "
                + SaeDType.nearest(config.dtype()).torchName();
    }

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

    /** The config fields a round trip must keep, named where they differ; empty when none does. */
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

    private static void requireLength(String name, float[] values, long expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(name + " has " + (values == null ? "no" : values.length)
                    + " values, the config needs " + expected);
        }
    }

    private static String oneLine(String message) {
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
