package io.meridian.benchmarks;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;

/**
 * Runs the JMH benchmarks of this module ({@code io.meridian.benchmarks.jmh}) with JMH's own command-line options,
 * e.g. {@code -prof gc}, {@code -p workload=single}, {@code -wi 2 -i 3}, or a benchmark regex such as
 * {@code EngineBenchmark}. Needs the module's classes and runtime dependencies on the plain classpath
 * ({@code java -cp ...}), because JMH starts the benchmarks in forked JVMs with the same classpath.
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runner runner = new Runner(options);
        if (options.shouldHelp()) {
            try {
                options.showHelp();
            } catch (IOException e) {
                System.err.println("error: " + e.getMessage());
            }
            return;
        }
        if (options.shouldList()) {
            runner.list();
            return;
        }
        runner.run();
    }
}
