package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.FormatException;
import org.sae4j.io.SafetensorsWriter;

/**
 * Coverage-guided fuzzing of the configuration readers through {@link SaeLoader#load(Path)} with Jazzer. The first
 * input byte picks a folder layout (SAELens, sparsify, Llama Scope) and the rest becomes its configuration file; the
 * weights beside it are fixed and valid for {@code d_in} 16 and {@code d_sae} 64, so configurations that agree with
 * them load all the way. A normal test run replays the inputs in
 * {@code src/test/resources/org/sae4j/sae/SaeFolderCoverageFuzzTestInputs/} (the {@link SaeConfigFuzzTest} bases
 * and every input a fuzzing run found failing); {@code src/test/fuzz.sh} fuzzes it for a bounded time.
 *
 * <p>Only {@link FormatException} (the loader's {@link SaeFormatException} among them) may escape {@code load}, and
 * a model that loads must run a forward pass.
 */
final class SaeFolderCoverageFuzzTest {

    private static final int D_IN = 16;
    private static final int D_SAE = 64;

    /** The folder layouts, indexed by the first input byte modulo their count. */
    private enum Layout {
        SAELENS("cfg.json"),
        SPARSIFY("cfg.json"),
        LLAMA_SCOPE("hyperparams.json");

        final String configName;

        Layout(String configName) {
            this.configName = configName;
        }
    }

    @TempDir
    static Path root;

    @BeforeAll
    static void writeWeights() throws IOException {
        Random random = new Random(0x5AE4_0006L);
        Path saeLens = Files.createDirectories(root.resolve(Layout.SAELENS.name()));
        new SafetensorsWriter()
                .addFloats("W_enc", new long[] {D_IN, D_SAE}, values(random, D_IN * D_SAE))
                .addFloats("b_enc", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, values(random, D_SAE * D_IN))
                .addFloats("b_dec", new long[] {D_IN}, values(random, D_IN))
                .addFloats("threshold", new long[] {D_SAE}, positive(D_SAE))
                .addFloats("b_gate", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("b_mag", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("r_mag", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("W_skip", new long[] {D_IN, D_IN}, values(random, D_IN * D_IN))
                .write(saeLens.resolve("sae_weights.safetensors"));
        // expected_average_only_in configurations then load with this factor instead of being refused
        Files.writeString(saeLens.resolve("activation_scaler.json"), "{\"scaling_factor\": 2.0}");

        Path sparsify = Files.createDirectories(root.resolve(Layout.SPARSIFY.name()));
        new SafetensorsWriter()
                .addFloats("encoder.weight", new long[] {D_SAE, D_IN}, values(random, D_SAE * D_IN))
                .addFloats("encoder.bias", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("W_dec", new long[] {D_SAE, D_IN}, values(random, D_SAE * D_IN))
                .addFloats("b_dec", new long[] {D_IN}, values(random, D_IN))
                .write(sparsify.resolve("sae.safetensors"));

        Path llamaScope = Files.createDirectories(root.resolve(Layout.LLAMA_SCOPE.name()).resolve("checkpoints"));
        new SafetensorsWriter()
                .addFloats("encoder.weight", new long[] {D_SAE, D_IN}, values(random, D_SAE * D_IN))
                .addFloats("encoder.bias", new long[] {D_SAE}, values(random, D_SAE))
                .addFloats("decoder.weight", new long[] {D_IN, D_SAE}, values(random, D_IN * D_SAE))
                .addFloats("decoder.bias", new long[] {D_IN}, values(random, D_IN))
                .write(llamaScope.resolve("final.safetensors"));
    }

    /** Keys and values the readers look for; the JSON parser is not instrumented, so the fuzzer needs them. */
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\"architecture\"", "\"d_in\"", "\"d_sae\"", "\"d_out\"", "\"k\"", "\"dtype\"",
        "\"apply_b_dec_to_input\"", "\"normalize_activations\"", "\"rescale_acts_by_decoder_norm\"",
        "\"reshape_activations\"", "\"sae_lens_version\"", "\"metadata\"", "\"activation_fn\"",
        "\"activation_fn_kwargs\"", "\"activation\"", "\"num_latents\"", "\"expansion_factor\"", "\"transcode\"",
        "\"skip_connection\"", "\"signed\"", "\"d_model\"", "\"act_fn\"", "\"jump_relu_threshold\"",
        "\"dataset_average_activation_norm\"", "\"hook_name\"", "\"topk\"", "\"jumprelu\"", "\"gated\"",
        "\"groupmax\"", "\"layer_norm\"", "\"expected_average_only_in\"", "\"hook_z\"", "\"6.0.0\"", "true",
        "false", "null", "1e400", "-0.0"})
    void shouldOnlyThrowFormatExceptionWhenLoadingAnyConfiguration(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        Layout layout = Layout.values()[Byte.toUnsignedInt(input[0]) % Layout.values().length];
        Path dir = root.resolve(layout.name());
        Files.write(dir.resolve(layout.configName), Arrays.copyOfRange(input, 1, input.length));
        Sae sae;
        try {
            sae = SaeLoader.load(dir);
        } catch (FormatException expected) {
            return;
        }
        try (sae) {
            float[] row = new float[sae.dIn()];
            Arrays.fill(row, 0.5f);
            assertEquals(sae.dOut(), sae.forward(row).length, "forward output width");
        }
    }

    private static float[] values(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (0.1 * random.nextGaussian());
        }
        return values;
    }

    private static float[] positive(int count) {
        float[] values = new float[count];
        Arrays.fill(values, 0.05f);
        return values;
    }
}
