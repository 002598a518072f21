package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SaeBenchCommandTest {

    @TempDir
    private Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = new CommandLine(new SaeBenchCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    @Test
    void shouldWriteTheSaeAndInputsAndReportEveryMeasurement() throws IOException {
        int code = run("--d-in", "16", "--d-sae", "64", "--k", "4", "--batch", "24", "--samples", "20", "--repeats",
                "1", "--watch", "8", "--fista-batch", "8", "--fista-steps", "2", "--work", dir.toString(), "--json");

        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("sae").resolve("cfg.json")));
        assertTrue(Files.isRegularFile(dir.resolve("x.npy")));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(5, json.get("openMillis").size());
        assertEquals(20, json.get("batch1Fp32").get("samples").asLong());
        assertEquals(24, json.get("topK").get("rows").asInt());
        assertEquals(json.get("fp32WeightBytes").asLong(), 2 * json.get("bf16WeightBytes").asLong());
        assertTrue(json.get("batch1Bf16").get("p50").asDouble() > 0);
        assertTrue(json.get("bf16Drift").get("meanActiveSetJaccard").asDouble() > 0.5);
    }

    @Test
    void shouldExitTwoOnImpossibleOptions() {
        assertEquals(2, run("--d-sae", "8", "--k", "9", "--work", dir.toString()));
        assertTrue(err.toString().startsWith("sae4j bench-sae:"), err.toString());
    }
}
