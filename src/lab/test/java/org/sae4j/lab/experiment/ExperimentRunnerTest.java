package org.sae4j.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of the paper lab's experiments: the known-dictionary ordering at 2,000 steps, aggregation, determinism
 * across thread counts (the written reports: ExperimentReportWriterTest in the command line module).
 */
final class ExperimentRunnerTest {


    @Test
    void shouldGiveIdenticalResultsWhenRunningSeedsOnOneOrTwoThreads() throws IOException {
        ExperimentSettings one = new ExperimentSettings(ExperimentKind.KNOWN_Z, 16, 8, 3, 300, 20240625L, 3, 1, 100,
                null, null);
        ExperimentResult a = ExperimentRunner.run(one, ProgressMeter.NONE);
        ExperimentResult b = ExperimentRunner.run(one.withThreads(2), ProgressMeter.NONE);
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
        ExperimentResult result = ExperimentRunner.run(settings, ProgressMeter.NONE);
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
