package io.meridian.node.codec;

import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.Hex;
import io.meridian.auth.Outcome;

/**
 * Identifiers as the edge reads them from text (path segments, query parameters, body fields, FIX tags): whole numbers,
 * addresses and hex keys, each refused with a 400 naming the field and echoing at most {@link EdgeDecimals#MAX_ECHO}
 * characters of what was sent. Stateless.
 */
public final class Ids {
    private Ids() {
    }

    /**
     * A whole number as the edge writes one: an optional '-', then digits without a leading zero (or "0"); no '+', no
     * padding, within a long.
     */
    public static long number(String text, String field) throws RequestException {
        try {
            if (text != null && text.length() <= 20 && StrictScalars.isWhole(text)) {
                return Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            // out of range: answered below
        }
        throw RequestException.badField(field + ": not a whole number: " + EdgeDecimals.echo(text));
    }

    /** A whole number above zero, written as {@link #number} requires. */
    public static long positive(String text, String field) throws RequestException {
        try {
            if (text != null && text.length() <= 19 && StrictScalars.isWhole(text)) {
                long value = Long.parseLong(text);
                if (value > 0) {
                    return value;
                }
            }
        } catch (NumberFormatException e) {
            // out of range: answered below
        }
        throw RequestException.badField(field + ": must be a positive whole number, was " + EdgeDecimals.echo(text));
    }

    /**
     * A 20-byte address: {@code 0x} and 40 hex digits, all lower or all upper case (no checksum), or mixed case that
     * must match its EIP-55 checksum ({@link Address#parse}).
     */
    public static byte[] address(String text, String field) throws RequestException {
        if (text == null) {
            throw RequestException.badField(field + ": required");
        }
        Outcome<Address> parsed = Address.parse(text);
        if (!parsed.isOk()) {
            throw RequestException.badField(field + ": " + parsed.verdict().message());
        }
        return parsed.value().toBytes();
    }

    /** A 32-byte Ed25519 public key in hex (an agent key). */
    public static byte[] agentKey(String text) throws RequestException {
        return hex(text, "agentKey", AgentKey.BYTES);
    }

    /** {@code length} bytes in hex. */
    public static byte[] hex(String text, String field, int length) throws RequestException {
        byte[] bytes = Hex.decodeOrNull(text);
        if (bytes == null) {
            throw RequestException.badField(field + ": not hex");
        }
        if (bytes.length != length) {
            throw RequestException.badField(field + ": must be " + length + " bytes, was " + bytes.length);
        }
        return bytes;
    }
}
