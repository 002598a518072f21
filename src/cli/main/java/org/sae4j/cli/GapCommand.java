package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.kernel.KernelContext;
import org.sae4j.report.GapReportWriter;
import org.sae4j.report.ProgressBar;
import org.sae4j.sae.Sae;
import org.sae4j.sae.refine.GapAnalysis;
import org.sae4j.sae.refine.GapOptions;
import org.sae4j.sae.refine.GapReport;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j gap --sae DIR --input ACTS.npy}: the amortisation-gap report of one SAE on real activations. Per FISTA
 * budget (0, 1, 2, 5, 10, 25, 50, 100 steps by default) it prints FVU, MSE, L0, objective and microseconds per
 * vector, then matching pursuit and OMP at the encoder's L0; writes {@code gap.json}, plots and {@code gap.md}.
 *
 * <p>A NaN or an infinity among the rows read fails the command (exit 2, no report written) unless
 * {@code --non-finite skip} leaves those rows out or {@code --non-finite zero} replaces them with zeros; the report
 * ({@code skippedRows}, {@code zeroedRows} in {@code gap.json}) and the printed summary then say how many.
 *
 * <p>Exit codes: 0 done; 2 bad input (one line on stderr starting with {@code sae4j gap:}); 1 an I/O error.
 */
@Command(name = "gap", mixinStandardHelpOptions = true,
        description = "How much reconstruction error an SAE's encoder leaves that FISTA on its own decoder removes.")
public final class GapCommand implements Callable<Integer> {

    /** The refiner's batches index rows with ints, and one report over more rows says nothing new. */
    private static final int MAX_ROWS = 1 << 24;




    @Option(names = "--rows", paramLabel = "N", description = "evaluate only the first N rows (default: all)")
    private int rows;

    @Option(names = "--budgets", split = ",", paramLabel = "STEPS",
            description = "FISTA step budgets (default: 0,1,2,5,10,25,50,100)")
    private int[] budgets = GapOptions.DEFAULT_BUDGETS;

    @Option(names = "--lambda", paramLabel = "λ",
            description = "FISTA's L1 weight (default: matched to the encoder's L0 at the largest budget)")
    private Float lambda;

    @Option(names = "--batch", paramLabel = "ROWS", description = "rows per solve (default: ${DEFAULT-VALUE})")
    private int batch = 256;

    @Option(names = "--no-pursuits", description = "skip matching pursuit and OMP")
    private boolean noPursuits;

    @Option(names = "--threads", paramLabel = "N", description = "kernel threads (default: all cores)")
    private Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default: ${DEFAULT-VALUE})")
    private Path out = Path.of("out", "gap");

    @Option(names = "--json", description = "print the report as one JSON object on stdout instead of the table")
    private boolean json;

    @Option(names = "--no-progress", description = "no progress bar")
    private boolean noProgress;

    @Spec
    private CommandSpec spec;

    @Mixin
    private SaeInputOptions source;

    @Mixin
    private NonFiniteOption nonFinite;

    /** Public constructor for picocli. */
    public GapCommand() {
    }

    @Override
    public Integer call() {
        return CommandFailures.run(spec, "gap", this::run);
    }

    private int run() throws IOException {
        try (KernelContext context = KernelContext.create("gap",
                threads != null ? threads : KernelContext.shared().threads())) {
            return context.call(this::analyse);
        }
    }

    private int analyse() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        try (Sae sae = source.loadSae(); TensorArena arena = new TensorArena("gap-input")) {
            ActivationFile activations = source.openInput(arena, sae.dIn());
            long available = rows > 0 ? Math.min(rows, activations.rows()) : activations.rows();
            if (available > MAX_ROWS) {
                throw new IllegalArgumentException(source.input + " has " + activations.rows() + " rows; evaluate at most "
                        + MAX_ROWS + " with --rows");
            }
            MemorySegment x = arena.allocateFloats(available * sae.dIn());
            long affected = load(activations, (int) available, x, nonFinite.policy());
            int used = (int) (nonFinite.policy() == NonFinitePolicy.SKIP_ROWS ? available - affected : available);
            if (used == 0 && available > 0) {
                throw new IllegalArgumentException(activations.source() + ": every one of the " + available
                        + " rows read holds a NaN or an infinity; nothing is left to analyse");
            }
            GapOptions options = new GapOptions(budgets, lambda == null ? Float.NaN : lambda,
                    Math.max(1, Math.min(batch, used)), Math.min(128, Math.max(1, Math.min(batch, used))),
                    !noPursuits);
            GapReport report;
            try (ProgressBar bar = new ProgressBar("gap", GapAnalysis.work(used, options), System.err,
                    !noProgress && ProgressBar.interactive())) {
                report = GapAnalysis.run(sae, x, used, options, bar::stepBy);
            }
            report = nonFinite.policy() == NonFinitePolicy.SKIP_ROWS ? report.withNonFiniteRows(affected, 0)
                    : report.withNonFiniteRows(0, affected);
            GapReportWriter.write(report, out);
            if (json) {
                stdout.println(GapReportWriter.json(report, false));
            } else {
                stdout.println(GapReportWriter.headline(report));
                if (nonFinite.policy() != NonFinitePolicy.REFUSE) {
                    stdout.println(nonFinite.describe(affected) + ".");
                }
                stdout.println();
                stdout.print(GapReportWriter.table(report));
                stdout.println("report: " + out.resolve("gap.md"));
            }
            stdout.flush();
            return 0;
        }
    }

    /**
     * Copies the first {@code rows} rows into x, widened to fp32 a slab at a time, with {@code policy} applied to each
     * slab (skipped rows leave no gap); returns the rows skipped or zeroed.
     */
    private static long load(ActivationFile activations, int rows, MemorySegment x, NonFinitePolicy policy) {
        int dIn = activations.cols();
        int slab = Math.max(1, (1 << 20) / dIn);
        long affected = 0;
        long written = 0;
        for (int start = 0; start < rows; start += slab) {
            int count = Math.min(slab, rows - start);
            // the rows land straight in x, after the ones kept so far, and the policy works on them there
            MemorySegment block = activations.copyRows(start, count,
                    x.asSlice(written * dIn * Float.BYTES, (long) count * dIn * Float.BYTES));
            int changed = policy.apply(block, count, dIn, activations.source(), start);
            affected += changed;
            written += policy == NonFinitePolicy.SKIP_ROWS ? count - changed : count;
        }
        return affected;
    }
}
