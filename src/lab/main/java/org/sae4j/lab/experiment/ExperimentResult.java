package org.sae4j.lab.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one experiment run produced; written as JSON and summarised in the Markdown report.
 *
 * @param experiment  the experiment's command-line name
 * @param settings    the resolved settings, by name
 * @param environment kernel provider, threads, JDK and machine
 * @param methods     aggregated results per method (for the scaling grid: the cells' methods, named by cell)
 * @param cells       the scaling grid's cells; empty for other experiments
 * @param findings    checks of the paper's claims and derived numbers, one sentence each
 * @param wallSeconds wall-clock seconds of the whole experiment (data, all runs, evaluations), excluding reporting
 */
public record ExperimentResult(String experiment, Map<String, Object> settings, Map<String, String> environment,
                               List<MethodSummary> methods, List<ScalingCell> cells, List<String> findings,
                               double wallSeconds) {

    public ExperimentResult {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        methods = List.copyOf(methods);
        cells = List.copyOf(cells);
        findings = List.copyOf(findings);
    }

    /** The summary of the method called {@code name}, or null. */
    public MethodSummary method(String name) {
        for (MethodSummary summary : methods) {
            if (summary.method().equals(name)) {
                return summary;
            }
        }
        return null;
    }
}
