package io.meridian.auth;

import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay protection: which nonces each signer has used. Nonces are the signer's clock in Unix epoch milliseconds (a
 * client that sends several requests in one millisecond adds one per request), and the rule is the one Hyperliquid
 * uses for the same problem:
 *
 * <ol>
 * <li>the nonce must lie in {@code (now - maxAge, now + maxAhead)}, by default two days back and one day ahead
 * ({@link AuthReject#NONCE_TOO_OLD}, {@link AuthReject#NONCE_TOO_NEW}); nonces at or above 2^63 are too new;</li>
 * <li>it must not be one of the signer's kept nonces ({@link AuthReject#NONCE_REUSED});</li>
 * <li>once the signer has {@code window} kept nonces (default 100), it must be greater than the smallest of them
 * ({@link AuthReject#NONCE_TOO_OLD}), which accepting it then evicts.</li>
 * </ol>
 *
 * <p>Why no nonce is ever accepted twice: a signer's kept nonces only ever lose their smallest member, and only while
 * the set is full; from then on it stays full and its smallest member never decreases, so every evicted nonce is below
 * the smallest kept one and fails rule 3 forever. Rule 1 bounds how long a signed request that was never submitted
 * stays usable, and keeps clients from pushing their window far into the future.
 *
 * <p>Memory is bounded per signer ({@code window} longs). Deterministic: {@code now} is an argument, never a clock.
 * Not thread-safe: owned by the single thread that sequences requests.
 */
public final class NonceTracker {

    public static final int DEFAULT_WINDOW = 100;
    public static final long DEFAULT_MAX_AGE_MILLIS = 2L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_MAX_AHEAD_MILLIS = 24L * 60 * 60 * 1000;

    private final int window;
    private final long maxAgeMillis;
    private final long maxAheadMillis;
    private final Map<SignerId, Kept> kept = new HashMap<>();

    /** Kept nonces of one signer, ascending in {@code values[0, size)}. */
    private static final class Kept {
        final long[] values;
        int size;

        Kept(int window) {
            values = new long[window];
        }
    }

    /** The default rule: a window of 100 nonces, two days back, one day ahead. */
    public NonceTracker() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_AGE_MILLIS, DEFAULT_MAX_AHEAD_MILLIS);
    }

    /**
     * A tracker with its own rule.
     *
     * @throws IllegalArgumentException unless {@code window >= 1} and both bounds are positive
     */
    public NonceTracker(int window, long maxAgeMillis, long maxAheadMillis) {
        if (window < 1 || maxAgeMillis <= 0 || maxAheadMillis <= 0) {
            throw new IllegalArgumentException("window and bounds must be positive");
        }
        this.window = window;
        this.maxAgeMillis = maxAgeMillis;
        this.maxAheadMillis = maxAheadMillis;
    }

    /** The oldest nonce age accepted, in milliseconds (exclusive). */
    public long maxAgeMillis() {
        return maxAgeMillis;
    }

    /**
     * Whether {@code signer} may use {@code nonce} at {@code nowMillis}, without recording it.
     *
     * @throws IllegalArgumentException if {@code nowMillis} is negative (a caller bug: the clock is epoch millis)
     */
    public Verdict check(SignerId signer, long nonce, long nowMillis) {
        if (nowMillis < 0) {
            throw new IllegalArgumentException("now is epoch milliseconds, got " + nowMillis);
        }
        if (nonce < 0 || nonce - nowMillis >= maxAheadMillis) {
            return Verdict.reject(AuthReject.NONCE_TOO_NEW, "nonce " + Long.toUnsignedString(nonce)
                    + " is more than " + maxAheadMillis + " ms ahead of now (" + nowMillis + ")");
        }
        if (nowMillis - nonce >= maxAgeMillis) {
            return Verdict.reject(AuthReject.NONCE_TOO_OLD, "nonce " + nonce + " is " + maxAgeMillis
                    + " ms or more behind now (" + nowMillis + ")");
        }
        Kept k = kept.get(signer);
        if (k == null) {
            return Verdict.ok();
        }
        if (Arrays.binarySearch(k.values, 0, k.size, nonce) >= 0) {
            return Verdict.reject(AuthReject.NONCE_REUSED, "nonce " + nonce + " was already used by " + signer);
        }
        if (k.size == window && nonce < k.values[0]) {
            return Verdict.reject(AuthReject.NONCE_TOO_OLD, "nonce " + nonce + " is below the smallest of the last "
                    + window + " nonces of " + signer + " (" + k.values[0] + ")");
        }
        return Verdict.ok();
    }

    /**
     * Checks, and on success records {@code nonce} as used by {@code signer} (evicting the smallest kept nonce when
     * the window is full). A reject changes nothing.
     */
    public Verdict accept(SignerId signer, long nonce, long nowMillis) {
        Verdict verdict = check(signer, nonce, nowMillis);
        if (verdict.isOk()) {
            record(signer, nonce);
        }
        return verdict;
    }

    /** The signer's kept nonces, ascending (a copy; empty for an unknown signer). */
    public long[] kept(SignerId signer) {
        Kept k = kept.get(signer);
        return k == null ? new long[0] : Arrays.copyOf(k.values, k.size);
    }

    /**
     * Copies the signer's kept nonces, ascending, into {@code into} (at least {@link #window()} long) without
     * allocating: for a mirror of this tracker on another thread (the gateway's pre-checks).
     *
     * @return how many were copied (0 for an unknown signer)
     */
    public int copyKept(SignerId signer, long[] into) {
        Kept k = kept.get(signer);
        if (k == null) {
            return 0;
        }
        System.arraycopy(k.values, 0, into, 0, k.size);
        return k.size;
    }

    /** How many nonces are kept per signer. */
    public int window() {
        return window;
    }

    /** The furthest ahead of now a nonce may lie, in milliseconds (exclusive). */
    public long maxAheadMillis() {
        return maxAheadMillis;
    }

    /** Number of signers with kept nonces. */
    public int signers() {
        return kept.size();
    }

    /**
     * Every signer with kept nonces, in a fixed order (owners by address, then agents by key): for state hashes, which
     * must not depend on hash-map iteration order.
     */
    public List<SignerId> signersInOrder() {
        List<SignerId> signers = new ArrayList<>(kept.keySet());
        signers.sort((a, b) -> {
            if (a instanceof Address x && b instanceof Address y) {
                return x.compareTo(y);
            }
            if (a instanceof AgentKey x && b instanceof AgentKey y) {
                return x.compareTo(y);
            }
            return a instanceof Address ? -1 : 1;
        });
        return signers;
    }

    private void record(SignerId signer, long nonce) {
        Kept k = kept.computeIfAbsent(signer, s -> new Kept(window));
        int insertAt = -(Arrays.binarySearch(k.values, 0, k.size, nonce) + 1);
        if (k.size == window) {
            // Drop the smallest: shift [1, insertAt) down by one, the new nonce goes just below insertAt.
            System.arraycopy(k.values, 1, k.values, 0, insertAt - 1);
            k.values[insertAt - 1] = nonce;
        } else {
            System.arraycopy(k.values, insertAt, k.values, insertAt + 1, k.size - insertAt);
            k.values[insertAt] = nonce;
            k.size++;
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes every signer's kept nonces ({@link #signersInOrder} order: a signer, then its nonces ascending); the rule
     * (window and bounds) is the owner's configuration and is not written.
     */
    public void writeSnapshot(SnapshotWriter out) {
        List<SignerId> signers = signersInOrder();
        out.writeCount(signers.size());
        for (SignerId signer : signers) {
            writeSigner(out, signer);
            Kept k = kept.get(signer);
            out.writeCount(k.size);
            for (int i = 0; i < k.size; i++) {
                out.writeVarLong(k.values[i]);
            }
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this tracker, which must be empty. Refuses a signer twice, more
     * nonces than the window, and nonces out of ascending order.
     */
    public void readSnapshot(SnapshotReader in) {
        if (!kept.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty nonce tracker only");
        }
        int signers = in.readCount(3);
        for (int i = 0; i < signers; i++) {
            SignerId signer = readSigner(in);
            int size = in.readCount(1);
            if (size == 0 || size > window || kept.containsKey(signer)) {
                throw in.fail(signer + " has " + size + " kept nonces (window " + window + ") or is there twice");
            }
            Kept k = new Kept(window);
            for (int n = 0; n < size; n++) {
                k.values[n] = in.readVarLong();
                if (n > 0 && k.values[n] <= k.values[n - 1]) {
                    throw in.fail("the kept nonces of " + signer + " are not ascending");
                }
            }
            k.size = size;
            kept.put(signer, k);
        }
    }

    /** A signer as its kind (1: an owner's address, 2: an agent key) and bytes. */
    static void writeSigner(SnapshotWriter out, SignerId signer) {
        if (signer instanceof Address address) {
            out.writeByte(1);
            out.writeBytes(address.toBytes());
        } else {
            out.writeByte(2);
            out.writeBytes(((AgentKey) signer).toBytes());
        }
    }

    static SignerId readSigner(SnapshotReader in) {
        int kind = in.readByte();
        byte[] bytes = in.readBytes();
        if (kind == 1 && bytes.length == Address.BYTES) {
            return Address.of(bytes);
        }
        if (kind == 2 && bytes.length == AgentKey.BYTES) {
            return AgentKey.unchecked(bytes);
        }
        throw in.fail("a signer of kind " + kind + " with " + bytes.length + " bytes");
    }
}
