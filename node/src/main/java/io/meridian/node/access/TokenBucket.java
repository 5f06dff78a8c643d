package io.meridian.node.access;

/**
 * One token bucket: holds up to {@code burst} tokens and refills at {@code ratePerSecond}; {@link #take} takes one or
 * says how long until one is there. The gateway's only bucket: per connection, and per key in {@link KeyedBuckets}.
 * Thread-safe (each bucket under its own lock); a clock that reads earlier than the last call refills nothing.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;
    /** Whole tokens left after the last {@link #take}, and the nanoseconds from it until the bucket is full again. */
    private long takenRemaining;
    private long takenUntilFull;

    /** A full bucket as of {@code nowNanos} (System.nanoTime). */
    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token at {@code nowNanos}: 0 when there was one, else the nanoseconds until there will be (at least 1). */
    public synchronized long take(long nowNanos) {
        refill(nowNanos);
        long wait = 0;
        if (tokens >= 1) {
            tokens -= 1;
        } else {
            wait = Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano));
        }
        takenRemaining = (long) Math.floor(tokens);
        takenUntilFull = tokens >= burst ? 0 : (long) Math.ceil((burst - tokens) / ratePerNano);
        return wait;
    }

    /** The bucket's size: the most tokens it holds (the burst). */
    public double burst() {
        return burst;
    }

    /**
     * What a client is told of the bucket (the rate-limit headers): {@code [whole tokens left, nanoseconds until it is
     * full again]}, as of its last {@link #take} (the request being answered, or one that came after it).
     */
    public synchronized long[] state() {
        return new long[] {takenRemaining, takenUntilFull};
    }

    /** Whether the bucket has refilled completely by {@code nowNanos} (then it is as good as a new one). */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
            last = nowNanos;
        }
    }
}
