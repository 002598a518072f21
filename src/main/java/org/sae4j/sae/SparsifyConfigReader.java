package org.sae4j.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a sparsify {@code cfg.json} ({@code SparseCoderConfig} plus {@code d_in}, sae-formats §6). Unknown keys are
 * ignored; the folds recorded by {@link SparsifyWriter} are read from the top-level {@code sae4j_folds}.
 */
final class SparsifyConfigReader {

    private static final int DEFAULT_EXPANSION_FACTOR = 32;
    private static final int DEFAULT_K = 32;

    private SparsifyConfigReader() {
    }

    /**
     * The config of a sparsify hookpoint folder; {@code dOut} is the width of {@code b_dec}, which differs from
     * {@code d_in} only for transcoders.
     */
    static SaeConfig read(Path cfgFile, String hookpoint, int dOut, String dtype) throws IOException {
        ConfigJson cfg = ConfigJson.read(cfgFile);
        String activation = cfg.optString("activation", "topk");
        if (activation.equals("groupmax")) {
            throw cfg.fail("activation", "value 'groupmax' is not supported yet (max of each of k contiguous "
                    + "groups of num_latents/k latents; sae4j has no groupmax encode rule)");
        }
        if (!activation.equals("topk")) {
            throw cfg.fail("activation", "value '" + activation + "' is not supported (supported: topk)");
        }
        if (cfg.optBoolean("skip_connection", false)) {
            throw cfg.fail("skip_connection", "true (W_skip) is not supported yet (sae4j has no decode rule adding "
                    + "x·W_skipᵀ to the reconstruction)");
        }
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
        try {
            return new SaeConfig(SaeSource.SPARSIFY, SaeArchitecture.TOPK, dIn, numLatents, transcode ? dOut : dIn,
                    k, dtype, Normalisation.NONE, !transcode, false, hookpoint, "", List.of(
                            "sparsify topk: ReLU before selection selects the same non-zero set as SAELens topk"),
                    FoldJson.read(cfg));
        } catch (IllegalArgumentException e) {
            throw new SaeFormatException(cfg.source() + ": " + e.getMessage(), e);
        }
    }
}
