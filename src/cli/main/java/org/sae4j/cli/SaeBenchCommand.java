package org.sae4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sae4j.kernel.KernelContext;
import org.sae4j.perf.Latency;
import org.sae4j.perf.SaeBenchOptions;
import org.sae4j.perf.SaeBenchResult;
import org.sae4j.perf.SaeBenchmark;
import org.sae4j.perf.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j bench-sae}: end-to-end timings of a seeded standard SAE (default 768 × 24,576): open from a SAELens
 * folder, batch-1 latency percentiles (fp32, bf16, a 64-latent watch-list), batch throughput (standard, top-k, bf16,
 * watch-list) and FISTA steps per second. {@code bench/peers/run-sae-encode.sh} runs it beside PyTorch on the same
 * folder and inputs.
 *
 * <p>Exit codes: 0 done; 2 bad options; 1 an I/O error.
 */
@Command(name = "bench-sae", mixinStandardHelpOptions = true,
        description = "Time a seeded SAE end to end: open, batch-1 latency, batch throughput, watch-list, FISTA.")
public final class SaeBenchCommand implements Callable<Integer> {

    private static final SaeBenchOptions REFERENCE = SaeBenchOptions.reference();

    @Option(names = "--d-in", paramLabel = "N", description = "input width (default ${DEFAULT-VALUE})")
    private int dIn = REFERENCE.dIn();

    @Option(names = "--d-sae", paramLabel = "N", description = "latents (default ${DEFAULT-VALUE})")
    private int dSae = REFERENCE.dSae();

    @Option(names = "--k", paramLabel = "K", description = "k of the top-k model (default ${DEFAULT-VALUE})")
    private int topK = REFERENCE.topK();

    @Option(names = "--batch", paramLabel = "ROWS", description = "throughput batch (default ${DEFAULT-VALUE})")
    private int batch = REFERENCE.batch();

    @Option(names = "--samples", paramLabel = "N", description = "batch-1 calls timed (default ${DEFAULT-VALUE})")
    private int samples = REFERENCE.samples();

    @Option(names = "--repeats", paramLabel = "N", description = "batch calls timed (default ${DEFAULT-VALUE})")
    private int repeats = REFERENCE.repeats();

    @Option(names = "--watch", paramLabel = "N", description = "watch-list size (default ${DEFAULT-VALUE})")
    private int watch = REFERENCE.watchSize();

    @Option(names = "--fista-batch", paramLabel = "ROWS", description = "rows per FISTA solve (default ${DEFAULT-VALUE})")
    private int fistaBatch = REFERENCE.fistaBatch();

    @Option(names = "--fista-steps", paramLabel = "N", description = "FISTA steps per solve (default ${DEFAULT-VALUE})")
    private int fistaSteps = REFERENCE.fistaSteps();

    @Option(names = "--seed", paramLabel = "SEED", description = "weights and inputs seed (default ${DEFAULT-VALUE})")
    private long seed = REFERENCE.seed();

    @Option(names = "--threads", paramLabel = "N", description = "kernel threads (default: all cores)")
    private Integer threads;

    @Option(names = "--work", paramLabel = "DIR",
            description = "folder for the SAE and x.npy (default ${DEFAULT-VALUE})")
    private Path work = Path.of("target", "bench-sae");

    @Option(names = "--json", description = "print one JSON object instead of the table")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public SaeBenchCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SaeBenchOptions options = new SaeBenchOptions(dIn, dSae, topK, batch, samples, repeats, watch, fistaBatch,
                    fistaSteps, seed);
            SaeBenchResult result;
            try (KernelContext context = KernelContext.create("bench-sae",
                    threads != null ? threads : KernelContext.shared().threads())) {
                result = context.call(() -> SaeBenchmark.run(options, work));
            }
            out.println(json ? new ObjectMapper().writeValueAsString(result) : table(result));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("sae4j bench-sae: " + e.getMessage());
            err.flush();
            return 2;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result not serialisable: " + e.getMessage(), e);
        } catch (IOException e) {
            err.println("sae4j bench-sae: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static String table(SaeBenchResult r) {
        StringBuilder text = new StringBuilder();
        SaeBenchOptions o = r.options();
        text.append(String.format(Locale.ROOT, "SAE %d -> %d, %s, %d threads, mean L0 %.1f%n", o.dIn(), o.dSae(),
                r.kernels(), r.threads(), r.meanL0()));
        text.append("open + first encode (ms): ").append(Arrays.toString(r.openMillis())).append('\n');
        latency(text, "batch-1 fp32", r.batch1Fp32());
        latency(text, "batch-1 bf16", r.batch1Bf16());
        latency(text, "batch-1 watch-list " + o.watchSize(), r.batch1Watch());
        throughput(text, "batch standard fp32", r.standard());
        throughput(text, "batch standard bf16", r.standardBf16());
        throughput(text, "batch top-" + o.topK(), r.topK());
        throughput(text, "batch watch-list " + o.watchSize(), r.watch());
        text.append(String.format(Locale.ROOT, "FISTA: %.0f vector-steps/s (%d rows x %d steps)%n",
                r.fistaVectorStepsPerSecond(), o.fistaBatch(), o.fistaSteps()));
        text.append(String.format(Locale.ROOT, "bf16 drift: max rel pre-activation %.2e, active-set Jaccard %.4f, "
                        + "reconstruction %.2e", r.bf16Drift().maxRelativePreActivationError(),
                r.bf16Drift().meanActiveSetJaccard(), r.bf16Drift().relativeReconstructionDifference()));
        return text.toString();
    }

    private static void latency(StringBuilder text, String name, Latency l) {
        text.append(String.format(Locale.ROOT, "%-26s p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs  (%d calls)%n",
                name, l.p50(), l.p99(), l.p999(), l.samples()));
    }

    private static void throughput(StringBuilder text, String name, Throughput t) {
        text.append(String.format(Locale.ROOT, "%-26s %10.0f rows/s  (median %.4f s, best %.4f s per %d rows)%n",
                name, t.rowsPerSecond(), t.medianSeconds(), t.bestSeconds(), t.rows()));
    }
}
