package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.CsrCodeFile;
import org.sae4j.io.NpyStreamWriter;
import org.sae4j.report.ProgressBar;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeLoader;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j decode}: reconstructions {@code z·W_dec + b_dec} of codes written by {@code sae4j encode} (dense
 * {@code .npy} or CSR {@code .safetensors}), as a [n, d_out] fp32 {@code .npy}. The output is in the SAE's
 * normalised space, the same as {@link Sae#decode}: an SAE that normalises its inputs needs the per-row statistics
 * of the original activations to undo it, and codes do not carry them.
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
        long start = System.nanoTime();
        long rows;
        try (Sae sae = SaeLoader.load(saeDir); TensorArena arena = new TensorArena("decode-input")) {
            if (name.endsWith(".safetensors")) {
                CsrCodeFile codes = CsrCodeFile.open(input);
                if (codes.dSae() != sae.dSae()) {
                    throw new IllegalArgumentException(input + " holds codes over " + codes.dSae()
                            + " latents, the SAE's d_sae is " + sae.dSae());
                }
                rows = codes.rows();
                try (NpyStreamWriter out = NpyStreamWriter.create(output, rows, sae.dOut());
                        ProgressBar bar = progress(rows)) {
                    for (long first = 0; first < rows; first += batch) {
                        int count = (int) Math.min(batch, rows - first);
                        out.append(sae.decode(codes.rows((int) first, count)), count);
                        bar.stepBy(count);
                    }
                }
            } else if (name.endsWith(".npy")) {
                ActivationFile codes = ActivationFile.open(input, null, arena);
                codes.requireCols(sae.dSae(), "the SAE's d_sae");
                rows = codes.rows();
                try (NpyStreamWriter out = NpyStreamWriter.create(output, rows, sae.dOut());
                        ProgressBar bar = progress(rows)) {
                    for (long first = 0; first < rows; first += batch) {
                        int count = (int) Math.min(batch, rows - first);
                        out.append(sae.decodeDense(codes.readRows(first, count)), count);
                        bar.stepBy(count);
                    }
                }
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
            summary.put("seconds", seconds);
            summary.put("space", "normalised");
            summary.put("output", output.toString());
            out.println(EncodeCommand.toJson(summary));
        } else {
            out.printf(Locale.ROOT, "%d rows decoded (normalised space), %.2f s -> %s%n", rows, seconds, output);
        }
        out.flush();
        return 0;
    }

    private ProgressBar progress(long rows) {
        return new ProgressBar("decode", rows, System.err, !noProgress && !json && ProgressBar.interactive());
    }
}
