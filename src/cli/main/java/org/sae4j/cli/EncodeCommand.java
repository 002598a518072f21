package org.sae4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.CsrCodeWriter;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.io.NpyStreamWriter;
import org.sae4j.report.ProgressBar;
import org.sae4j.sae.Sae;
import org.sae4j.sae.eval.BatchEncoder;
import org.sae4j.sae.eval.EncodingMethod;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j encode}: codes of an activation matrix, written dense ({@code .npy}, [n, d_sae] fp32) or sparse (CSR
 * safetensors: {@code row_pointers} I64, {@code indices} I32, {@code values} F32, metadata {@code format = csr} and
 * {@code d_sae}), in the SAE's normalised space as {@link Sae#encodeSparse(float[])} gives them.
 *
 * <p>Exit codes: 0 written; 2 bad input (one line on stderr starting with {@code sae4j encode:}); 1 an I/O error.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode activations with an SAE and write the codes.",
            "Dense codes go to .npy [n, d_sae]; sparse codes to CSR .safetensors (row_pointers, indices, values)."},
        footer = {"", "Example:", "  sae4j encode --sae gpt2-res/blocks.8 --input x.npy --output z.safetensors --sparse",
            ""})
public final class EncodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private SaeInputOptions source;

    @Mixin
    private NonFiniteOption nonFinite;




    @Option(names = "--output", required = true, paramLabel = "Z", description = "Codes: .npy (dense) or "
            + ".safetensors (sparse).")
    private Path output;

    @ArgGroup(exclusive = true)
    private Layout layout;

    @Option(names = "--batch", defaultValue = "1024", paramLabel = "ROWS", description = "Rows per batch (default "
            + "1024).")
    private int batch;

    @Option(names = "--method", defaultValue = "amortised", paramLabel = "METHOD",
            description = "How codes are inferred: amortised (the SAE's encoder; default), fista (encoder codes "
                    + "refined by FISTA on the decoder), mp or omp (matching pursuit from zero).")
    private String method;

    @Option(names = "--steps", paramLabel = "N",
            description = "FISTA iterations (default 25) or the pursuits' target L0 (default: the encoder's L0).")
    private Integer steps;

    @Option(names = "--lambda", paramLabel = "λ",
            description = "FISTA's L1 weight (default: matched to the encoder's L0 on the first batch).")
    private Float lambda;

    @Option(names = "--json", description = "Print one JSON summary object (rows, nnz, mean L0, seconds).")
    private boolean json;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    private boolean noProgress;

    /** Dense or sparse output; by default from the output's extension. */
    static final class Layout {
        @Option(names = "--dense", description = "Dense [n, d_sae] .npy (default for .npy outputs).")
        boolean dense;

        @Option(names = "--sparse", description = "CSR .safetensors (default for .safetensors outputs).")
        boolean sparse;
    }

    /** Public constructor for picocli. */
    public EncodeCommand() {
    }

    @Override
    public Integer call() {
        return CommandFailures.run(spec, "encode", this::run);
    }

    private int run() throws IOException {
        if (batch <= 0) {
            throw new IllegalArgumentException("--batch must be positive, got " + batch);
        }
        if (steps != null && steps <= 0) {
            throw new IllegalArgumentException("--steps must be positive, got " + steps);
        }
        EncodingMethod encoding = EncodingMethod.byName(method);
        boolean sparse = sparseOutput();
        long start = System.nanoTime();
        long nnz = 0;
        long rows;
        long encoded = 0;
        long affected;
        boolean outputStarted = false;
        NonFinitePolicy policy = nonFinite.policy();
        try (Sae sae = source.loadSae(); TensorArena arena = new TensorArena("encode-run")) {
            ActivationFile x = source.openInput(arena, sae.dIn());
            rows = x.rows();
            // before any output exists: refuse names the file's row, skip knows the row count the header needs
            affected = policy.check(x);
            long kept = policy == NonFinitePolicy.SKIP_ROWS ? rows - affected : rows;
            int maxBatch = (int) Math.min(batch, Math.max(rows, 1));
            // One set of buffers for the whole run: F32 inputs are read in place from the mapping, codes leave
            // from the encoder's buffers (CSR) or from one dense block straight to the file.
            MemorySegment scratch = arena.allocateFloats((long) maxBatch * sae.dIn());
            MemorySegment dense = sparse ? null : arena.allocateFloats((long) maxBatch * sae.dSae());
            CsrCodeWriter codes = sparse ? new CsrCodeWriter(sae.dSae()) : null;
            outputStarted = !sparse;
            try (BatchEncoder encoder = encoding.open(sae, maxBatch, steps == null ? 0 : steps,
                    lambda == null ? Float.NaN : lambda);
                    NpyStreamWriter denseOut = sparse ? null : NpyStreamWriter.create(output, kept, sae.dSae());
                    ProgressBar bar = new ProgressBar("encode", rows, System.err,
                            !noProgress && !json && ProgressBar.interactive())) {
                for (long first = 0; first < rows; first += batch) {
                    int count = (int) Math.min(batch, rows - first);
                    int used = count;
                    MemorySegment block;
                    if (affected == 0) {
                        block = x.rows(first, count, scratch).segment();  // packed from element 0
                    } else {
                        // the policy changes rows in place: never in the read-only mapping
                        block = x.copyRows(first, count, scratch);
                        int hit = policy.apply(block, count, sae.dIn(), x.source(), first);
                        used = policy == NonFinitePolicy.SKIP_ROWS ? count - hit : count;
                    }
                    if (used > 0 && sparse) {
                        SparseCode blockCodes = encoder.encode(DenseMatrix.f32(block, used, sae.dIn()));
                        nnz += blockCodes.nnz();
                        codes.append(blockCodes);
                    } else if (used > 0) {
                        nnz += encoder.encodeDense(DenseMatrix.f32(block, used, sae.dIn()),
                                DenseMatrix.f32(dense, used, sae.dSae()));
                        denseOut.append(dense, used);
                    }
                    encoded += used;
                    bar.stepBy(count);
                }
            }
            if (sparse) {
                outputStarted = true;
                codes.write(output);
            }
        } catch (IOException | RuntimeException e) {
            if (outputStarted) {
                // nothing half-written is left behind under the output's name
                Files.deleteIfExists(output);
            }
            throw e;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        double meanL0 = encoded == 0 ? 0 : (double) nnz / encoded;
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("rows", encoded);
            nonFinite.addTo(summary, affected);
            summary.put("nnz", nnz);
            summary.put("mean_l0", meanL0);
            summary.put("seconds", seconds);
            summary.put("layout", sparse ? "csr" : "dense");
            summary.put("method", encoding.cliName());
            summary.put("output", output.toString());
            out.println(toJson(summary));
        } else {
            String nonFiniteRows = nonFinite.describe(affected);
            out.printf(Locale.ROOT, "%d rows encoded (%s, %s)%s, nnz %d, mean L0 %.3f, %.2f s -> %s%n", encoded,
                    encoding.cliName(), sparse ? "csr" : "dense", nonFiniteRows.isEmpty() ? "" : ", " + nonFiniteRows,
                    nnz, meanL0, seconds, output);
        }
        out.flush();
        return 0;
    }

    private boolean sparseOutput() {
        String name = String.valueOf(output.getFileName());
        boolean npy = name.endsWith(".npy");
        boolean safetensors = name.endsWith(".safetensors");
        if (!npy && !safetensors) {
            throw new IllegalArgumentException("--output must end in .npy (dense) or .safetensors (sparse): "
                    + output);
        }
        boolean sparse = layout != null ? layout.sparse : safetensors;
        if (sparse && npy) {
            throw new IllegalArgumentException("--sparse writes CSR safetensors; .npy holds dense codes only: "
                    + output);
        }
        if (!sparse && safetensors) {
            throw new IllegalArgumentException("--dense writes a .npy matrix; use a .npy output or --sparse: "
                    + output);
        }
        return sparse;
    }

    static String toJson(Map<String, Object> map) {
        try {
            return new ObjectMapper().writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers and strings always serialises", e);
        }
    }
}
