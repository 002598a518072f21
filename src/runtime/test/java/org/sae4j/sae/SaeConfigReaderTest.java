package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SAELens (v6 and legacy), sparsify and Llama Scope configuration files: defaults, renames and rejections. */
final class SaeConfigReaderTest {

    private static final String V6 = "\"metadata\": {\"sae_lens_version\": \"6.18.0\", \"hook_name\": \"blocks.8.hook_resid_pre\"}";

    @TempDir
    Path dir;

    private SaeConfig saeLens(String json) throws IOException {
        Path file = dir.resolve("cfg.json");
        Files.writeString(file, json);
        return SaeLensConfigReader.read(file);
    }

    private String saeLensError(String json) {
        return assertThrows(SaeFormatException.class, () -> saeLens(json)).getMessage();
    }

    @Test
    void shouldApplyV6DefaultsWhenOptionalKeysAreAbsent() throws IOException {
        SaeConfig config = saeLens("{\"architecture\": \"standard\", \"d_in\": 768, \"d_sae\": 24576, " + V6 + "}");
        assertEquals(SaeSource.SAELENS, config.source());
        assertEquals(SaeArchitecture.STANDARD, config.architecture());
        assertEquals(768, config.dIn());
        assertEquals(24576, config.dSae());
        assertEquals(768, config.dOut());
        assertEquals("float32", config.dtype());
        assertTrue(config.applyBDecToInput());
        assertEquals(Normalisation.NONE, config.normalisation());
        assertEquals("blocks.8.hook_resid_pre", config.hookName());
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void shouldDefaultTopKToOneHundredAndTranscoderOutputTo768() throws IOException {
        SaeConfig topk = saeLens("{\"architecture\": \"topk\", \"d_in\": 8, \"d_sae\": 16, " + V6 + "}");
        assertEquals(100, topk.k());
        assertFalse(topk.rescaleActsByDecoderNorm());
        SaeConfig transcoder = saeLens("{\"architecture\": \"transcoder\", \"d_in\": 8, \"d_sae\": 16, " + V6 + "}");
        assertEquals(768, transcoder.dOut());
        assertFalse(transcoder.applyBDecToInput());
    }

    @Test
    void shouldReadExplicitV6Values() throws IOException {
        SaeConfig config = saeLens("{\"architecture\": \"topk\", \"d_in\": 768, \"d_sae\": 32768, \"k\": 32, "
                + "\"dtype\": \"torch.bfloat16\", \"apply_b_dec_to_input\": false, \"normalize_activations\": "
                + "\"layer_norm\", \"rescale_acts_by_decoder_norm\": true, \"l1_coefficient\": 5, \"device\": "
                + "\"cuda\", \"jumprelu_bandwidth\": 0.001, \"metadata\": {\"sae_lens_version\": \"6.0.0-rc.0\", "
                + "\"model_name\": \"gpt2\", \"unknown\": [1, 2]}}");
        assertEquals(SaeArchitecture.TOPK, config.architecture());
        assertEquals(32, config.k());
        assertEquals("bfloat16", config.dtype());
        assertFalse(config.applyBDecToInput());
        assertEquals(Normalisation.LAYER_NORM, config.normalisation());
        assertTrue(config.rescaleActsByDecoderNorm());
        assertEquals("gpt2", config.modelName());
    }

    @ParameterizedTest
    @CsvSource({"torch.float32, float32", "float64, float64", "torch.float16, float16", "bfloat16, bfloat16"})
    void shouldAcceptTorchPrefixedDTypes(String spelling, String expected) throws IOException {
        SaeConfig config = saeLens("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, \"dtype\": \""
                + spelling + "\", " + V6 + "}");
        assertEquals(expected, config.dtype());
    }

    @Test
    void shouldApplyLegacyDefaultsWhenVersionIsMissing() throws IOException {
        SaeConfig config = saeLens("{\"d_in\": 768, \"d_sae\": 24576, \"dtype\": \"torch.float32\", "
                + "\"hook_point\": \"blocks.0.hook_resid_pre\", \"activation_fn_str\": \"relu\", "
                + "\"normalize_activations\": false, \"context_size\": 128}");
        assertEquals(SaeArchitecture.STANDARD, config.architecture());
        assertTrue(config.applyBDecToInput());
        assertEquals(Normalisation.NONE, config.normalisation());
        assertEquals("blocks.0.hook_resid_pre", config.hookName());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("legacy")), config.warnings().toString());
    }

    @Test
    void shouldMapLegacyTopKActivationAndBooleanNormalisation() throws IOException {
        SaeConfig config = saeLens("{\"d_in\": 768, \"d_sae\": 32768, \"activation_fn\": \"topk\", "
                + "\"activation_fn_kwargs\": {\"k\": 32}, \"normalize_activations\": true, "
                + "\"sae_lens_version\": \"3.12.0\"}");
        assertEquals(SaeArchitecture.TOPK, config.architecture());
        assertEquals(32, config.k());
        assertEquals(Normalisation.EXPECTED_AVERAGE_ONLY_IN, config.normalisation());
    }

    @Test
    void shouldDefaultReshapeToHookZForLegacyHookZNames() throws IOException {
        SaeConfig config = saeLens("{\"d_in\": 768, \"d_sae\": 24576, \"hook_name\": \"blocks.5.attn.hook_z\"}");
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("hook_z")), config.warnings().toString());
    }

    @Test
    void shouldNameTheKeyWhenARequiredFieldIsMissingOrInvalid() {
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_sae\": 8, " + V6 + "}")
                .endsWith("key 'd_in' is missing"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": -8, " + V6 + "}")
                .endsWith("key 'd_sae' must be >= 1, got -8"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": \"4\", \"d_sae\": 8, " + V6 + "}")
                .endsWith("key 'd_in' must be an integer, got \"4\""));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4.5, \"d_sae\": 8, " + V6 + "}")
                .endsWith("key 'd_in' must be an integer, got 4.5"));
        assertTrue(saeLensError("{\"d_in\": 4, \"d_sae\": 8, " + V6 + "}").endsWith("key 'architecture' is missing"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, \"apply_b_dec_to_input\":"
                + " \"yes\", " + V6 + "}").contains("key 'apply_b_dec_to_input' must be true or false"));
        assertTrue(saeLensError("{\"d_in\": 4, \"d_sae\": 8, \"activation_fn\": \"topk\"}")
                .endsWith("key 'activation_fn_kwargs.k' is missing"));
    }

    @Test
    void shouldRejectUnsupportedValuesNamingThem() {
        assertTrue(saeLensError("{\"architecture\": \"matching_pursuit\", \"d_in\": 4, \"d_sae\": 8, " + V6 + "}")
                .contains("key 'architecture' value 'matching_pursuit' is not supported"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, \"dtype\": "
                + "\"torch.int8\", " + V6 + "}").contains("key 'dtype' value 'torch.int8'"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, "
                + "\"normalize_activations\": \"constant_scalar_rescale\", " + V6 + "}")
                .contains("key 'normalize_activations' value 'constant_scalar_rescale' is not supported"));
        assertTrue(saeLensError("{\"d_in\": 4, \"d_sae\": 8, \"activation_fn_str\": \"tanh-relu\"}")
                .contains("key 'activation_fn_str' value 'tanh-relu' is not supported"));
        assertTrue(saeLensError("{\"architecture\": \"transcoder\", \"d_in\": 4, \"d_sae\": 8, \"d_out\": 4, "
                + "\"apply_b_dec_to_input\": true, " + V6 + "}").contains("must not subtract b_dec"));
        assertTrue(saeLensError("{\"architecture\": \"standard\", \"d_in\": 4, \"d_sae\": 8, \"metadata\": "
                + "{\"sae_lens_version\": \"six\"}}").contains("key 'metadata.sae_lens_version' is not a version number: 'six'"));
    }

    @Test
    void shouldRejectMalformedJson() {
        assertTrue(saeLensError("{\"d_in\": 4, \"d_in\": 5}").contains("not valid JSON"));
        assertTrue(saeLensError("[1, 2]").endsWith("not a JSON object"));
        assertTrue(saeLensError("{\"d_in\": 4,").contains("not valid JSON"));
        assertTrue(saeLensError("{} {}").contains("not valid JSON"));
    }

    @Test
    void shouldApplySparsifyDefaults() throws IOException {
        Path file = dir.resolve("cfg.json");
        Files.writeString(file, "{\"d_in\": 512, \"expansion_factor\": 64, \"normalize_decoder\": true, "
                + "\"multi_topk\": false}");
        SaeConfig config = SparsifyConfigReader.read(file, "layers.3", 512, "bfloat16");
        assertEquals(SaeSource.SPARSIFY, config.source());
        assertEquals(SaeArchitecture.TOPK, config.architecture());
        assertEquals(32, config.k());
        assertEquals(512 * 64, config.dSae());
        assertTrue(config.applyBDecToInput());
        assertEquals("layers.3", config.hookName());

        Files.writeString(file, "{\"d_in\": 512, \"num_latents\": 1000, \"k\": 8, \"transcode\": true}");
        SaeConfig transcoder = SparsifyConfigReader.read(file, "layers.3", 300, "float32");
        assertEquals(1000, transcoder.dSae());
        assertEquals(300, transcoder.dOut());
        assertFalse(transcoder.applyBDecToInput());

        Files.writeString(file, "{\"d_in\": 512, \"activation\": \"groupmax\", \"skip_connection\": true}");
        SparsifyConfigReader.Parsed groupmax = SparsifyConfigReader.parse(file, "x", 512, "float32");
        assertEquals(SaeArchitecture.GROUPMAX, groupmax.config().architecture());
        assertEquals(32, groupmax.config().k(), "sparsify's default k");
        assertTrue(groupmax.skipConnection());
        Files.writeString(file, "{\"d_in\": 512, \"activation\": \"groupmax\", \"k\": 3}");
        assertTrue(assertThrows(SaeFormatException.class, () -> SparsifyConfigReader.read(file, "x", 512, "float32"))
                .getMessage().endsWith("k 3 must divide d_sae 16384"));
    }

    @Test
    void shouldDeriveLlamaScopeThresholdAndScalingFactor() throws IOException {
        Path file = dir.resolve("hyperparams.json");
        Files.writeString(file, "{\"d_model\": 16, \"d_sae\": 32, \"hook_point_in\": \"blocks.3.hook_resid_post\", "
                + "\"jump_relu_threshold\": 0.5, \"dataset_average_activation_norm\": {\"in\": 8.0, \"out\": 9.0}, "
                + "\"act_fn\": \"jumprelu\", \"norm_activation\": \"dataset-wise\"}");
        LlamaScopeConfigReader.Hyperparams hyperparams = LlamaScopeConfigReader.read(file);
        assertEquals(0.5, hyperparams.scalingFactor());
        assertEquals(0.25, hyperparams.threshold());
        assertEquals(SaeArchitecture.JUMPRELU, hyperparams.config().architecture());
        assertFalse(hyperparams.config().applyBDecToInput());
        assertEquals("blocks.3.hook_resid_post", hyperparams.config().hookName());

        Files.writeString(file, "{\"d_model\": 16, \"d_sae\": 32, \"jump_relu_threshold\": 0.5}");
        assertTrue(assertThrows(SaeFormatException.class, () -> LlamaScopeConfigReader.read(file)).getMessage()
                .endsWith("key 'dataset_average_activation_norm.in' is missing"));
    }
}
