package org.sae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.sae4j.io.ActivationFile;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeLoader;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine.Option;

/** The options of commands that run an SAE over a file of activations: {@code --sae}, {@code --input}, {@code --tensor}. */
final class SaeInputOptions {

    @Option(names = "--sae", required = true, paramLabel = "DIR", description = "SAE folder (any supported format).")
    Path sae;

    @Option(names = "--input", required = true, paramLabel = "X",
            description = "Activations [n, d_in]: .npy, or one tensor of a .safetensors file.")
    Path input;

    @Option(names = "--tensor", paramLabel = "NAME", description = "Tensor of a .safetensors input with several.")
    String tensor;

    /** Loads the SAE. */
    Sae loadSae() throws IOException {
        return SaeLoader.load(sae);
    }

    /**
     * Maps the activations into {@code arena} and checks their width against the SAE's.
     *
     * @throws IllegalArgumentException if the rows are not {@code dIn} wide
     */
    ActivationFile openInput(TensorArena arena, int dIn) throws IOException {
        ActivationFile activations = ActivationFile.open(input, tensor, arena);
        activations.requireCols(dIn, "the SAE's d_in");
        return activations;
    }
}
