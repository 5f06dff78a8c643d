package io.meridian.benchmarks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code meridian bench compare --build A.jar --build B.jar ...}: the matching or engine benchmark of two to four builds
 * of Meridian in one JVM, each build in its own class loader, their timed runs interleaved round by round (A B, then
 * B A, ...: the run order rotates). The machines this project is measured on swing by 30-45% from one JVM to the next
 * and by up to 2x within minutes, more than most changes: paired rounds in one JVM see the same machine at the same
 * moment. What pairing cannot remove is the luck of each build's compiled code and heap layout (an identical build
 * loaded twice ran 7% apart over five rounds), so the comparison runs in forks: each fork loads every build afresh
 * (new class loaders, so new classes, compiled code, profiles and objects), warms it up and measures it. The order
 * builds are loaded in also moves their figures (the same jar ran 9% faster loaded second than first), so it rotates
 * from fork to fork and the ratio reported first is balanced over load orders ({@link #report}). Warns when the
 * builds' runs did different work (their run statistics differ), which voids the comparison.
 *
 * <p>A build is a shaded {@code meridian.jar} (or a class path) of any revision whose benchmark targets take
 * {@code prefetch}: only that long-standing benchmark API is called, by reflection, so an old build can be compared
 * with a new one.
 */
@Command(name = "compare", description = "Run the matching or engine benchmark of two to four builds (meridian.jar"
        + " files) in one JVM, rounds interleaved, and print paired ratios (docs/performance.md, \"Comparing"
        + " builds\").")
final class BuildComparison extends BenchCli.Base {
    static final int MAX_BUILDS = 4;
    static final long MAX_ROUNDS = 1_000;
    static final long MAX_FORKS = 100;

    @Option(names = "--build", required = true, paramLabel = "JAR",
            description = "a build's meridian.jar (or its class path); two to four, the first is the baseline of"
                    + " the ratios")
    List<String> builds = new ArrayList<>();
    @Option(names = "--benchmark", paramLabel = "NAME", description = "matching or engine (default: engine)")
    String benchmark = "engine";
    @Option(names = "--multi", description = "the 128-instrument workload instead of the single-instrument one")
    boolean multi;
    @Option(names = "--shape", paramLabel = "exchange-core",
            description = "exchange-core's order-book benchmark shape instead of our mix (single instrument)")
    String shape;
    @Option(names = "--rounds", paramLabel = "N", description = "measured rounds after the warm-up (default 8)")
    String rounds = "8";
    @Option(names = "--warmup", paramLabel = "N", description = "rounds run first and left out (default 2)")
    String warmup = "2";
    @Option(names = "--commands", paramLabel = "N", description = "commands in the stream (default 3,000,000)")
    String commands = String.valueOf(BenchCli.DEFAULT_COMMANDS);
    @Option(names = "--seed", paramLabel = "N", description = "the generator's seed (default 1)")
    long seed = 1;
    @Option(names = "--forks", paramLabel = "N",
            description = "times every build is loaded afresh, warmed up and measured, each fork in the next load order"
                    + " (default: twice the number of builds)")
    String forks;

    BuildComparison(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        if (builds.size() < 2 || builds.size() > MAX_BUILDS) {
            throw usage("--build: two to " + MAX_BUILDS + " builds, got " + builds.size());
        }
        if (!benchmark.equals("matching") && !benchmark.equals("engine")) {
            throw usage("--benchmark: matching or engine, got " + benchmark);
        }
        if (shape != null && !shape.equals("exchange-core")) {
            throw usage("--shape: only exchange-core, got " + shape);
        }
        if (shape != null && multi) {
            throw usage("--shape exchange-core is one instrument: not with --multi");
        }
        int measured = (int) number(rounds, "--rounds", 1, MAX_ROUNDS);
        int warm = (int) number(warmup, "--warmup", 0, MAX_ROUNDS);
        int size = (int) number(commands, "--commands", 1, BenchCli.MAX_COMMANDS);
        int forkCount = forks == null ? 2 * builds.size() : (int) number(forks, "--forks", 1, MAX_FORKS);
        List<URL[]> classPaths = new ArrayList<>();
        for (String build : builds) {
            classPaths.add(classPath(build));
        }
        out.printf(Locale.ROOT, "%s benchmark, %s, %,d commands; %d forks of %d warm-up and %d measured rounds,"
                + " builds interleaved%n", benchmark, shape != null ? "exchange-core's shape" : multi
                ? "128 instruments" : "one instrument", size, forkCount, warm, measured);
        for (int i = 0; i < builds.size(); i++) {
            String[] entries = builds.get(i).split(java.io.File.pathSeparator);
            out.println("build " + (i + 1) + ": " + entries[0]
                    + (entries.length > 1 ? " and " + (entries.length - 1) + " more class path entries" : ""));
        }
        double[][] rates = new double[builds.size()][forkCount * measured];
        String[] stats = new String[builds.size()];
        try {
            for (int fork = 0; fork < forkCount; fork++) {
                runFork(fork, classPaths, warm, measured, size, rates, stats);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = cause(e);
            out.println(cause instanceof OutOfMemoryError ? outOfMemory() : "error: a build's benchmark failed: " + cause);
            return 1;
        } catch (OutOfMemoryError e) {
            // Each build holds its own workload and books (128 books preallocate about 100 MB of orders each build):
            // the fork's builds are unreachable once this returns, so the message can be printed.
            out.println(outOfMemory());
            return 1;
        } catch (ReflectiveOperationException e) {
            out.println("error: a build does not have the benchmark API this command calls: " + e);
            return 1;
        }
        report(rates, stats, measured);
        return 0;
    }

    /**
     * One fork: every build loaded afresh (new class loaders: new classes, so fresh compiled code and profiles, and
     * new objects wherever the heap puts them), warmed up, then measured round by round; dropped at the end.
     */
    private void runFork(int fork, List<URL[]> classPaths, int warm, int measured, int size, double[][] rates,
                         String[] stats) throws ReflectiveOperationException {
        int n = classPaths.size();
        Arm[] arms = new Arm[n];
        try {
            for (int k = 0; k < n; k++) {
                // Rotate the load order from fork to fork: the place a build is loaded in alone moves its figures
                // (report: the same jar loaded second ran 9% faster), so every build takes every place in turn.
                int i = loadedAt(fork, k, n);
                arms[i] = new Arm(classPaths.get(i), benchmark, multi, shape != null, seed, size);
            }
            for (int round = 0; round < warm + measured; round++) {
                StringBuilder line = new StringBuilder("fork " + (fork + 1) + (round < warm ? " warm-up " + (round + 1)
                        : " round " + (round - warm + 1)) + ":");
                double[] rate = new double[n];
                for (int k = 0; k < n; k++) {
                    // Rotate the run order too, so that no build always runs right after the same one.
                    int i = loadedAt(round, k, n);
                    rate[i] = arms[i].run();
                }
                for (int i = 0; i < n; i++) {
                    line.append(String.format(Locale.ROOT, " %.2f", rate[i] / 1e6));
                    if (round >= warm) {
                        rates[i][fork * measured + round - warm] = rate[i];
                    }
                }
                out.println(line.append(" M ops/s"));
            }
            for (int i = 0; i < n; i++) {
                stats[i] = arms[i].stats();
            }
        } finally {
            for (Arm arm : arms) {
                if (arm != null) {
                    arm.close();
                }
            }
        }
    }

    /** The build that takes place {@code place} (0 = first) of {@code n} in fork or round {@code turn}. */
    static int loadedAt(int turn, int place, int n) {
        return (place + turn) % n;
    }

    private String outOfMemory() {
        return "error: out of memory with " + builds.size() + " builds loaded at once (each holds its own workload and"
                + " books): give the JVM more heap (MERIDIAN_JAVA_OPTS=-Xmx12g) or compare fewer builds";
    }

    /** A build's jar, or class path (entries joined by the platform's path separator), each entry existing. */
    private URL[] classPath(String build) {
        String[] entries = build.split(java.io.File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            Path entry = Path.of(entries[i]);
            if (entries[i].isEmpty() || !Files.exists(entry)) {
                throw usage("--build " + build + ": no such file: " + entries[i]);
            }
            try {
                urls[i] = entry.toUri().toURL();
            } catch (MalformedURLException e) {
                throw usage("--build " + build + ": " + e.getMessage());
            }
        }
        return urls;
    }

    /**
     * Each build's median over every measured round, and each build's ratio to the first. The ratio that counts is the
     * one balanced over load orders: the median of the paired rounds of the forks with each load order (fork
     * {@code f} has order {@code f % builds}), then the geometric mean of those medians, so that each order weighs the
     * same however many forks it had. (The place a build was loaded in moved its figures: the same jar compared with
     * itself, six forks, gave 1.093 with it loaded second and 0.910 with it loaded first, 0.997 balanced; a plain
     * median over an odd number of forks leans towards the build loaded second more often.) Also printed: the plain
     * median of all paired rounds, the lowest and highest, and each fork's median (their spread shows what fresh
     * compiled code and heap layout alone do).
     */
    private void report(double[][] rates, String[] stats, int measured) {
        int forkCount = rates[0].length / measured;
        int n = rates.length;
        for (int i = 0; i < n; i++) {
            out.printf(Locale.ROOT, "build %d: median %.2f M ops/s; %s%n", i + 1, median(rates[i]) / 1e6, stats[i]);
            if (i == 0) {
                continue;
            }
            double[] ratios = new double[rates[i].length];
            for (int r = 0; r < ratios.length; r++) {
                ratios[r] = rates[i][r] / rates[0][r];
            }
            StringBuilder forks = new StringBuilder();
            for (int f = 0; f < forkCount; f++) {
                forks.append(String.format(Locale.ROOT, f == 0 ? "%.3f" : ", %.3f",
                        median(Arrays.copyOfRange(ratios, f * measured, (f + 1) * measured))));
            }
            double[] byOrder = byLoadOrder(ratios, measured, n);
            StringBuilder orders = new StringBuilder();
            double logSum = 0;
            for (int o = 0; o < byOrder.length; o++) {
                orders.append(String.format(Locale.ROOT, "%sbuild %d loaded first %.3f", o == 0 ? "" : ", ", o + 1,
                        byOrder[o]));
                logSum += Math.log(byOrder[o]);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "build %d / build 1: balanced %.3f (%s); median of all %d paired"
                    + " rounds %.3f (lowest %.3f, highest %.3f; by fork %s)%n", i + 1,
                    Math.exp(logSum / byOrder.length), orders, sorted.length, median(ratios), sorted[0],
                    sorted[sorted.length - 1], forks);
            if (!stats[i].equals(stats[0])) {
                out.println("warning: build " + (i + 1) + "'s runs did different work than build 1's (the run"
                        + " statistics differ): the ratio compares different things");
            }
        }
        if (forkCount < n) {
            out.println("warning: fewer forks than builds: not every load order was run, so the balanced ratio is not"
                    + " balanced; use --forks " + 2 * n + " or more, a multiple of " + n);
        } else if (forkCount % n != 0) {
            out.println("note: the forks are not a multiple of the builds (" + n + "): some load orders ran more often"
                    + " (the balanced ratio still weighs each order once)");
        }
    }

    /**
     * The median paired ratio of the forks of each load order that ran, in order of first fork: fork {@code f}
     * (rounds {@code [f * measured, (f + 1) * measured)}) has load order {@code f % builds}.
     */
    static double[] byLoadOrder(double[] ratios, int measured, int builds) {
        int forkCount = ratios.length / measured;
        int orders = Math.min(builds, forkCount);
        double[] medians = new double[orders];
        for (int o = 0; o < orders; o++) {
            int forksOfOrder = (forkCount - o + builds - 1) / builds;
            double[] mine = new double[forksOfOrder * measured];
            int at = 0;
            for (int f = o; f < forkCount; f += builds) {
                System.arraycopy(ratios, f * measured, mine, at, measured);
                at += measured;
            }
            medians[o] = median(mine);
        }
        return medians;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * One build: its class loader (parent: the platform loader, so nothing of the running build leaks in), its
     * workload and its benchmark target, reached through the benchmark API by reflection.
     */
    private static final class Arm {
        private final URLClassLoader loader;
        private final Object target;
        private final Object stream;
        private final int size;
        private final Method prepare;
        private final Method run;
        private final Method stats;

        Arm(URL[] classPath, String benchmark, boolean multi, boolean peerShape, long seed, int commands)
                throws ReflectiveOperationException {
            loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader());
            String pkg = "io.meridian.benchmarks.";
            Object workload;
            if (peerShape) {
                workload = loader.loadClass(pkg + "PeerShapeGenerator").getMethod("generate", long.class, int.class)
                        .invoke(null, seed, commands);
            } else {
                Class<?> config = loader.loadClass(pkg + "WorkloadGenerator$Config");
                Object c = config.getMethod(multi ? "multiInstrument" : "singleInstrument", long.class, int.class)
                        .invoke(null, seed, commands);
                workload = loader.loadClass(pkg + "WorkloadGenerator").getMethod("generate", config).invoke(null, c);
            }
            Class<?> workloadType = loader.loadClass(pkg + "Workload");
            Class<?> engineConfig = loader.loadClass("io.meridian.engine.EngineConfig");
            Object defaults = engineConfig.getMethod("defaults").invoke(null);
            Class<?> targetType = loader.loadClass(pkg + (benchmark.equals("matching") ? "MatchingTarget"
                    : "EngineTarget"));
            target = targetType.getConstructor(workloadType, engineConfig).newInstance(workload, defaults);
            Class<?> benchTarget = loader.loadClass(pkg + "BenchTarget");
            benchTarget.getMethod("prefetch", boolean.class).invoke(target, true);
            stream = workloadType.getMethod("stream").invoke(workload);
            Class<?> streamType = loader.loadClass(pkg + "CommandStream");
            size = (int) streamType.getMethod("size").invoke(stream);
            prepare = benchTarget.getMethod("prepare");
            run = benchTarget.getMethod("run", streamType);
            stats = benchTarget.getMethod("lastRunStats");
        }

        /** One timed run of the whole stream after the target's reset: commands per second. */
        double run() throws ReflectiveOperationException {
            prepare.invoke(target);
            long start = System.nanoTime();
            run.invoke(target, stream);
            long elapsed = System.nanoTime() - start;
            return size * 1e9 / Math.max(1, elapsed);
        }

        String stats() throws ReflectiveOperationException {
            return (String) stats.invoke(target);
        }

        void close() {
            try {
                loader.close();
            } catch (java.io.IOException e) {
                // Only the jar's file handle is lost: nothing to do.
            }
        }
    }

    /** Unwraps what a build's own code threw, so that the message names it rather than the reflection. */
    static Throwable cause(ReflectiveOperationException e) {
        return e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
    }
}
