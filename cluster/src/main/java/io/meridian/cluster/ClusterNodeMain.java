package io.meridian.cluster;

import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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
public final class ClusterNodeMain {
    public static final int DEFAULT_PORT_BASE = 9000;
    /** Aeron's liveness timeout for the archive and cluster mark files. */
    static final int MARK_FILE_WAIT_SECONDS = 10;

    private ClusterNodeMain() {
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
        Integer id = null;
        Path configFile = null;
        List<String> hosts = null;
        Path dir = null;
        int portBase = DEFAULT_PORT_BASE;
        long tickMillis = EngineClusteredService.DEFAULT_TICK_NANOS / 1_000_000;
        long snapshotEveryCommands = SnapshotSchedule.DEFAULT_EVERY_COMMANDS;
        long snapshotEverySeconds = SnapshotSchedule.DEFAULT_EVERY_NANOS / 1_000_000_000L;
        int retainSnapshots = LogRetention.DEFAULT_RETAIN_SNAPSHOTS;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--id" -> id = Integer.parseInt(value);
                    case "--members" -> hosts = Arrays.asList(value.split(","));
                    case "--dir" -> dir = Path.of(value);
                    case "--port-base" -> portBase = Integer.parseInt(value);
                    case "--tick-ms" -> tickMillis = Long.parseLong(value);
                    case "--config" -> configFile = Path.of(value);
                    case "--snapshot-every-commands" -> snapshotEveryCommands = Long.parseLong(value);
                    case "--snapshot-every-seconds" -> snapshotEverySeconds = Long.parseLong(value);
                    case "--log-retain-snapshots" -> retainSnapshots = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (id == null || hosts == null || dir == null) {
                throw new IllegalArgumentException("--id, --members and --dir are required");
            }
            if (snapshotEveryCommands < 0 || snapshotEverySeconds < 0 || snapshotEverySeconds > 365L * 86_400) {
                throw new IllegalArgumentException("--snapshot-every-commands and --snapshot-every-seconds must be"
                        + " 0 or more (seconds at most a year)");
            }
            if (retainSnapshots < 0) {
                throw new IllegalArgumentException("--log-retain-snapshots must be 0 (keep the whole log) or more");
            }
            if (tickMillis < 0 || tickMillis > 3_600_000) {
                throw new IllegalArgumentException("--tick-ms must be 0..3600000");
            }
            if (portBase < 1024 || portBase + hosts.size() * ClusterNode.PORTS_PER_NODE > 65_535) {
                throw new IllegalArgumentException("--port-base leaves no room for " + hosts.size() + " members");
            }
        } catch (IllegalArgumentException e) {
            err.println("cluster-node: " + e.getMessage());
            err.println("usage: meridian cluster-node --id N --members HOST,HOST,HOST --dir DIR [--port-base P]"
                    + " [--tick-ms T] [--config FILE] [--snapshot-every-commands N] [--snapshot-every-seconds S]"
                    + " [--log-retain-snapshots K]");
            return 2;
        }
        EngineConfig engineSettings = EngineConfig.defaults();
        if (configFile != null) {
            if (settings == null) {
                err.println("cluster-node: --config needs the meridian command (it reads node config files)");
                return 2;
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
            out.println("member=" + id + " ingress=" + ClusterNode.ingressEndpoints(hosts, portBase) + " ready");
            out.flush();
            barrier.await();
        }
        return 0;
    }
}
