package io.meridian.auth;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.util.Arrays;

/**
 * An agent's Ed25519 public key (RFC 8032), 32 bytes: what an owner approves, and what signs requests on the owner's
 * behalf. Only keys that decode to a point of the curve are accepted. Immutable and thread-safe.
 */
public final class AgentKey implements SignerId, Comparable<AgentKey> {

    /** Length in bytes. */
    public static final int BYTES = 32;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    private final byte[] bytes;
    /**
     * The decoded point, made on first use when absent (keys the engine only looks up and compares, {@link #unchecked},
     * never need it). A racing first use decodes it twice, harmlessly.
     */
    private Ed25519PublicKeyParameters key;

    private AgentKey(byte[] bytes, Ed25519PublicKeyParameters key) {
        this.bytes = bytes;
        this.key = key;
    }

    /**
     * Parses a 32-byte public key. Never throws: a wrong length or bytes that are not a curve point give a
     * {@link AuthReject#MALFORMED} reject.
     */
    public static Outcome<AgentKey> fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            return Outcome.reject(AuthReject.MALFORMED, "an Ed25519 public key is 32 bytes, got "
                    + (bytes == null ? "none" : bytes.length + " bytes"));
        }
        byte[] copy = bytes.clone();
        try {
            return Outcome.ok(new AgentKey(copy, new Ed25519PublicKeyParameters(copy)));
        } catch (IllegalArgumentException notAPoint) {
            return Outcome.reject(AuthReject.MALFORMED, "not a valid Ed25519 public key");
        }
    }

    /**
     * A key from 32 bytes without decoding the curve point (which costs about 8 us): for the engine, which only looks
     * keys up and compares them, on the sequencing thread, and receives keys the gateway already parsed with
     * {@link #fromBytes(byte[])}. {@link #verify(byte[], byte[])} decodes the point on first use and returns false for
     * bytes that are not one.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 32 bytes
     */
    public static AgentKey unchecked(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        return new AgentKey(bytes.clone(), null);
    }

    /**
     * {@code likely} when it holds these bytes, else {@link #unchecked(byte[])}: for a caller that keeps the last key it
     * made, as {@link Address#of(byte[], Address)}. Same contract as {@link #unchecked(byte[])}.
     */
    public static AgentKey unchecked(byte[] bytes, AgentKey likely) {
        return likely != null && Arrays.equals(likely.bytes, bytes) ? likely : unchecked(bytes);
    }

    /** Parses 64 hex digits (optional {@code 0x}). Never throws. */
    public static Outcome<AgentKey> parseHex(String text) {
        byte[] bytes = Hex.decodeOrNull(text);
        if (bytes == null) {
            return Outcome.reject(AuthReject.MALFORMED, "agent key is not hex");
        }
        return fromBytes(bytes);
    }

    /**
     * Like {@link #fromBytes(byte[])} but throws: for constants and tests only.
     *
     * @throws IllegalArgumentException if {@code bytes} is not a valid key
     */
    public static AgentKey of(byte[] bytes) {
        Outcome<AgentKey> parsed = fromBytes(bytes);
        if (!parsed.isOk()) {
            throw new IllegalArgumentException(parsed.verdict().message());
        }
        return parsed.value();
    }

    static AgentKey of(Ed25519PublicKeyParameters key) {
        return new AgentKey(key.getEncoded(), key);
    }

    /**
     * True when {@code signature} is a valid Ed25519 signature of {@code message} by this key. Never throws: a
     * signature of the wrong length (or null) is simply invalid. Bouncy Castle rejects non-canonical encodings of the
     * signature's scalar, so a valid signature has no second form.
     */
    public boolean verify(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        Ed25519PublicKeyParameters point = key;
        if (point == null) {
            try {
                point = new Ed25519PublicKeyParameters(bytes);
            } catch (IllegalArgumentException notAPoint) {
                return false; // only an unchecked() key can get here
            }
            key = point;
        }
        verifier.init(false, point);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** A copy of the 32 bytes (the {@code bytes32 agentKey} of the approval structs). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** {@code 0x} + 64 hex digits. */
    public String toHex() {
        return Hex.encode0x(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(AgentKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
