package org.sae4j.sae;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads SAELens {@code cfg.json} in its v6 and legacy layouts (sae-formats §5.2, §5.3), applying the defaults each
 * layout has for absent keys. Unknown keys are ignored; the folds recorded by {@link SaeWriter} are read from
 * {@code metadata.sae4j_folds}.
 */
final class SaeLensConfigReader {

    /** First major version whose files use the v6 layout; {@code 6.0.0-rc.0} already does. */
    private static final int V6_MAJOR = 6;

    /** SAELens' default k of a topk SAE. */
    private static final int TOPK_DEFAULT_K = 100;
    /** SAELens' default {@code d_out} of a transcoder config that omits it. */
    private static final int TRANSCODER_DEFAULT_D_OUT = 768;

    /** Not instantiable: one static reader. */
    private SaeLensConfigReader() {
    }

    /**
     * Reads a SAELens {@code cfg.json}, legacy or v6.
     *
     * @param cfgFile the file
     * @return the configuration, source {@link SaeSource#SAELENS}
     * @throws SaeFormatException if a key is missing, invalid or asks for something sae4j does not implement
     * @throws IOException        if the file cannot be read
     */
    static SaeConfig read(Path cfgFile) throws IOException {
        ConfigJson cfg = ConfigJson.read(cfgFile);
        ConfigJson metadata = cfg.object("metadata");
        boolean legacy = isLegacy(cfg, metadata);
        List<String> warnings = new ArrayList<>();

        SaeArchitecture architecture;
        int k = 0;
        if (legacy) {
            String activation = cfg.has("activation_fn") ? cfg.optString("activation_fn", "relu")
                    : cfg.optString("activation_fn_str", "relu");
            architecture = architecture(cfg, cfg.optString("architecture", "standard"));
            if (activation.equals("topk")) {
                architecture = SaeArchitecture.TOPK;
                ConfigJson kwargs = cfg.object("activation_fn_kwargs");
                k = kwargs.requireInt("k", 1);
            } else if (!activation.equals("relu")) {
                throw cfg.fail(cfg.has("activation_fn") ? "activation_fn" : "activation_fn_str",
                        "value '" + activation + "' is not supported (supported: relu, topk)");
            }
        } else {
            if (!cfg.has("architecture")) {
                throw cfg.fail("architecture", "is missing");
            }
            architecture = architecture(cfg, cfg.optString("architecture", ""));
            if (architecture == SaeArchitecture.TOPK) {
                k = cfg.optInt("k", TOPK_DEFAULT_K, 1);
            }
        }
        int dIn = cfg.requireInt("d_in", 1);
        int dSae = cfg.requireInt("d_sae", 1);
        int dOut = architecture.isTranscoder() ? cfg.optInt("d_out", TRANSCODER_DEFAULT_D_OUT, 1) : dIn;
        String dtype = dtype(cfg);
        boolean applyBDec = cfg.optBoolean("apply_b_dec_to_input", !architecture.isTranscoder());
        Normalisation normalisation = normalisation(cfg, legacy);
        boolean rescale = architecture == SaeArchitecture.TOPK && cfg.optBoolean("rescale_acts_by_decoder_norm",
                false);
        String hookName = firstString(metadata, cfg, "hook_name");
        if (hookName.isEmpty() && legacy) {
            hookName = cfg.optString("hook_point", "");
        }
        String reshape = cfg.optString("reshape_activations", hookName.contains("hook_z") ? "hook_z" : "none");
        if (reshape.equals("hook_z")) {
            warnings.add("reshape_activations hook_z: inputs are [..., n_heads·d_head] rows of width d_in");
        } else if (!reshape.equals("none")) {
            throw cfg.fail("reshape_activations", "value '" + reshape + "' is not supported (supported: none, "
                    + "hook_z)");
        }
        if (legacy) {
            warnings.add("legacy SAELens cfg.json (sae_lens_version missing or below 6): legacy defaults applied");
        }
        try {
            return new SaeConfig(SaeSource.SAELENS, architecture, dIn, dSae, dOut, k, dtype, normalisation,
                    applyBDec, rescale, hookName, firstString(metadata, cfg, "model_name"), warnings,
                    FoldJson.read(metadata));
        } catch (IllegalArgumentException e) {
            throw new SaeFormatException(cfg.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Legacy when {@code sae_lens_version} (top level or in metadata) is missing or has a major version below 6.
     *
     * @param cfg      the top-level object
     * @param metadata the {@code metadata} object
     * @return true for the legacy layout
     * @throws SaeFormatException if the version is not a version number
     */
    private static boolean isLegacy(ConfigJson cfg, ConfigJson metadata) throws SaeFormatException {
        ConfigJson holder = cfg.has("sae_lens_version") ? cfg : metadata;
        if (!holder.has("sae_lens_version")) {
            return true;
        }
        String version = holder.optString("sae_lens_version", "");
        int dot = version.indexOf('.');
        String major = dot < 0 ? version : version.substring(0, dot);
        if (major.startsWith("v")) {
            major = major.substring(1);
        }
        try {
            return Integer.parseInt(major) < V6_MAJOR;
        } catch (NumberFormatException e) {
            throw holder.fail("sae_lens_version", "is not a version number: '" + version + "'");
        }
    }

    /**
     * The architecture of a SAELens spelling.
     *
     * @param cfg  the object, for messages
     * @param name the spelling
     * @return the constant
     * @throws SaeFormatException naming the supported spellings
     */
    private static SaeArchitecture architecture(ConfigJson cfg, String name) throws SaeFormatException {
        SaeArchitecture architecture = SaeArchitecture.fromSaeLens(name);
        if (architecture == null) {
            throw cfg.fail("architecture", "value '" + name + "' is not supported (supported: "
                    + Arrays.stream(SaeArchitecture.values()).filter(a -> a != SaeArchitecture.GROUPMAX)
                            .map(SaeArchitecture::saeLensName).toList() + ")");
        }
        return architecture;
    }

    /**
     * The normalised {@code dtype} spelling (float32 when absent).
     *
     * @param cfg the object
     * @return float32, float64, float16 or bfloat16
     * @throws SaeFormatException for other types
     */
    private static String dtype(ConfigJson cfg) throws SaeFormatException {
        String raw = cfg.optString("dtype", "float32");
        String name = raw.startsWith("torch.") ? raw.substring("torch.".length()) : raw;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32", "float" -> "float32";
            case "float64", "double" -> "float64";
            case "float16", "half" -> "float16";
            case "bfloat16" -> "bfloat16";
            default -> throw cfg.fail("dtype", "value '" + raw + "' is not a supported floating-point type");
        };
    }

    /**
     * The {@code normalize_activations} mode; a legacy boolean {@code true} means expected_average_only_in.
     *
     * @param cfg    the object
     * @param legacy whether the legacy layout is read
     * @return the mode, NONE when absent
     * @throws SaeFormatException for an unsupported mode
     */
    private static Normalisation normalisation(ConfigJson cfg, boolean legacy) throws SaeFormatException {
        JsonNode node = cfg.node("normalize_activations");
        if (node == null || node.isNull()) {
            return Normalisation.NONE;
        }
        if (node.isBoolean() && legacy) {
            return node.booleanValue() ? Normalisation.EXPECTED_AVERAGE_ONLY_IN : Normalisation.NONE;
        }
        String name = cfg.optString("normalize_activations", "none");
        Normalisation mode = Normalisation.fromSaeLens(name);
        if (mode == null) {
            throw cfg.fail("normalize_activations", "value '" + name + "' is not supported (supported: none, "
                    + "expected_average_only_in, constant_norm_rescale, layer_norm)");
        }
        return mode;
    }

    /**
     * A string from {@code metadata}, else from the top level, else empty.
     *
     * @param metadata the metadata object
     * @param cfg      the top-level object
     * @param key      the key
     * @return the value, or empty
     * @throws SaeFormatException if a present value is not a string
     */
    private static String firstString(ConfigJson metadata, ConfigJson cfg, String key) throws SaeFormatException {
        String nested = metadata.optString(key, "");
        return nested.isEmpty() ? cfg.optString(key, "") : nested;
    }
}
