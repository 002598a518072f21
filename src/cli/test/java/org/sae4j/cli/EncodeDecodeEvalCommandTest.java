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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.NpyFile;
import org.sae4j.io.NpyWriter;
import org.sae4j.io.SafetensorsDType;
import org.sae4j.io.SafetensorsFile;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.eval.StandardSaeReference;
import org.sae4j.tensor.TensorArena;
import picocli.CommandLine;

final class EncodeDecodeEvalCommandTest {

    private static final int D_IN = 10;
    private static final int D_SAE = 24;
    private static final int ROWS = 37;
    /** fp32 encode and decode over 10 and 24 O(1) terms: ~1e-6 absolute error per element. */
    private static final double ELEMENT_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private StandardSaeReference reference;
    private float[] x;
    private Path sae;
    private Path input;

    @BeforeEach
    void writeFixtures() throws IOException {
        reference = new StandardSaeReference(D_IN, D_SAE, 31);
        x = StandardSaeReference.gaussian(32, ROWS * D_IN, 1, 0.2);
        sae = dir.resolve("sae");
        SaeWriter.write(sae, SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights());
        input = dir.resolve("x.npy");
        NpyWriter.writeFloats(input, new long[] {ROWS, D_IN}, x);
    }

    private int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine line = new CommandLine(command);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    private static float[] readNpy(Path path, long[] expectedShape) throws IOException {
        try (TensorArena arena = new TensorArena("test")) {
            NpyFile file = NpyFile.open(path, arena);
            assertEquals(java.util.Arrays.toString(expectedShape), java.util.Arrays.toString(file.shapeArray()));
            return file.readFloats();
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], ELEMENT_TOLERANCE, what + " element " + i);
        }
    }

    @Test
    void shouldEncodeDenseAndSparseAndDecodeBothToTheReference() throws IOException {
        double[] z = reference.encode(x);
        double[] xHat = reference.decode(z);
        Path dense = dir.resolve("z.npy");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                dense.toString(), "--batch", "8", "--json"), err.toString());
        JsonNode summary = new ObjectMapper().readTree(out.toString());
        assertEquals(ROWS, summary.get("rows").asLong());
        long nonZero = java.util.Arrays.stream(z).filter(v -> v > 0).count();
        assertEquals(nonZero, summary.get("nnz").asLong());
        assertEquals((double) nonZero / ROWS, summary.get("mean_l0").asDouble(), 1e-12);
        assertClose(z, readNpy(dense, new long[] {ROWS, D_SAE}), "dense codes");

        Path sparse = dir.resolve("z.safetensors");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                sparse.toString(), "--sparse", "--batch", "5"), err.toString());
        try (TensorArena arena = new TensorArena("test")) {
            SafetensorsFile file = SafetensorsFile.open(sparse, arena);
            assertEquals("csr", file.metadata().get("format"));
            assertEquals(Integer.toString(D_SAE), file.metadata().get("d_sae"));
            assertEquals(SafetensorsDType.I64, file.tensor("row_pointers").dtype());
            assertEquals(SafetensorsDType.I32, file.tensor("indices").dtype());
            assertEquals(SafetensorsDType.F32, file.tensor("values").dtype());
            long[] pointers = file.readLongs("row_pointers");
            long[] indices = file.readLongs("indices");
            float[] values = file.readFloats("values");
            assertEquals(ROWS + 1, pointers.length);
            assertEquals(nonZero, values.length);
            double[] scattered = new double[ROWS * D_SAE];
            for (int r = 0; r < ROWS; r++) {
                for (long t = pointers[r]; t < pointers[r + 1]; t++) {
                    scattered[r * D_SAE + (int) indices[(int) t]] = values[(int) t];
                }
            }
            float[] asFloats = new float[scattered.length];
            for (int i = 0; i < scattered.length; i++) {
                asFloats[i] = (float) scattered[i];
            }
            assertClose(z, asFloats, "sparse codes");
        }

        for (Path codes : new Path[] {dense, sparse}) {
            Path decoded = dir.resolve("xhat-" + codes.getFileName() + ".npy");
            assertEquals(0, run(new DecodeCommand(), "--sae", sae.toString(), "--input", codes.toString(),
                    "--output", decoded.toString(), "--batch", "6"), err.toString());
            assertClose(xHat, readNpy(decoded, new long[] {ROWS, D_IN}), "decode of " + codes.getFileName());
        }
    }

    @Test
    void shouldPrintTableAndWriteJsonAndHistogram() throws IOException {
        double[] expected = StandardSaeReference.metrics(x, reference.decode(reference.encode(x)), D_IN);
        Path report = dir.resolve("report");
        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(), "--batch", "9",
                "--out", report.toString(), "--dense-threshold", "0.3"), err.toString());
        assertTrue(out.toString().contains("| fvu"), out.toString());
        assertTrue(Files.size(report.resolve("density-histogram.svg")) > 0);
        assertTrue(Files.size(report.resolve("density-histogram.png")) > 0);
        JsonNode json = new ObjectMapper().readTree(report.resolve("eval.json").toFile());
        assertEquals(ROWS, json.get("tokens").asLong());
        assertEquals(expected[0], json.get("fvu").asDouble(), 1e-5 * expected[0]);
        assertEquals(expected[1], json.get("legacy_explained_variance").asDouble(), 1e-5);
        assertEquals(expected[2], json.get("mse_sum").asDouble(), 1e-5 * expected[2]);
        assertEquals(0.3, json.get("dense_threshold").asDouble());
        assertEquals(D_SAE, sum(json.get("density_histogram").get("counts")));

        assertEquals(0, run(new EvalCommand(), "--sae", sae.toString(), "--input", input.toString(), "--json"),
                err.toString());
        assertEquals(expected[0], new ObjectMapper().readTree(out.toString()).get("fvu").asDouble(),
                1e-5 * expected[0]);
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode count : counts) {
            total += count.asLong();
        }
        return total;
    }

    @Test
    void shouldEncodeWithSolversOnTheDecoder() throws IOException {
        Path omp = dir.resolve("omp.npy");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                omp.toString(), "--method", "omp", "--steps", "2", "--no-progress"), err.toString());
        float[] codes = readNpy(omp, new long[] {ROWS, D_SAE});
        for (int r = 0; r < ROWS; r++) {
            int active = 0;
            for (int j = 0; j < D_SAE; j++) {
                active += codes[r * D_SAE + j] != 0f ? 1 : 0;
            }
            assertTrue(active <= 2, "row " + r + " has " + active + " active latents, target 2");
        }
        Path fista = dir.resolve("fista.safetensors");
        assertEquals(0, run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                fista.toString(), "--method", "fista", "--steps", "5", "--lambda", "0.05", "--json"), err.toString());
        JsonNode summary = new ObjectMapper().readTree(out.toString());
        assertEquals("fista", summary.get("method").asText());
        assertEquals(ROWS, summary.get("rows").asInt());
    }

    @Test
    void shouldExitWithTwoAndOneLineForBadInput() throws IOException {
        Path narrow = dir.resolve("narrow.npy");
        NpyWriter.writeFloats(narrow, new long[] {3, D_IN + 1}, new float[3 * (D_IN + 1)]);
        String z = dir.resolve("z.npy").toString();
        assertBadInput(run(new EncodeCommand(), "--sae", sae.toString(), "--input", narrow.toString(), "--output", z),
                "encode", "width 11, the SAE's d_in is 10");
        assertBadInput(run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output", z,
                "--sparse"), "encode", "--sparse writes CSR safetensors");
        assertBadInput(run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output", z,
                "--steps", "10"), "encode", "--steps applies to iterative methods");
        assertBadInput(run(new EncodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output", z,
                "--method", "lasso"), "encode", "unknown method 'lasso'");
        assertBadInput(run(new EncodeCommand(), "--sae", dir.resolve("nothing").toString(), "--input",
                input.toString(), "--output", z), "encode", "not a recognised SAE folder");
        assertBadInput(run(new EvalCommand(), "--sae", sae.toString(), "--input", dir.resolve("missing.npy")
                .toString()), "eval", "missing.npy");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "not a safetensors file");
        assertBadInput(run(new DecodeCommand(), "--sae", sae.toString(), "--input", garbage.toString(), "--output",
                dir.resolve("out.npy").toString()), "decode", "garbage.safetensors");
        assertBadInput(run(new DecodeCommand(), "--sae", sae.toString(), "--input", input.toString(), "--output",
                dir.resolve("out.npy").toString()), "decode", "width 10, the SAE's d_sae is 24");

        Path transcoder = dir.resolve("transcoder");
        SaeWriter.write(transcoder, SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE), reference.weights());
        assertBadInput(run(new EvalCommand(), "--sae", transcoder.toString(), "--input", input.toString()), "eval",
                "give --target");
    }

    private void assertBadInput(int code, String command, String fragment) {
        String message = err.toString().strip();
        assertEquals(2, code, message);
        assertTrue(message.startsWith("sae4j " + command + ": "), message);
        assertTrue(message.contains(fragment), message);
        assertEquals(1, message.lines().count(), message);
    }
}
