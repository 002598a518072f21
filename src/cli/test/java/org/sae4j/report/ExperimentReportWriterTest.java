package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.lab.experiment.ExperimentKind;
import org.sae4j.lab.experiment.ExperimentResult;
import org.sae4j.lab.experiment.ExperimentRunner;
import org.sae4j.lab.experiment.ExperimentSettings;
import org.sae4j.lab.experiment.MethodSummary;
import org.sae4j.lab.experiment.ProgressMeter;
import org.sae4j.lab.experiment.ScalingAxes;
import org.sae4j.lab.experiment.ScalingCell;

/** Short lab experiments written out as reports: the known-dictionary ordering at 2,000 steps and a scaling grid. */
final class ExperimentReportWriterTest {

    @Test
    void shouldOrderKnownDictionaryMethodsAsThePaperAfterAShortRun(@TempDir Path out) throws IOException {
        ExperimentSettings settings = ExperimentSettings.defaults(ExperimentKind.KNOWN_D, 2).withBudget(2000, 500, 1);
        ExperimentResult result = ExperimentRunner.run(settings, ProgressMeter.NONE);
        MethodSummary sae = result.method("SAE");
        MethodSummary ito = result.method("SAE+ITO");
        MethodSummary mlp256 = result.method("MLP-256");
        MethodSummary warm = result.method("SAE → FISTA");
        assertEquals(1, sae.runs());
        assertEquals(1, ito.runs(), "the true-dictionary ITO is deterministic and runs once");
        assertEquals(0.0, ito.finalMccStd());
        // Reference at 2k steps: SAE ≈ 0.70 (peak region), ITO 0.703, MLP-256 ≥ 0.75 from ~1k steps.
        assertTrue(sae.finalMcc() > 0.55 && sae.finalMcc() < 0.8, "SAE " + sae.finalMcc());
        assertTrue(ito.finalMcc() > 0.6 && ito.finalMcc() < 0.8, "ITO " + ito.finalMcc());
        assertTrue(mlp256.finalMcc() > sae.finalMcc(), "MLP-256 " + mlp256.finalMcc() + " vs SAE " + sae.finalMcc());
        assertTrue(warm.peakMcc() >= 0.95, "FISTA from the SAE's codes " + warm.peakMcc());
        assertEquals(15, warm.curve().steps().length, "one point per FISTA budget of the lab (1 to 1000 steps)");
        assertEquals(2000, sae.curve().steps()[sae.curve().steps().length - 1]);
        assertEquals(0, sae.curve().steps()[0], "the curve starts at the initial encoder");
        assertFalse(result.findings().isEmpty());

        List<Path> files = ExperimentReportWriter.write(result, out);
        assertTrue(files.contains(out.resolve("report.md")));
        assertTrue(Files.size(out.resolve("mcc-vs-flops.png")) > 1000);
        JsonNode json = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("known-d", json.get("experiment").asText());
        assertEquals(sae.finalMcc(), json.get("methods").get(0).get("finalMcc").asDouble());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| SAE+ITO"), report);
    }

    @Test
    void shouldRunATinyScalingGridAndDrawTheRecoveryBoundary(@TempDir Path out) throws IOException {
        ExperimentSettings settings = new ExperimentSettings(ExperimentKind.SCALING, 16, 8, 3, 200, 20240927L, 1, 2,
                100, null, new ScalingAxes(new int[] {8, 16}, new int[] {8, 16}, new int[] {3}));
        ExperimentResult result = ExperimentRunner.run(settings, ProgressMeter.NONE);
        assertEquals(2 * 2 * 3, result.cells().size(), "2 N x 2 M x 3 methods");
        ScalingCell cell = result.cells().getFirst();
        assertEquals(8, cell.latents());
        assertEquals(2.0 * 3 * Math.log(16.0 / 3), ScalingCell.recoveryBoundary(16, 3), 1e-12);
        ExperimentReportWriter.write(result, out);
        assertTrue(Files.exists(out.resolve("scaling-sae-k3.png")));
        assertTrue(Files.readString(out.resolve("scaling-sc-minus-sae-k3.svg")).contains("overlay"));
    }
}
