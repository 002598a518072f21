package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.sae4j.lab.experiment.ExperimentKind;
import org.sae4j.lab.experiment.ExperimentResult;
import org.sae4j.lab.experiment.ExperimentRunner;
import org.sae4j.lab.experiment.ExperimentSettings;
import org.sae4j.lab.experiment.MethodSummary;
import org.sae4j.lab.experiment.ScalingAxes;
import org.sae4j.report.ExperimentReportWriter;
import org.sae4j.report.MarkdownTable;
import org.sae4j.report.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j experiment NAME}: runs one of the paper lab's experiments and writes {@code result.json}, plots (SVG
 * and PNG) and {@code report.md} to the output folder. Options left out take the reference's values for the
 * experiment (its data seed, steps and logging interval; N = 16, M = 8, K = 3; 5 seeds).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run a paper-lab experiment: known-d, known-z, unknown, scaling, l1-sweep, topk, mlp-width, bias.",
            "Writes result.json, plots (SVG, PNG) and report.md to --out; --json also prints the result on stdout."},
        footer = {"", "Example:", "  sae4j experiment known-d --seeds 5 --threads 2 --out out/known-d", ""})
public final class ExperimentCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Experiment name.")
    private String name;

    @Option(names = "--n", paramLabel = "N", description = "Latents (default 16).")
    private Integer latents;

    @Option(names = "--m", paramLabel = "M", description = "Observed dimension (default 8).")
    private Integer measurements;

    @Option(names = "--k", paramLabel = "K", description = "Active latents per sample (default 3).")
    private Integer active;

    @Option(names = "--steps", paramLabel = "STEPS", description = "Training steps (default: the reference's).")
    private Integer steps;

    @Option(names = "--seed", paramLabel = "SEED", description = "Data seed (default: the reference's).")
    private Long seed;

    @Option(names = "--seeds", paramLabel = "R", defaultValue = "5", description = "Runs per method (default 5).")
    private int runs;

    @Option(names = "--threads", paramLabel = "T", description = "Runs in parallel (default: available cores).")
    private Integer threads;

    @Option(names = "--eval-every", paramLabel = "E", description = "Log every E steps (default: the reference's).")
    private Integer evaluationInterval;

    @Option(names = "--grid-n", split = ",", paramLabel = "N", description = "scaling: N values.")
    private int[] gridN;

    @Option(names = "--grid-m", split = ",", paramLabel = "M", description = "scaling: M values.")
    private int[] gridM;

    @Option(names = "--grid-k", split = ",", paramLabel = "K", description = "scaling: K values.")
    private int[] gridK;

    @Option(names = "--data", paramLabel = "FILE", description = "Use this data file (from `sae4j data`).")
    private Path dataFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default out/NAME).")
    private Path out;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    private boolean json;

    @Option(names = "--no-progress", description = "No progress bars on stderr.")
    private boolean noProgress;

    /** Public constructor for picocli. */
    public ExperimentCommand() {
    }

    @Override
    public Integer call() throws IOException {
        ExperimentSettings settings = settings();
        Path folder = out != null ? out : Path.of("out", settings.kind().cliName());
        ExperimentResult result = ExperimentRunner.run(settings, ProgressBars.onStderr(!noProgress && ProgressBar.interactive()));
        List<Path> files = ExperimentReportWriter.write(result, folder);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(ExperimentReportWriter.json(result, false));
        } else {
            stdout.print(table(result));
            for (String finding : result.findings()) {
                stdout.println("- " + finding);
            }
            stdout.printf(Locale.ROOT, "%d files written to %s (report.md, result.json, plots); %.1f s%n",
                    files.size(), folder, result.wallSeconds());
        }
        stdout.flush();
        return 0;
    }

    /** A console table of the methods: name, final and peak MCC, FLOPs and seconds. */
    static String table(ExperimentResult result) {
        MarkdownTable table = new MarkdownTable("method", "final MCC", "± std", "peak MCC", "training FLOPs",
                "inference FLOPs", "seconds / run");
        for (MethodSummary m : result.methods()) {
            table.row(m.method(), MarkdownTable.fixed(m.finalMcc(), 3), MarkdownTable.fixed(m.finalMccStd(), 3),
                    MarkdownTable.fixed(m.peakMcc(), 3), MarkdownTable.sci(m.trainingFlops()),
                    MarkdownTable.sci(m.inferenceFlops()), MarkdownTable.fixed(m.seconds(), 2));
        }
        return table.toString();
    }

    private ExperimentSettings settings() {
        try {
            ExperimentKind kind = ExperimentKind.byName(name);
            int cores = Runtime.getRuntime().availableProcessors();
            ScalingAxes grid = null;
            if (gridN != null || gridM != null || gridK != null) {
                if (kind != ExperimentKind.SCALING) {
                    throw new IllegalArgumentException("--grid-n/--grid-m/--grid-k apply to the scaling experiment only");
                }
                grid = ScalingAxes.orReference(gridN, gridM, gridK);
            }
            return new ExperimentSettings(kind, orDefault(latents, 16), orDefault(measurements, 8),
                    orDefault(active, 3), orDefault(steps, kind.steps()), seed != null ? seed : kind.dataSeed(), runs,
                    orDefault(threads, cores), orDefault(evaluationInterval, kind.evaluationInterval()), dataFile,
                    grid);
        } catch (IllegalArgumentException invalid) {
            throw new ParameterException(spec.commandLine(), invalid.getMessage(), invalid);
        }
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
