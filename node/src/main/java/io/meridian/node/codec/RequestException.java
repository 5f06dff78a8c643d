package io.meridian.node.codec;

/**
 * A request refused before it reaches the engine: the HTTP status REST answers with, the gateway code (see
 * {@link Codes}, or an auth reject code) and a message for the client. The message is the gateway's own text: client
 * input in it is echoed through {@link EdgeDecimals#echo}, and it never carries an exception's text. WebSocket sends it
 * as an error frame and FIX as a reject's Text(58), with the same code.
 */
public final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final int code;
    private final long retryAfterNanos;

    public RequestException(int status, int code, String message) {
        this(status, code, message, 0);
    }

    /** A refusal the client may retry after {@code retryAfterNanos} (a rate limit). */
    public RequestException(int status, int code, String message, long retryAfterNanos) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterNanos = retryAfterNanos;
    }

    /** 400 {@link Codes#BAD_FIELD}: a field that is missing, malformed or out of range; the message names it. */
    public static RequestException badField(String message) {
        return new RequestException(400, Codes.BAD_FIELD, message);
    }

    /** 404 {@link Codes#NOT_FOUND}. */
    public static RequestException notFound(String message) {
        return new RequestException(404, Codes.NOT_FOUND, message);
    }

    /** 503 {@link Codes#OVERLOADED}: the engine's queue is full. */
    public static RequestException overloaded() {
        return new RequestException(503, Codes.OVERLOADED, "engine queue full, retry");
    }

    /** The HTTP status of the refusal. */
    public int status() {
        return status;
    }

    /** The code clients see as {@code code}. */
    public int code() {
        return code;
    }

    /** When a retry may succeed (nanoseconds from now), or 0. */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }
}
