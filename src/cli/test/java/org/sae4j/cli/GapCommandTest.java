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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.NpyWriter;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import picocli.CommandLine;

class GapCommandTest {

    private static final int D_IN = 16;
    private static final int D_SAE = 48;

    @TempDir
    private Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = new CommandLine(new GapCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    @Test
    void shouldWriteTheReportAndPrintOneJsonObject() throws IOException {
        Path sae = writeSae();
        Path input = dir.resolve("acts.npy");
        NpyWriter.writeFloats(input, new long[] {40, D_IN}, gaussian(3, 40 * D_IN, 1.0));
        Path report = dir.resolve("report");

        int code = run("--sae", sae.toString(), "--input", input.toString(), "--budgets", "0,2,8", "--batch", "16",
                "--out", report.toString(), "--json", "--no-progress");

        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(40, json.get("rows").asInt());
        assertEquals(3, json.get("fista").size());
        assertEquals(8, json.get("fista").get(2).get("steps").asInt());
        assertEquals(2, json.get("pursuits").size());
        for (String file : new String[] {"gap.json", "gap.md", "gap-fvu-by-steps.svg", "gap-fvu-by-steps.png",
                "gap-fvu-by-time.svg", "gap-l0-by-steps.svg", "gap-l0-by-steps.png"}) {
            assertTrue(Files.size(report.resolve(file)) > 0, file);
        }
    }

    @Test
    void shouldExitTwoNamingTheWidthWhenTheInputDoesNotMatch() throws IOException {
        Path sae = writeSae();
        Path input = dir.resolve("wide.npy");
        NpyWriter.writeFloats(input, new long[] {4, D_IN + 1}, new float[4 * (D_IN + 1)]);

        int code = run("--sae", sae.toString(), "--input", input.toString(), "--out", dir.resolve("r").toString(),
                "--no-progress");

        assertEquals(2, code);
        assertTrue(err.toString().startsWith("sae4j gap:"), err.toString());
        assertTrue(err.toString().contains(Integer.toString(D_IN)), err.toString());
    }

    private Path writeSae() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        float[] decoder = gaussian(2, D_SAE * D_IN, 0.25);
        float[] encoderBias = new float[D_SAE];
        for (int j = 0; j < D_SAE; j++) {
            encoderBias[j] = (float) (-0.2 * random.nextDouble());
        }
        Path folder = dir.resolve("sae");
        try (Sae sae = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE),
                SaeWeights.of(decoder.clone(), encoderBias, decoder, new float[D_IN]))) {
            SaeWriter.write(folder, sae);
        }
        return folder;
    }

    private static float[] gaussian(long seed, int n, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (scale * (random.nextDouble() * 2 - 1) * Math.sqrt(3));
        }
        return values;
    }
}
