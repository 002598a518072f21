package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

final class ExperimentCommandTest {

    @Test
    void shouldPrintOneJsonObjectAndWriteTheReportWhenAskedForJson(@TempDir Path out) throws Exception {
        StringWriter stdout = new StringWriter();
        CommandLine line = new CommandLine(new ExperimentCommand());
        line.setOut(new PrintWriter(stdout));
        int code = line.execute("known-z", "--steps", "40", "--eval-every", "20", "--seeds", "2", "--threads", "2",
                "--no-progress", "--json", "--out", out.toString());
        assertEquals(0, code);
        JsonNode json = new ObjectMapper().readTree(stdout.toString());
        assertEquals("known-z", json.get("experiment").asText());
        assertEquals(4, json.get("methods").size());
        JsonNode sae = json.get("methods").get(0);
        assertEquals("SAE+bias", sae.get("method").asText());
        for (String field : new String[] {"finalMcc", "peakMcc", "peakStep", "trainingFlops", "inferenceFlops",
                "seconds", "curve"}) {
            assertTrue(sae.has(field), field);
        }
        assertEquals(3, sae.get("curve").get("steps").size(), "steps 0, 20 and 40");
        assertTrue(Files.exists(out.resolve("report.md")));
        assertTrue(Files.exists(out.resolve("mcc-vs-steps.svg")));
    }

    @Test
    void shouldExitWithUsageErrorWhenTheExperimentIsUnknownOrTheGridMisplaced() {
        StringWriter stderr = new StringWriter();
        CommandLine line = new CommandLine(new ExperimentCommand());
        line.setErr(new PrintWriter(stderr));
        assertEquals(2, line.execute("known-x"));
        assertTrue(stderr.toString().contains("unknown experiment 'known-x'"), stderr.toString());
        assertEquals(2, new CommandLine(new ExperimentCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("known-d", "--grid-n", "16"));
    }
}
