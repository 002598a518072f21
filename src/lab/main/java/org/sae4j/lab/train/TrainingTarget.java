package org.sae4j.lab.train;

/** What an amortised encoder is trained against (paper-spec §7). */
public enum TrainingTarget {
    /** Reconstruction through the frozen true dictionary: MSE-mean + λ·mean|Ŝ| (§10.1). */
    KNOWN_DICTIONARY,
    /** Reconstruction through a dictionary learned jointly, atoms projected each forward pass (§10.3). */
    LEARNED_DICTIONARY,
    /** Supervised on the true codes: −(1/N)·Σ_j cos(S[:, j], Ŝ[:, j]) over the batch axis (§6.6, §10.2). */
    KNOWN_CODES
}
