package org.sae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.report.AxisScale;
import org.sae4j.report.LinePlot;
import org.sae4j.report.MarkdownTable;
import org.sae4j.report.PlotWriter;
import org.sae4j.report.ProgressBar;
import org.sae4j.report.Series;
import org.sae4j.sae.Sae;
import org.sae4j.sae.eval.EvalOptions;
import org.sae4j.sae.eval.EvalResult;
import org.sae4j.sae.eval.FeatureDensity;
import org.sae4j.sae.eval.SaeEvaluator;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j eval}: reconstruction, sparsity and latent-health metrics of an SAE on activations (sae-formats §12,
 * each under its own name), compared in the de-normalised space. {@code --out} writes {@code eval.json} and the
 * log-density histogram ({@code density-histogram.svg}, {@code .png}).
 *
 * <p>A NaN or an infinity in the input or target fails the command (exit 2, nothing written) unless
 * {@code --non-finite skip} leaves those rows out of every metric or {@code --non-finite zero} evaluates them as
 * zeros; the table and the JSON ({@code skipped_rows}, {@code zeroed_rows}) then say how many.
 *
 * <p>Exit codes: 0 evaluated; 2 bad input (one line on stderr starting with {@code sae4j eval:}); 1 an I/O error.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate an SAE on activations: MSE, FVU, explained variance (conventional and legacy), L0, "
            + "L1, cosine, norm ratio, relative bias, feature density.",
            "Transcoders need --target (their output activations)."})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private SaeInputOptions source;

    @Mixin
    private NonFiniteOption nonFinite;

    @Option(names = "--target", paramLabel = "Y", description = "What the output is compared with, [n, d_out] "
            + "(required for transcoders; default: the input).")
    private Path target;

    @Option(names = "--target-tensor", paramLabel = "NAME", description = "Tensor of a .safetensors target.")
    private String targetTensor;

    @Option(names = "--batch", defaultValue = "1024", paramLabel = "ROWS", description = "Rows per batch (default "
            + "1024).")
    private int batch;

    @Option(names = "--dense-threshold", defaultValue = "0.1", paramLabel = "D",
            description = "Density above which a latent counts as dense (default 0.1).")
    private double denseThreshold;

    @Option(names = "--out", paramLabel = "DIR", description = "Write eval.json and the density histogram here.")
    private Path out;

    @Option(names = "--json", description = "Print the metrics as one JSON object.")
    private boolean json;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    private boolean noProgress;

    /** Public constructor for picocli. */
    public EvalCommand() {
    }

    @Override
    public Integer call() {
        return CommandFailures.run(spec, "eval", this::run);
    }

    private int run() throws IOException {
        EvalOptions options = new EvalOptions(batch, denseThreshold, nonFinite.policy());
        if (targetTensor != null && target == null) {
            throw new IllegalArgumentException("--target-tensor needs --target");
        }
        EvalResult result;
        try (Sae sae = source.loadSae(); TensorArena arena = new TensorArena("eval-input")) {
            ActivationFile x = source.openInput(arena, sae.dIn());
            ActivationFile y = target == null ? null : ActivationFile.open(target, targetTensor, arena);
            try (ProgressBar bar = new ProgressBar("eval", x.rows(), System.err,
                    !noProgress && !json && ProgressBar.interactive())) {
                long[] reported = {0};
                result = SaeEvaluator.evaluate(sae, x, y, options, done -> {
                    bar.stepBy(done - reported[0]);
                    reported[0] = done;
                });
            }
        }
        Map<String, Object> metrics = result.toMap();
        metrics.put("non_finite", options.nonFinite().optionName());
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("eval.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics) + "\n");
            PlotWriter.write(histogram(result.density()), out, "density-histogram");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(EncodeCommand.toJson(metrics));
        } else {
            stdout.print(table(result, options.nonFinite()));
            if (out != null) {
                stdout.println("eval.json and density-histogram.svg/.png written to " + out);
            }
        }
        stdout.flush();
        return 0;
    }

    /**
     * A console table: metric, value, definition; with {@code skip} or {@code zero} a row says how many input rows
     * held NaN or infinite values and were skipped or zeroed.
     */
    static String table(EvalResult result, NonFinitePolicy policy) {
        FeatureDensity density = result.density();
        MarkdownTable table = new MarkdownTable("metric", "value", "definition");
        table.row("tokens", result.tokens(), "rows evaluated (density window)");
        if (policy == NonFinitePolicy.SKIP_ROWS) {
            table.row("skipped_rows", result.skippedRows(), "rows with NaN or ±Inf left out of every metric");
        } else if (policy == NonFinitePolicy.ZERO_ROWS) {
            table.row("zeroed_rows", result.zeroedRows(), "rows with NaN or ±Inf evaluated as zeros");
        }
        table.row("mse_sum", MarkdownTable.sci(result.mseSum()), "mean over tokens of Σ_d (x − x̂)²");
        table.row("mse_mean", MarkdownTable.sci(result.mseMean()), "mean over tokens and dims of (x − x̂)²");
        table.row("fvu", MarkdownTable.fixed(result.fvu(), 5), "Σ‖x − x̂‖² / Σ‖x − x̄‖² (conventional)");
        table.row("explained_variance", MarkdownTable.fixed(result.explainedVariance(), 5), "1 − fvu");
        table.row("legacy_explained_variance", MarkdownTable.fixed(result.legacyExplainedVariance(), 5),
                "mean of 1 − ‖x − x̂‖² / ‖x − x̄‖² (legacy)");
        table.row("l0", MarkdownTable.fixed(result.l0(), 3), "non-zero latents per token");
        table.row("l1", MarkdownTable.fixed(result.l1(), 4), "mean Σ_j |f_j|");
        table.row("cosine_similarity", MarkdownTable.fixed(result.cosineSimilarity(), 5), "mean cos(x, x̂)");
        table.row("norm_ratio", MarkdownTable.fixed(result.normRatio(), 5), "mean ‖x̂‖ / ‖x‖");
        table.row("relative_reconstruction_bias", MarkdownTable.fixed(result.relativeBias(), 5),
                "γ = Σ‖x̂‖² / Σ x̂·x");
        table.row("dead_latents", density.dead() + " / " + density.latents(),
                "never fired in " + density.windowTokens() + " tokens");
        table.row("rare_latents_below_1e-5", density.rareBelow1e5(), "density < 1e-5 (dead included)");
        table.row("rare_latents_below_1e-6", density.rareBelow1e6(), "density < 1e-6 (dead included)");
        table.row("dense_latents", density.dense(),
                String.format(Locale.ROOT, "density > %s", density.denseThreshold()));
        return table.toString();
    }

    private static LinePlot histogram(FeatureDensity density) {
        long[] counts = density.histogramCounts();
        double[] centres = new double[counts.length];
        double[] values = new double[counts.length];
        for (int b = 0; b < counts.length; b++) {
            centres[b] = FeatureDensity.binCentre(b);
            values[b] = counts[b];
        }
        return LinePlot.builder("Feature density (" + density.windowTokens() + " tokens)")
                .x("log10(density + 1e-10)", AxisScale.LINEAR)
                .y("latents", AxisScale.LINEAR)
                .yMin(0)
                .add(Series.of("latents per bin", centres, values))
                .build();
    }
}
