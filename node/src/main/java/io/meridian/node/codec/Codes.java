package io.meridian.node.codec;

/**
 * The gateway's own error codes (below 1000; the engine's reject codes are 1000 and up), the same for REST, WebSocket
 * and FIX, each with the HTTP status REST answers it with. docs/api.md, "Conventions", lists them.
 *
 * <p>One rule (issue 21), so that a client may switch on {@code code} alone: a code that is an HTTP status code
 * equals the HTTP status of every answer that carries it (400, 404, 405, 415, 429, 500, 503); every other code lies
 * in a range IANA assigns no HTTP status (440-449, 460-469, 540-549), so it can never be mistaken for one. Before
 * issue 21 a bad field was code 401 inside HTTP 400 (a client took it for an auth failure) and an engine that did not
 * answer was code 504 inside HTTP 503. {@code CodesTest} checks the rule against every constant.
 */
public final class Codes {
    /** 400: the body is not JSON, or JSON the gateway cannot read (a duplicate key, a bad token). */
    public static final int BAD_JSON = 400;
    /**
     * 400: a field is missing, of the wrong type, out of range, unknown or badly formed (also in WebSocket error frames
     * and FIX rejects). 401 until issue 21, which collided with HTTP 401 (a signature or token refused).
     */
    public static final int BAD_FIELD = 460;
    /** 404: no such route, instrument, order or account. */
    public static final int NOT_FOUND = 404;
    /** 405: the path exists but not with this method (the answer's {@code Allow} header lists those it has). */
    public static final int METHOD = 405;
    /** 415: a request body that is not declared {@code Content-Type: application/json}. */
    public static final int MEDIA_TYPE = 415;
    /** 401: a private read without a read token (docs/api.md, "Private reads"). */
    public static final int READ_TOKEN_REQUIRED = 440;
    /** 401: a read token that does not parse or verify, has ended, or lasts longer than the node allows. */
    public static final int READ_TOKEN_INVALID = 441;
    /** 403: a valid read token that does not cover the account asked for (the same answer for no such account). */
    public static final int READ_FORBIDDEN = 443;
    /** 401: {@code GET /metrics} without the node's metrics token, where it is not public (operations.md, "Metrics"). */
    public static final int METRICS_TOKEN = 445;
    /** 429: a rate limit; the answer says when to retry. */
    public static final int RATE_LIMITED = 429;
    /** 500: a fault of the node: the answer carries only an error id, the log has the detail under it. */
    public static final int INTERNAL = 500;
    /** 503: the engine's queue is full; retry. */
    public static final int OVERLOADED = 503;
    /**
     * 503: the engine did not answer (it stopped, or its queue was full for a query); also a FIX logon refused for it.
     * 504 until issue 21, which is the HTTP status Gateway Timeout, not the 503 it was sent with.
     */
    public static final int NOT_READY = 540;
    /** Binary order entry (docs/binary-protocol.md): a client sequence number ahead of the one expected. */
    public static final int SEQUENCE_GAP = 461;
    /** Binary: a resend from before the session's retransmission buffer (or of no kept session): resync via REST. */
    public static final int RESEND_TOO_OLD = 462;
    /** Binary: a connection that did not take its reports fast enough (outbound buffer or retransmission ring full). */
    public static final int SLOW_CONSUMER = 463;
    /** Binary: no Logon answered within the login timeout. */
    public static final int LOGIN_TIMEOUT = 464;
    /** Binary: a frame longer than the node's maxFrameBytes, or with a negative length. */
    public static final int FRAME_TOO_LONG = 465;
    /** Binary: a frame that is not a message of the schema (header, template, block or text length). */
    public static final int MALFORMED_FRAME = 466;
    /** Binary: an order-entry message before the Logon was answered. */
    public static final int NOT_LOGGED_ON = 467;
    /** Binary: the session logged on again on another connection, which replaces this one. */
    public static final int SESSION_REPLACED = 468;
    /** Binary: nothing received for three heartbeat intervals. */
    public static final int HEARTBEAT_TIMEOUT = 469;

    private Codes() {
    }
}
