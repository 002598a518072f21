package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.SaeWriter;
import picocli.CommandLine;

final class InspectCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int inspect(Path path) {
        CommandLine line = new CommandLine(new InspectCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(path.toString());
    }

    @Test
    void shouldPrintArchitectureTensorsAndShapes() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, 3, 5).withK(2).withHookName("blocks.1.hook_resid_pre");
        SaeWriter.write(dir, config, SaeWeights.of(new float[15], new float[5], new float[15], new float[3]));
        assertEquals(0, inspect(dir), err.toString());
        String text = out.toString();
        assertTrue(text.contains("source:         saelens"), text);
        assertTrue(text.contains("architecture:   topk"), text);
        assertTrue(text.contains("k:              2"), text);
        assertTrue(text.contains("hook:           blocks.1.hook_resid_pre"), text);
        assertTrue(text.contains("normalisation:  none"), text);
        assertTrue(text.matches("(?s).*W_enc +F32 +\\[3, 5].*"), text);
        assertTrue(text.matches("(?s).*W_dec +F32 +\\[5, 3].*"), text);
        assertTrue(text.contains("warnings:       none"), text);
    }

    @Test
    void shouldExitWithTwoAndOneLineWhenTheFolderIsMalformed() throws IOException {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, 3, 5);
        float[] encoder = new float[15];
        encoder[4] = Float.NaN;
        SaeWriter.write(dir, config, SaeWeights.of(encoder, new float[5], new float[15], new float[3]));
        assertEquals(2, inspect(dir));
        String message = err.toString().strip();
        assertTrue(message.startsWith("sae4j inspect: "), message);
        // engine [5, 3] element 4 is row 1, column 1: element 1·5 + 1 = 6 of the stored W_enc [3, 5]
        assertTrue(message.endsWith("tensor 'W_enc' holds NaN at element 6; weights must be finite"), message);
        assertEquals(1, message.lines().count(), message);

        Files.writeString(dir.resolve("cfg.json"), "{\"architecture\": \"standard\", \"d_in\": 3}");
        err.getBuffer().setLength(0);
        assertEquals(2, inspect(dir));
        assertTrue(err.toString().strip().endsWith("key 'd_sae' is missing"), err.toString());
    }
}
