package org.sae4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sae4j.lab.experiment.ExperimentResult;
import org.sae4j.lab.experiment.MethodSummary;
import org.sae4j.lab.experiment.ScalingCell;
import org.sae4j.lab.experiment.SweepName;


/**
 * Writes an experiment's outputs into a folder: {@code result.json}, plots as SVG and PNG, and {@code report.md}
 * with the summary table, the findings and the plots.
 */
public final class ExperimentReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentReportWriter() {
    }

    /** The result as JSON text (pretty-printed when {@code pretty}). */
    public static String json(ExperimentResult result, boolean pretty) {
        try {
            return pretty ? JSON.writeValueAsString(result) : JSON.copy()
                    .disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        } catch (IOException impossible) {
            throw new IllegalStateException("result not serialisable: " + impossible.getMessage(), impossible);
        }
    }

    /**
     * @return the files written
     * @throws IOException when the folder or a file cannot be written
     */
    public static List<Path> write(ExperimentResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Path json = directory.resolve("result.json");
        Files.writeString(json, json(result, true));
        written.add(json);
        Map<String, Plot> plots = plots(result);
        for (Map.Entry<String, Plot> plot : plots.entrySet()) {
            written.addAll(PlotWriter.write(plot.getValue(), directory, plot.getKey()));
        }
        Path markdown = directory.resolve("report.md");
        Files.writeString(markdown, markdown(result, plots.keySet()));
        written.add(markdown);
        return written;
    }

    static Map<String, Plot> plots(ExperimentResult result) {
        Map<String, Plot> plots = new LinkedHashMap<>();
        if (!result.cells().isEmpty()) {
            scalingPlots(result, plots);
            return plots;
        }
        List<MethodSummary> curves = new ArrayList<>();
        List<MethodSummary> fista = new ArrayList<>();
        Map<String, List<MethodSummary>> families = new LinkedHashMap<>();
        for (MethodSummary method : result.methods()) {
            if (SweepName.isMember(method.method())) {
                families.computeIfAbsent(SweepName.family(method.method()), f -> new ArrayList<>()).add(method);
            } else if (method.method().contains("FISTA")) {
                fista.add(method);
            } else if (method.curve().steps().length > 1) {
                curves.add(method);
            }
        }
        String name = result.experiment();
        if (!curves.isEmpty()) {
            plots.put("mcc-vs-flops", curvePlot(name + ": test MCC against FLOPs", "FLOPs (training + test inference)",
                    AxisScale.LOG10, curves, Axis.FLOPS, false));
            plots.put("mcc-vs-steps", curvePlot(name + ": test MCC against steps", "step / iteration",
                    AxisScale.LINEAR, curves, Axis.STEPS, false));
            plots.put("mcc-vs-seconds", curvePlot(name + ": test MCC against wall time", "seconds (measured)",
                    AxisScale.LOG10, curves, Axis.SECONDS, false));
            if (curves.stream().anyMatch(m -> !Double.isNaN(m.finalDictionaryMcc()))) {
                plots.put("dictionary-mcc-vs-steps", curvePlot(name + ": dictionary MCC against steps", "step",
                        AxisScale.LINEAR, curves, Axis.STEPS, true));
            }
        }
        if (!fista.isEmpty()) {
            plots.put("fista-refinement", curvePlot(name + ": FISTA on the true dictionary, by iteration budget",
                    "FISTA iterations", AxisScale.LOG10, fista, Axis.STEPS, false));
        }
        if (!families.isEmpty()) {
            plots.put("sweep", sweepPlot(name, families));
        }
        return plots;
    }

    private enum Axis { FLOPS, STEPS, SECONDS }

    private static LinePlot curvePlot(String title, String xLabel, AxisScale xScale, List<MethodSummary> methods,
                                      Axis axis, boolean dictionary) {
        LinePlot.Builder builder = LinePlot.builder(title).x(xLabel, xScale)
                .y(dictionary ? "dictionary MCC" : "test MCC", AxisScale.LINEAR).yRange(0, 1);
        int added = 0;
        for (MethodSummary method : methods) {
            MethodSummary.Curve curve = method.curve();
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < curve.steps().length; i++) {
                double x = switch (axis) {
                    case FLOPS -> curve.flops()[i];
                    case STEPS -> curve.steps()[i];
                    case SECONDS -> curve.seconds()[i];
                };
                double y = dictionary ? curve.dictionaryMcc()[i] : curve.mcc()[i];
                if (Double.isFinite(y) && (xScale == AxisScale.LINEAR || x > 0)) {
                    points.add(new double[] {x, y, dictionary ? Double.NaN : curve.mccStd()[i]});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            double[] spread = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                xs[i] = points.get(i)[0];
                ys[i] = points.get(i)[1];
                spread[i] = points.get(i)[2];
            }
            builder.add(new Series(method.method(), xs, ys, spread, false));
            added++;
        }
        if (added == 0) {
            builder.add(Series.of("(no data)", new double[] {1}, new double[] {0}));
        }
        return builder.build();
    }

    private static LinePlot sweepPlot(String name, Map<String, List<MethodSummary>> families) {
        boolean logX = true;
        for (List<MethodSummary> members : families.values()) {
            for (MethodSummary member : members) {
                logX &= member.parameter() > 0;
            }
        }
        LinePlot.Builder builder = LinePlot.builder(name + ": final test MCC across the sweep")
                .x(sweepLabel(families), logX ? AxisScale.LOG10 : AxisScale.LINEAR)
                .y("final test MCC", AxisScale.LINEAR).yRange(0, 1);
        families.forEach((family, members) -> {
            double[] x = new double[members.size()];
            double[] y = new double[members.size()];
            double[] spread = new double[members.size()];
            for (int i = 0; i < members.size(); i++) {
                x[i] = members.get(i).parameter();
                y[i] = members.get(i).finalMcc();
                spread[i] = members.get(i).finalMccStd();
            }
            builder.add(new Series(family, x, y, spread, false));
        });
        return builder.build();
    }

    private static String sweepLabel(Map<String, List<MethodSummary>> families) {
        String first = families.values().iterator().next().getFirst().method();
        return SweepName.parameter(first);
    }

    private static void scalingPlots(ExperimentResult result, Map<String, Plot> plots) {
        List<Integer> ns = distinct(result.cells(), ScalingCell::latents);
        List<Integer> ms = distinct(result.cells(), ScalingCell::measurements);
        List<Integer> ks = distinct(result.cells(), ScalingCell::active);
        List<String> methods = new ArrayList<>();
        for (ScalingCell cell : result.cells()) {
            if (!methods.contains(cell.method())) {
                methods.add(cell.method());
            }
        }
        double[] xs = ns.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] ys = ms.stream().mapToDouble(Integer::doubleValue).toArray();
        for (int k : ks) {
            double[] boundary = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                boundary[i] = ScalingCell.recoveryBoundary((int) xs[i], k);
            }
            Series overlay = new Series("M = 2K ln(N/K)", xs, boundary, null, true);
            for (String method : methods) {
                double[][] values = grid(result.cells(), ns, ms, k, method, null);
                plots.put(("scaling-" + method + "-k" + k).toLowerCase(Locale.ROOT),
                        new Heatmap(result.experiment() + ": " + method + " test MCC, K = " + k, "N", xs, "M", ys,
                                values, 0, 1, overlay, true));
            }
            if (methods.contains("SC") && methods.contains("SAE")) {
                plots.put("scaling-sc-minus-sae-k" + k, new Heatmap(result.experiment()
                        + ": MCC of sparse coding minus SAE, K = " + k, "N", xs, "M", ys,
                        grid(result.cells(), ns, ms, k, "SC", "SAE"), -0.5, 0.5, overlay, true));
            }
        }
    }

    private static double[][] grid(List<ScalingCell> cells, List<Integer> ns, List<Integer> ms, int k, String method,
                                   String minus) {
        double[][] values = new double[ms.size()][ns.size()];
        for (double[] row : values) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (ScalingCell cell : cells) {
            if (cell.active() != k || !cell.method().equals(method)) {
                continue;
            }
            double value = cell.mcc();
            if (minus != null) {
                ScalingCell other = null;
                for (ScalingCell candidate : cells) {
                    if (candidate.method().equals(minus) && candidate.active() == k
                            && candidate.latents() == cell.latents() && candidate.measurements() == cell.measurements()) {
                        other = candidate;
                    }
                }
                value = other == null ? Double.NaN : value - other.mcc();
            }
            values[ms.indexOf(cell.measurements())][ns.indexOf(cell.latents())] = value;
        }
        return values;
    }

    private static List<Integer> distinct(List<ScalingCell> cells, java.util.function.ToIntFunction<ScalingCell> key) {
        return cells.stream().mapToInt(key).distinct().sorted().boxed().toList();
    }

    static String markdown(ExperimentResult result, Iterable<String> plotNames) {
        StringBuilder md = new StringBuilder();
        md.append("# sae4j experiment `").append(result.experiment()).append("`\n\n");
        md.append("Settings: ");
        result.settings().forEach((key, value) -> md.append('`').append(key).append('=').append(value).append("` "));
        md.append("\n\nEnvironment: ");
        result.environment().forEach((key, value) -> md.append(key).append(": ").append(value).append("; "));
        md.append(String.format(Locale.ROOT, "\n\nWall time of the whole experiment: %.1f s.%n%n", result.wallSeconds()));
        md.append("## Results\n\n");
        MarkdownTable table = new MarkdownTable("method", "runs", "final MCC", "± std", "peak MCC", "at step",
                "dictionary MCC", "training FLOPs", "inference FLOPs", "seconds / run");
        for (MethodSummary m : result.methods()) {
            table.row(m.method(), m.runs(), MarkdownTable.fixed(m.finalMcc(), 3), MarkdownTable.fixed(m.finalMccStd(), 3),
                    MarkdownTable.fixed(m.peakMcc(), 3), m.peakStep(),
                    Double.isNaN(m.finalDictionaryMcc()) ? "" : MarkdownTable.fixed(m.finalDictionaryMcc(), 3),
                    MarkdownTable.sci(m.trainingFlops()), MarkdownTable.sci(m.inferenceFlops()),
                    MarkdownTable.fixed(m.seconds(), 2));
        }
        md.append(table).append('\n');
        if (!result.findings().isEmpty()) {
            md.append("## Findings\n\n");
            for (String finding : result.findings()) {
                md.append("- ").append(finding).append('\n');
            }
            md.append('\n');
        }
        md.append("## Plots\n\n");
        for (String plot : plotNames) {
            md.append("![").append(plot).append("](").append(plot).append(".png)\n\n");
        }
        md.append("Raw numbers, including every curve: `result.json`.\n");
        return md.toString();
    }
}
