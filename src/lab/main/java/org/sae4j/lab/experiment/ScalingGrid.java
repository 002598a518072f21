package org.sae4j.lab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.sae4j.lab.data.SyntheticData;

/**
 * The scaling experiment (paper-spec §10.4): SAE, MLP (H = 32) and sparse coding with a learned dictionary on a grid
 * over N, M and K, each cell on its own data of the experiment's seed. Cells with K ≥ 15 train for half the steps, as
 * the reference's FLOP counts imply (25k against 50k).
 */
final class ScalingGrid {

    private ScalingGrid() {
    }

    static ExperimentResult run(ExperimentSettings settings, ProgressMeter progress,
                                long start) {
        ScalingAxes axes = settings.grid() == null ? ScalingAxes.reference() : settings.grid();
        List<MethodSummary> all = new ArrayList<>();
        List<ScalingCell> cells = new ArrayList<>();
        for (int k : axes.active()) {
            int steps = k >= 15 ? Math.max(1, settings.steps() / 2) : settings.steps();
            for (int m : axes.measurements()) {
                for (int n : axes.latents()) {
                    if (k > n) {
                        continue;
                    }
                    SyntheticData data = SyntheticData.generate(ExperimentRunner.config(settings, n, m, k));
                    String cell = "N=" + n + " M=" + m + " K=" + k;
                    List<MethodSummary> summaries;
                    try (LabData lab = new LabData(data)) {
                        summaries = ExperimentRunner.runAll(Experiments.scalingCell(steps), lab,
                                settings.withBudget(steps, Math.min(settings.evaluationInterval(), steps),
                                        settings.runs()), progress, "scaling " + cell);
                    }
                    for (MethodSummary summary : summaries) {
                        cells.add(new ScalingCell(n, m, k, summary.method(), summary.finalMcc(), summary.finalMccStd(),
                                summary.finalDictionaryMcc(), summary.finalDictionaryStd(), summary.trainingFlops(),
                                summary.inferenceFlops(), summary.seconds()));
                        all.add(renamed(summary, summary.method() + " " + cell));
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> settingsMap = new java.util.LinkedHashMap<>(ExperimentRunner.settingsMap(settings));
        settingsMap.put("gridN", Arrays.toString(axes.latents()));
        settingsMap.put("gridM", Arrays.toString(axes.measurements()));
        settingsMap.put("gridK", Arrays.toString(axes.active()));
        return new ExperimentResult(settings.kind().cliName(), settingsMap, ExperimentRunner.environment(settings),
                all, cells, Findings.scaling(cells), seconds);
    }

    private static MethodSummary renamed(MethodSummary s, String name) {
        return new MethodSummary(name, s.parameter(), s.runs(), s.finalMcc(), s.finalMccStd(), s.peakMcc(),
                s.peakStep(), s.peakFlops(), s.finalDictionaryMcc(), s.finalDictionaryStd(), s.trainingFlops(),
                s.inferenceFlops(), s.seconds(), s.metrics(), s.curve());
    }
}
