package org.sae4j.lab.experiment;

/**
 * One logged point of a method's run.
 *
 * @param step           completed training steps or inference iterations
 * @param mcc            test latent MCC
 * @param dictionaryMcc  dictionary MCC, NaN when the method does not learn a dictionary
 * @param trainingFlops  training FLOPs up to this point (paper-spec §9)
 * @param inferenceFlops FLOPs of the test-split inference at this point
 * @param seconds        measured wall seconds of the work up to this point (evaluations excluded)
 */
public record CurvePoint(long step, double mcc, double dictionaryMcc, long trainingFlops, long inferenceFlops,
                         double seconds) {

    /** The FLOPs a plot puts on its x axis: training plus one test inference. */
    public long totalFlops() {
        return Math.addExact(trainingFlops, inferenceFlops);
    }
}
