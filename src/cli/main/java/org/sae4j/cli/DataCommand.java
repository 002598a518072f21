package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.data.SyntheticDataFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j data}: generates the paper's synthetic data set (paper-spec §3) and writes it as a safetensors file
 * ({@link SyntheticDataFile}), so that sae4j experiments and external peers train on identical arrays.
 *
 * <p>Prints one line: the file, the configuration and the file size. Invalid options exit with code 2.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Generate the paper's synthetic sparse-coding data and write it as safetensors.",
            "Tensors: codes [2B, N], observations [2B, M], dictionary [N, M]; the configuration is in the header."},
        footer = {"", "Example:",
            "  sae4j data --n 16 --m 8 --k 3 --seed 20240625 --samples 1024 --out known-d.safetensors", ""})
public final class DataCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--n", paramLabel = "N", defaultValue = "16",
            description = "Latent sources / dictionary atoms (default ${DEFAULT-VALUE}).")
    private int latents;

    @Option(names = "--m", paramLabel = "M", defaultValue = "8",
            description = "Observed dimension (default ${DEFAULT-VALUE}).")
    private int measurements;

    @Option(names = "--k", paramLabel = "K", defaultValue = "3",
            description = "Non-zero sources per sample (default ${DEFAULT-VALUE}).")
    private int active;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "20240625",
            description = "Data seed (default ${DEFAULT-VALUE}, the known-dictionary experiment's).")
    private long seed;

    @Option(names = "--samples", paramLabel = "B", defaultValue = "1024",
            description = "Rows per split; 2·B rows are written, training half first (default ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0",
            description = "Standard deviation of Gaussian noise added to the observations (default 0, as the paper).")
    private double noise;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "numpy",
            description = "Code generator: numpy (bit-identical to the reference's numpy stream) or native "
                    + "(default ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "Output safetensors file (replaced if it exists).")
    private Path out;

    /** Public constructor for picocli. */
    public DataCommand() {
    }

    @Override
    public Integer call() throws IOException {
        SyntheticConfig config;
        try {
            config = new SyntheticConfig(latents, measurements, active, samples, seed, noise, parseMode());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        SyntheticData data = SyntheticData.generate(config);
        SyntheticDataFile.write(data, out);

        PrintWriter writer = spec.commandLine().getOut();
        writer.println("wrote " + out + ": N=" + config.latents() + " M=" + config.measurements() + " K="
                + config.activePerSample() + ", " + config.samplesPerSplit() + " train + " + config.samplesPerSplit()
                + " test rows, seed " + config.seed() + ", " + modeName(config.mode()) + " codes, noise "
                + config.noiseStd() + ", " + Files.size(out) + " bytes");
        writer.flush();
        return 0;
    }

    private SyntheticConfig.Mode parseMode() {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "numpy" -> SyntheticConfig.Mode.NUMPY_COMPATIBLE;
            case "native" -> SyntheticConfig.Mode.NATIVE;
            default -> throw new IllegalArgumentException("--mode must be numpy or native, got '" + mode + "'");
        };
    }

    private static String modeName(SyntheticConfig.Mode mode) {
        return switch (mode) {
            case NUMPY_COMPATIBLE -> "numpy";
            case NATIVE -> "native";
        };
    }
}
