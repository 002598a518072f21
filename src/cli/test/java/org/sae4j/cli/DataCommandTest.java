package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.data.SyntheticDataFile;
import picocli.CommandLine;

/** Runs {@code sae4j data} in-process and reads its file back. */
final class DataCommandTest {

    @TempDir
    Path folder;

    /** Output of one command run: exit code, stdout, stderr. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new DataCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void shouldWritePaperDataAndPrintOneLineWhenGivenPaperSetting() throws IOException {
        Path file = folder.resolve("known-d.safetensors");

        Run run = run("--n", "16", "--m", "8", "--k", "3", "--seed", "20240625", "--samples", "1024", "--out",
                file.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().strip().lines().count(), "exactly one line: " + run.out());
        assertEquals("wrote " + file + ": N=16 M=8 K=3, 1024 train + 1024 test rows, seed 20240625, numpy codes, "
                + "noise 0.0, " + Files.size(file) + " bytes", run.out().strip());
        SyntheticData read = SyntheticDataFile.read(file);
        assertEquals(SyntheticConfig.paper(20240625L), read.config());
    }

    @Test
    void shouldUseNativeModeAndNoiseWhenRequested() throws IOException {
        Path file = folder.resolve("noisy.safetensors");

        Run run = run("--n", "10", "--m", "5", "--k", "2", "--seed", "-3", "--samples", "64", "--noise", "0.25",
                "--mode", "native", "--out", file.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(new SyntheticConfig(10, 5, 2, 64, -3L, 0.25, SyntheticConfig.Mode.NATIVE),
                SyntheticDataFile.read(file).config());
    }

    @Test
    void shouldUsePaperDefaultsWhenOnlyOutputGiven() throws IOException {
        Path file = folder.resolve("defaults.safetensors");

        Run run = run("--out", file.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(SyntheticConfig.paper(20240625L), SyntheticDataFile.read(file).config());
    }

    @Test
    void shouldFailWithUsageErrorWhenKExceedsN() {
        Path file = folder.resolve("bad.safetensors");

        Run run = run("--n", "4", "--k", "5", "--out", file.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("activePerSample (K) must be in [0, N = 4], got 5"), run.err());
        assertFalse(Files.exists(file));
    }

    @Test
    void shouldFailWithUsageErrorWhenModeIsUnknown() {
        Run run = run("--mode", "torch", "--out", folder.resolve("x.safetensors").toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--mode must be numpy or native, got 'torch'"), run.err());
    }

    @Test
    void shouldFailWithUsageErrorWhenOutputIsMissing() {
        Run run = run("--n", "16");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--out"), run.err());
    }
}
