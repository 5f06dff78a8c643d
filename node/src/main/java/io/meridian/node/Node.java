package io.meridian.node;

import io.meridian.node.fix.FixGateway;
import io.meridian.node.marketdata.StreamLimits;

/**
 * A running node: the engine thread with its journal ({@link EngineLoop}), the HTTP gateway in front of it and, when
 * configured, the FIX 4.4 gateway ({@link FixGateway}). Closing stops the gateways first (no new requests), then drains
 * the engine thread and closes the journal, so every acknowledged command is on disk and a restart on the same data
 * directory recovers the same state.
 */
public final class Node implements AutoCloseable {
    static {
        // The FIX engine logs every session event at INFO through SLF4J; an operator needs its warnings and errors
        // (refused logons, resend gaps), not that chatter. Set before any logger exists; an explicit setting wins.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    private final EngineLoop engine;
    private final HttpGateway gateway;
    /** Null when the config has no {@code fix} section. */
    private final FixGateway fix;
    /** Null when the config has no {@code binary} section (docs/binary-protocol.md). */
    private final io.meridian.node.binary.BinaryGateway binary;
    /** The volatility controller, or null when the config does not enable one. */
    private final RiskControl riskControl;
    /** The settlement loop on a chain, or null when the config has no {@code chain} section. */
    private final io.meridian.node.settlement.SettlementLoop settlement;

    private Node(EngineLoop engine, HttpGateway gateway, FixGateway fix, io.meridian.node.binary.BinaryGateway binary,
                 RiskControl riskControl, io.meridian.node.settlement.SettlementLoop settlement) {
        this.binary = binary;
        this.settlement = settlement;
        this.engine = engine;
        this.gateway = gateway;
        this.fix = fix;
        this.riskControl = riskControl;
    }

    /** Recovers the data directory, starts the engine thread, then opens the gateway. */
    public static Node start(NodeConfig config) throws InterruptedException {
        return start(config, failure -> { });
    }

    /** As above; {@code onFailure} hears why the engine thread stopped, if it does (see {@link EngineLoop}). */
    public static Node start(NodeConfig config, java.util.function.Consumer<Throwable> onFailure)
            throws InterruptedException {
        return start(config, onFailure, EngineLoop.WALL_CLOCK);
    }

    /** As above, on {@code clock} (epoch nanoseconds) instead of the wall clock: for tests that move time. */
    static Node start(NodeConfig config, java.util.function.Consumer<Throwable> onFailure,
                      java.util.function.LongSupplier clock) throws InterruptedException {
        return start(config, null, onFailure, clock);
    }

    /**
     * A gateway of {@code cluster} (null: a node with its own journal): the same gateways over a replica of the
     * cluster's engine, which it journals in its data directory to rebuild its history at a restart (docs/cluster.md,
     * "Gateways").
     */
    public static Node start(NodeConfig config, ClusterTarget cluster,
                             java.util.function.Consumer<Throwable> onFailure) throws InterruptedException {
        return start(config, cluster, onFailure, EngineLoop.WALL_CLOCK);
    }

    private static Node start(NodeConfig config, ClusterTarget cluster,
                              java.util.function.Consumer<Throwable> onFailure,
                              java.util.function.LongSupplier clock) throws InterruptedException {
        if (config.chain() != null && cluster != null) {
            // Refused before anything starts: several gateways may front one cluster, and each would commit its own
            // batches to the vault (docs/settlement.md, "The node's settlement loop").
            throw new IllegalStateException("chain: the settlement loop runs on a node with its own journal,"
                    + " not on a cluster's gateway");
        }
        EngineLoop engine = new EngineLoop(config, cluster, onFailure, clock, StreamLimits.fromSystemProperties());
        HttpGateway gateway = null;
        io.meridian.node.binary.BinaryGateway binary = null;
        try {
            gateway = new HttpGateway(config, engine);
            if (config.binary() != null) {
                binary = new io.meridian.node.binary.BinaryGateway(config, engine, gateway.gateway());
            }
            FixGateway fix = config.fix() == null ? null : new FixGateway(config, engine);
            if (fix != null) {
                engine.metrics().bindRateLimit("fix_account_orders", fix.limits()::refusedOrders);
            }
            // Last, once the node takes requests: the controller's changes go the way every operator command goes.
            RiskControl control = config.riskController() != null && config.riskController().on()
                    ? RiskControl.start(engine, config.riskController()) : null;
            io.meridian.node.settlement.SettlementLoop settlement = null;
            if (config.chain() != null) {
                try {
                    settlement = io.meridian.node.settlement.SettlementLoop.start(config, engine);
                } catch (RuntimeException e) {
                    if (control != null) {
                        control.close();
                    }
                    if (fix != null) {
                        fix.close();
                    }
                    if (binary != null) {
                        binary.close();
                    }
                    throw e;
                }
            }
            return new Node(engine, gateway, fix, binary, control, settlement);
        } catch (quickfix.ConfigError e) {
            if (binary != null) {
                binary.close();
            }
            gateway.close();
            engine.close();
            throw new IllegalStateException("cannot start the FIX acceptor: " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            if (binary != null) {
                binary.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            engine.close();
            throw e;
        }
    }

    public int httpPort() {
        return gateway.port();
    }

    /** The FIX acceptor's port (useful with port 0); -1 without a {@code fix} section. */
    public int fixPort() {
        return fix == null ? -1 : fix.port();
    }

    /** The binary order entry's port (useful with port 0); -1 without a {@code binary} section. */
    public int binaryPort() {
        return binary == null ? -1 : binary.port();
    }

    /** The binary order entry, or null without a {@code binary} section. */
    public io.meridian.node.binary.BinaryGateway binary() {
        return binary;
    }

    public EngineLoop engine() {
        return engine;
    }

    /** The settlement loop, or null when the config has no {@code chain} section. */
    public io.meridian.node.settlement.SettlementLoop settlement() {
        return settlement;
    }

    @Override
    public void close() {
        if (settlement != null) {
            settlement.close();
        }
        if (riskControl != null) {
            riskControl.close();
        }
        try {
            if (binary != null) {
                binary.close();
            }
            if (fix != null) {
                fix.close();
            }
        } finally {
            try {
                gateway.close();
            } finally {
                engine.close();
            }
        }
    }
}
