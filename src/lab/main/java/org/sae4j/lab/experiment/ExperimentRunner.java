package org.sae4j.lab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.lab.data.SyntheticConfig;
import org.sae4j.lab.data.SyntheticData;
import org.sae4j.lab.data.SyntheticDataFile;

/**
 * Runs an experiment: every method for every seed, runs spread over the requested threads (each run single-threaded,
 * so that R runs on R cores proceed side by side), results aggregated per method. Results do not depend on the
 * thread count: every run is deterministic and its kernels give the same bits on any number of threads.
 */
public final class ExperimentRunner {

    private ExperimentRunner() {
    }

    /**
     * @param progress    told the progress of every phase
     * @throws IOException when the data file cannot be read
     * @throws IllegalArgumentException when the settings do not fit the data
     */
    public static ExperimentResult run(ExperimentSettings settings, ProgressMeter progress)
            throws IOException {
        long start = System.nanoTime();
        SyntheticData data = settings.dataFile() != null ? SyntheticDataFile.read(settings.dataFile())
                : SyntheticData.generate(config(settings, settings.latents(), settings.measurements(),
                settings.active()));
        ExperimentSettings resolved = settings;
        if (settings.dataFile() != null) {
            SyntheticConfig config = data.config();
            resolved = new ExperimentSettings(settings.kind(), config.latents(), config.measurements(),
                    config.activePerSample(), settings.steps(), config.seed(), settings.runs(), settings.threads(),
                    settings.evaluationInterval(), settings.dataFile(), settings.grid());
        }
        if (resolved.kind() == ExperimentKind.SCALING) {
            return ScalingGrid.run(resolved, progress, start);
        }
        List<MethodSummary> summaries;
        try (LabData lab = new LabData(data)) {
            summaries = runAll(Experiments.methods(resolved), lab, resolved, progress,
                    resolved.kind().cliName());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ExperimentResult(resolved.kind().cliName(), settingsMap(resolved), environment(resolved),
                summaries, List.of(), Findings.of(resolved, summaries), seconds);
    }

    /** Runs the methods for every seed on the settings' threads and aggregates them, in method order. */
    static List<MethodSummary> runAll(List<LabMethod> methods, LabData lab, ExperimentSettings settings,
                                      ProgressMeter progress, String label) {
        record Task(LabMethod method, long seed) {
        }
        List<Task> tasks = new ArrayList<>();
        long totalSteps = 0;
        for (LabMethod method : methods) {
            int runs = method.seedIndependent() ? 1 : settings.runs();
            for (int i = 0; i < runs; i++) {
                tasks.add(new Task(method, settings.dataSeed() + i));
                totalSteps += steps(method);
            }
        }
        int workers = Math.min(settings.threads(), tasks.size());
        // The lab's matrices are small (B = 1024, widths ≤ a few hundred): splitting one GEMM across cores costs more
        // in hand-offs than it saves, so every run keeps its kernels on its own thread and the runs share the cores.
        // A one-thread context starts no thread and takes no lock, so the runs never wait for each other.
        Map<String, List<RunResult>> byMethod = new LinkedHashMap<>();
        Map<String, Double> parameters = new LinkedHashMap<>();
        try (KernelContext singleThreaded = KernelContext.create("experiment", 1);
             ProgressMeter.Phase bar = progress.open(label, totalSteps);
             ExecutorService executor = Executors.newFixedThreadPool(workers, runnable -> {
                 Thread thread = new Thread(runnable, "sae4j-experiment");
                 thread.setDaemon(true);
                 return thread;
             })) {
            List<Future<List<RunResult>>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(executor.submit(() -> singleThreaded.call(() -> MethodRunner.run(task.method(), lab,
                        task.seed(), settings.evaluationInterval(), bar::stepBy))));
            }
            for (int i = 0; i < tasks.size(); i++) {
                for (RunResult run : futures.get(i).get()) {
                    byMethod.computeIfAbsent(run.method(), name -> new ArrayList<>()).add(run);
                    parameters.putIfAbsent(run.method(), parameter(run.method(), tasks.get(i).method()));
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("experiment interrupted", interrupted);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a run failed: " + cause, cause);
        }
        List<MethodSummary> summaries = new ArrayList<>();
        byMethod.forEach((name, runs) -> summaries.add(MethodSummary.of(name, parameters.get(name), runs)));
        return summaries;
    }

    private static long steps(LabMethod method) {
        return switch (method) {
            case LabMethod.Encoder encoder -> encoder.steps();
            case LabMethod.TrueDictionaryInference inference -> inference.options().iterations();
            case LabMethod.SparseCoding coding -> coding.steps();
        };
    }

    /** The swept value of a result: its method's, or for extra results the number after "=" in the name. */
    private static double parameter(String name, LabMethod method) {
        int at = name.indexOf(SweepName.SEPARATOR);
        if (at >= 0 && !name.equals(method.name())) {
            int equals = name.indexOf('=', at);
            if (equals > 0) {
                return Double.parseDouble(name.substring(equals + 1));
            }
        }
        return method.parameter();
    }

    static SyntheticConfig config(ExperimentSettings settings, int latents, int measurements, int active) {
        return new SyntheticConfig(latents, measurements, active, SyntheticConfig.PAPER_SAMPLES_PER_SPLIT,
                settings.dataSeed(), 0.0, SyntheticConfig.Mode.NUMPY_COMPATIBLE);
    }

    static Map<String, Object> settingsMap(ExperimentSettings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("experiment", settings.kind().cliName());
        map.put("n", settings.latents());
        map.put("m", settings.measurements());
        map.put("k", settings.active());
        map.put("steps", settings.steps());
        map.put("seed", settings.dataSeed());
        map.put("seeds", settings.runs());
        map.put("threads", settings.threads());
        map.put("evaluationInterval", settings.evaluationInterval());
        map.put("data", settings.dataFile() == null ? "generated" : settings.dataFile().toString());
        return map;
    }

    static Map<String, String> environment(ExperimentSettings settings) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("kernels", Kernels.providerName() + ", " + Kernels.vectorBitSize() + "-bit vectors");
        map.put("runThreads", Integer.toString(Math.max(1, settings.threads())));
        map.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        map.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        map.put("cpu", cpuModel());
        return map;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.toLowerCase(Locale.ROOT).startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return "unknown";
        }
        return "unknown";
    }
}
