package io.meridian.node.codec;

import io.meridian.model.RejectReason;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a refusal is told to each kind of client, in one place: the engine's reject reasons (codes 1000 and up) and the
 * gateway's own refusals ({@link RequestException}, codes below 1000 and the auth library's). REST answers an engine
 * refusal with 422 and {@code {sequence, orderId?, code, message, reason}}, a gateway refusal with its status and
 * {@code {code, message}}; WebSocket sends the same bodies as {@code reject} and {@code error} frames; FIX puts
 * {@code "<code> <text>"} in Text(58) with the FIX reason codes below. Stateless.
 */
public final class Rejects {
    /** The HTTP status of a command the engine refused. */
    public static final int ENGINE_REFUSAL = 422;
    /** FIX OrdRejReason(103) and CxlRejReason(102): 1 unknown symbol or order, 99 other. */
    public static final int FIX_UNKNOWN = 1;
    public static final int FIX_OTHER = 99;

    private Rejects() {
    }

    /**
     * The HTTP status of a refused command: {@link #ENGINE_REFUSAL}, or 503 for {@link RejectReason#CLUSTER_BACKLOG}
     * (a cluster's gateway did not send it: retry later).
     */
    public static int httpStatus(RejectReason reason) {
        return reason == RejectReason.CLUSTER_BACKLOG ? 503 : ENGINE_REFUSAL;
    }

    /** The REST and WebSocket body of a command the engine refused. */
    public static Map<String, Object> engineRefusal(long sequence, long orderId, RejectReason reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sequence", sequence);
        if (orderId != 0) {
            body.put("orderId", orderId);
        }
        body.put("code", reason.code());
        body.put("message", reason.message());
        body.put("reason", reason.name());
        return body;
    }

    /** FIX OrdRejReason(103) of an order the engine refused. */
    public static int fixOrderReason(RejectReason reason) {
        return reason == RejectReason.UNKNOWN_INSTRUMENT ? FIX_UNKNOWN : FIX_OTHER;
    }

    /** FIX CxlRejReason(102) of a cancel or replace the engine refused. */
    public static int fixCancelReason(RejectReason reason) {
        return reason == RejectReason.UNKNOWN_ORDER ? FIX_UNKNOWN : FIX_OTHER;
    }

    /** FIX Text(58) of a gateway refusal: the numeric code first, then the reason. */
    public static String fixText(int code, String message) {
        return code + " " + message;
    }

    /** FIX Text(58) of an engine refusal: code, name and message. */
    public static String fixText(RejectReason reason) {
        return reason.code() + " " + reason.name() + ": " + reason.message();
    }
}
