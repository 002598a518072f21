package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.sae4j.io.FileDescription;
import org.sae4j.io.FormatException;
import org.sae4j.io.NpyFile;
import org.sae4j.io.NpzFile;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.io.SafetensorsTensor;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeFormatException;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.SaeSource;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j inspect PATH}: loads an SAE folder with full validation and prints its layout, architecture, widths,
 * dtype, normalisation, the stored tensors with shapes and dtypes, and the loader's warnings. A file inside a
 * recognised SAE folder stands for its folder, as in {@link SaeLoader#load}. A {@code .safetensors}, {@code .npy} or
 * {@code .npz} file in any other folder is validated and described on its own instead ({@link FileDescription}):
 * header, metadata, every tensor with its byte ranges, and the unusual layouts it uses.
 *
 * <p>Exit codes: 0 printed; 2 the folder is not a loadable SAE or the file is malformed (one line on stderr starting
 * with {@code sae4j inspect:} and naming the file and the key, tensor or problem); 1 an I/O error.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Validate an SAE folder (SAELens, sparsify, Gemma Scope, Llama Scope) and print what it holds.",
            "A .safetensors, .npy or .npz file outside an SAE folder is validated and described on its own: header, "
                + "metadata, tensors with dtype, shape and byte ranges, and flags for unusual layouts."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH",
            description = "SAE folder, a file inside it, or a single .safetensors, .npy or .npz file")
    private Path path;

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public InspectCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // A missing file with such an extension is described too, so that it is reported as missing.
        if (FileDescription.isDescribable(path) && !Files.isDirectory(path) && !insideSaeFolder()) {
            return describeFile(out, err);
        }
        try (Sae sae = SaeLoader.load(path)) {
            SaeConfig config = sae.config();
            out.println("path:           " + path);
            out.println("source:         " + config.source().name().toLowerCase());
            out.println("architecture:   " + config.architecture().saeLensName());
            out.println("d_in:           " + config.dIn());
            out.println("d_sae:          " + config.dSae());
            out.println("d_out:          " + config.dOut());
            if (config.k() > 0) {
                out.println("k:              " + config.k());
            }
            out.println("dtype:          " + config.dtype() + " (computed in float32)");
            out.println("normalisation:  " + config.normalisation().saeLensName());
            out.println("b_dec on input: " + config.applyBDecToInput());
            out.println("hook:           " + (config.hookName().isEmpty() ? "unknown" : config.hookName()));
            out.println("model:          " + (config.modelName().isEmpty() ? "unknown" : config.modelName()));
            out.println("tensors:");
            printTensors(out, config.source());
            out.println("warnings:       " + (config.warnings().isEmpty() ? "none" : ""));
            for (String warning : config.warnings()) {
                out.println("  - " + warning);
            }
            out.flush();
            return 0;
        } catch (FormatException e) {
            return CommandFailures.report(err, "inspect", e.getMessage(), CommandFailures.BAD_INPUT);
        } catch (IOException e) {
            return CommandFailures.report(err, "inspect", "cannot read " + path + ": " + e.getMessage(),
                    CommandFailures.IO_ERROR);
        }
    }

    /** Whether {@code path} belongs to a folder that {@link SaeLoader} recognises (it may still fail to load). */
    private boolean insideSaeFolder() {
        try {
            SaeLoader.detect(path);
            return true;
        } catch (SaeFormatException notAnSaeFolder) {
            return false;
        }
    }

    private int describeFile(PrintWriter out, PrintWriter err) {
        try {
            FileDescription description = FileDescription.of(path);
            description.lines().forEach(out::println);
            out.flush();
            return 0;
        } catch (FormatException e) {
            return CommandFailures.report(err, "inspect", e.getMessage(), CommandFailures.BAD_INPUT);
        } catch (NoSuchFileException e) {
            return CommandFailures.report(err, "inspect", "no such file: " + path, CommandFailures.BAD_INPUT);
        } catch (IOException e) {
            return CommandFailures.report(err, "inspect", "cannot read " + path + ": " + e.getMessage(),
                    CommandFailures.IO_ERROR);
        }
    }

    private void printTensors(PrintWriter out, SaeSource source) throws IOException {
        Path dir = Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
        try (TensorArena arena = new TensorArena("inspect")) {
            switch (source) {
                case GEMMA_SCOPE -> {
                    NpzFile npz = NpzFile.open(dir.resolve("params.npz"), arena);
                    for (String name : npz.names()) {
                        NpyFile array = npz.array(name);
                        out.println(row(name, array.dtype().name(), array.shapeArray()));
                    }
                }
                case SAELENS, SPARSIFY, LLAMA_SCOPE -> {
                    String file = switch (source) {
                        case SAELENS -> "sae_weights.safetensors";
                        case SPARSIFY -> "sae.safetensors";
                        default -> "checkpoints/final.safetensors";
                    };
                    for (SafetensorsTensor tensor : SafetensorsFile.open(dir.resolve(file), arena).tensors()) {
                        out.println(row(tensor.name(), tensor.dtype().name(), tensor.shapeArray()));
                    }
                }
                case MEMORY -> throw new IllegalStateException("a folder is never an in-memory source");
            }
        }
    }

    private static String row(String name, String dtype, long[] shape) {
        return String.format("  %-24s %-5s %s", name, dtype, Arrays.toString(shape));
    }
}
