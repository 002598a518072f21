package org.sae4j.lab.experiment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A method's runs, aggregated: mean ± population standard deviation over runs of the final values, the mean curve, and
 * the peak of the mean curve.
 *
 * @param method              name
 * @param parameter           the swept value this method belongs to (λ, k, H, …), NaN outside sweeps
 * @param runs                number of runs
 * @param finalMcc            mean final test MCC
 * @param finalMccStd         its standard deviation (0 for one run)
 * @param peakMcc             highest value of the mean MCC curve
 * @param peakStep            where it is reached
 * @param peakFlops           total FLOPs at that point
 * @param finalDictionaryMcc  mean final dictionary MCC (NaN when not learned)
 * @param finalDictionaryStd  its standard deviation
 * @param trainingFlops       training FLOPs at the end
 * @param inferenceFlops      test inference FLOPs at the end
 * @param seconds             mean measured wall seconds of one run
 * @param metrics             mean final statistics by name
 * @param curve               the mean curve
 */
public record MethodSummary(String method, double parameter, int runs, double finalMcc, double finalMccStd,
                            double peakMcc, long peakStep, long peakFlops, double finalDictionaryMcc,
                            double finalDictionaryStd, long trainingFlops, long inferenceFlops, double seconds,
                            Map<String, Double> metrics, Curve curve) {

    /**
     * The mean curve of a method over runs, truncated to the shortest run.
     *
     * @param steps    logged steps
     * @param mcc      mean MCC per step
     * @param mccStd   its standard deviation
     * @param dictionaryMcc mean dictionary MCC (NaN entries when not learned)
     * @param flops    total FLOPs (training + test inference) per step
     * @param seconds  mean wall seconds per step
     */
    public record Curve(long[] steps, double[] mcc, double[] mccStd, double[] dictionaryMcc, long[] flops,
                        double[] seconds) {
    }

    /**
     * Aggregates the runs of one method.
     *
     * @throws IllegalArgumentException when there is no run
     */
    public static MethodSummary of(String method, double parameter, List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(method + ": no runs to summarise");
        }
        int length = Integer.MAX_VALUE;
        for (RunResult run : runs) {
            length = Math.min(length, run.curve().size());
        }
        long[] steps = new long[length];
        double[] mcc = new double[length];
        double[] mccStd = new double[length];
        double[] dictionary = new double[length];
        long[] flops = new long[length];
        double[] seconds = new double[length];
        for (int i = 0; i < length; i++) {
            double[] values = new double[runs.size()];
            double dictionarySum = 0;
            double secondsSum = 0;
            for (int r = 0; r < runs.size(); r++) {
                CurvePoint point = runs.get(r).curve().get(i);
                values[r] = point.mcc();
                dictionarySum += point.dictionaryMcc();
                secondsSum += point.seconds();
            }
            CurvePoint first = runs.getFirst().curve().get(i);
            steps[i] = first.step();
            mcc[i] = mean(values);
            mccStd[i] = std(values);
            dictionary[i] = dictionarySum / runs.size();
            flops[i] = first.totalFlops();
            seconds[i] = secondsSum / runs.size();
        }
        int peak = 0;
        for (int i = 1; i < length; i++) {
            if (mcc[i] > mcc[peak]) {
                peak = i;
            }
        }
        double[] finals = new double[runs.size()];
        double[] finalDictionary = new double[runs.size()];
        double[] runSeconds = new double[runs.size()];
        Map<String, double[]> metricValues = new TreeMap<>();
        for (int r = 0; r < runs.size(); r++) {
            RunResult run = runs.get(r);
            finals[r] = run.last().mcc();
            finalDictionary[r] = run.last().dictionaryMcc();
            runSeconds[r] = run.last().seconds();
            for (Map.Entry<String, Double> metric : run.metrics().entrySet()) {
                metricValues.computeIfAbsent(metric.getKey(), key -> new double[runs.size()])[r] = metric.getValue();
            }
        }
        Map<String, Double> metrics = new TreeMap<>();
        metricValues.forEach((name, values) -> metrics.put(name, mean(values)));
        CurvePoint last = runs.getFirst().last();
        return new MethodSummary(method, parameter, runs.size(), mean(finals), std(finals), mcc[peak], steps[peak],
                flops[peak], mean(finalDictionary), std(finalDictionary), last.trainingFlops(), last.inferenceFlops(),
                mean(runSeconds), metrics, new Curve(steps, mcc, mccStd, dictionary, flops, seconds));
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Population standard deviation (numpy's default, as the reference reports ±), 0 for a single value. */
    static double std(double[] values) {
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / values.length);
    }
}
