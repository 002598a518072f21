package org.sae4j.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j verify PATH}: loads an SAE folder and runs checks with a clear pass/fail meaning, printed as a table
 * of PASS, FAIL, WARN or SKIP:
 * <ul>
 *   <li>every weight is finite;</li>
 *   <li>decoder row norms (min, median, max) and dead decoder rows (zero norm: WARN);</li>
 *   <li>{@code b_dec} range, and JumpReLU thresholds (negative values make the latent a plain ReLU: WARN);</li>
 *   <li>the forward pass on {@value #RANDOM_ROWS} seeded Gaussian rows (seed {@value #SEED}) is finite;</li>
 *   <li>each sampled decoder row, fed back as an input, activates its own latent for at least half of the rows
 *       sampled (WARN otherwise; not for transcoders);</li>
 *   <li>round trip: the model written to a temporary folder in its own format (sparsify when it came from sparsify,
 *       SAELens otherwise) and dtype, read back, gives every tensor exactly as that dtype stores it and the same
 *       config; when the values are bit-identical the forward pass must be too.</li>
 * </ul>
 *
 * <p>Exit codes: 0 no check failed; 1 a check failed or an I/O error; 2 the folder is not a loadable SAE (one line on
 * stderr starting with {@code sae4j verify:}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check an SAE folder: finite weights, decoder norms, forward pass, write/read round trip.")
public final class VerifyCommand implements Callable<Integer> {

    static final int RANDOM_ROWS = 8;
    static final long SEED = 20240625L;
    private static final int MAX_SELF_ROWS = 256;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line of the report. */
    record Check(String name, Status status, String detail) {
    }

    /** The outcome of a check. */
    enum Status { PASS, FAIL, WARN, SKIP }

    @Parameters(index = "0", paramLabel = "PATH", description = "SAE folder, or a file inside it")
    private Path path;

    @Option(names = "--json", description = "print the checks as one JSON object")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public VerifyCommand() {
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        try (Sae sae = SaeLoader.load(path)) {
            SaeConfig config = sae.config();
            SaeWeights weights = sae.weights();
            checks.add(new Check("load", Status.PASS, config.source().name().toLowerCase(Locale.ROOT) + " "
                    + config.architecture().saeLensName() + " " + config.dIn() + " -> " + config.dSae() + " -> "
                    + config.dOut() + ", " + config.dtype()));
            checks.add(finiteWeights(weights));
            double[] norms = decoderNorms(config, weights);
            checks.add(normSummary(norms));
            checks.add(deadRows(norms));
            checks.add(range("b_dec range", weights.decoderBias()));
            checks.add(thresholds(weights));
            float[] inputs = gaussian(config.dIn());
            checks.add(forwardFinite(sae, inputs));
            checks.add(selfActivation(sae, config, weights, norms));
            checks.add(roundTrip(sae, config, weights, inputs));
        } catch (FormatException e) {
            return CommandFailures.report(spec.commandLine().getErr(), "verify", e.getMessage(),
                    CommandFailures.BAD_INPUT);
        } catch (IOException e) {
            checks.add(new Check("io", Status.FAIL, CommandFailures.oneLine(String.valueOf(e.getMessage()))));
        }
        print(checks);
        return checks.stream().anyMatch(c -> c.status() == Status.FAIL) ? 1 : 0;
    }

    private static Check finiteWeights(SaeWeights weights) {
        String[] names = {"encoder", "encoder_bias", "decoder", "decoder_bias", "threshold", "b_mag", "r_mag"};
        float[][] arrays = {weights.encoder(), weights.encoderBias(), weights.decoder(), weights.decoderBias(),
                weights.threshold(), weights.magnitudeBias(), weights.magnitudeLogScale()};
        long count = 0;
        for (int t = 0; t < arrays.length; t++) {
            if (arrays[t] == null) {
                continue;
            }
            for (int i = 0; i < arrays[t].length; i++) {
                if (!Float.isFinite(arrays[t][i])) {
                    return new Check("finite weights", Status.FAIL, names[t] + " element " + i + " is "
                            + arrays[t][i]);
                }
            }
            count += arrays[t].length;
        }
        return new Check("finite weights", Status.PASS, count + " values");
    }

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

    private static Check normSummary(double[] norms) {
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        boolean finite = Arrays.stream(sorted).allMatch(Double::isFinite);
        return new Check("decoder row norms", finite ? Status.PASS : Status.FAIL, String.format(
                "min %.4g, median %.4g, max %.4g", sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]));
    }

    private static Check deadRows(double[] norms) {
        long dead = Arrays.stream(norms).filter(n -> n == 0).count();
        return new Check("dead decoder rows", dead == 0 ? Status.PASS : Status.WARN,
                dead + " of " + norms.length + " rows have zero norm");
    }

    private static Check range(String name, float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        boolean finite = Double.isFinite(min) && Double.isFinite(max);
        return new Check(name, finite ? Status.PASS : Status.FAIL, String.format("[%.4g, %.4g]", min, max));
    }

    private static Check thresholds(SaeWeights weights) {
        float[] theta = weights.threshold();
        if (theta == null) {
            return new Check("thresholds", Status.SKIP, "no JumpReLU threshold");
        }
        Check range = range("thresholds", theta);
        long negative = 0;
        for (float value : theta) {
            if (value < 0) {
                negative++;
            }
        }
        if (range.status() == Status.FAIL) {
            return range;
        }
        return new Check("thresholds", negative == 0 ? Status.PASS : Status.WARN, range.detail()
                + (negative == 0 ? "" : ", " + negative + " negative (those latents act as plain ReLU)"));
    }

    private static float[] gaussian(int dIn) {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] x = new float[RANDOM_ROWS * dIn];
        for (int i = 0; i < x.length; i++) {
            double u = 1 - random.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return x;
    }

    private static Check forwardFinite(Sae sae, float[] inputs) {
        float[] out = sae.forward(inputs);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                return new Check("forward finite", Status.FAIL, "output element " + i + " is " + out[i]
                        + " (seed " + SEED + ")");
            }
        }
        return new Check("forward finite", Status.PASS, RANDOM_ROWS + " Gaussian rows, seed " + SEED);
    }

    /** Decoder row j, fed back as an input (plus b_dec when the SAE subtracts it), should fire latent j. */
    private static Check selfActivation(Sae sae, SaeConfig config, SaeWeights weights, double[] norms) {
        if (config.dOut() != config.dIn()) {
            return new Check("decoder rows self-activate", Status.SKIP, "decoder writes d_out " + config.dOut()
                    + ", not the input space");
        }
        int dIn = config.dIn();
        int[] latents = IntStream.range(0, config.dSae()).filter(j -> norms[j] > 0)
                .toArray();
        if (latents.length == 0) {
            return new Check("decoder rows self-activate", Status.WARN, "every decoder row is zero");
        }
        int rows = Math.min(MAX_SELF_ROWS, latents.length);
        int[] sampled = new int[rows];
        float[] x = new float[rows * dIn];
        for (int r = 0; r < rows; r++) {
            int j = latents[(int) ((long) r * latents.length / rows)];
            sampled[r] = j;
            for (int i = 0; i < dIn; i++) {
                float bias = config.applyBDecToInput() ? weights.decoderBias()[i] : 0f;
                x[r * dIn + i] = weights.decoder()[j * dIn + i] + bias;
            }
        }
        float[] codes = sae.encode(x);
        int active = 0;
        for (int r = 0; r < rows; r++) {
            if (codes[r * config.dSae() + sampled[r]] > 0) {
                active++;
            }
        }
        double fraction = (double) active / rows;
        return new Check("decoder rows self-activate", fraction >= 0.5 ? Status.PASS : Status.WARN,
                active + " of " + rows + " sampled latents fire on their own decoder row");
    }

    private Check roundTrip(Sae sae, SaeConfig config, SaeWeights weights, float[] inputs) throws IOException {
        boolean sparsify = config.source() == SaeSource.SPARSIFY;
        SaeDType dtype = SaeDType.nearest(config.dtype());
        String name = "round trip " + (sparsify ? "sparsify" : "saelens") + " " + dtype.torchName();
        Path dir = Files.createTempDirectory("sae4j-verify");
        try {
            if (sparsify) {
                SparsifyWriter.write(dir, config, weights, dtype);
            } else {
                SaeWriter.write(dir, config, weights, dtype);
            }
            try (Sae reloaded = SaeLoader.load(dir)) {
                List<WeightComparison.TensorDiff> diffs = WeightComparison.compare(weights, reloaded.weights(),
                        dtype);
                for (WeightComparison.TensorDiff diff : diffs) {
                    if (diff.wrongRounding() > 0) {
                        return new Check(name, Status.FAIL, diff.name() + ": " + diff.wrongRounding() + " of "
                                + diff.count() + " values differ from the written " + dtype.torchName() + " values");
                    }
                }
                String configDiff = configDifference(config, reloaded.config());
                if (!configDiff.isEmpty()) {
                    return new Check(name, Status.FAIL, "config differs: " + configDiff);
                }
                if (!WeightComparison.allBitExact(diffs)) {
                    return new Check(name, Status.PASS, diffs.size() + " tensors as rounded to " + dtype.torchName()
                            + ", max |error| " + WeightComparison.maxAbsError(diffs));
                }
                if (!Arrays.equals(sae.forward(inputs), reloaded.forward(inputs))) {
                    return new Check(name, Status.FAIL, "bit-exact weights but the forward pass differs");
                }
                return new Check(name, Status.PASS, diffs.size() + " tensors bit-exact, forward bit-exact");
            }
        } catch (IllegalArgumentException | FormatException e) {
            return new Check(name, Status.FAIL, CommandFailures.oneLine(e.getMessage()));
        } finally {
            deleteTree(dir);
        }
    }

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

    private void print(List<Check> checks) {
        PrintWriter out = spec.commandLine().getOut();
        long failed = checks.stream().filter(c -> c.status() == Status.FAIL).count();
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("path", path.toString());
            ArrayNode array = node.putArray("checks");
            for (Check check : checks) {
                array.addObject().put("check", check.name()).put("status", check.status().name())
                        .put("detail", check.detail());
            }
            node.put("failed", failed);
            out.println(node);
        } else {
            int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(5);
            out.println(String.format("%-" + width + "s  %-6s %s", "check", "status", "detail"));
            for (Check check : checks) {
                out.println(String.format("%-" + width + "s  %-6s %s", check.name(), check.status(),
                        check.detail()));
            }
            out.println(failed == 0 ? "verify: no check failed" : "verify: " + failed + " check(s) failed");
        }
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
