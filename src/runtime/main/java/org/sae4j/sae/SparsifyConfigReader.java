package org.sae4j.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a sparsify {@code cfg.json} ({@code SparseCoderConfig} plus {@code d_in}, sae-formats §6). Unknown keys are
 * ignored; the folds recorded by {@link SparsifyWriter} are read from the top-level {@code sae4j_folds}.
 */
final class SparsifyConfigReader {

    /** sparsify's default latents per input dimension. */
    private static final int DEFAULT_EXPANSION_FACTOR = 32;
    /** sparsify's default k. */
    private static final int DEFAULT_K = 32;

    /** Not instantiable: static readers only. */
    private SparsifyConfigReader() {
    }

    /**
     * A parsed hookpoint config and whether it declares a skip connection ({@code W_skip}).
     *
     * @param config         the configuration, source {@link SaeSource#SPARSIFY}
     * @param skipConnection the value of {@code skip_connection}
     */
    record Parsed(SaeConfig config, boolean skipConnection) {
    }

    /**
     * The config of a sparsify hookpoint folder; {@code dOut} is the width of {@code b_dec}, which differs from
     * {@code d_in} only for transcoders.
     *
     * @param cfgFile   the {@code cfg.json}
     * @param hookpoint the folder name, recorded as the hook name
     * @param dOut      width of the stored {@code b_dec}
     * @param dtype     the stored dtype spelling
     * @return the configuration
     * @throws SaeFormatException if a key is missing or invalid
     * @throws IOException        if the file cannot be read
     */
    static SaeConfig read(Path cfgFile, String hookpoint, int dOut, String dtype) throws IOException {
        return parse(cfgFile, hookpoint, dOut, dtype).config();
    }

    /**
     * As {@link #read}, also reporting {@code skip_connection}.
     *
     * @param cfgFile   the {@code cfg.json}
     * @param hookpoint the folder name, recorded as the hook name
     * @param dOut      width of the stored {@code b_dec}
     * @param dtype     the stored dtype spelling
     * @return the configuration and the skip flag
     * @throws SaeFormatException if a key is missing or invalid (signed SAEs included)
     * @throws IOException        if the file cannot be read
     */
    static Parsed parse(Path cfgFile, String hookpoint, int dOut, String dtype) throws IOException {
        ConfigJson cfg = ConfigJson.read(cfgFile);
        String activation = cfg.optString("activation", "topk");
        SaeArchitecture architecture = switch (activation) {
            case "topk" -> SaeArchitecture.TOPK;
            case "groupmax" -> SaeArchitecture.GROUPMAX;
            default -> throw cfg.fail("activation", "value '" + activation + "' is not supported (supported: "
                    + "topk, groupmax)");
        };
        boolean skipConnection = cfg.optBoolean("skip_connection", false);
        if (cfg.optBoolean("signed", false)) {
            throw cfg.fail("signed", "true is not supported (signed sparsify SAEs keep negative activations; "
                    + "sae4j codes are non-negative)");
        }
        int dIn = cfg.requireInt("d_in", 1);
        int numLatents = cfg.optInt("num_latents", 0, 0);
        if (numLatents == 0) {
            int expansion = cfg.optInt("expansion_factor", DEFAULT_EXPANSION_FACTOR, 1);
            long latents = (long) dIn * expansion;
            if (latents > Integer.MAX_VALUE) {
                throw cfg.fail("expansion_factor", "gives " + latents + " latents, too many");
            }
            numLatents = (int) latents;
        }
        int k = cfg.optInt("k", DEFAULT_K, 1);
        boolean transcode = cfg.optBoolean("transcode", false);
        List<String> warnings = architecture == SaeArchitecture.TOPK ? List.of(
                "sparsify topk: ReLU before selection selects the same non-zero set as SAELens topk") : List.of();
        try {
            return new Parsed(new SaeConfig(SaeSource.SPARSIFY, architecture, dIn, numLatents,
                    transcode ? dOut : dIn, k, dtype, Normalisation.NONE, !transcode, false, hookpoint, "", warnings,
                    FoldJson.read(cfg)), skipConnection);
        } catch (IllegalArgumentException e) {
            throw new SaeFormatException(cfg.source() + ": " + e.getMessage(), e);
        }
    }
}
