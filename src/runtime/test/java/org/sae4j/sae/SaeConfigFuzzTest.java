package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded mutation fuzzing of the configuration readers (SAELens v6 and legacy, sparsify, Llama Scope): every mutant
 * of a valid configuration either reads into a consistent config or throws {@link SaeFormatException}; any other
 * outcome fails naming the reader, seed and mutation. Mutations are structural (keys deleted or added, values
 * replaced by other JSON types, extreme numbers, unknown names, deep nesting) with byte-level damage on top of some.
 */
final class SaeConfigFuzzTest {

    private static final long SEED = 0x5AE4_0004L;
    private static final int MUTANTS = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Keys any of the readers looks up, so added keys often land where they are read. */
    private static final String[] KEYS = {"architecture", "d_in", "d_sae", "d_out", "k", "dtype",
        "apply_b_dec_to_input", "normalize_activations", "rescale_acts_by_decoder_norm", "hook_name", "hook_point",
        "model_name", "reshape_activations", "sae_lens_version", "metadata", "activation_fn", "activation_fn_str",
        "activation_fn_kwargs", "activation", "skip_connection", "signed", "num_latents", "expansion_factor",
        "transcode", "d_model", "act_fn", "jump_relu_threshold", "dataset_average_activation_norm", "in",
        "hook_point_in", "sae4j_folds"};

    /** Text kept verbatim: numbers beyond int, long and double range, NaN spellings and nesting near the limit. */
    private static final String[] RAW_VALUES = {"0", "-1", "1", "2147483647", "2147483648", "-2147483649",
        "9223372036854775808", "99999999999999999999999999999999", "1e400", "-1e400", "1e308", "4.9e-324", "1e-320",
        "-0.0", "0.5", "1.0", "2.0e0", "16384.000000001", "1E+9", "\"NaN\"", "\"Infinity\"", "true", "false",
        "null", "[]", "{}", "[1, \"a\", null]", "{\"k\": 1}", "{\"in\": 0}", "\"\"", "\"torch.float8\"",
        "\"TOPK\"", "\"topk\"", "\"standard\"", "\"jumprelu\"", "\"gated\"", "\"transcoder\"",
        "\"jumprelu_transcoder\"", "\"matryoshka\"", "\"relu\"", "\"layer_norm\"", "\"constant_norm_rescale\"",
        "\"expected_average_only_in\"", "\"hook_z\"", "\"6\"", "\"v6.0.0\"", "\"5.9\"", "\"99999999999.0\"",
        "\"6.\"", "\".6\"", "\"-6\"", "\"bfloat16\"", "\"torch.\"", "\"float64\"", "\"\\u0000\"",
        "\"blocks.3.attn.hook_z\""};

    /** Reader families: each reads one base configuration from a file and checks what it accepted. */
    enum Family {
        SAELENS("cfg.json",
                "{\"architecture\": \"standard\", \"d_in\": 16, \"d_sae\": 64, \"dtype\": \"torch.float32\", "
                        + "\"normalize_activations\": \"none\", \"metadata\": {\"sae_lens_version\": \"6.18.0\", "
                        + "\"hook_name\": \"blocks.8.hook_resid_pre\", \"model_name\": \"gpt2\"}}",
                "{\"architecture\": \"topk\", \"d_in\": 16, \"d_sae\": 64, \"k\": 8, \"dtype\": \"bfloat16\", "
                        + "\"apply_b_dec_to_input\": false, \"normalize_activations\": \"layer_norm\", "
                        + "\"rescale_acts_by_decoder_norm\": true, \"reshape_activations\": \"none\", "
                        + "\"sae_lens_version\": \"6.0.0-rc.0\"}",
                "{\"architecture\": \"jumprelu_transcoder\", \"d_in\": 16, \"d_sae\": 64, \"d_out\": 32, "
                        + "\"apply_b_dec_to_input\": false, \"metadata\": {\"sae_lens_version\": \"v6.3\", "
                        + "\"hook_name\": \"blocks.2.attn.hook_z\"}}",
                "{\"architecture\": \"standard\", \"d_in\": 16, \"d_sae\": 64, \"activation_fn\": \"topk\", "
                        + "\"activation_fn_kwargs\": {\"k\": 4}, \"normalize_activations\": true, "
                        + "\"hook_point\": \"blocks.1.hook_resid_post\", \"dtype\": \"float16\"}",
                "{\"architecture\": \"gated\", \"d_in\": 16, \"d_sae\": 64, \"activation_fn_str\": \"relu\", "
                        + "\"sae_lens_version\": \"3.1.0\", \"normalize_activations\": \"none\"}"),
        SPARSIFY("cfg.json",
                "{\"activation\": \"topk\", \"expansion_factor\": 4, \"normalize_decoder\": true, "
                        + "\"num_latents\": 0, \"k\": 8, \"multi_topk\": false, \"skip_connection\": false, "
                        + "\"transcode\": false, \"d_in\": 16}",
                "{\"num_latents\": 64, \"k\": 4, \"signed\": false, \"transcode\": true, \"d_in\": 16}"),
        LLAMA_SCOPE("hyperparams.json",
                "{\"d_model\": 16, \"d_sae\": 64, \"act_fn\": \"jumprelu\", \"jump_relu_threshold\": 0.52, "
                        + "\"dataset_average_activation_norm\": {\"in\": 21.5, \"out\": 22.0}, "
                        + "\"hook_point_in\": \"blocks.0.hook_resid_post\", \"hook_point_out\": "
                        + "\"blocks.0.hook_resid_post\", \"apply_decoder_bias_to_pre_encoder\": false, "
                        + "\"norm_activation\": \"dataset-wise\", \"top_k\": -1, \"sparsity_include_decoder_norm\": "
                        + "true}",
                "{\"d_model\": 16, \"d_sae\": 64, \"act_fn\": \"JumpReLU\", \"jump_relu_threshold\": 0, "
                        + "\"dataset_average_activation_norm\": {\"in\": 1e-3}}");

        final String fileName;
        final List<String> bases;

        Family(String fileName, String... bases) {
            this.fileName = fileName;
            this.bases = List.of(bases);
        }

        /** Reads {@code file}; returns normally only with a config the reader considers valid. */
        void read(Path file) throws IOException {
            switch (this) {
                case SAELENS -> assertNotNull(SaeLensConfigReader.read(file));
                case SPARSIFY -> assertNotNull(SparsifyConfigReader.read(file, "layers.3", 16, "float32"));
                case LLAMA_SCOPE -> {
                    LlamaScopeConfigReader.Hyperparams hyperparams = LlamaScopeConfigReader.read(file);
                    assertNotNull(hyperparams.config());
                    // The loader folds both into fp32 weights: one that is not a finite float (or a factor that
                    // rounds to zero) would silently turn every weight or threshold into Inf, NaN or 0.
                    float factor = (float) hyperparams.scalingFactor();
                    float threshold = (float) hyperparams.threshold();
                    assertTrue(Float.isFinite(factor) && factor > 0, "scaling factor " + hyperparams.scalingFactor());
                    assertTrue(Float.isFinite(threshold), "threshold " + hyperparams.threshold());
                }
            }
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Family.class)
    void shouldReadEveryBaseConfiguration(Family family) throws IOException {
        Path file = dir.resolve(family.fileName);
        for (String base : family.bases) {
            Files.writeString(file, base);
            family.read(file);
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void shouldOnlyThrowSaeFormatExceptionWhenReadingMutatedConfigurations(Family family) throws IOException {
        List<JsonNode> bases = new ArrayList<>();
        for (String base : family.bases) {
            bases.add(JSON.readTree(base));
        }
        Path file = dir.resolve(family.fileName);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + 1_000_000L * family.ordinal() + i;
            Random random = new Random(seed);
            int which = random.nextInt(bases.size());
            StringBuilder description = new StringBuilder("base ").append(which).append(": ");
            byte[] mutant = mutate(bases.get(which), random, description);
            Files.write(file, mutant);
            try {
                family.read(file);
                accepted++;
            } catch (SaeFormatException expected) {
                rejected++;
            } catch (Throwable t) {
                fail(family + " seed " + seed + ", mutations " + description + ": unexpected " + t, t);
            }
        }
        assertTrue(rejected > MUTANTS / 4, family + ": too few mutants rejected: " + rejected + " (accepted "
                + accepted + ")");
        assertTrue(accepted > MUTANTS / 20, family + ": too few mutants accepted: " + accepted);
    }

    private static byte[] mutate(JsonNode base, Random random, StringBuilder description) throws IOException {
        ObjectNode root = base.deepCopy();
        int steps = 1 + random.nextInt(3);
        for (int s = 0; s < steps; s++) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            String key = names.isEmpty() || random.nextInt(4) == 0 ? KEYS[random.nextInt(KEYS.length)]
                    : names.get(random.nextInt(names.size()));
            switch (random.nextInt(5)) {
                case 0 -> {
                    target.remove(key);
                    description.append("delete '").append(key).append("'; ");
                }
                case 1, 2 -> {
                    String value = value(random);
                    target.putRawValue(key, new RawValue(value));
                    description.append("set '").append(key).append("' to ").append(abbreviate(value)).append("; ");
                }
                case 3 -> {
                    // Wrap the present value in an array or object: same content, wrong type.
                    JsonNode old = target.get(key) == null ? JSON.getNodeFactory().nullNode() : target.get(key);
                    if (random.nextBoolean()) {
                        ArrayNode array = target.putArray(key);
                        array.add(old);
                    } else {
                        target.putObject(key).set(key, old);
                    }
                    description.append("wrap '").append(key).append("'; ");
                }
                default -> {
                    ObjectNode nested = target.putObject(key);
                    nested.putRawValue(KEYS[random.nextInt(KEYS.length)], new RawValue(value(random)));
                    description.append("replace '").append(key).append("' by a nested object; ");
                }
            }
        }
        byte[] text = JSON.writeValueAsBytes(root);
        return random.nextInt(4) == 0 ? damage(text, random, description) : text;
    }

    /** A replacement value as JSON text: a listed one, a random number, a random string or deep nesting. */
    private static String value(Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1, 2, 3, 4, 5, 6 -> RAW_VALUES[random.nextInt(RAW_VALUES.length)];
            case 7, 8 -> random.nextBoolean() ? Long.toString(random.nextLong() >> random.nextInt(64))
                    : Double.toString(Double.longBitsToDouble(random.nextLong()))
                            .replace("NaN", "0").replace("Infinity", "1e999");
            case 9, 10 -> "\"" + randomText(random) + "\"";
            default -> {
                // Around the parser's nesting limit of 1000 and once well beyond it.
                int depth = new int[] {2, 200, 999, 1001, 2000}[random.nextInt(5)];
                String open = random.nextBoolean() ? "[" : "{\"in\":";
                String close = open.equals("[") ? "]" : "}";
                yield open.repeat(depth) + "1" + close.repeat(depth);
            }
        };
    }

    private static String randomText(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz_.0123456789 ";
        char[] chars = new char[random.nextInt(12)];
        for (int c = 0; c < chars.length; c++) {
            chars[c] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    /** Byte-level damage on the serialised text: truncation, bit flips, inserted or deleted bytes. */
    private static byte[] damage(byte[] text, Random random, StringBuilder description) {
        byte[] bytes = text;
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                bytes = Arrays.copyOf(bytes, at);
                description.append("truncate to ").append(at).append("; ");
            }
            case 1 -> {
                int bit = random.nextInt(8);
                bytes = bytes.clone();
                bytes[at] ^= (byte) (1 << bit);
                description.append("flip bit ").append(bit).append(" at ").append(at).append("; ");
            }
            case 2 -> {
                byte inserted = "{}[],:\"0-.e \\".getBytes(StandardCharsets.US_ASCII)[random.nextInt(13)];
                byte[] grown = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, grown, 0, at);
                grown[at] = inserted;
                System.arraycopy(bytes, at, grown, at + 1, bytes.length - at);
                bytes = grown;
                description.append("insert '").append((char) inserted).append("' at ").append(at).append("; ");
            }
            default -> {
                byte[] shrunk = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shrunk, 0, at);
                System.arraycopy(bytes, at + 1, shrunk, at, bytes.length - at - 1);
                bytes = shrunk;
                description.append("delete byte at ").append(at).append("; ");
            }
        }
        return bytes;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
        }
        if (node.isContainerNode()) {
            node.elements().forEachRemaining(child -> collectObjects(child, objects));
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 20) + "...(" + value.length() + " chars)";
    }
}
