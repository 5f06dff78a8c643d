package io.meridian.node;

import io.meridian.engine.JvmAdvice;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meridian node [--config FILE] [--http-port N] [--data-dir DIR] [--cluster HOST,HOST,HOST
 * [--cluster-port-base P] [--client-id N]]}: runs a node until SIGINT or SIGTERM. Without a config file the built-in
 * demo venue is used ({@link NodeConfig#defaults()}). With {@code --cluster} the node is a gateway of that cluster (its
 * members' hosts in member-id order and port base, as they were started): its engine a replica of the members', which
 * it journals in the data directory; {@code --client-id} must differ between the gateways (default: a random one).
 * Prints {@code node ready http://...} when the gateway accepts requests; {@code GET /health} then answers 200.
 */
@Command(name = "node", description = {"Run the exchange: the journaled engine and its REST, WebSocket (and FIX)"
        + " gateway on the config's address (default 127.0.0.1:8080; docs/api.md), until Ctrl-C or SIGTERM.",
        "Without --config the built-in demo venue (auth mode open, dev mode on). With --cluster it is a gateway of that"
        + " cluster (docs/cluster.md). Prints \"node ready http://...\" when the gateway accepts requests.",
        "Exit codes: 0 stopped, 1 the config was refused (every mistake listed) or the node could not start, 2 usage."})
public final class NodeMain implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
    @Option(names = "--config", paramLabel = "FILE", description = "the node's config, JSON"
            + " (config/examples/, docs/operations.md)")
    Path configFile;
    @Option(names = "--http-port", paramLabel = "N", description = "the gateway's port over the config's (0 picks a free"
            + " one)")
    Integer port;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "the journal and snapshots, over the config's")
    String dataDir;
    @Option(names = "--cluster", paramLabel = "HOST,HOST,HOST", description = "be a gateway of this cluster: its"
            + " members' hosts in member-id order")
    String clusterHosts;
    @Option(names = "--cluster-port-base", paramLabel = "P", description = "the members' port base, as they were started"
            + " (default 9000)")
    int clusterPortBase = 9000;
    @Option(names = "--client-id", paramLabel = "N", description = "this gateway's cluster client id, different for each"
            + " gateway (default: a random one)")
    long clientId;
    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    /** A node printing to the process's streams. */
    public NodeMain() {
        this(System.out, System.err);
    }

    /** A node printing to these streams. */
    public NodeMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} (those after {@code node}) and runs the node until it is stopped; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new NodeMain(out, err)).setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Override
    public Integer call() {
        ClusterTarget cluster = null;
        long clientId = this.clientId;
        if (clusterHosts != null) {
            try {
                while (clientId == 0) {
                    clientId = new java.security.SecureRandom().nextLong();
                }
                cluster = new ClusterTarget(java.util.Arrays.asList(clusterHosts.split(",")), clusterPortBase, clientId);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
            }
        }
        NodeConfig config;
        try {
            config = configFile == null ? NodeConfig.defaults() : NodeConfig.read(configFile);
            if (port != null || dataDir != null) {
                config = config.withDataDirAndPort(dataDir != null ? dataDir : config.dataDir(),
                        port != null ? port : config.httpPort());
                config.validate();
            }
        } catch (NodeConfig.ConfigException e) {
            err.println("node: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Node node;
        try {
            node = Node.start(config, cluster, failure -> {
                err.println("node: the engine thread stopped: " + failure + "; refusing requests; restart to recover"
                        + " from the journal");
                err.flush();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("node: cannot start: " + e.getMessage());
            return 1;
        }
        var start = node.engine().startReport();
        if (start != null) {
            for (String skipped : start.skipped()) {
                out.println("node: snapshot skipped: " + skipped);
            }
            if (start.journal().hasTornTail()) {
                out.println("node: journal: " + start.journal());
            }
            out.println("node: data " + config.dataDir() + ", " + (start.snapshot() == null ? "no snapshot"
                    : "snapshot at " + start.snapshot().sequence()) + ", " + start.replayed()
                    + " journal record(s) replayed, at sequence " + start.lastSequence());
        }
        for (String note : node.engine().startNotes()) {
            out.println("node: " + note);
        }
        for (String advice : JvmAdvice.forThisJvm()) { // a cluster's gateway too: it runs a replica of the engine
            out.println("node: " + advice);
        }
        if (cluster != null) {
            out.println("node: gateway of the cluster at " + cluster.ingressEndpoints() + " as client " + clientId
                    + ", at sequence " + node.engine().health().get("sequence"));
        }
        out.println("node ready http://" + config.httpHost() + ":" + node.httpPort());
        if (node.fixPort() >= 0) {
            out.println("node: FIX 4.4 acceptor " + config.httpHost() + ":" + node.fixPort() + " as "
                    + config.fix().senderCompId());
        }
        if (node.binaryPort() >= 0) {
            out.println("node: binary order entry (SBE) " + config.httpHost() + ":" + node.binaryPort());
        }
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "meridian-node-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
