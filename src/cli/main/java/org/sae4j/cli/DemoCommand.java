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
import org.sae4j.report.ExperimentReportWriter;
import org.sae4j.report.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j demo}: the amortisation gap in one command. Runs the known-dictionary comparison at the paper's
 * settings (N = 16, M = 8, K = 3, 20,000 steps) — SAE, paper-faithful SAE+ITO, MLPs, and FISTA warm-started from the
 * SAE — prints the table and writes the report with plots to {@code out/demo/}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Known-dictionary comparison (SAE, SAE+ITO, MLP, FISTA warm start) at the paper's settings.",
            "Prints a table and writes report.md, result.json and plots to out/demo/."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seeds", paramLabel = "R", defaultValue = "2", description = "Runs per method (default 2).")
    private int runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo", description = "Output folder.")
    private Path out;

    /** Public constructor for picocli. */
    public DemoCommand() {
    }

    @Override
    public Integer call() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        ExperimentSettings settings = ExperimentSettings.defaults(ExperimentKind.KNOWN_D, cores)
                .withBudget(ExperimentKind.KNOWN_D.steps(), ExperimentKind.KNOWN_D.evaluationInterval(), runs);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(headline(settings));
        stdout.flush();
        ExperimentResult result = ExperimentRunner.run(settings, ProgressBars.onStderr(ProgressBar.interactive()));
        List<Path> files = ExperimentReportWriter.write(result, out);
        stdout.print(ExperimentCommand.table(result));
        for (String finding : result.findings()) {
            stdout.println("- " + finding);
        }
        stdout.printf(Locale.ROOT, "%d files written to %s; %.1f s%n", files.size(), out, result.wallSeconds());
        stdout.flush();
        return 0;
    }

    /** The line printed before the demo runs: what is compared, on which data, with how many seeds. */
    static String headline(ExperimentSettings settings) {
        return String.format(Locale.ROOT, "sae4j demo: the amortisation gap with the dictionary known (%s): SAE, "
                + "SAE+ITO, MLP-32 and MLP-256 encoders, then FISTA from zero and from the SAE's codes, on synthetic "
                + "data with N=%d latents, M=%d measurements, K=%d active (data seed %d); %,d training steps, %d "
                + "seeds per method, %d runs at a time", settings.kind().cliName(), settings.latents(),
                settings.measurements(), settings.active(), settings.dataSeed(), settings.steps(), settings.runs(),
                settings.threads());
    }
}
