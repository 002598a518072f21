package org.sae4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code sae4j} command line: {@code sae4j --help} lists the subcommands.
 *
 * <p>Exit codes: 0 success, 1 a failed operation (message on stderr), 2 invalid usage.
 */
@Command(name = "sae4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sparse autoencoders and sparse inference on CPUs.",
        subcommands = {InfoCommand.class, BenchCommand.class, InspectCommand.class, DataCommand.class, ExperimentCommand.class,
            DemoCommand.class, EncodeCommand.class, DecodeCommand.class, EvalCommand.class,
            GapCommand.class, ConvertCommand.class, VerifyCommand.class, SaeBenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("sae4j: " + exception.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }
}
