package io.meridian.node.marketdata;

/**
 * The market-data path of a node: the bounded hand-off ring from the engine thread ({@link #ring}), the publisher
 * thread that encodes each event once and fans it out ({@link Publisher}), the limits, and the counters. Made and
 * started by the engine loop; the engine thread is the ring's only producer.
 */
public final class MarketFeed implements AutoCloseable {
    /**
     * Asks the engine thread for fresh snapshots of a slow consumer's book streams, once it caught up (called on the
     * connection's I/O thread; must not block). The engine answers with {@link Control#resyncSubscriber}.
     */
    public interface Resyncer {
        void resync(Subscriber subscriber, long episode);
    }

    private final StreamLimits limits;
    private final FeedRing ring;
    private final FeedStats stats = new FeedStats();
    private final Resyncer resyncer;
    private final Publisher publisher;
    /** Told the code of each error frame a subscriber is refused with (for /metrics); set once at start. */
    private volatile java.util.function.IntConsumer refusals = code -> { };

    public MarketFeed(StreamLimits limits, FeedFormats formats, Resyncer resyncer) {
        this.limits = limits;
        this.ring = new FeedRing(limits.feedSlots());
        this.resyncer = resyncer;
        this.publisher = new Publisher(this, formats);
    }

    /** Starts the publisher thread (after the formats are complete). */
    public void start() {
        publisher.start();
    }

    public StreamLimits limits() {
        return limits;
    }

    /** The hand-off ring: its producer side is the engine thread's. */
    public FeedRing ring() {
        return ring;
    }

    public FeedStats stats() {
        return stats;
    }

    /** Where the subscribers' refusals are counted (the node's /metrics), from now on. */
    public void countRefusals(java.util.function.IntConsumer counter) {
        this.refusals = counter;
    }

    /** Any thread: a subscriber was refused with {@code code}. */
    void refused(int code) {
        refusals.accept(code);
    }

    Resyncer resyncer() {
        return resyncer;
    }

    /** Test hook: holds the publisher thread (true) so the ring fills, or lets it go on (false). */
    public void hold(boolean held) {
        publisher.hold(held);
    }

    /** Stops the publisher thread (what is still in the ring is not sent). */
    @Override
    public void close() {
        publisher.stop();
    }
}
