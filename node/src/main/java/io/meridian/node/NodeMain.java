package io.meridian.node;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meridian node [--config FILE] [--http-port N] [--data-dir DIR] [--cluster HOST,HOST,HOST
 * [--cluster-port-base P] [--client-id N]]}: runs a node until SIGINT or SIGTERM. Without a config file the built-in
 * demo venue is used ({@link NodeConfig#defaults()}). With {@code --cluster} the node is a gateway of that cluster (its
 * members' hosts in member-id order and port base, as they were started): its engine a replica of the members', which
 * it journals in the data directory; {@code --client-id} must differ between the gateways (default: a random one).
 * Prints {@code node ready http://...} when the gateway accepts requests; {@code GET /health} then answers 200.
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile = null;
        Integer port = null;
        String dataDir = null;
        String clusterHosts = null;
        int clusterPortBase = 9000;
        long clientId = 0;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--config" -> configFile = Path.of(args[i + 1]);
                    case "--http-port" -> port = Integer.parseInt(args[i + 1]);
                    case "--data-dir" -> dataDir = args[i + 1];
                    case "--cluster" -> clusterHosts = args[i + 1];
                    case "--cluster-port-base" -> clusterPortBase = Integer.parseInt(args[i + 1]);
                    case "--client-id" -> clientId = Long.parseLong(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("node: " + e.getMessage());
            err.println("usage: meridian node [--config FILE] [--http-port N] [--data-dir DIR]"
                    + " [--cluster HOST,HOST,HOST [--cluster-port-base P] [--client-id N]]");
            return 2;
        }
        ClusterTarget cluster = null;
        if (clusterHosts != null) {
            try {
                while (clientId == 0) {
                    clientId = new java.security.SecureRandom().nextLong();
                }
                cluster = new ClusterTarget(java.util.Arrays.asList(clusterHosts.split(",")), clusterPortBase, clientId);
            } catch (IllegalArgumentException e) {
                err.println("node: --cluster: " + e.getMessage());
                return 2;
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
        if (cluster != null) {
            out.println("node: gateway of the cluster at " + cluster.ingressEndpoints() + " as client " + clientId
                    + ", at sequence " + node.engine().health().get("sequence"));
        }
        out.println("node ready http://" + config.httpHost() + ":" + node.httpPort());
        if (node.fixPort() >= 0) {
            out.println("node: FIX 4.4 acceptor " + config.httpHost() + ":" + node.fixPort() + " as "
                    + config.fix().senderCompId());
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
