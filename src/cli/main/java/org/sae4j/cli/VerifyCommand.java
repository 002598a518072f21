package org.sae4j.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sae4j.io.FormatException;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeLoader;
import org.sae4j.sae.eval.SaeVerifier;
import org.sae4j.sae.eval.VerificationCheck;
import org.sae4j.sae.eval.VerificationCheck.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sae4j verify PATH}: loads an SAE folder, runs {@link SaeVerifier}'s checks (finite weights, decoder norms
 * and dead rows, {@code b_dec} and threshold ranges, the forward pass on seeded Gaussian rows, self-activation, a
 * write/read round trip) and prints them after a {@code load} line as a table of PASS, FAIL, WARN or SKIP, or with
 * {@code --json} as one object {@code {"path", "checks": [{"check", "status", "detail"}], "failed"}}.
 *
 * <p>Exit codes: 0 no check failed; 1 a check failed or an I/O error; 2 the folder is not a loadable SAE (one line on
 * stderr starting with {@code sae4j verify:}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check an SAE folder: finite weights, decoder norms, forward pass, write/read round trip.")
public final class VerifyCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameters(index = "0", paramLabel = "PATH", description = "SAE folder, or a file inside it")
    private Path path;

    @Option(names = "--json", description = "print the checks as one JSON object")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public VerifyCommand() {
    }

    @Override
    public Integer call() {
        List<VerificationCheck> checks = new ArrayList<>();
        try (Sae sae = SaeLoader.load(path)) {
            SaeConfig config = sae.config();
            checks.add(new VerificationCheck("load", Status.PASS, config.source().name().toLowerCase(Locale.ROOT)
                    + " " + config.architecture().saeLensName() + " " + config.dIn() + " -> " + config.dSae()
                    + " -> " + config.dOut() + ", " + config.dtype()));
            checks.addAll(SaeVerifier.verify(sae).checks());
        } catch (FormatException e) {
            return CommandFailures.report(spec.commandLine().getErr(), "verify", e.getMessage(),
                    CommandFailures.BAD_INPUT);
        } catch (IOException e) {
            checks.add(new VerificationCheck(SaeVerifier.IO, Status.FAIL,
                    CommandFailures.oneLine(String.valueOf(e.getMessage()))));
        }
        print(checks);
        return checks.stream().anyMatch(c -> c.status() == Status.FAIL) ? 1 : 0;
    }

    private void print(List<VerificationCheck> checks) {
        PrintWriter out = spec.commandLine().getOut();
        long failed = checks.stream().filter(c -> c.status() == Status.FAIL).count();
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("path", path.toString());
            ArrayNode array = node.putArray("checks");
            for (VerificationCheck check : checks) {
                array.addObject().put("check", check.name()).put("status", check.status().name())
                        .put("detail", check.detail());
            }
            node.put("failed", failed);
            out.println(node);
        } else {
            int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(5);
            out.println(String.format("%-" + width + "s  %-6s %s", "check", "status", "detail"));
            for (VerificationCheck check : checks) {
                out.println(String.format("%-" + width + "s  %-6s %s", check.name(), check.status(),
                        check.detail()));
            }
            out.println(failed == 0 ? "verify: no check failed" : "verify: " + failed + " check(s) failed");
        }
        out.flush();
    }
}
