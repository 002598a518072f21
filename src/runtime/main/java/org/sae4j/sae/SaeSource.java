package org.sae4j.sae;

/** The folder layout an SAE was read from (sae-formats §5–§7). */
public enum SaeSource {
    /** SAELens: {@code cfg.json} + {@code sae_weights.safetensors}. */
    SAELENS,
    /** EleutherAI sparsify: {@code cfg.json} + {@code sae.safetensors}. */
    SPARSIFY,
    /** Gemma Scope v1: {@code params.npz}. */
    GEMMA_SCOPE,
    /** Llama Scope: {@code hyperparams.json} + {@code checkpoints/final.safetensors}. */
    LLAMA_SCOPE,
    /** Built in memory by {@link Sae#of}. */
    MEMORY
}
