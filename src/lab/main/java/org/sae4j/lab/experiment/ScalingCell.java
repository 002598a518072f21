package org.sae4j.lab.experiment;

/**
 * One method in one cell of the scaling grid (paper-spec §10.4), in the reference's result layout.
 *
 * @param latents        N
 * @param measurements   M
 * @param active         K
 * @param method         method name
 * @param mcc            mean final test MCC
 * @param mccStd         its standard deviation
 * @param dictionaryMcc  mean final dictionary MCC
 * @param dictionaryStd  its standard deviation
 * @param trainingFlops  training FLOPs
 * @param testFlops      test inference FLOPs
 * @param seconds        mean wall seconds of one run
 */
public record ScalingCell(int latents, int measurements, int active, String method, double mcc, double mccStd,
                          double dictionaryMcc, double dictionaryStd, long trainingFlops, long testFlops,
                          double seconds) {

    /** The recovery boundary drawn in the paper's contour figure: M = 2K·ln(N/K) (natural logarithm). */
    public static double recoveryBoundary(int latents, int active) {
        return 2.0 * active * Math.log((double) latents / active);
    }
}
