package org.sae4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of the paper lab's experiments: the known-dictionary ordering at 2,000 steps, aggregation, determinism
 * across thread counts, and the written outputs.
 */
final class ExperimentRunnerTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void shouldOrderKnownDictionaryMethodsAsThePaperAfterAShortRun(@TempDir Path out) throws IOException {
        ExperimentSettings settings = ExperimentSettings.defaults(ExperimentKind.KNOWN_D, 2).withBudget(2000, 500, 1);
        ExperimentResult result = ExperimentRunner.run(settings, QUIET, false);
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
        assertEquals(Experiments.FISTA_BUDGETS.length, warm.curve().steps().length);
        assertEquals(2000, sae.curve().steps()[sae.curve().steps().length - 1]);
        assertEquals(0, sae.curve().steps()[0], "the curve starts at the initial encoder");
        assertFalse(result.findings().isEmpty());

        List<Path> files = ReportWriter.write(result, out);
        assertTrue(files.contains(out.resolve("report.md")));
        assertTrue(Files.size(out.resolve("mcc-vs-flops.png")) > 1000);
        JsonNode json = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("known-d", json.get("experiment").asText());
        assertEquals(sae.finalMcc(), json.get("methods").get(0).get("finalMcc").asDouble());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| SAE+ITO"), report);
    }

    @Test
    void shouldGiveIdenticalResultsWhenRunningSeedsOnOneOrTwoThreads() throws IOException {
        ExperimentSettings one = new ExperimentSettings(ExperimentKind.KNOWN_Z, 16, 8, 3, 300, 20240625L, 3, 1, 100,
                null, null);
        ExperimentResult a = ExperimentRunner.run(one, QUIET, false);
        ExperimentResult b = ExperimentRunner.run(one.withThreads(2), QUIET, false);
        assertEquals(a.methods().size(), b.methods().size());
        for (int i = 0; i < a.methods().size(); i++) {
            MethodSummary x = a.methods().get(i);
            MethodSummary y = b.methods().get(i);
            assertEquals(x.method(), y.method());
            assertEquals(3, x.runs());
            assertEquals(x.finalMcc(), y.finalMcc(), x.method());
            assertEquals(x.finalMccStd(), y.finalMccStd(), x.method());
            assertEquals(x.metrics(), y.metrics(), x.method());
        }
    }

    @Test
    void shouldRecordDictionaryMccAndRunItoOnTheLearnedDecoderWhenBothAreUnknown() throws IOException {
        ExperimentSettings settings = new ExperimentSettings(ExperimentKind.UNKNOWN, 16, 8, 3, 200, 20240926L, 1, 2,
                200, null, null);
        ExperimentResult result = ExperimentRunner.run(settings, QUIET, false);
        for (String name : new String[] {"SAE", "SAE+ITO", "SC", "MLP-32", "MLP-256"}) {
            MethodSummary method = result.method(name);
            assertNotNull(method, name);
            assertTrue(method.finalDictionaryMcc() > 0 && method.finalDictionaryMcc() <= 1, name + " dictionary MCC");
        }
        MethodSummary saeIto = result.method("SAE+ITO");
        assertEquals(7_209_107_456L, saeIto.inferenceFlops(),
                "the reference's 10,000-iteration ITO on 1024 test points (paper-spec §9.2)");
        assertEquals(result.method("SAE").trainingFlops(), saeIto.trainingFlops());
    }

    @Test
    void shouldRunATinyScalingGridAndDrawTheRecoveryBoundary(@TempDir Path out) throws IOException {
        ExperimentSettings settings = new ExperimentSettings(ExperimentKind.SCALING, 16, 8, 3, 200, 20240927L, 1, 2,
                100, null, new ScalingAxes(new int[] {8, 16}, new int[] {8, 16}, new int[] {3}));
        ExperimentResult result = ExperimentRunner.run(settings, QUIET, false);
        assertEquals(2 * 2 * 3, result.cells().size(), "2 N x 2 M x 3 methods");
        ScalingCell cell = result.cells().getFirst();
        assertEquals(8, cell.latents());
        assertEquals(2.0 * 3 * Math.log(16.0 / 3), ScalingCell.recoveryBoundary(16, 3), 1e-12);
        ReportWriter.write(result, out);
        assertTrue(Files.exists(out.resolve("scaling-sae-k3.png")));
        assertTrue(Files.readString(out.resolve("scaling-sc-minus-sae-k3.svg")).contains("overlay"));
    }

    @Test
    void shouldRejectInvalidSettingsWithMessages() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new ExperimentSettings(ExperimentKind.KNOWN_D, 4, 8, 5, 10, 1, 1, 1, 1, null, null));
        assertTrue(k.getMessage().contains("K <= N"), k.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> ExperimentKind.byName("known-x"));
        assertTrue(name.getMessage().contains("known-d"), name.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ScalingAxes(new int[] {16, 16}, new int[] {8}, new int[] {3}));
    }
}
