package org.sae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sae4j.kernel.KernelConfig;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sae4j info}: the JDK, the CPU features seen, and the kernel provider this JVM chose. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, CPU features, chosen kernel provider, vector species and thread count.")
public final class InfoCommand implements Callable<Integer> {

    /** SIMD flags of /proc/cpuinfo worth reporting. */
    private static final List<String> FEATURES = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512dq", "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile");

    @Spec
    private CommandSpec spec;

    /** Public constructor for picocli. */
    public InfoCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("jdk:            " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.println("os/arch:        " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("cpu:            " + cpuModel());
        out.println("cpu features:   " + String.join(" ", cpuFeatures()));
        out.println("vector module:  " + (KernelConfig.vectorModulePresent() ? "jdk.incubator.vector" : "absent"));
        out.println("c2 compiler:    " + (KernelConfig.c2Enabled() ? "on" : "off"));
        out.println("kernel mode:    " + KernelConfig.requestedMode()
                + " (" + KernelConfig.KERNELS_PROP_NAME + ")");
        out.println("provider:       " + Kernels.providerName());
        out.println("vector bits:    " + Kernels.vectorBitSize());
        out.println("float lanes:    " + Kernels.floatLanes());
        out.println("threads:        " + KernelContext.shared().threads() + " in the shared kernel context ("
                + KernelConfig.THREADS_PROP_NAME + "; commands with --threads use their own)");
        List<String> missingJit = KernelConfig.missingJitOptions();
        out.println("jit options:    " + (missingJit.isEmpty() ? "as bin/jvm.options"
                : "missing " + String.join(" ", missingJit)));
        out.flush();
        return 0;
    }

    private static String cpuModel() {
        for (String line : cpuInfo()) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static List<String> cpuFeatures() {
        for (String line : cpuInfo()) {
            if (line.startsWith("flags")) {
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                List<String> seen = new ArrayList<>();
                for (String feature : FEATURES) {
                    if (flags.contains(feature)) {
                        seen.add(feature);
                    }
                }
                return seen;
            }
        }
        return List.of("unknown (no /proc/cpuinfo)");
    }

    private static List<String> cpuInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
