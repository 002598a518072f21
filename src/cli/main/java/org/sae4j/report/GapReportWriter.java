package org.sae4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sae4j.sae.refine.GapReport;
import org.sae4j.sae.refine.GapRow;
import org.sae4j.sae.refine.LambdaCalibration;

/**
 * Writes a {@link GapReport} as {@code gap.json}, three plots (FVU against FISTA steps, FVU against inference time
 * with the pursuits as single points, and L0 against FISTA steps), each as SVG and PNG, and {@code gap.md} with the
 * table and the headline.
 */
public final class GapReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GapReportWriter() {
    }

    /** The report as JSON text. */
    public static String json(GapReport report, boolean pretty) {
        try {
            return pretty ? JSON.writeValueAsString(report)
                    : JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("report not serialisable: " + impossible.getMessage(), impossible);
        }
    }

    /**
     * @return the files written
     * @throws IOException when the folder or a file cannot be written
     */
    public static List<Path> write(GapReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Path json = directory.resolve("gap.json");
        Files.writeString(json, json(report, true));
        written.add(json);
        written.addAll(PlotWriter.write(fvuBySteps(report), directory, "gap-fvu-by-steps"));
        written.addAll(PlotWriter.write(fvuByTime(report), directory, "gap-fvu-by-time"));
        written.addAll(PlotWriter.write(l0BySteps(report), directory, "gap-l0-by-steps"));
        Path markdown = directory.resolve("gap.md");
        Files.writeString(markdown, markdown(report));
        written.add(markdown);
        return written;
    }

    /** The table of every method, one row each. */
    public static String table(GapReport report) {
        MarkdownTable table = new MarkdownTable("method", "steps / L0 target", "FVU", "MSE", "L0", "objective",
                "µs/vector", "FLOPs/vector");
        List<GapRow> rows = new ArrayList<>(report.fista());
        rows.addAll(report.pursuits());
        for (GapRow row : rows) {
            String name = row.method().equals("fista") && row.steps() == 0 ? "encoder (fista 0)" : row.method();
            table.row(name, row.steps(), MarkdownTable.fixed(row.fvu(), 4), MarkdownTable.sci(row.mse()),
                    MarkdownTable.fixed(row.l0(), 1), MarkdownTable.sci(row.objective()),
                    MarkdownTable.fixed(row.microsPerVector(), 1), MarkdownTable.sci(row.flopsPerVector()));
        }
        return table.toString();
    }

    /** One or two sentences: how much of the encoder's error FISTA removes, and how fast. */
    public static String headline(GapReport report) {
        GapRow encoder = report.amortised();
        GapRow best = report.bestFista();
        StringBuilder text = new StringBuilder();
        text.append(String.format(java.util.Locale.ROOT,
                "The encoder alone leaves FVU %.4f at L0 %.1f; %d FISTA steps on the SAE's own decoder reach FVU %.4f "
                        + "at L0 %.1f (λ = %.4g), %.1f µs per vector against %.1f.",
                encoder.fvu(), encoder.l0(), best.steps(), best.fvu(), best.l0(), report.lambda(),
                best.microsPerVector(), encoder.microsPerVector()));
        int halving = report.stepsToHalveFvu();
        text.append(halving >= 0
                ? String.format(java.util.Locale.ROOT, " %d steps halve the encoder's FVU.", halving)
                : " No budget halves the encoder's FVU.");
        return text.toString();
    }

    private static String markdown(GapReport report) {
        StringBuilder text = new StringBuilder();
        text.append("# Amortisation gap: ").append(report.sae()).append("\n\n");
        text.append(report.rows()).append(" input rows, d_in ").append(report.dIn()).append(", d_sae ")
                .append(report.dSae()).append(".");
        if (report.skippedRows() > 0) {
            text.append(' ').append(report.skippedRows()).append(" more held NaN or infinite values and were skipped.");
        }
        if (report.zeroedRows() > 0) {
            text.append(' ').append(report.zeroedRows()).append(" of them held NaN or infinite values and were "
                    + "zeroed.");
        }
        text.append("\n\n");
        LambdaCalibration calibration = report.calibration();
        if (calibration != null) {
            text.append(String.format(java.util.Locale.ROOT,
                    "λ = %.4g matched to the encoder's L0 %.2f (reached %.2f; estimate %.4g; %d %s).%n%n",
                    calibration.lambda(), calibration.targetL0(), calibration.achievedL0(), calibration.estimate(),
                    calibration.probes(), calibration.probes() == 1 ? "probe" : "probes"));
        } else {
            text.append(String.format(java.util.Locale.ROOT, "λ = %.4g (given).%n%n", report.lambda()));
        }
        text.append(headline(report)).append("\n\n");
        text.append(table(report)).append("\n");
        text.append("![FVU by FISTA steps](gap-fvu-by-steps.svg)\n\n![FVU by time](gap-fvu-by-time.svg)\n\n"
                + "![L0 by FISTA steps](gap-l0-by-steps.svg)\n");
        return text.toString();
    }

    private static LinePlot fvuBySteps(GapReport report) {
        List<GapRow> fista = report.fista();
        double[] steps = new double[fista.size()];
        double[] fvu = new double[fista.size()];
        for (int i = 0; i < fista.size(); i++) {
            steps[i] = fista.get(i).steps();
            fvu[i] = fista.get(i).fvu();
        }
        LinePlot.Builder plot = LinePlot.builder("FVU after FISTA steps from the encoder's codes")
                .x("FISTA steps", AxisScale.LINEAR).y("FVU", AxisScale.LINEAR).yMin(0)
                .add(Series.of("FISTA (λ = " + String.format(java.util.Locale.ROOT, "%.3g", report.lambda()) + ")",
                        steps, fvu));
        double[] flat = {steps[0], steps[steps.length - 1]};
        plot.add(Series.of("encoder alone", flat, new double[] {report.amortised().fvu(), report.amortised().fvu()})
                .asDashed());
        return plot.build();
    }

    /** L0 moves a lot on the way (soft-thresholding starts from the encoder's support), so it gets its own plot. */
    private static LinePlot l0BySteps(GapReport report) {
        List<GapRow> fista = report.fista();
        double[] steps = new double[fista.size()];
        double[] l0 = new double[fista.size()];
        for (int i = 0; i < fista.size(); i++) {
            steps[i] = fista.get(i).steps();
            l0[i] = Math.max(fista.get(i).l0(), 1e-3);
        }
        double encoder = Math.max(report.amortised().l0(), 1e-3);
        return LinePlot.builder("Active latents per vector after FISTA steps")
                .x("FISTA steps", AxisScale.LINEAR).y("L0 (mean active latents)", AxisScale.LOG10)
                .add(Series.of("FISTA", steps, l0))
                .add(Series.of("encoder alone", new double[] {steps[0], steps[steps.length - 1]},
                        new double[] {encoder, encoder}).asDashed())
                .build();
    }

    private static LinePlot fvuByTime(GapReport report) {
        List<GapRow> fista = report.fista();
        double[] micros = new double[fista.size()];
        double[] fvu = new double[fista.size()];
        for (int i = 0; i < fista.size(); i++) {
            micros[i] = Math.max(fista.get(i).microsPerVector(), 1e-3);
            fvu[i] = fista.get(i).fvu();
        }
        LinePlot.Builder plot = LinePlot.builder("FVU against inference time per vector")
                .x("µs per vector", AxisScale.LOG10).y("FVU", AxisScale.LINEAR).yMin(0)
                .add(Series.of("encoder + FISTA", micros, fvu));
        for (GapRow pursuit : report.pursuits()) {
            plot.add(Series.of(pursuit.method() + " (L0 " + pursuit.steps() + ")",
                    new double[] {Math.max(pursuit.microsPerVector(), 1e-3)}, new double[] {pursuit.fvu()}));
        }
        return plot.build();
    }
}
