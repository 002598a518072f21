package org.sae4j.lab.experiment;

import java.util.Locale;

/**
 * The paper lab's experiments (paper-spec §10) with the reference's data seed, step count and logging interval.
 */
public enum ExperimentKind {
    /** §10.1: SAE, SAE+ITO, MLP H = 32 and 256 against the frozen true dictionary, plus FISTA refinement. */
    KNOWN_D("known-d", 20240625L, 20_000, 100),
    /** §10.2: encoders with biases trained on the true codes with the cosine loss. */
    KNOWN_Z("known-z", 20240625L, 20_000, 10),
    /** §10.3: dictionary and codes both unknown: SAE, SAE+ITO, sparse coding, MLP H = 32 and 256. */
    UNKNOWN("unknown", 20240926L, 40_000, 500),
    /** §10.4: grid over N, M, K with the recovery boundary M = 2K·ln(N/K). */
    SCALING("scaling", 20240927L, 50_000, 5_000),
    /** §10.5: sparsity–accuracy trade-off over the L1 coefficient. */
    L1_SWEEP("l1-sweep", 20240926L, 100_000, 5_000),
    /** §6.5, §10.5: top-k encoders and top-k sparse coding. */
    TOPK("topk", 20240926L, 100_000, 5_000),
    /** §10.6: MLP hidden width sweep with a learned dictionary. */
    MLP_WIDTH("mlp-width", 20240926L, 100_000, 5_000),
    /** §10.6: encoders with and without biases, learned dictionary. */
    BIAS("bias", 20240926L, 100_000, 5_000);

    private final String cliName;
    private final long dataSeed;
    private final int steps;
    private final int evaluationInterval;

    ExperimentKind(String cliName, long dataSeed, int steps, int evaluationInterval) {
        this.cliName = cliName;
        this.dataSeed = dataSeed;
        this.steps = steps;
        this.evaluationInterval = evaluationInterval;
    }

    /** The name on the command line, e.g. {@code known-d}. */
    public String cliName() {
        return cliName;
    }

    /** The reference's data seed. */
    public long dataSeed() {
        return dataSeed;
    }

    /** The reference's number of training steps. */
    public int steps() {
        return steps;
    }

    /** The reference's logging interval (coarser for the long sweeps, whose results are final values). */
    public int evaluationInterval() {
        return evaluationInterval;
    }

    /**
     * @throws IllegalArgumentException naming the known experiments when {@code name} is none of them
     */
    public static ExperimentKind byName(String name) {
        for (ExperimentKind kind : values()) {
            if (kind.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        StringBuilder known = new StringBuilder();
        for (ExperimentKind kind : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(kind.cliName);
        }
        throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + known);
    }
}
