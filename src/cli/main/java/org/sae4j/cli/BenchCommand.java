package org.sae4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j bench gemm|gemv|encode}: a quick in-process timing of one kernel on seeded random data, without JMH.
 *
 * <p>Shapes (C = X·Wᵀ orientation, W stored one row per latent, as the encoder stores it):
 * <ul>
 *   <li>{@code gemm}: {@code C[m×n] = X[m×k]·W[n×k]ᵀ} with {@code Kernels.gemmNT}; default 4096 × 768 × 16384
 *       (M × K × N), 2·M·N·K flops.</li>
 *   <li>{@code encode}: {@code Z = max(X·Wᵀ + b, 0)} with the fused {@code Kernels.encodeRelu}; same shape and flop
 *       count as gemm (the bias and ReLU are not counted).</li>
 *   <li>{@code gemv}: {@code y[m] = W[m×n]·x[n]} with {@code Kernels.gemv} ({@code --bf16}: bf16 weights through
 *       {@code Kernels.gemvBf16}); default 16384 × 768, 2·M·N flops; {@code --k} is ignored.</li>
 * </ul>
 *
 * <p>Numbers from this command are smoke-level: one process, no forks, and whatever else the machine runs; the JMH
 * benchmarks under {@code bench/java} are the ones to quote.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time one kernel in-process on seeded random data (quick check; JMH benchmarks are in bench/).",
            "Prints op, shape, threads, GFLOP/s, median and best time; --json prints one JSON object."},
        footer = {"", "Examples:", "  sae4j bench gemm --threads 2", "  sae4j bench gemv --bf16 --json",
            "  sae4j bench encode --m 256 --repeats 10", ""})
public final class BenchCommand implements Callable<Integer> {

    private static final String[] OPS = {"gemm", "gemv", "encode"};

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OP", description = "Operation: gemm, gemv or encode.")
    private String op;

    @Option(names = "--threads", paramLabel = "T",
            description = "Kernel threads, 1..max (default: the current kernel thread count).")
    private Integer threads;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout.")
    private boolean json;

    @Option(names = "--m", paramLabel = "M",
            description = "Rows: batch for gemm/encode (default 4096), weight rows for gemv (default 16384).")
    private Integer m;

    @Option(names = "--n", paramLabel = "N",
            description = "Columns: latents for gemm/encode (default 16384), input size for gemv (default 768).")
    private Integer n;

    @Option(names = "--k", paramLabel = "K",
            description = "Inner dimension (d_in) for gemm/encode (default 768); ignored by gemv.")
    private Integer k;

    @Option(names = "--repeats", paramLabel = "R",
            description = "Timed calls (default 5 for gemm/encode, 51 for gemv).")
    private Integer repeats;

    @Option(names = "--warmup", paramLabel = "W",
            description = "Untimed calls first (default 2 for gemm/encode, 20 for gemv).")
    private Integer warmup;

    @Option(names = "--bf16", description = "gemv only: bf16 weights (Kernels.gemvBf16).")
    private boolean bf16;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random data seed (default 42).")
    private long seed;

    /** Public constructor for picocli. */
    public BenchCommand() {
    }

    @Override
    public Integer call() throws JsonProcessingException {
        String operation = op.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(OPS).contains(operation)) {
            throw usage("unknown op '" + op + "': expected one of " + String.join(", ", OPS));
        }
        boolean isGemv = operation.equals("gemv");
        if (bf16 && !isGemv) {
            throw usage("--bf16 applies to gemv only");
        }
        int rows = positive("--m", m, isGemv ? 16384 : 4096);
        int cols = positive("--n", n, isGemv ? 768 : 16384);
        int inner = isGemv ? 0 : positive("--k", k, 768);
        int timed = positive("--repeats", repeats, isGemv ? 51 : 5);
        int untimed = nonNegative("--warmup", warmup, isGemv ? 20 : 2);
        int useThreads = threads == null ? KernelContext.shared().threads() : threads;
        if (useThreads < 1 || useThreads > KernelContext.MAX_THREADS) {
            throw usage("--threads must be between 1 and " + KernelContext.MAX_THREADS + ", got " + useThreads);
        }

        BenchResult result;
        try (KernelContext context = KernelContext.create("bench", useThreads);
             TensorArena arena = new TensorArena("bench-" + operation)) {
            result = context.call(() -> {
                BenchRunner runner = isGemv ? gemv(arena, rows, cols) : matrix(arena, operation, rows, cols, inner);
                long[] nanos = BenchRunner.time(runner, untimed, timed);
                String label = isGemv && bf16 ? "gemv-bf16" : operation;
                String shape = isGemv ? rows + "x" + cols : rows + "x" + inner + "x" + cols;
                double flops = isGemv ? 2.0 * rows * cols : 2.0 * rows * cols * inner;
                return BenchResult.of(label, shape, useThreads, flops, nanos, Kernels.describe());
            });
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(result));
        } else {
            out.println(result.toText());
        }
        out.flush();
        return 0;
    }

    private BenchRunner gemv(TensorArena arena, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(seed);
        MemorySegment w = BenchRunner.random(arena.allocateFloats((long) rows * cols), random);
        MemorySegment x = BenchRunner.random(arena.allocateFloats(cols), random);
        MemorySegment y = arena.allocateFloats(rows);
        if (bf16) {
            MemorySegment wBf16 = arena.allocateBf16((long) rows * cols);
            Kernels.narrowToBf16(Math.multiplyExact(rows, cols), w, 0, wBf16, 0);
            return () -> Kernels.gemvBf16(rows, cols, 1f, wBf16, 0, cols, x, 0, 0f, y, 0);
        }
        return () -> Kernels.gemv(rows, cols, 1f, w, 0, cols, x, 0, 0f, y, 0);
    }

    private BenchRunner matrix(TensorArena arena, String operation, int rows, int cols, int inner) {
        SplittableRandom random = new SplittableRandom(seed);
        MemorySegment x = BenchRunner.random(arena.allocateFloats((long) rows * inner), random);
        MemorySegment w = BenchRunner.random(arena.allocateFloats((long) cols * inner), random);
        MemorySegment bias = BenchRunner.random(arena.allocateFloats(cols), random);
        MemorySegment z = arena.allocateFloats((long) rows * cols);
        if (operation.equals("encode")) {
            return () -> Kernels.encodeRelu(rows, cols, inner, x, 0, inner, w, 0, inner, bias, 0, z, 0, cols);
        }
        return () -> Kernels.gemmNT(rows, cols, inner, 1f, x, 0, inner, w, 0, inner, 0f, z, 0, cols);
    }

    private static String toJson(BenchResult result) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("op", result.op());
        node.put("shape", result.shape());
        node.put("threads", result.threads());
        node.put("gflops", result.gflops());
        node.put("median_ms", result.medianMs());
        node.put("best_ms", result.bestMs());
        node.put("repeats", result.repeats());
        node.put("kernels", result.kernels());
        return mapper.writeValueAsString(node);
    }

    private int positive(String name, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw usage(name + " must be positive, got " + v);
        }
        return v;
    }

    private int nonNegative(String name, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 0) {
            throw usage(name + " must not be negative, got " + v);
        }
        return v;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
