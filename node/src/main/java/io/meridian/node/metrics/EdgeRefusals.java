package io.meridian.node.metrics;

import io.meridian.model.RejectReason;
import io.meridian.node.codec.Codes;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests the gateways refuse themselves, before anything is journaled (the engine's refusals are
 * {@link NodeMeters}'): by {@link Edge} and by code, for {@code meridian_gateway_refusals_total} (docs/operations.md,
 * "Metrics"). Written on the I/O threads (Netty's, the FIX sessions' threads) with one {@link LongAdder} increment into
 * a slot fixed at start: no lock, no allocation, no map lookup per request. Read only when scraped.
 *
 * <p>The label set is fixed: a code is counted under its own label only when it is in {@link #CODES} (the gateway's
 * own codes ({@link Codes}), the HTTP connection layer's (framing, Host and Origin, timeouts), the WebSocket close codes
 * the gateway sends, and the authorisation reasons the gateway refuses with before the journal); any other number is
 * counted under {@link #OTHER}. So whatever a client sends, the series are these and no more: never an account, an
 * address or text.
 */
public final class EdgeRefusals {
    /** Where a request came in; its label is {@link #label()}. */
    public enum Edge {
        /** HTTP: a REST request, or a WebSocket's upgrade request refused before the upgrade. */
        REST("rest"),
        /** A WebSocket message. */
        WS("ws"),
        /** A FIX message (Logon included). */
        FIX("fix"),
        /** A binary (SBE) order-entry message (Logon included) or frame. */
        BINARY("binary");

        private final String label;

        Edge(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The label of every code not in {@link #CODES}. */
    public static final String OTHER = "other";
    /** The codes counted under their own label, ascending. */
    static final int[] CODES = codes();
    /** A code's slot: its index in {@link #CODES}, or {@code CODES.length} ({@link #OTHER}); codes up to the largest. */
    private static final short[] SLOTS = slots(CODES);

    private final LongAdder[][] counts = new LongAdder[Edge.values().length][CODES.length + 1];

    public EdgeRefusals() {
        for (LongAdder[] edge : counts) {
            Arrays.setAll(edge, i -> new LongAdder());
        }
    }

    /** Any thread: {@code edge} refused a request with {@code code} (counted under {@link #OTHER} if not listed). */
    public void refused(Edge edge, int code) {
        counts[edge.ordinal()][slot(code)].increment();
    }

    /** The count of {@code edge} and {@code code} ({@code code} not listed: the {@link #OTHER} count). */
    long count(Edge edge, int code) {
        return counts[edge.ordinal()][slot(code)].sum();
    }

    /** The {@link #OTHER} count of {@code edge}. */
    long other(Edge edge) {
        return counts[edge.ordinal()][CODES.length].sum();
    }

    private static int slot(int code) {
        return code >= 0 && code < SLOTS.length ? SLOTS[code] : CODES.length;
    }

    /**
     * The table: every {@code public static final int} of {@link Codes} (read, so a renumbered or added code is
     * listed as it is), the connection layer's refusals (HTTP status as code: 400 framing or Host, 403 Origin, 408 a
     * request not sent in time, 413 a body too large, 414 a request line too long, 421 a Host not served, 431 headers
     * too large), the WebSocket close codes for a message the gateway will not read (1002 a protocol error, 1003
     * binary, 1007 text that is not UTF-8, 1009 too big), and the engine's authorisation reasons (8001-8999: bad or
     * missing signatures, unknown addresses, agents, nonces, sessions) with {@link RejectReason#NOT_AN_ADMIN}, which the
     * gateway refuses with before the journal ({@code Access}, {@code RequestSigning}).
     */
    private static int[] codes() {
        TreeSet<Integer> codes = new TreeSet<>();
        for (Field field : Codes.class.getFields()) {
            int modifiers = field.getModifiers();
            if (field.getType() == int.class && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
                try {
                    codes.add(field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (HttpResponseStatus status : new HttpResponseStatus[] {HttpResponseStatus.BAD_REQUEST,
            HttpResponseStatus.FORBIDDEN, HttpResponseStatus.REQUEST_TIMEOUT, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            HttpResponseStatus.REQUEST_URI_TOO_LONG, HttpResponseStatus.MISDIRECTED_REQUEST,
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE}) {
            codes.add(status.code());
        }
        for (WebSocketCloseStatus status : new WebSocketCloseStatus[] {WebSocketCloseStatus.PROTOCOL_ERROR,
            WebSocketCloseStatus.INVALID_MESSAGE_TYPE, WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
            WebSocketCloseStatus.MESSAGE_TOO_BIG}) {
            codes.add(status.code());
        }
        for (RejectReason reason : RejectReason.values()) {
            if (reason.code() / 1000 == RejectReason.AUTH_MALFORMED.code() / 1000 || reason == RejectReason.NOT_AN_ADMIN) {
                codes.add(reason.code());
            }
        }
        return codes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static short[] slots(int[] codes) {
        short[] slots = new short[codes[codes.length - 1] + 1];
        Arrays.fill(slots, (short) codes.length);
        for (int i = 0; i < codes.length; i++) {
            slots[codes[i]] = (short) i;
        }
        return slots;
    }
}
