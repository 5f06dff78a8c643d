package io.meridian.cluster;

import io.meridian.engine.EngineConfig;
import io.meridian.engine.JvmAdvice;
import io.meridian.journal.EngineSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code meridian cluster-node --id N --members HOST,HOST,HOST --dir DIR [--port-base P] [--tick-ms T]
 * [--config FILE] [--snapshot-every-commands N] [--snapshot-every-seconds S] [--log-retain-snapshots K]}: runs one
 * cluster member until SIGINT or SIGTERM; {@code --tick-ms} is the cluster time between ticks (default 1000, 0 for
 * none); the snapshot options are the schedule a leader follows ({@link SnapshotSchedule}: default a million commands or
 * an hour, 0 turns a rule off); {@code --log-retain-snapshots} truncates the member's log behind its K-th newest snapshot
 * after each snapshot ({@link LogRetention}; default 0, the whole log kept);
 * {@code --config} is a node's config file, whose engine settings the member pins at its first start (as a node pins
 * them with its journal; the {@code meridian} command reads it, see {@link SettingsReader}). Prints
 * {@code member=<id> ingress=<endpoints> ready} once started.
 */
@Command(name = "cluster-node", description = {"Run one member of a replicated cluster (Aeron Cluster, Raft) until"
        + " Ctrl-C or SIGTERM; prints member=<id> ingress=<endpoints> ready once started (docs/cluster.md).",
        "Exit codes: 0 stopped, 1 the config or the member's directory was refused, 2 usage."})
public final class ClusterNodeMain implements Callable<Integer> {
    public static final int DEFAULT_PORT_BASE = 9000;
    /** Aeron's liveness timeout for the archive and cluster mark files. */
    static final int MARK_FILE_WAIT_SECONDS = 10;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
    @Option(names = "--id", required = true, paramLabel = "N", description = "this member's id: its place in --members")
    int id;
    @Option(names = "--members", required = true, paramLabel = "HOST,HOST,HOST", description = "every member's host, in"
            + " member-id order")
    String members;
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "this member's log, snapshots and files")
    Path dir;
    @Option(names = "--port-base", paramLabel = "P", description = "the first of the members' ports (default "
            + DEFAULT_PORT_BASE + ")")
    int portBase = DEFAULT_PORT_BASE;
    @Option(names = "--tick-ms", paramLabel = "T", description = "cluster time between ticks, 0..3600000 (default 1000;"
            + " 0 for none)")
    long tickMillis = EngineClusteredService.DEFAULT_TICK_NANOS / 1_000_000;
    @Option(names = "--config", paramLabel = "FILE", description = "a node's config file, whose engine settings the member"
            + " pins at its first start")
    Path configFile;
    @Option(names = "--snapshot-every-commands", paramLabel = "N", description = "a leader's snapshot after this many"
            + " commands (default a million; 0 turns the rule off)")
    long snapshotEveryCommands = SnapshotSchedule.DEFAULT_EVERY_COMMANDS;
    @Option(names = "--snapshot-every-seconds", paramLabel = "S", description = "a leader's snapshot after this long"
            + " (default an hour; 0 turns the rule off)")
    long snapshotEverySeconds = SnapshotSchedule.DEFAULT_EVERY_NANOS / 1_000_000_000L;
    @Option(names = "--log-retain-snapshots", paramLabel = "K", description = "truncate the log behind the K-th newest"
            + " snapshot after each snapshot (default 0: the whole log kept)")
    int retainSnapshots = LogRetention.DEFAULT_RETAIN_SNAPSHOTS;
    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final SettingsReader settings;

    /** A member printing to the process's streams, without a config reader ({@code --config} is refused). */
    public ClusterNodeMain() {
        this(System.out, System.err, null);
    }

    /** A member printing to these streams; {@code settings} reads {@code --config} (null: the option is refused). */
    public ClusterNodeMain(PrintStream out, PrintStream err, SettingsReader settings) {
        this.out = out;
        this.err = err;
        this.settings = settings;
    }

    /** Reads the engine settings of a node config file (the {@code node} module's format; supplied by the caller). */
    public interface SettingsReader {
        EngineConfig engineSettings(Path configFile) throws Exception;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Starts the node; when a process killed hard on this directory left mark files that still look live (Aeron
     * treats them as live for {@value #MARK_FILE_WAIT_SECONDS} s at most after their last update), waits for them to
     * go stale rather than fail: restarting a crashed member must not need a person to delete files.
     */
    static ClusterNode startWhenStale(int id, List<String> hosts, int portBase, Path dir, long tickNanos,
                                      EngineConfig settings, long[] snapshotSchedule, ClusterNode.LogOptions log,
                                      PrintStream err) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(MARK_FILE_WAIT_SECONDS + 5);
        boolean told = false;
        while (true) {
            try {
                return ClusterNode.start(id, hosts, portBase, dir, settings, tickNanos, snapshotSchedule[0],
                        snapshotSchedule[1], log);
            } catch (RuntimeException e) {
                if (!activeMarkFile(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                if (!told) {
                    err.println("cluster-node: waiting for the previous process's mark files to go stale");
                    told = true;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean activeMarkFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("active Mark file detected")) {
                return true;
            }
        }
        return false;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    /** As above; {@code settings} reads {@code --config} (null: the option is refused). */
    public static int run(String[] args, PrintStream out, PrintStream err, SettingsReader settings) {
        return new CommandLine(new ClusterNodeMain(out, err, settings))
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Override
    public Integer call() {
        List<String> hosts = Arrays.asList(members.split(","));
        String problem = null;
        if (snapshotEveryCommands < 0 || snapshotEverySeconds < 0 || snapshotEverySeconds > 365L * 86_400) {
            problem = "--snapshot-every-commands and --snapshot-every-seconds must be 0 or more (seconds at most a year)";
        } else if (retainSnapshots < 0) {
            problem = "--log-retain-snapshots must be 0 (keep the whole log) or more";
        } else if (tickMillis < 0 || tickMillis > 3_600_000) {
            problem = "--tick-ms must be 0..3600000";
        } else if (portBase < 1024 || portBase + hosts.size() * ClusterNode.PORTS_PER_NODE > 65_535) {
            problem = "--port-base leaves no room for " + hosts.size() + " members";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        EngineConfig engineSettings = EngineConfig.defaults();
        if (configFile != null) {
            if (settings == null) {
                throw new ParameterException(spec.commandLine(), "--config needs the meridian command (it reads node"
                        + " config files)");
            }
            try {
                engineSettings = settings.engineSettings(configFile);
            } catch (Exception e) {
                err.println("cluster-node: " + configFile + ": " + e.getMessage());
                return 1;
            }
            // Settings are pinned with the member's log: a config that differs from them is a mistake to report.
            EngineConfig pinned = EngineSettings.read(dir);
            if (pinned != null && !pinned.equals(engineSettings)) {
                err.println("cluster-node: " + dir + " was started with other engine settings ("
                        + EngineSettings.FILE_NAME + "): " + pinned + "; settings are pinned with"
                        + " a member's log, so changing them needs a new cluster");
                return 1;
            }
        }
        ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        long[] schedule = {snapshotEveryCommands, snapshotEverySeconds * 1_000_000_000L};
        ClusterNode.LogOptions log = ClusterNode.LogOptions.defaults().withRetainSnapshots(retainSnapshots);
        try (ClusterNode node = startWhenStale(id, hosts, portBase, dir, tickMillis * 1_000_000L, engineSettings,
                schedule, log, err)) {
            for (String advice : JvmAdvice.forThisJvm()) {
                out.println("cluster-node: " + advice);
            }
            out.println("member=" + id + " ingress=" + ClusterNode.ingressEndpoints(hosts, portBase) + " ready");
            out.flush();
            barrier.await();
        }
        return 0;
    }
}
