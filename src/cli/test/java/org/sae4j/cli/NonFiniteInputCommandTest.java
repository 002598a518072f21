package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.CsrCodeWriter;
import org.sae4j.io.NpyFile;
import org.sae4j.io.NpyWriter;
import org.sae4j.io.SafetensorsWriter;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.eval.StandardSaeReference;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine;

/**
 * {@code eval}, {@code gap} and {@code decode} on files holding NaN and infinities: by default exit 2 with the
 * position named and no output left; with {@code --non-finite skip} or {@code zero} the rows are left out or zeroed
 * and the summary counts them.
 */
final class NonFiniteInputCommandTest {

    private static final int D_IN = 10;
    private static final int D_SAE = 24;
    private static final int ROWS = 30;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private StandardSaeReference reference;
    private float[] clean;
    private Path sae;

    @BeforeEach
    void writeSae() throws IOException {
        reference = new StandardSaeReference(D_IN, D_SAE, 41);
        clean = StandardSaeReference.gaussian(42, ROWS * D_IN, 1, 0.2);
        sae = dir.resolve("sae");
        SaeWriter.write(sae, SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights());
    }

    private int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine line = new CommandLine(command);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    /** The clean activations with NaN at (3, 7), +Inf at (12, 0) and −Inf at (29, 9). */
    private float[] broken() {
        float[] x = clean.clone();
        x[3 * D_IN + 7] = Float.NaN;
        x[12 * D_IN] = Float.POSITIVE_INFINITY;
        x[29 * D_IN + 9] = Float.NEGATIVE_INFINITY;
        return x;
    }

    private Path npy(String name, float[] values, int cols) throws IOException {
        Path path = dir.resolve(name);
        NpyWriter.writeFloats(path, new long[] {values.length / cols, cols}, values);
        return path;
    }

    private static float[] withoutRows(float[] values, int cols, int... rows) {
        float[] kept = new float[values.length - rows.length * cols];
        int write = 0;
        for (int r = 0; r < values.length / cols; r++) {
            if (Arrays.binarySearch(rows, r) < 0) {
                System.arraycopy(values, r * cols, kept, write, cols);
                write += cols;
            }
        }
        return kept;
    }

    private static float[] readNpy(Path path) throws IOException {
        try (TensorArena arena = new TensorArena("test")) {
            return NpyFile.open(path, arena).readFloats();
        }
    }

    // ---- eval ----

    @Test
    void shouldExitTwoNamingTheRowAndColumnWhenEvalMeetsANaN() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path report = dir.resolve("report");
        assertEquals(2, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(), "--batch", "8",
                "--out", report.toString(), "--no-progress"));
        assertEquals("sae4j eval: " + input + " row 3, column 7: NaN (inputs must be finite)", err.toString().strip());
        assertFalse(Files.exists(report), "no report folder after a refused input");
        assertEquals("", out.toString());
    }

    @Test
    void shouldNameTheTensorWhenEvalMeetsAnInfinityInASafetensorsInput() throws IOException {
        float[] x = clean.clone();
        x[17 * D_IN + 4] = Float.NEGATIVE_INFINITY;
        Path input = dir.resolve("acts.safetensors");
        new SafetensorsWriter().addFloats("resid", new long[] {ROWS, D_IN}, x)
                .addFloats("other", new long[] {1}, new float[] {1}).write(input);
        assertEquals(2, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(), "--tensor",
                "resid", "--json"));
        assertEquals("sae4j eval: " + input + " tensor 'resid' row 17, column 4: -Infinity (inputs must be finite)",
                err.toString().strip());
    }

    @Test
    void shouldCountSkippedRowsAndLeaveThemOutOfTheMetricsWhenEvalSkips() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path kept = npy("kept.npy", withoutRows(clean, D_IN, 3, 12, 29), D_IN);
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", kept.toString(), "--json"),
                err.toString());
        JsonNode expected = new ObjectMapper().readTree(out.toString());
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(),
                "--non-finite", "skip", "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS - 3, json.get("tokens").asLong());
        assertEquals(3, json.get("skipped_rows").asLong());
        assertEquals(0, json.get("zeroed_rows").asLong());
        assertEquals("skip", json.get("non_finite").asText());
        for (String metric : new String[] {"fvu", "mse_sum", "legacy_explained_variance", "l0", "l1"}) {
            assertEquals(expected.get(metric).asDouble(), json.get(metric).asDouble(), metric);
        }
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(),
                "--non-finite", "skip", "--no-progress"), err.toString());
        assertTrue(out.toString().contains("| skipped_rows "), out.toString());
        assertTrue(out.toString().lines().anyMatch(line -> line.matches("\\| skipped_rows +\\| 3 +\\|.*")),
                out.toString());
    }

    @Test
    void shouldCountZeroedRowsWhenEvalZeroes() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(),
                "--non-finite", "zero", "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS, json.get("tokens").asLong());
        assertEquals(3, json.get("zeroed_rows").asLong());
        assertEquals(0, json.get("skipped_rows").asLong());
        assertTrue(Double.isFinite(json.get("fvu").asDouble()), out.toString());
    }

    @Test
    void shouldReportNoSkippedRowsWhenTheInputIsFinite() throws IOException {
        Path input = npy("x.npy", clean, D_IN);
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(), "--json"),
                err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS, json.get("tokens").asLong());
        assertEquals(0, json.get("skipped_rows").asLong());
        assertEquals("refuse", json.get("non_finite").asText());
    }

    @Test
    void shouldExitTwoWhenThePolicyIsUnknown() throws IOException {
        Path input = npy("x.npy", clean, D_IN);
        assertEquals(2, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(),
                "--non-finite", "drop"));
        assertTrue(err.toString().contains("unknown non-finite policy 'drop'; expected refuse, skip or zero"),
                err.toString());
    }

    // ---- gap ----

    @Test
    void shouldExitTwoAndWriteNoReportWhenGapMeetsAnInfinity() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path report = dir.resolve("gap");
        assertEquals(2, run(new GapCommand(), "--sae", sae.toString(), "--input", input.toString(), "--budgets",
                "0,2", "--no-pursuits", "--out", report.toString(), "--no-progress"));
        assertEquals("sae4j gap: " + input + " row 3, column 7: NaN (inputs must be finite)", err.toString().strip());
        assertFalse(Files.exists(report), "no report folder after a refused input");
    }

    @Test
    void shouldCountTheRowsWhenGapSkipsOrZeroes() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path report = dir.resolve("gap");
        assertEquals(0, run(new GapCommand(), "--sae", sae.toString(), "--input", input.toString(), "--budgets",
                "0,2", "--no-pursuits", "--out", report.toString(), "--non-finite", "skip", "--json",
                "--no-progress"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS - 3, json.get("rows").asInt());
        assertEquals(3, json.get("skippedRows").asLong());
        assertEquals(0, json.get("zeroedRows").asLong());
        assertEquals(3, new ObjectMapper().readTree(report.resolve("gap.json").toFile()).get("skippedRows").asLong());

        assertEquals(0, run(new GapCommand(), "--sae", sae.toString(), "--input", input.toString(), "--budgets",
                "0,2", "--no-pursuits", "--out", report.toString(), "--non-finite", "zero", "--no-progress"),
                err.toString());
        assertTrue(out.toString().contains("\n3 rows zeroed (NaN or infinite values).\n"), out.toString());
        JsonNode written = new ObjectMapper().readTree(report.resolve("gap.json").toFile());
        assertEquals(ROWS, written.get("rows").asInt());
        assertEquals(3, written.get("zeroedRows").asLong());
    }

    // ---- decode ----

    @Test
    void shouldExitTwoAndKeepTheEarlierOutputWhenDecodeMeetsANaN() throws IOException {
        float[] codes = new float[4 * D_SAE];
        codes[2 * D_SAE + 19] = Float.NEGATIVE_INFINITY;
        Path input = npy("z.npy", codes, D_SAE);
        Path output = dir.resolve("xhat.npy");
        Files.writeString(output, "an earlier result");
        assertEquals(2, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString()));
        assertEquals("sae4j decode: " + input + " row 2, column 19: -Infinity (inputs must be finite)",
                err.toString().strip());
        assertEquals("an earlier result", Files.readString(output));

        Path fresh = dir.resolve("fresh.npy");
        assertEquals(2, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                fresh.toString()));
        assertFalse(Files.exists(fresh), "no output after a refused input");
    }

    @Test
    void shouldExitTwoNamingTheLatentWhenSparseCodesHoldANaN() throws IOException {
        Path input = dir.resolve("z.safetensors");
        CsrCodeWriter writer = new CsrCodeWriter(D_SAE);
        writer.append(SparseCode.ofCsr(D_SAE, new int[] {0, 2, 3, 5}, new int[] {1, 6, 3, 8, 20},
                new float[] {0.5f, 1f, 2f, 0.25f, Float.NaN}));
        writer.write(input);
        Path output = dir.resolve("xhat.npy");
        assertEquals(2, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "2"));
        assertEquals("sae4j decode: " + input + " row 2, column 20: NaN (inputs must be finite)",
                err.toString().strip());
        assertFalse(Files.exists(output), "no output after a refused input");

        assertEquals(0, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "2", "--non-finite", "zero", "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(3, json.get("rows").asLong());
        assertEquals(1, json.get("zeroed_rows").asLong());
        float[] decoded = readNpy(output);
        float[] bias = reference.weights().decoderBias();
        assertArrayEquals(bias, Arrays.copyOfRange(decoded, 2 * D_IN, 3 * D_IN), "a zeroed row decodes to b_dec");

        assertEquals(0, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "2", "--non-finite", "skip"), err.toString());
        assertTrue(out.toString().startsWith("2 rows decoded (normalised space), 1 row skipped (NaN or infinite "
                + "values), "), out.toString());
        assertArrayEquals(Arrays.copyOf(decoded, 2 * D_IN), readNpy(output), 1e-6f);
    }

    @Test
    void shouldWriteOnlyTheFiniteRowsWhenDecodeSkipsDenseCodes() throws IOException {
        float[] codes = StandardSaeReference.gaussian(43, 7 * D_SAE, 0.5, 0.5);
        float[] broken = codes.clone();
        broken[D_SAE + 3] = Float.NaN;
        broken[5 * D_SAE] = Float.POSITIVE_INFINITY;
        Path input = npy("z.npy", broken, D_SAE);
        Path output = dir.resolve("xhat.npy");
        assertEquals(0, run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "3", "--non-finite", "skip", "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(5, json.get("rows").asLong());
        assertEquals(2, json.get("skipped_rows").asLong());
        try (Sae model = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights())) {
            // fp32 sums of 24 O(1) terms: the batch split may round differently, by ~1e-6
            assertArrayEquals(model.decodeDense(withoutRows(codes, D_SAE, 1, 5)), readNpy(output), 1e-5f);
        }
    }

    // ---- encode ----

    @Test
    void shouldExitTwoNamingTheFilesRowAndLeaveNoOutputWhenEncodeMeetsANaN() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        for (String name : new String[] {"z.npy", "z.safetensors"}) {
            Path output = dir.resolve(name);
            assertEquals(2, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                    output.toString(), "--batch", "8", "--no-progress"));
            assertEquals("sae4j encode: " + input + " row 3, column 7: NaN (inputs must be finite)",
                    err.toString().strip());
            assertFalse(Files.exists(output), name + " left behind after a refused input");
        }
    }

    @Test
    void shouldEncodeOnlyTheFiniteRowsWhenEncodeSkips() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path output = dir.resolve("z.npy");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "8", "--non-finite", "skip", "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS - 3, json.get("rows").asLong());
        assertEquals(3, json.get("skipped_rows").asLong());
        assertEquals("skip", json.get("non_finite").asText());
        try (Sae model = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights())) {
            assertArrayEquals(model.encode(withoutRows(clean, D_IN, 3, 12, 29)), readNpy(output));
        }
    }

    @Test
    void shouldEncodeZeroedRowsAsZeroInputsWhenEncodeZeroes() throws IOException {
        Path input = npy("x.npy", broken(), D_IN);
        Path output = dir.resolve("z.npy");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                output.toString(), "--batch", "8", "--non-finite", "zero"), err.toString());
        assertTrue(out.toString().contains("30 rows encoded (amortised, dense), 3 rows zeroed (NaN or infinite "
                + "values), "), out.toString());
        float[] zeroed = clean.clone();
        for (int row : new int[] {3, 12, 29}) {
            Arrays.fill(zeroed, row * D_IN, (row + 1) * D_IN, 0f);
        }
        try (Sae model = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights())) {
            assertArrayEquals(model.encode(zeroed), readNpy(output));
        }
    }
}
