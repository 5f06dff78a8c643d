package io.meridian.node.access;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a remote IP, an account) with bounded memory. A bucket holds up to {@code burst} tokens and
 * refills at {@code ratePerSecond}; {@link #take} takes one or says how long until one is there.
 *
 * <p><b>Why memory stays bounded.</b> A full bucket carries no information (a new bucket is full too), so when the map
 * reaches {@code maxKeys} every bucket that has refilled is dropped. What remains are keys that spent tokens within the
 * last {@code burst / rate} seconds; if even those fill the map, a new key is refused (answered like an empty bucket)
 * until some refill, rather than the map growing. An attacker therefore needs {@code maxKeys} distinct keys spending
 * within one refill period to be refused, and cannot grow the gateway's memory by inventing keys.
 *
 * <p>Thread-safe: buckets are taken under their own lock; sweeping is rare and lock-free for readers.
 */
public final class KeyedBuckets<K> {
    private final double ratePerSecond;
    private final double burst;
    private final int maxKeys;
    private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException unless rate and burst are positive (burst at least 1) and maxKeys is positive
     */
    public KeyedBuckets(double ratePerSecond, double burst, int maxKeys) {
        if (!(ratePerSecond > 0) || !(burst >= 1) || maxKeys < 1) {
            throw new IllegalArgumentException("rate > 0, burst >= 1 and maxKeys >= 1 required");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /**
     * Takes a token of {@code key}'s bucket at {@code nowNanos} (System.nanoTime).
     *
     * @return 0 when there was one, else the nanoseconds until there will be (at least 1)
     */
    public long take(K key, long nowNanos) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                sweep(nowNanos);
                if (buckets.size() >= maxKeys) {
                    return (long) Math.ceil(1e9 / ratePerSecond);
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, burst, nowNanos));
        }
        return bucket.take(nowNanos);
    }

    /** How many keys hold a bucket now (for tests and metrics). */
    public int size() {
        return buckets.size();
    }

    private void sweep(long nowNanos) {
        buckets.values().removeIf(b -> b.isFull(nowNanos));
    }
}
