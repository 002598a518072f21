package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sae4j.kernel.Kernels;
import picocli.CommandLine;

/** Runs {@code sae4j bench} in-process on tiny shapes. */
final class BenchCommandTest {

    /** Output of one command run: exit code, stdout, stderr. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gemm, 64x32x128", "encode, 64x32x128", "gemv, 64x128"})
    void shouldPrintOneJsonObjectWhenJsonRequested(String op, String shape) throws Exception {
        Run run = run(op, "--m", "64", "--n", "128", "--k", "32", "--repeats", "2", "--warmup", "1", "--threads", "1",
                "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(op, json.get("op").asText(), run.out());
        assertEquals(shape, json.get("shape").asText(), run.out());
        assertEquals(1, json.get("threads").asInt(), run.out());
        assertTrue(json.get("gflops").asDouble() > 0, run.out());
        assertTrue(json.get("median_ms").asDouble() >= 0, run.out());
        assertEquals(2, json.get("repeats").asInt(), run.out());
        assertEquals(1, run.out().strip().lines().count(), "exactly one line: " + run.out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemv", "gemm"})
    void shouldPrintGflopsLineWhenTextOutput(String op) {
        Run run = run(op, "--m", "32", "--n", "48", "--k", "16", "--repeats", "3", "--warmup", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith(op + " "), run.out());
        assertTrue(run.out().contains("GFLOP/s"), run.out());
        assertTrue(run.out().contains("median"), run.out());
    }

    @Test
    void shouldTimeBf16WeightsWhenGemvWithBf16() throws Exception {
        Run run = run("gemv", "--m", "64", "--n", "128", "--repeats", "2", "--warmup", "1", "--bf16", "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("gemv-bf16", json.get("op").asText(), run.out());
        assertTrue(json.get("gflops").asDouble() > 0, run.out());
    }

    @Test
    void shouldUseTheGivenThreadsAndLeaveTheSharedContextAloneWhenThreadsGiven() throws Exception {
        int before = Kernels.threads();
        int requested = before + 1;
        Run run = run("gemm", "--m", "48", "--n", "64", "--k", "16", "--repeats", "1", "--warmup", "0",
                "--threads", Integer.toString(requested), "--json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(requested, new ObjectMapper().readTree(run.out()).get("threads").asInt(), run.out());
        assertEquals(before, Kernels.threads(), "the shared context keeps its threads");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "conv | unknown op 'conv': expected one of gemm, gemv, encode",
        "gemm --m -4 | --m must be positive, got -4",
        "encode --k 0 | --k must be positive, got 0",
        "gemv --repeats 0 | --repeats must be positive, got 0",
        "gemv --warmup -1 | --warmup must not be negative, got -1",
        "gemm --threads 0 | --threads must be between 1 and",
        "gemm --bf16 | --bf16 applies to gemv only"})
    void shouldFailWithMessageWhenArgumentsInvalid(String args, String message) {
        Run run = run(args.strip().split("\\s+"));

        assertEquals(CommandLine.ExitCode.USAGE, run.exitCode(), run.out());
        assertTrue(run.err().contains(message), run.err());
        assertEquals("", run.out());
    }
}
