package io.meridian.model;

/**
 * A streaming 64-bit hash for {@code stateHash()}: components feed their state in a fixed, documented order and
 * replicas compare the result. Not cryptographic; it detects divergence, it does not resist forgery (settlement
 * proofs use real hashes). Each input is mixed with a multiply-xorshift finaliser so that small differences
 * spread to every bit.
 */
public final class StateHasher {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private long state = 0x6A09E667F3BCC909L;

    public StateHasher add(long value) {
        state = mix(state ^ mix(value + MULTIPLIER)) * MULTIPLIER + 1;
        return this;
    }

    public StateHasher add(boolean value) {
        return add(value ? 1 : 0);
    }

    public StateHasher add(Enum<?> value) {
        return add(value == null ? -1 : value.ordinal());
    }

    public StateHasher add(String value) {
        if (value == null) {
            return add(-1);
        }
        add(value.length());
        for (int i = 0; i < value.length(); i++) {
            add(value.charAt(i));
        }
        return this;
    }

    public long value() {
        return mix(state);
    }

    /** The hash as 16 lowercase hex digits, the form tools print. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
