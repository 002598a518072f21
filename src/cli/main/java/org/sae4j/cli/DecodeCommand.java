package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.CsrCodeFile;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.io.NonFiniteScan;
import org.sae4j.io.NpyStreamWriter;
import org.sae4j.report.ProgressBar;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeLoader;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j decode}: reconstructions {@code z·W_dec + b_dec} of codes written by {@code sae4j encode} (dense
 * {@code .npy} or CSR {@code .safetensors}), as a [n, d_out] fp32 {@code .npy}. The output is in the SAE's
 * normalised space, the same as {@link Sae#decode}: an SAE that normalises its inputs needs the per-row statistics
 * of the original activations to undo it, and codes do not carry them.
 *
 * <p>A NaN or an infinity among the codes fails the command (exit 2) before the output is created, unless
 * {@code --non-finite skip} leaves those rows out of the output or {@code --non-finite zero} decodes them as zero
 * codes (giving b_dec); the summary then says how many. A decode that fails while writing deletes its partial output.
 *
 * <p>Exit codes: 0 written; 2 bad input (one line on stderr starting with {@code sae4j decode:}); 1 an I/O error.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decode codes (dense .npy or CSR .safetensors from `sae4j encode`) to a .npy matrix.",
            "The output is in the SAE's normalised space (as Sae.decode)."})
public final class DecodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--sae", required = true, paramLabel = "DIR", description = "SAE folder.")
    private Path saeDir;

    @Option(names = "--input", required = true, paramLabel = "Z", description = "Codes: dense .npy [n, d_sae] or "
            + "CSR .safetensors.")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "XHAT", description = "Reconstructions .npy "
            + "[n, d_out].")
    private Path output;

    @Option(names = "--batch", defaultValue = "1024", paramLabel = "ROWS", description = "Rows per batch (default "
            + "1024).")
    private int batch;

    @Option(names = "--json", description = "Print one JSON summary object (rows, seconds).")
    private boolean json;

    @Mixin
    private NonFiniteOption nonFinite;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    private boolean noProgress;

    /** Public constructor for picocli. */
    public DecodeCommand() {
    }

    @Override
    public Integer call() {
        return CommandFailures.run(spec, "decode", this::run);
    }

    private int run() throws IOException {
        if (batch <= 0) {
            throw new IllegalArgumentException("--batch must be positive, got " + batch);
        }
        if (!String.valueOf(output.getFileName()).endsWith(".npy")) {
            throw new IllegalArgumentException("--output must be a .npy file: " + output);
        }
        String name = String.valueOf(input.getFileName());
        NonFinitePolicy policy = nonFinite.policy();
        long start = System.nanoTime();
        long rows;
        long affected;
        try (Sae sae = SaeLoader.load(saeDir); TensorArena arena = new TensorArena("decode-input")) {
            if (name.endsWith(".safetensors")) {
                CsrCodeFile codes = CsrCodeFile.open(input, policy);
                if (codes.dSae() != sae.dSae()) {
                    throw new IllegalArgumentException(input + " holds codes over " + codes.dSae()
                            + " latents, the SAE's d_sae is " + sae.dSae());
                }
                affected = check(codes, policy);
                rows = policy == NonFinitePolicy.SKIP_ROWS ? codes.rows() - affected : codes.rows();
                write(rows, sae.dOut(), codes.rows(), (out, bar) -> {
                    for (long first = 0; first < codes.rows(); first += batch) {
                        int count = (int) Math.min(batch, codes.rows() - first);
                        SparseCode block = apply(codes.rows((int) first, count), policy);
                        if (block.rows() > 0) {
                            out.append(sae.decode(block), block.rows());
                        }
                        bar.stepBy(count);
                    }
                });
            } else if (name.endsWith(".npy")) {
                ActivationFile codes = ActivationFile.open(input, null, arena);
                codes.requireCols(sae.dSae(), "the SAE's d_sae");
                // read once before the output exists: a refused input leaves no file, and a skipping one the count
                // the .npy header states
                affected = policy.check(codes);
                rows = policy == NonFinitePolicy.SKIP_ROWS ? codes.rows() - affected : codes.rows();
                int dSae = sae.dSae();
                write(rows, sae.dOut(), codes.rows(), (out, bar) -> {
                    for (long first = 0; first < codes.rows(); first += batch) {
                        int count = (int) Math.min(batch, codes.rows() - first);
                        float[] block = codes.readRows(first, count);
                        int changed = policy.apply(block, count, dSae, codes.source(), first);
                        int kept = policy == NonFinitePolicy.SKIP_ROWS ? count - changed : count;
                        if (kept > 0) {
                            float[] z = kept == count ? block : Arrays.copyOf(block, kept * dSae);
                            out.append(sae.decodeDense(z), kept);
                        }
                        bar.stepBy(count);
                    }
                });
            } else {
                throw new IllegalArgumentException("--input must be a dense .npy or a CSR .safetensors file: "
                        + input);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("rows", rows);
            nonFinite.addTo(summary, affected);
            summary.put("seconds", seconds);
            summary.put("space", "normalised");
            summary.put("output", output.toString());
            out.println(EncodeCommand.toJson(summary));
        } else {
            String note = nonFinite.describe(affected);
            out.printf(Locale.ROOT, "%d rows decoded (normalised space)%s, %.2f s -> %s%n", rows,
                    note.isEmpty() ? "" : ", " + note, seconds, output);
        }
        out.flush();
        return 0;
    }

    /** Writes the rows of one decode. */
    private interface Body {
        void write(NpyStreamWriter out, ProgressBar bar) throws IOException;
    }

    /**
     * Runs {@code body} on a new [rows, cols] output; if it fails, the partial file is deleted, so that a failed
     * decode leaves no output behind.
     */
    private void write(long rows, int cols, long inputRows, Body body) throws IOException {
        NpyStreamWriter writer = NpyStreamWriter.create(output, rows, cols);
        try (writer; ProgressBar bar = progress(inputRows)) {
            body.write(writer, bar);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(output);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * The number of rows of {@code codes} holding a non-finite value, counted before the output exists; 0 for
     * {@code refuse}, whose {@link CsrCodeFile#open(Path, NonFinitePolicy)} has already refused any.
     */
    private long check(CsrCodeFile codes, NonFinitePolicy policy) {
        if (policy == NonFinitePolicy.REFUSE) {
            return 0;
        }
        long affected = 0;
        for (long first = 0; first < codes.rows(); first += batch) {
            int count = (int) Math.min(batch, codes.rows() - first);
            SparseCode block = codes.rows((int) first, count);
            for (int r = 0; r < count; r++) {
                if (NonFiniteScan.firstEntry(block, r) >= 0) {
                    affected++;
                }
            }
        }
        return affected;
    }

    /** {@code block} with its rows holding a non-finite value left out ({@code skip}) or zeroed ({@code zero}). */
    private static SparseCode apply(SparseCode block, NonFinitePolicy policy) {
        if (policy == NonFinitePolicy.REFUSE || NonFiniteScan.firstRow(block) < 0) {
            return block;
        }
        float[] values = block.values();
        if (policy == NonFinitePolicy.ZERO_ROWS) {
            for (int r = 0; r < block.rows(); r++) {
                if (NonFiniteScan.firstEntry(block, r) >= 0) {
                    Arrays.fill(values, block.rowStart(r), block.rowStart(r + 1), 0f);
                }
            }
            return block;
        }
        int[] indices = block.indices();
        int[] pointers = new int[block.rows() + 1];
        int[] keptIndices = new int[block.nnz()];
        float[] keptValues = new float[block.nnz()];
        int keptRows = 0;
        int entries = 0;
        for (int r = 0; r < block.rows(); r++) {
            if (NonFiniteScan.firstEntry(block, r) >= 0) {
                continue;
            }
            int from = block.rowStart(r);
            int length = block.rowStart(r + 1) - from;
            System.arraycopy(indices, from, keptIndices, entries, length);
            System.arraycopy(values, from, keptValues, entries, length);
            entries += length;
            pointers[++keptRows] = entries;
        }
        return SparseCode.ofCsr(block.cols(), Arrays.copyOf(pointers, keptRows + 1), keptIndices, keptValues);
    }

    private ProgressBar progress(long rows) {
        return new ProgressBar("decode", rows, System.err, !noProgress && !json && ProgressBar.interactive());
    }
}
