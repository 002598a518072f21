package org.sae4j.lab.experiment;

import java.util.ArrayList;
import java.util.List;

import org.sae4j.lab.solve.LogCodeOptions;
import org.sae4j.lab.train.CodeActivation;
import org.sae4j.lab.train.EncoderSpec;
import org.sae4j.lab.train.SparseCodingTrainer;
import org.sae4j.lab.train.TrainingTarget;
import org.sae4j.optim.AdamOptions;

/**
 * The methods each experiment compares, with the reference's settings (paper-spec §7, §10). Sweep members are named
 * {@code "<family> @ <parameter>"} so that reports can group them.
 */
final class Experiments {

    /** The paper's λ. */
    static final float PAPER_L1 = 0.01f;
    /** FISTA iteration budgets probed after the known-dictionary SAE. */
    static final int[] FISTA_BUDGETS = {1, 2, 3, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000};
    static final float[] L1_GRID = {0.001f, 0.005f, 0.01f, 0.05f, 0.1f, 0.5f, 1f, 5f};
    static final int[] TOPK_GRID = {1, 2, 3, 4, 5, 8};
    static final int[] MLP_WIDTHS = {16, 32, 64, 128, 256, 512};

    private Experiments() {
    }

    /**
     * The methods of a non-grid experiment.
     *
     * @throws IllegalArgumentException for {@link ExperimentKind#SCALING}, which runs a grid instead
     */
    static List<LabMethod> methods(ExperimentSettings settings) {
        int steps = settings.steps();
        int interval = settings.evaluationInterval();
        List<LabMethod> methods = new ArrayList<>();
        switch (settings.kind()) {
            case KNOWN_D -> {
                methods.add(new LabMethod.Encoder("SAE", Double.NaN, EncoderSpec.sae(), TrainingTarget.KNOWN_DICTIONARY,
                        PAPER_L1, 1e-3f, steps, null, FISTA_BUDGETS));
                methods.add(new LabMethod.TrueDictionaryInference("SAE+ITO", Double.NaN,
                        LogCodeOptions.paperKnownDictionary().withIterations(steps).withEvaluationInterval(interval),
                        0));
                methods.add(knownDictionaryMlp(32, steps));
                methods.add(knownDictionaryMlp(256, steps));
            }
            case KNOWN_Z -> {
                methods.add(LabMethod.Encoder.of("SAE+bias", EncoderSpec.sae().withBias(true),
                        TrainingTarget.KNOWN_CODES, 0f, 1e-3f, steps));
                for (int hidden : new int[] {32, 256, 1024}) {
                    methods.add(LabMethod.Encoder.of("MLP-" + hidden + "+bias", EncoderSpec.mlp(hidden).withBias(true),
                            TrainingTarget.KNOWN_CODES, 0f, 1e-3f, steps));
                }
            }
            case UNKNOWN -> {
                methods.add(learned("SAE", EncoderSpec.sae(), PAPER_L1, 1e-3f, steps));
                methods.add(new LabMethod.Encoder("SAE+ITO", Double.NaN, EncoderSpec.sae(),
                        TrainingTarget.LEARNED_DICTIONARY, PAPER_L1, 1e-3f, steps, LogCodeOptions.paperOptimizeCodes(),
                        null));
                methods.add(LabMethod.SparseCoding.of("SC", Double.NaN, SparseCodingTrainer.Options.paper(0), steps));
                methods.add(learned("MLP-32", EncoderSpec.mlp(32), PAPER_L1, 1e-3f, steps));
                methods.add(learned("MLP-256", EncoderSpec.mlp(256), PAPER_L1, 1e-3f, steps));
            }
            case L1_SWEEP -> {
                for (float lambda : L1_GRID) {
                    String at = SweepName.SEPARATOR + "λ=" + lambda;
                    methods.add(learned("SAE" + at, EncoderSpec.sae(), lambda, 3e-3f, steps).withParameter(lambda));
                    methods.add(learned("MLP-32" + at, EncoderSpec.mlp(32), lambda, 3e-3f, steps)
                            .withParameter(lambda));
                    methods.add(sweepSparseCoding("SC" + at, lambda, steps, null, null));
                }
            }
            case TOPK -> {
                for (int k : TOPK_GRID) {
                    if (k > settings.latents()) {
                        continue;
                    }
                    String at = SweepName.SEPARATOR + "k=" + k;
                    CodeActivation topK = new CodeActivation.TopK(k);
                    methods.add(learned("SAE-TopK" + at, EncoderSpec.sae().withActivation(topK), 0f, 3e-3f, steps)
                            .withParameter(k));
                    methods.add(learned("MLP-32-TopK" + at, EncoderSpec.mlp(32).withActivation(topK), 0f, 3e-3f,
                            steps).withParameter(k));
                }
                int[] ks = java.util.Arrays.stream(TOPK_GRID).filter(k -> k <= settings.latents()).toArray();
                methods.add(sweepSparseCoding("SC", 0.05f, steps, ks, ks));
            }
            case MLP_WIDTH -> {
                for (int hidden : MLP_WIDTHS) {
                    methods.add(learned("MLP" + SweepName.SEPARATOR + "H=" + hidden, EncoderSpec.mlp(hidden), PAPER_L1,
                            3e-4f, steps).withParameter(hidden));
                }
            }
            case BIAS -> {
                for (boolean bias : new boolean[] {false, true}) {
                    String at = SweepName.SEPARATOR + "bias=" + (bias ? 1 : 0);
                    methods.add(learned("SAE" + at, EncoderSpec.sae().withBias(bias), PAPER_L1, 1e-3f, steps)
                            .withParameter(bias ? 1 : 0));
                    methods.add(learned("MLP-64" + at, EncoderSpec.mlp(64).withBias(bias), PAPER_L1, 1e-4f, steps)
                            .withParameter(bias ? 1 : 0));
                }
            }
            case SCALING -> throw new IllegalArgumentException("the scaling experiment runs a grid; see ScalingGrid");
        }
        return methods;
    }

    /** The methods of one scaling-grid cell: SAE, MLP H = 32 and sparse coding, all with a learned dictionary. */
    static List<LabMethod> scalingCell(int steps) {
        return List.of(
                learned("SAE", EncoderSpec.sae(), PAPER_L1, 1e-3f, steps),
                learned("MLP-32", EncoderSpec.mlp(32), PAPER_L1, 1e-3f, steps),
                new LabMethod.SparseCoding("SC", Double.NaN, SparseCodingTrainer.Options.paper(0).withTestIterations(0),
                        steps, LogCodeOptions.paperOptimizeCodes(), null, null, 0));
    }

    private static LabMethod.Encoder knownDictionaryMlp(int hidden, int steps) {
        return LabMethod.Encoder.of("MLP-" + hidden, EncoderSpec.mlp(hidden), TrainingTarget.KNOWN_DICTIONARY,
                PAPER_L1, 1e-3f, steps);
    }

    private static LabMethod.Encoder learned(String name, EncoderSpec spec, float lambda, float learningRate,
                                             int steps) {
        return LabMethod.Encoder.of(name, spec, TrainingTarget.LEARNED_DICTIONARY, lambda, learningRate, steps);
    }

    /** Sparse coding at lr 3e-3 evaluated on the training codes during training and by a final test ITO. */
    private static LabMethod.SparseCoding sweepSparseCoding(String name, float lambda, int steps, int[] inferenceTopK,
                                                            int[] optimizeTopK) {
        SparseCodingTrainer.Options options = new SparseCodingTrainer.Options(lambda, AdamOptions.pytorch(3e-3f), 0,
                1, LogCodeOptions.paperOptimizeCodes().withLambda(lambda).withIterations(0));
        return new LabMethod.SparseCoding(name, lambda, options, steps,
                LogCodeOptions.paperOptimizeCodes().withLambda(lambda), inferenceTopK, optimizeTopK, 1000);
    }
}
