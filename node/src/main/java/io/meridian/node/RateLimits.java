package io.meridian.node;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets for the gateway: one per connection (every request) and one per account (orders and cancels).
 * A bucket holds up to {@code burst} tokens and refills at {@code rate} per second; a request takes one or is
 * refused with the time until the next token, which becomes HTTP 429 with {@code Retry-After} or a WebSocket reject
 * with code 429. Gateway state only: the engine never sees a refused request. Thread-safe.
 */
public final class RateLimits {
    private final double accountRate;
    private final double accountBurst;
    private final double connectionRate;
    private final double connectionBurst;
    private final ConcurrentHashMap<Long, Bucket> accounts = new ConcurrentHashMap<>();

    public RateLimits(double accountRate, double accountBurst, double connectionRate, double connectionBurst) {
        this.accountRate = accountRate;
        this.accountBurst = accountBurst;
        this.connectionRate = connectionRate;
        this.connectionBurst = connectionBurst;
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

    public Bucket newConnectionBucket() {
        return new Bucket(connectionRate, connectionBurst);
    }

    /** 0 when the account may send now, else nanoseconds until it may. */
    public long takeAccount(long account, long now) {
        return accounts.computeIfAbsent(account, a -> new Bucket(accountRate, accountBurst)).take(now);
    }

    /** One token bucket. */
    public static final class Bucket {
        private final double ratePerNano;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(double ratePerSecond, double burst) {
            this.ratePerNano = ratePerSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
            this.last = System.nanoTime();
        }

        /** Takes a token: 0 when there was one, else the nanoseconds until there will be. */
        public synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerNano);
        }
    }
}
