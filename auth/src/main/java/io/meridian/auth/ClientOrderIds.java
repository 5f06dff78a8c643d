package io.meridian.auth;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Client order ids as clients write them (docs/auth.md, "Client order ids"): a text of 1 to {@value #MAX_LENGTH}
 * characters of {@code A-Z a-z 0-9 . _ : / -} (Binance's {@code ^[\.A-Z\:/a-z0-9_-]{1,36}$}), such as a UUID, and the
 * 64-bit key the engine knows it by, which is also what the {@code Order} and {@code Cancel} structs sign as
 * {@code uint64 clientOrderId}. The key is a pure function of the text, {@link #key(String)}:
 * <ul>
 *   <li>a text that is a whole number written the plain way, 1 to 19 decimal digits without a leading zero, below
 *       {@link #TEXT_KEY_BASE} (2^62), is that number: numeric ids, old journals and numeric FIX ClOrdIDs keep their
 *       meaning;</li>
 *   <li>any other valid text (a UUID, {@code "0"}, {@code "007"}, {@code "-5"}, a number of 2^62 or more) is
 *       {@code 2^62 | (the first 8 bytes of keccak256(utf8(text)), big-endian, & (2^62 - 1))}, always in
 *       [2^62, 2^63): apart from every numeric key.</li>
 * </ul>
 * Two texts with the same key are the same client order id (for idempotency and cancels by client order id). For an
 * honest client two different texts share a key with probability 2^-62 per pair; since keys are per account, a client
 * who looks for a collision can only collide with its own orders.
 *
 * <p>Stateless static methods allocate (a digest per call); the engine checks texts with one {@link Keys} instance on
 * its thread, which allocates nothing. Thread-safe (the statics).
 */
public final class ClientOrderIds {
    /** The longest text. */
    public static final int MAX_LENGTH = 36;
    /** Keys of texts that are not plain numbers are this bit set over 62 bits of their hash: [2^62, 2^63). */
    public static final long TEXT_KEY_BASE = 1L << 62;
    /** The 62 hash bits of a text key. */
    static final long HASH_MASK = TEXT_KEY_BASE - 1;
    /** What a valid text is, in words (edges quote it in their refusals). */
    public static final String RULE = "1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : / -";
    /** What a client order id given as a number must be (numbers of 2^62 and up are texts' keys: send those as text). */
    public static final String NUMBER_RULE = "a number must be 1 to " + (TEXT_KEY_BASE - 1)
            + " (2^62 - 1); send any other id as a string of " + RULE;

    private ClientOrderIds() {
    }

    /** Whether {@code c} may appear in a client order id text. */
    public static boolean isAllowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':'
                || c == '/' || c == '-';
    }

    /** Whether {@code text} is a valid client order id text (see the class comment). */
    public static boolean isValid(CharSequence text) {
        return problem(text) == null;
    }

    /**
     * What is wrong with {@code text} as a client order id, in words the edges quote after the field's name (it names
     * the rule; it quotes no client text), or null when it is valid.
     */
    public static String problem(CharSequence text) {
        if (text == null || text.length() == 0) {
            return "must not be empty: " + RULE;
        }
        if (text.length() > MAX_LENGTH) {
            return "too long (" + text.length() + " characters): " + RULE;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isAllowed(text.charAt(i))) {
                return "character " + (i + 1) + " is not allowed: " + RULE;
            }
        }
        return null;
    }

    /**
     * The key of a valid text.
     *
     * @throws IllegalArgumentException when {@code text} is not a valid client order id ({@link #problem})
     */
    public static long key(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException("client order id " + problem);
        }
        long number = plainNumber(text);
        return number > 0 ? number : textKey(Keccak.hash(ascii(text)));
    }

    /** Whether {@code key} is a text key (in [2^62, 2^63)), not a number. */
    public static boolean isTextKey(long key) {
        return key >= TEXT_KEY_BASE;
    }

    /**
     * Whether a client order id given as a number may be sent as one: 1 to 2^62 - 1 (a number at or above 2^62 would
     * collide with the texts' keys, and 0 means none).
     */
    public static boolean isValidNumber(long number) {
        return number > 0 && number < TEXT_KEY_BASE;
    }

    /**
     * The number a plain-number text is (1 to 19 digits, no leading zero, below 2^62), or 0 when the text is anything
     * else (its key is then its hash's).
     */
    public static long plainNumber(CharSequence text) {
        int n = text.length();
        if (n == 0 || n > 19 || text.charAt(0) < '1' || text.charAt(0) > '9') {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            int digit = c - '0';
            // value * 10 + digit must stay at most 2^62 - 1; checked before the multiplication can overflow.
            if (value > (HASH_MASK - digit) / 10) {
                return 0;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The text key of a keccak256 digest: the base bit over the low 62 bits of its first 8 bytes, big-endian. */
    static long textKey(byte[] digest) {
        long first = 0;
        for (int i = 0; i < 8; i++) {
            first = (first << 8) | (digest[i] & 0xFF);
        }
        return TEXT_KEY_BASE | (first & HASH_MASK);
    }

    /** The bytes of a valid text: ASCII, so its UTF-8 encoding is one byte per character. */
    private static byte[] ascii(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        return bytes;
    }

    /**
     * The key function without allocation, for one thread (the engine's): a reused digest and buffer. Not
     * thread-safe.
     */
    public static final class Keys {
        private final KeccakDigest digest = new KeccakDigest(256);
        private final byte[] out = new byte[Keccak.HASH_BYTES];

        /** Whether {@code text} is a valid client order id whose key is {@code key}. */
        public boolean matches(CharSequence text, long key) {
            return problem(text) == null && keyOfValid(text) == key;
        }

        /** The key of a text {@link #isValid} accepts (anything else gives a meaningless key). */
        public long keyOfValid(CharSequence text) {
            long number = plainNumber(text);
            if (number > 0) {
                return number;
            }
            digest.reset();
            for (int i = 0; i < text.length(); i++) {
                digest.update((byte) text.charAt(i));
            }
            digest.doFinal(out, 0);
            return textKey(out);
        }
    }
}
