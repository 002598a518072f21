package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files are read as strict UTF-8. Found by {@link SaeFolderCoverageFuzzTest}: Jackson took leading zero
 * bytes for UTF-32, and the decoding error escaped the readers as a plain {@link IOException} instead of a
 * {@link SaeFormatException}.
 */
final class ConfigJsonEncodingTest {

    private static final String CFG = "{\"architecture\": \"standard\", \"d_in\": 16, \"d_sae\": 64, "
            + "\"metadata\": {\"sae_lens_version\": \"6.18.0\"}}";

    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("cfg.json"), bytes);
    }

    private static byte[] concat(byte[] head, String tail) {
        byte[] text = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + text.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(text, 0, out, head.length, text.length);
        return out;
    }

    @Test
    void shouldThrowSaeFormatExceptionWhenLeadingZeroBytesLookLikeUtf32() throws IOException {
        Path file = write(concat(new byte[] {0, 0, 0}, "{}"));
        SaeFormatException error = assertThrowsExactly(SaeFormatException.class,
                () -> SaeLensConfigReader.read(file));
        assertTrue(error.getMessage().startsWith(file + ": not valid JSON: Illegal character ((CTRL-CHAR, code 0))"),
                error.getMessage());
    }

    @Test
    void shouldNameTheByteOffsetWhenTheFileIsNotUtf8() throws IOException {
        // the fuzzer's input: six zero bytes, then 0xCE followed by a byte that cannot continue it
        Path file = write(concat(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xCE}, "tecture\": \"standard\"}"));
        SaeFormatException error = assertThrowsExactly(SaeFormatException.class,
                () -> SaeLensConfigReader.read(file));
        assertEquals(file + ": not UTF-8 text: invalid byte sequence at byte 6", error.getMessage());
    }

    @Test
    void shouldReadTheConfigurationWhenItStartsWithAByteOrderMark() throws IOException {
        Path file = write(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, CFG));
        assertEquals(64, SaeLensConfigReader.read(file).dSae());
    }
}
