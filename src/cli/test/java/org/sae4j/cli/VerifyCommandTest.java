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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import org.sae4j.sae.SparsifyWriter;
import picocli.CommandLine;

final class VerifyCommandTest {

    private static final int D_IN = 6;
    private static final int D_SAE = 10;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int verify(String... args) {
        CommandLine line = new CommandLine(new Main());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "verify";
        System.arraycopy(args, 0, all, 1, args.length);
        return line.execute(all);
    }

    private String status(String check) {
        return out.toString().lines().filter(l -> l.startsWith(check + " ")).findFirst()
                .map(l -> l.substring(check.length()).strip().split(" +")[0]).orElse("missing: " + out);
    }

    @Test
    void shouldPassEveryCheckOfAHealthyFolder() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        SaeWriter.write(dir, config, ConvertCommandTest.weights(config, 5));
        assertEquals(0, verify(dir.toString()), err + "\n" + out);
        assertEquals("PASS", status("finite weights"));
        assertEquals("PASS", status("dead decoder rows"));
        assertEquals("PASS", status("thresholds"));
        assertEquals("PASS", status("forward finite"));
        assertEquals("PASS", status("round trip saelens float32"));
        assertTrue(out.toString().contains("bit-exact, forward bit-exact"), out.toString());
        assertTrue(out.toString().contains("verify: no check failed"), out.toString());
    }

    @Test
    void shouldRoundTripSparsifyBfloat16AndWarnAboutDeadRowsInJson() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(3);
        SaeWeights weights = ConvertCommandTest.weights(config, 6);
        java.util.Arrays.fill(weights.decoder(), 2 * D_IN, 3 * D_IN, 0f);
        Path folder = dir.resolve("layers.0");
        SparsifyWriter.write(folder, config, weights, SaeDType.BFLOAT16);
        assertEquals(0, verify(folder.toString(), "--json"), err.toString());
        JsonNode result = JsonMapper.builder().build().readTree(out.toString());
        assertEquals(0, result.get("failed").intValue());
        boolean sawRoundTrip = false;
        for (JsonNode check : result.get("checks")) {
            String name = check.get("check").textValue();
            if (name.equals("dead decoder rows")) {
                assertEquals("WARN", check.get("status").textValue());
                assertEquals("1 of 10 rows have zero norm", check.get("detail").textValue());
            }
            if (name.equals("round trip sparsify bfloat16")) {
                sawRoundTrip = true;
                assertEquals("PASS", check.get("status").textValue(), check.toString());
                assertTrue(check.get("detail").textValue().contains("bit-exact"), check.toString());
            }
        }
        assertTrue(sawRoundTrip, out.toString());
    }

    @Test
    void shouldFailWhenTheForwardPassOverflows() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE).withApplyBDecToInput(false);
        SaeWeights weights = ConvertCommandTest.weights(config, 7);
        java.util.Arrays.fill(weights.encoderBias(), 3e38f);
        java.util.Arrays.fill(weights.decoder(), 3e38f);
        SaeWriter.write(dir, config, weights);
        assertEquals(1, verify(dir.toString()), out.toString());
        assertEquals("FAIL", status("forward finite"));
        assertTrue(out.toString().contains("check(s) failed"), out.toString());
    }

    @Test
    void shouldExitWithTwoWhenTheFolderIsNotAnSae() throws IOException {
        Files.writeString(dir.resolve("cfg.json"), "{}");
        assertEquals(2, verify(dir.toString()));
        assertTrue(err.toString().startsWith("sae4j verify: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
}
