package org.sae4j.sae;

import java.util.List;
import java.util.Objects;

/**
 * What an SAE computes, independent of the folder it came from.
 *
 * <pre>{@code
 * SaeConfig cfg = SaeConfig.of(SaeArchitecture.TOPK, 768, 24576).withK(32);
 * }</pre>
 *
 * <p>Values read from files keep the meaning they have in SAELens: {@code applyBDecToInput} subtracts
 * {@code b_dec} from the (normalised) input before encoding; {@code b_dec} is added back on decode regardless.
 * Computation always runs in fp32; {@code dtype} records what the file asked for.
 *
 * @param source                   the folder layout read ({@link SaeSource#MEMORY} for built configs)
 * @param architecture             the encode rule
 * @param dIn                      input width, &gt; 0
 * @param dSae                     number of latents, &gt; 0
 * @param dOut                     decoder output width, &gt; 0: {@code dIn} except for transcoders and sparsify
 *                                 {@code transcode} folders (topk or groupmax with source SPARSIFY)
 * @param k                        active latents per row for {@link SaeArchitecture#TOPK} and the number of groups
 *                                 for {@link SaeArchitecture#GROUPMAX} (which must divide {@code dSae}), &gt; 0;
 *                                 0 otherwise
 * @param dtype                    the stored dtype spelling without a {@code torch.} prefix ({@code float32}...)
 * @param normalisation            input normalisation
 * @param applyBDecToInput         whether {@code b_dec} is subtracted from the input before encoding
 * @param rescaleActsByDecoderNorm topk only: pre-activations scaled by the decoder row norms (sae-formats §8.2)
 * @param hookName                 hook the SAE reads, empty when unknown
 * @param modelName                model the SAE was trained on, empty when unknown
 * @param warnings                 facts a user should know (folded factors, conventions that differ from
 *                                 reference loaders); never errors
 * @param folds                    the transformations folded into the weights, oldest first (sae-formats §10):
 *                                 read from and written to {@code cfg.json}, appended by the loader and by
 *                                 {@link SaeFolding}
 */
public record SaeConfig(SaeSource source, SaeArchitecture architecture, int dIn, int dSae, int dOut, int k,
        String dtype, Normalisation normalisation, boolean applyBDecToInput, boolean rescaleActsByDecoderNorm,
        String hookName, String modelName, List<String> warnings, List<FoldRecord> folds) {

    /**
     * Validates the combination.
     *
     * @throws IllegalArgumentException if a width is not positive, {@code k} does not match the architecture
     *                                  (groupmax: k must divide d_sae), a
     *                                  transcoder subtracts {@code b_dec}, or a non-transcoder has
     *                                  {@code dOut != dIn}
     */
    public SaeConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(normalisation, "normalisation");
        hookName = hookName == null ? "" : hookName;
        modelName = modelName == null ? "" : modelName;
        warnings = List.copyOf(warnings);
        folds = folds == null ? List.of() : List.copyOf(folds);
        if (dIn <= 0 || dSae <= 0 || dOut <= 0) {
            throw new IllegalArgumentException("d_in, d_sae and d_out must be > 0, got " + dIn + ", " + dSae + ", "
                    + dOut);
        }
        if (architecture.selectsK() ? k <= 0 : k != 0) {
            throw new IllegalArgumentException("k must be > 0 for topk and groupmax and 0 otherwise, got " + k
                    + " for " + architecture.saeLensName());
        }
        if (architecture == SaeArchitecture.GROUPMAX && dSae > 0 && dSae % k != 0) {
            throw new IllegalArgumentException("groupmax splits the latents into k equal groups: k " + k
                    + " must divide d_sae " + dSae);
        }
        if (rescaleActsByDecoderNorm && architecture != SaeArchitecture.TOPK) {
            throw new IllegalArgumentException("rescale_acts_by_decoder_norm applies to topk only, not "
                    + architecture.saeLensName());
        }
        if (architecture.isTranscoder() && applyBDecToInput) {
            throw new IllegalArgumentException(architecture.saeLensName()
                    + " must not subtract b_dec from its input (apply_b_dec_to_input must be false)");
        }
        if (!architecture.isTranscoder() && source != SaeSource.SPARSIFY && dOut != dIn) {
            throw new IllegalArgumentException(architecture.saeLensName() + " reconstructs its input: d_out " + dOut
                    + " must equal d_in " + dIn);
        }
    }

    /**
     * A config with no folds recorded.
     *
     * @param source                   the folder layout read
     * @param architecture             the encode rule
     * @param dIn                      input width, &gt; 0
     * @param dSae                     number of latents, &gt; 0
     * @param dOut                     decoder output width, &gt; 0
     * @param k                        topk's k or groupmax's group count, 0 otherwise
     * @param dtype                    the stored dtype spelling
     * @param normalisation            input normalisation
     * @param applyBDecToInput         whether {@code b_dec} is subtracted from the input before encoding
     * @param rescaleActsByDecoderNorm topk only: pre-activations scaled by the decoder row norms
     * @param hookName                 hook the SAE reads, or null or empty when unknown
     * @param modelName                model the SAE was trained on, or null or empty when unknown
     * @param warnings                 facts a user should know; copied
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SaeConfig(SaeSource source, SaeArchitecture architecture, int dIn, int dSae, int dOut, int k,
            String dtype, Normalisation normalisation, boolean applyBDecToInput, boolean rescaleActsByDecoderNorm,
            String hookName, String modelName, List<String> warnings) {
        this(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, List.of());
    }

    /**
     * A config with SAELens v6 defaults: dtype float32, no normalisation, {@code b_dec} subtracted (not for
     * transcoders), {@code k = 100} for topk, {@code k = 1} (one group, so that any d_sae is valid; set it with
     * {@link #withK}) for groupmax, {@code d_out = d_in} (for a transcoder, set the real width with {@link #withDOut}).
     *
     * @param architecture the encode rule
     * @param dIn          input width, &gt; 0
     * @param dSae         number of latents, &gt; 0
     * @return the config, source {@link SaeSource#MEMORY}
     * @throws IllegalArgumentException if a width is not positive
     */
    public static SaeConfig of(SaeArchitecture architecture, int dIn, int dSae) {
        int k = switch (architecture) {
            case TOPK -> 100;
            case GROUPMAX -> 1;
            default -> 0;
        };
        return new SaeConfig(SaeSource.MEMORY, architecture, dIn, dSae, dIn, k, "float32", Normalisation.NONE,
                !architecture.isTranscoder(), false, "", "", List.of(), List.of());
    }

    /**
     * This config with {@code k} active latents per row (topk) or {@code k} groups (groupmax).
     *
     * @param newK &gt; 0 for topk and groupmax (dividing d_sae for groupmax), 0 otherwise
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SaeConfig withK(int newK) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, newK, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, folds);
    }

    /**
     * This config with the decoder writing {@code newDOut} values.
     *
     * @param newDOut output width, &gt; 0; must equal d_in unless the model is a transcoder (or from sparsify)
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SaeConfig withDOut(int newDOut) {
        return new SaeConfig(source, architecture, dIn, dSae, newDOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, folds);
    }

    /**
     * This config with another input normalisation.
     *
     * @param mode the normalisation
     * @return a new record; this one is unchanged
     */
    public SaeConfig withNormalisation(Normalisation mode) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, mode, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, folds);
    }

    /**
     * This config with {@code apply_b_dec_to_input} set to {@code apply}.
     *
     * @param apply whether {@code b_dec} is subtracted from the input before encoding (never for transcoders)
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SaeConfig withApplyBDecToInput(boolean apply) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, apply,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, folds);
    }

    /**
     * This config with {@code rescale_acts_by_decoder_norm} set to {@code rescale}.
     *
     * @param rescale whether pre-activations are scaled by the decoder row norms (topk only)
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SaeConfig withRescaleActsByDecoderNorm(boolean rescale) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescale, hookName, modelName, warnings, folds);
    }

    /**
     * This config with a hook name.
     *
     * @param name the hook the SAE reads ({@code blocks.8.hook_resid_pre}...); null means unknown
     * @return a new record; this one is unchanged
     */
    public SaeConfig withHookName(String name) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, name, modelName, warnings, folds);
    }

    /**
     * This config with {@code warning} appended.
     *
     * @param warning a fact a user should know
     * @return a new record; this one is unchanged
     */
    public SaeConfig withWarning(String warning) {
        List<String> more = new java.util.ArrayList<>(warnings);
        more.add(warning);
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, more, folds);
    }

    /**
     * This config with {@code fold} appended to {@link #folds()}.
     *
     * @param fold the transformation just folded into the weights
     * @return a new record; this one is unchanged
     */
    public SaeConfig withFold(FoldRecord fold) {
        List<FoldRecord> more = new java.util.ArrayList<>(folds);
        more.add(Objects.requireNonNull(fold, "fold"));
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, more);
    }

    /**
     * This config with {@link #folds()} replaced by {@code records}.
     *
     * @param records the folds, oldest first; copied (null means none)
     * @return a new record; this one is unchanged
     */
    public SaeConfig withFolds(List<FoldRecord> records) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, dtype, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, records);
    }

    /**
     * This config with another stored dtype spelling.
     *
     * @param newDType the spelling ({@code float32}, {@code bfloat16}...)
     * @return a new record; this one is unchanged
     */
    public SaeConfig withDType(String newDType) {
        return new SaeConfig(source, architecture, dIn, dSae, dOut, k, newDType, normalisation, applyBDecToInput,
                rescaleActsByDecoderNorm, hookName, modelName, warnings, folds);
    }
}
