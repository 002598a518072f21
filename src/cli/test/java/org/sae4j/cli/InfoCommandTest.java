package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.sae4j.kernel.Kernels;
import picocli.CommandLine;

final class InfoCommandTest {

    @Test
    void shouldPrintTheChosenProviderAndItsVectorWidth() {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(new Main());
        line.setOut(new PrintWriter(out));
        int code = line.execute("info");
        assertEquals(0, code);
        String text = out.toString();
        assertTrue(text.contains("provider:       " + Kernels.providerName()), text);
        assertTrue(text.contains("vector bits:    " + Kernels.vectorBitSize()), text);
        assertTrue(text.contains("threads:        " + Kernels.threads()), text);
        assertTrue(text.contains("jdk:            " + Runtime.version()), text);
    }

    @Test
    void shouldExitWithUsageErrorOnAnUnknownCommand() {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new Main());
        line.setErr(new PrintWriter(err));
        assertEquals(2, line.execute("frobnicate"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'frobnicate'"), err.toString());
    }
}
