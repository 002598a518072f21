package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.sae4j.io.FormatException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The error convention of the commands that read SAEs and activation files: one line on stderr,
 * {@code sae4j NAME: reason}, and exit code 2 for bad input (an argument, a malformed or missing file) or 1 for any
 * other I/O failure.
 */
final class CommandFailures {

    /** Exit code for bad input. */
    static final int BAD_INPUT = 2;

    /** Exit code for a failed read or write. */
    static final int IO_ERROR = 1;

    /** A command body that may fail with the exceptions this convention maps. */
    interface Body {
        int run() throws IOException;
    }

    private CommandFailures() {
    }

    /** Runs {@code body}, mapping its failures to the convention. */
    static int run(CommandSpec spec, String name, Body body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run();
        } catch (IllegalArgumentException | FormatException e) {
            return report(err, name, e.getMessage(), BAD_INPUT);
        } catch (NoSuchFileException e) {
            return report(err, name, "no such file: " + e.getMessage(), BAD_INPUT);
        } catch (IOException e) {
            return report(err, name, "I/O error: " + e.getMessage(), IO_ERROR);
        }
    }

    /** Prints {@code sae4j NAME: message} on one line and returns {@code code}. */
    static int report(PrintWriter err, String name, String message, int code) {
        err.println("sae4j " + name + ": " + oneLine(String.valueOf(message)));
        err.flush();
        return code;
    }

    /** {@code message} with line breaks turned into spaces. */
    static String oneLine(String message) {
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
