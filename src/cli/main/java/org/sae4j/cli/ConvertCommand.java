package org.sae4j.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sae4j.io.FormatException;
import org.sae4j.sae.FoldRecord;
import org.sae4j.sae.FoldedSae;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeFolding;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.SparsifyWriter;
import org.sae4j.sae.eval.WeightComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j convert SRC DST}: loads any readable SAE folder and writes it as a SAELens v6 or sparsify folder in
 * float32, bfloat16 or float16, optionally folding the decoder row norms first; the written folder is read back and
 * every tensor compared with what was written before the command reports success.
 *
 * <p>Exit codes: 0 written and verified; 2 invalid input (unknown format or dtype, unloadable source, a model the
 * target format cannot hold, a non-empty destination), one line on stderr starting with {@code sae4j convert:};
 * 1 an I/O error or a read-back mismatch.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert an SAE folder to SAELens v6 or sparsify, in float32, bfloat16 or float16.")
public final class ConvertCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameters(index = "0", paramLabel = "SRC", description = "SAE folder to read, or a file inside it")
    private Path source;

    @Parameters(index = "1", paramLabel = "DST", description = "folder to write (must not exist or be empty)")
    private Path destination;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "saelens",
            description = "saelens (default) or sparsify (topk only)")
    private String format;

    @Option(names = "--dtype", paramLabel = "DTYPE",
            description = "float32, bfloat16 or float16 (default: the source's dtype; float64 becomes float32)")
    private String dtype;

    @Option(names = "--fold-decoder-norms", description = "scale decoder rows to unit norm first (not for topk)")
    private boolean foldDecoderNorms;

    @Option(names = "--json", description = "print the result as one JSON object")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public ConvertCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            String target = format.toLowerCase(Locale.ROOT);
            if (!target.equals("saelens") && !target.equals("sparsify")) {
                return usage("--format must be saelens or sparsify, got '" + format + "'");
            }
            SaeDType requested = dtype == null ? null : SaeDType.parse(dtype);
            if (Files.exists(destination) && !isEmptyFolder(destination)) {
                return usage(destination + " exists and is not an empty folder");
            }
            SaeConfig config;
            SaeWeights weights;
            try (Sae sae = SaeLoader.load(source)) {
                config = sae.config();
                weights = sae.weights();
            }
            SaeDType written = requested != null ? requested : SaeDType.nearest(config.dtype());
            if (foldDecoderNorms) {
                FoldedSae folded = SaeFolding.foldDecoderNorms(config, weights);
                config = folded.config();
                weights = folded.weights();
            }
            if (target.equals("sparsify")) {
                SparsifyWriter.requireExpressible(config);
                SparsifyWriter.write(destination, config, weights, written);
            } else {
                SaeWriter.write(destination, config, weights, written);
            }
            List<WeightComparison.TensorDiff> diffs;
            try (Sae reloaded = SaeLoader.load(destination)) {
                diffs = WeightComparison.compare(weights, reloaded.weights(), written);
            }
            boolean correct = WeightComparison.allCorrect(diffs);
            report(out, config, target, written, diffs, correct);
            if (!correct) {
                return fail(destination + " was written but does not read back as written");
            }
            return 0;
        } catch (FormatException | IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return fail("I/O error: " + e.getMessage());
        }
    }

    private void report(PrintWriter out, SaeConfig config, String target, SaeDType written,
            List<WeightComparison.TensorDiff> diffs, boolean correct) {
        boolean exact = WeightComparison.allBitExact(diffs);
        double maxError = WeightComparison.maxAbsError(diffs);
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("source", source.toString());
            node.put("destination", destination.toString());
            node.put("format", target);
            node.put("dtype", written.torchName());
            node.put("architecture", config.architecture().saeLensName());
            node.put("d_in", config.dIn());
            node.put("d_sae", config.dSae());
            node.put("d_out", config.dOut());
            ArrayNode folds = node.putArray("folds");
            for (FoldRecord fold : config.folds()) {
                ObjectNode entry = folds.addObject().put("op", fold.op());
                if (fold.hasScalarFactor()) {
                    entry.put("factor", fold.factor());
                } else {
                    entry.putNull("factor");
                }
            }
            node.put("read_back", correct);
            node.put("bit_exact", exact);
            node.put("max_abs_error", maxError);
            out.println(node);
        } else {
            out.println("converted:  " + source + " -> " + destination);
            out.println("format:     " + target + " (" + written.torchName() + ")");
            out.println("model:      " + config.architecture().saeLensName() + " " + config.dIn() + " -> "
                    + config.dSae() + " -> " + config.dOut());
            out.println("folds:      " + (config.folds().isEmpty() ? "none"
                    : String.join(", ", config.folds().stream().map(ConvertCommand::describe).toList())));
            out.println("read back:  " + (!correct ? "MISMATCH" : exact ? "bit-exact"
                    : "as rounded to " + written.torchName() + ", max |error| " + maxError));
        }
        out.flush();
    }

    static String describe(FoldRecord fold) {
        return fold.op() + (fold.hasScalarFactor() ? " x" + fold.factor() : " (per latent)");
    }

    private static boolean isEmptyFolder(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        }
    }

    private int usage(String message) {
        return complain(message, 2);
    }

    private int fail(String message) {
        return complain(message, 1);
    }

    private int complain(String message, int code) {
        return CommandFailures.report(spec.commandLine().getErr(), "convert", message, code);
    }
}
