package io.meridian.node;

import io.meridian.node.access.KeyedBuckets;
import io.meridian.node.access.TokenBucket;

/**
 * Token buckets for the gateway: one per connection (every request) and one per account (orders and cancels).
 * A bucket holds up to {@code burst} tokens and refills at {@code rate} per second; a request takes one or is
 * refused with the time until the next token, which becomes HTTP 429 with {@code Retry-After} or a WebSocket reject
 * with code 429. Gateway state only: the engine never sees a refused request. Accounts' buckets are bounded in memory
 * ({@link KeyedBuckets}, at most {@link #MAX_ACCOUNTS} spending at once). Thread-safe.
 */
public final class RateLimits {
    private final double accountRate;
    private final double accountBurst;
    private final double connectionRate;
    private final double connectionBurst;
    /** Accounts whose buckets are kept at once: refilled buckets are dropped when this is reached. */
    static final int MAX_ACCOUNTS = 1_000_000;
    private final KeyedBuckets<Long> accounts;
    /** Refusals since the start, for the metrics: connections' requests, accounts' orders and cancels. */
    private final java.util.concurrent.atomic.LongAdder refusedRequests = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder refusedOrders = new java.util.concurrent.atomic.LongAdder();

    public RateLimits(double accountRate, double accountBurst, double connectionRate, double connectionBurst) {
        this.accountRate = accountRate;
        this.accountBurst = accountBurst;
        this.connectionRate = connectionRate;
        this.connectionBurst = connectionBurst;
        this.accounts = new KeyedBuckets<>(accountRate, accountBurst, MAX_ACCOUNTS);
    }

    /** The limits a node's config sets: bursts of twice the per-second rates. */
    public static RateLimits of(NodeConfig config) {
        return new RateLimits(config.ordersPerSecondPerAccount(), 2.0 * config.ordersPerSecondPerAccount(),
                config.requestsPerSecondPerConnection(), 2.0 * config.requestsPerSecondPerConnection());
    }

    /**
     * What a client is told when its account's bucket is empty: the limit, never the bucket's key (an account id, or
     * for a signed request a number derived from the signer's address).
     */
    public String ordersRefused() {
        return "too many orders and cancels for this account: at most " + rate(accountRate) + " a second";
    }

    /** What a client is told when its connection's bucket is empty. */
    public String requestsRefused() {
        return "too many requests on this connection: at most " + rate(connectionRate) + " a second";
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    public TokenBucket newConnectionBucket() {
        return new TokenBucket(connectionRate, connectionBurst, System.nanoTime());
    }

    /** 0 when the account may send now, else nanoseconds until it may (a refusal, counted). */
    public long takeAccount(long account, long now) {
        long wait = accounts.take(account, now);
        if (wait > 0) {
            refusedOrders.increment();
        }
        return wait;
    }

    /** Takes a token of a connection's bucket: 0 when it had one, else nanoseconds until it will (a refusal, counted). */
    public long takeConnection(TokenBucket bucket, long now) {
        long wait = bucket.take(now);
        if (wait > 0) {
            refusedRequests.increment();
        }
        return wait;
    }

    /** Requests refused by their connection's bucket since the start. */
    public long refusedRequests() {
        return refusedRequests.sum();
    }

    /** Orders and cancels refused by their account's bucket since the start. */
    public long refusedOrders() {
        return refusedOrders.sum();
    }
}
