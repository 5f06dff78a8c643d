package io.meridian.node;

/**
 * A running node: the engine thread with its journal ({@link EngineLoop}) and the HTTP gateway in front of it.
 * Closing stops the gateway first (no new requests), then drains the engine thread and closes the journal, so every
 * acknowledged command is on disk and a restart on the same data directory recovers the same state.
 */
public final class Node implements AutoCloseable {
    private final EngineLoop engine;
    private final HttpGateway gateway;

    private Node(EngineLoop engine, HttpGateway gateway) {
        this.engine = engine;
        this.gateway = gateway;
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
        EngineLoop engine = new EngineLoop(config, onFailure, clock);
        try {
            return new Node(engine, new HttpGateway(config, engine));
        } catch (InterruptedException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public int httpPort() {
        return gateway.port();
    }

    public EngineLoop engine() {
        return engine;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            engine.close();
        }
    }
}
