package io.meridian.node.marketdata;

import java.util.Properties;

/**
 * The bounds of the market-data path (docs/api.md, "Slow consumers"; docs/operations.md): every queue between the
 * engine thread and a subscriber's socket, and what one connection or one address may hold.
 *
 * <p>An operator sets them with system properties ({@code MERIDIAN_JAVA_OPTS="-Dmeridian.marketData.maxPendingBytes=
 * 2097152" ./meridian node ...}); a property that is not a whole number in range stops the node at start with a
 * message naming it.
 *
 * @param feedSlots                     the hand-off ring from the engine thread to the publisher thread, in events
 *                                      (a power of two; default 65,536). When it is full the engine thread drops the
 *                                      market data, never waits, and every stream is resynchronised once it has room
 * @param maxPendingBytes               bytes one connection may have waiting to be written before it counts as a slow
 *                                      consumer (default 512 KiB, at least 256 KiB so a full-depth snapshot fits)
 * @param slowConsumerTimeoutMillis     how long a slow consumer has to catch up before it is disconnected, and how
 *                                      long its final error message is given to leave (default 10,000)
 * @param maxSubscriptionsPerConnection book and account streams one connection may hold (default 64)
 * @param maxSubscriptionsPerAddress    book and account streams all connections from one IP address may hold together
 *                                      (default 512)
 * @param maxSnapshotsInFlight          book subscriptions (each a snapshot) one connection may have asked for and not
 *                                      yet received (default 4)
 * @param socketSendBuffer              the kernel's send buffer of a connection once it subscribes, in bytes (default
 *                                      128 KiB; 0 leaves it to the operating system, which grows it up to megabytes
 *                                      for a peer that does not read): what waits in the kernel comes on top of
 *                                      {@code maxPendingBytes}, and filling it is the cost of a subscriber that does
 *                                      not read, so it is bounded too
 */
public record StreamLimits(int feedSlots, long maxPendingBytes, long slowConsumerTimeoutMillis,
                           int maxSubscriptionsPerConnection, int maxSubscriptionsPerAddress, int maxSnapshotsInFlight,
                           int socketSendBuffer) {
    /** The prefix of the system properties: {@code meridian.marketData.<component>}. */
    public static final String PREFIX = "meridian.marketData.";

    public StreamLimits {
        if (feedSlots < 1024 || feedSlots > (1 << 22) || Integer.bitCount(feedSlots) != 1) {
            throw new IllegalArgumentException(PREFIX + "feedSlots: must be a power of two 1024..4194304, was "
                    + feedSlots);
        }
        if (maxPendingBytes < (256 << 10) || maxPendingBytes > (1L << 30)) {
            throw new IllegalArgumentException(PREFIX + "maxPendingBytes: must be 262144..1073741824, was "
                    + maxPendingBytes);
        }
        if (slowConsumerTimeoutMillis < 10 || slowConsumerTimeoutMillis > 3_600_000) {
            throw new IllegalArgumentException(PREFIX + "slowConsumerTimeoutMillis: must be 10..3600000, was "
                    + slowConsumerTimeoutMillis);
        }
        if (maxSubscriptionsPerConnection < 1 || maxSubscriptionsPerConnection > 100_000) {
            throw new IllegalArgumentException(PREFIX + "maxSubscriptionsPerConnection: must be 1..100000, was "
                    + maxSubscriptionsPerConnection);
        }
        if (maxSubscriptionsPerAddress < 1 || maxSubscriptionsPerAddress > 10_000_000) {
            throw new IllegalArgumentException(PREFIX + "maxSubscriptionsPerAddress: must be 1..10000000, was "
                    + maxSubscriptionsPerAddress);
        }
        if (maxSnapshotsInFlight < 1 || maxSnapshotsInFlight > 1024) {
            throw new IllegalArgumentException(PREFIX + "maxSnapshotsInFlight: must be 1..1024, was "
                    + maxSnapshotsInFlight);
        }
        if (socketSendBuffer != 0 && (socketSendBuffer < (16 << 10) || socketSendBuffer > (64 << 20))) {
            throw new IllegalArgumentException(PREFIX + "socketSendBuffer: must be 0 or 16384..67108864, was "
                    + socketSendBuffer);
        }
    }

    /** The defaults (see the parameters). */
    public static StreamLimits defaults() {
        return new StreamLimits(1 << 16, 512 << 10, 10_000, 64, 512, 4, 128 << 10);
    }

    /** The defaults overridden by the {@code meridian.marketData.*} system properties that are set. */
    public static StreamLimits fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The defaults overridden by the {@code meridian.marketData.*} entries of {@code p}; unknown entries refused. */
    public static StreamLimits from(Properties p) {
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(PREFIX) && !java.util.List.of("feedSlots", "maxPendingBytes",
                    "slowConsumerTimeoutMillis", "maxSubscriptionsPerConnection", "maxSubscriptionsPerAddress",
                    "maxSnapshotsInFlight", "socketSendBuffer").contains(name.substring(PREFIX.length()))) {
                throw new IllegalArgumentException("unknown setting " + name);
            }
        }
        StreamLimits d = defaults();
        return new StreamLimits((int) number(p, "feedSlots", d.feedSlots()),
                number(p, "maxPendingBytes", d.maxPendingBytes()),
                number(p, "slowConsumerTimeoutMillis", d.slowConsumerTimeoutMillis()),
                (int) number(p, "maxSubscriptionsPerConnection", d.maxSubscriptionsPerConnection()),
                (int) number(p, "maxSubscriptionsPerAddress", d.maxSubscriptionsPerAddress()),
                (int) number(p, "maxSnapshotsInFlight", d.maxSnapshotsInFlight()),
                (int) number(p, "socketSendBuffer", d.socketSendBuffer()));
    }

    private static long number(Properties p, String name, long fallback) {
        String text = p.getProperty(PREFIX + name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + ": must be a whole number, was '" + text + "'");
        }
        // The int settings: a value that does not fit must not wrap into range on the cast.
        boolean wide = name.equals("maxPendingBytes") || name.equals("slowConsumerTimeoutMillis");
        if (!wide && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(PREFIX + name + ": out of range, was '" + text + "'");
        }
        return value;
    }

    /** A copy with another pending-bytes bound and slow-consumer timeout (for tests and tools). */
    public StreamLimits withSlowConsumer(long pendingBytes, long timeoutMillis) {
        return new StreamLimits(feedSlots, pendingBytes, timeoutMillis, maxSubscriptionsPerConnection,
                maxSubscriptionsPerAddress, maxSnapshotsInFlight, socketSendBuffer);
    }

    /** A copy with other subscription caps (for tests and tools). */
    public StreamLimits withCaps(int perConnection, int perAddress, int snapshotsInFlight) {
        return new StreamLimits(feedSlots, maxPendingBytes, slowConsumerTimeoutMillis, perConnection, perAddress,
                snapshotsInFlight, socketSendBuffer);
    }

    /** A copy with another hand-off ring size (for tests and tools). */
    public StreamLimits withFeedSlots(int slots) {
        return new StreamLimits(slots, maxPendingBytes, slowConsumerTimeoutMillis, maxSubscriptionsPerConnection,
                maxSubscriptionsPerAddress, maxSnapshotsInFlight, socketSendBuffer);
    }
}
