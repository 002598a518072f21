package org.sae4j.lab.experiment;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run (one model seed) of one method.
 *
 * @param method  the method's name
 * @param seed    the run seed
 * @param curve   logged points in step order; at least one
 * @param metrics final test-split statistics by name (see {@link CodeStatistics})
 */
public record RunResult(String method, long seed, List<CurvePoint> curve, Map<String, Double> metrics) {

    public RunResult {
        Objects.requireNonNull(method, "method");
        curve = List.copyOf(curve);
        metrics = Map.copyOf(metrics);
        if (curve.isEmpty()) {
            throw new IllegalArgumentException(method + ": a run needs at least one logged point");
        }
    }

    public CurvePoint last() {
        return curve.getLast();
    }

    /** The point of highest MCC, the earliest on ties. */
    public CurvePoint peak() {
        CurvePoint best = curve.getFirst();
        for (CurvePoint point : curve) {
            if (point.mcc() > best.mcc()) {
                best = point;
            }
        }
        return best;
    }
}
