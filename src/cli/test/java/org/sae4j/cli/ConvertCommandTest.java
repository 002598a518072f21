package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.SaeSource;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import picocli.CommandLine;

final class ConvertCommandTest {

    private static final int D_IN = 6;
    private static final int D_SAE = 10;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = new CommandLine(new Main());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    static float[] random(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    static SaeWeights weights(SaeConfig config, long seed) {
        SaeWeights weights = SaeWeights.of(random(seed, config.dSae() * config.dIn()), random(seed + 1, config.dSae()),
                random(seed + 2, config.dSae() * config.dOut()), random(seed + 3, config.dOut()));
        if (config.architecture().hasThreshold()) {
            float[] theta = random(seed + 4, config.dSae());
            for (int j = 0; j < theta.length; j++) {
                theta[j] = Math.abs(theta[j]) * 0.2f;
            }
            weights = weights.withThreshold(theta);
        }
        return weights;
    }

    @Test
    void shouldWriteSparsifyInBfloat16ThatReadsBackAsRounded() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(3);
        SaeWeights weights = weights(config, 1);
        Path source = dir.resolve("src");
        SaeWriter.write(source, config, weights);
        Path target = dir.resolve("layers.2");
        assertEquals(0, run("convert", source.toString(), target.toString(), "--format", "sparsify", "--dtype",
                "bfloat16"), err.toString());
        assertTrue(out.toString().contains("format:     sparsify (bfloat16)"), out.toString());
        assertEquals(SaeSource.SPARSIFY, SaeLoader.detect(target));
        try (Sae sae = SaeLoader.load(target)) {
            float[] read = sae.weights().decoder();
            for (int i = 0; i < read.length; i++) {
                float original = weights.decoder()[i];
                assertEquals(SaeDType.BFLOAT16.round(original), read[i], 0f, "element " + i);
                assertTrue(Math.abs(read[i] - original) <= 0x1.0p-8 * Math.abs(original), "element " + i);
            }
        }
    }

    @Test
    void shouldFoldDecoderNormsAndRecordItInJson() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        Path source = dir.resolve("src");
        SaeWriter.write(source, config, weights(config, 2));
        Path target = dir.resolve("dst");
        assertEquals(0, run("convert", source.toString(), target.toString(), "--fold-decoder-norms", "--json"),
                err.toString());
        JsonNode result = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("saelens", result.get("format").textValue());
        assertEquals("float32", result.get("dtype").textValue());
        assertTrue(result.get("read_back").booleanValue());
        assertEquals("decoder_norms", result.get("folds").get(0).get("op").textValue());
        JsonNode cfg = JsonMapper.builder().build().readTree(target.resolve("cfg.json").toFile());
        assertEquals("decoder_norms", cfg.get("metadata").get("sae4j_folds").get(0).get("op").textValue());
        try (Sae sae = SaeLoader.load(target)) {
            float[] decoder = sae.weights().decoder();
            for (int j = 0; j < D_SAE; j++) {
                double squares = 0;
                for (int i = 0; i < D_IN; i++) {
                    squares += (double) decoder[j * D_IN + i] * decoder[j * D_IN + i];
                }
                assertEquals(1, Math.sqrt(squares), 1e-6, "row " + j);
            }
        }
    }

    @Test
    void shouldExitWithTwoAndOneLineOnBadInput() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        Path source = dir.resolve("src");
        SaeWriter.write(source, config, weights(config, 3));
        String target = dir.resolve("dst").toString();
        assertEquals(2, run("convert", source.toString(), target, "--format", "sparsify"));
        assertEquals("sae4j convert: sparsify stores topk and groupmax SAEs only, not standard", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(2, run("convert", source.toString(), target, "--format", "onnx"));
        assertEquals("sae4j convert: --format must be saelens or sparsify, got 'onnx'", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(2, run("convert", source.toString(), target, "--dtype", "int8"));
        assertTrue(err.toString().strip().startsWith("sae4j convert: dtype 'int8' cannot be written"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("convert", source.toString(), source.toString()));
        assertEquals("sae4j convert: " + source + " exists and is not an empty folder", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(2, run("convert", dir.resolve("missing").toString(), target));
        assertTrue(err.toString().contains("not a recognised SAE folder"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(Files.notExists(dir.resolve("dst")), "nothing written on bad input");
    }
}
