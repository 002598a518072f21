package org.sae4j.kernel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JIT options SIMD kernels want, read from {@code bin/jvm.options} (packed into the runtime jar, so that the
 * launcher, the test forks, the benchmark forks and this check share one definition), and the ones a JVM lacks.
 *
 * <p>Without them sae4j is still correct, only slower until C2 compiles every kernel: a Vector API kernel runs its
 * boxing fallback (megabytes allocated per call) until then, and a GEMM micro-kernel that C1 compiled at tier 2 under
 * a long C2 queue can stay there (README "JVM options").
 */
public final class JitOptions {

    private static final String RESOURCE = "jvm.options";

    private JitOptions() {
    }

    /** The {@code -XX:} options of {@code bin/jvm.options}, in file order. */
    public static List<String> wanted() {
        try (InputStream in = JitOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the sae4j runtime");
            }
            List<String> options = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String option = line.strip();
                if (option.startsWith("-XX:")) {
                    options.add(option);
                }
            }
            return List.copyOf(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The wanted options missing from {@code jvmArguments} (as {@code RuntimeMXBean.getInputArguments()} gives). */
    public static List<String> missingFrom(List<String> jvmArguments) {
        return wanted().stream().filter(option -> !jvmArguments.contains(option)).toList();
    }

    /** The wanted options this JVM was started without. */
    public static List<String> missingHere() {
        return missingFrom(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
