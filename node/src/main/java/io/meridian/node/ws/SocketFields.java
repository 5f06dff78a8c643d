package io.meridian.node.ws;

import io.meridian.node.codec.RequestException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which fields each WebSocket request takes (docs/api.md, "WebSocket"): a field the JSON reader knows but the request
 * does not use (a {@code price} on a subscription, a {@code depth} on a trades subscription, an {@code orderId} on an
 * order) is refused with an error frame (code 460) naming it and what the request takes, as a field no request has is
 * refused by the reader. {@code null} counts as absent. Stateless; any thread.
 */
final class SocketFields {
    private static final String[] NAMES;
    private static final Method[] ACCESSORS;

    static {
        RecordComponent[] components = SocketRequest.class.getRecordComponents();
        NAMES = new String[components.length];
        ACCESSORS = new Method[components.length];
        for (int i = 0; i < components.length; i++) {
            NAMES[i] = components[i].getName();
            ACCESSORS[i] = components[i].getAccessor();
        }
    }

    static final Set<String> LOGIN = Set.of("op", "id", "address", "nonce", "validUntil", "signature", "agentKey");
    static final Set<String> CANCEL = Set.of("op", "id", "account", "instrument", "orderId", "clientOrderId", "address",
            "nonce", "signature", "agentKey");
    static final Set<String> SUBSCRIBE_BOOK = Set.of("op", "id", "channel", "instrument", "depth");
    static final Set<String> SUBSCRIBE_CHANNEL = Set.of("op", "id", "channel", "instrument");
    static final Set<String> SUBSCRIBE_ACCOUNT = Set.of("op", "id", "channel", "account", "address", "token");
    static final Set<String> UNSUBSCRIBE_ALL = Set.of("op", "id");
    static final Set<String> UNSUBSCRIBE_CHANNEL = Set.of("op", "id", "channel", "instrument");
    static final Set<String> UNSUBSCRIBE_ACCOUNT = Set.of("op", "id", "channel", "account", "address");

    private SocketFields() {
    }

    /**
     * Refuses {@code r} when it carries a field outside {@code allowed}.
     *
     * @param request how the refusal names the request ({@code "op subscribe, channel book"})
     */
    static void only(SocketRequest r, String request, Set<String> allowed) throws RequestException {
        List<String> extra = null;
        for (int i = 0; i < NAMES.length; i++) {
            if (!allowed.contains(NAMES[i]) && value(r, i) != null) {
                if (extra == null) {
                    extra = new ArrayList<>();
                }
                extra.add(NAMES[i]);
            }
        }
        if (extra != null) {
            List<String> takes = new ArrayList<>();
            for (String name : NAMES) {
                if (allowed.contains(name)) {
                    takes.add(name);
                }
            }
            throw RequestException.badField("unknown field" + (extra.size() > 1 ? "s " : " ") + String.join(", ", extra)
                    + " for " + request + " (it takes " + String.join(", ", takes) + ")");
        }
    }

    /**
     * An order's check (the hot path: no reflection): refuses the fields that belong to other requests only
     * ({@code channel}, {@code depth}, {@code orderId}, {@code validUntil}, {@code token}).
     */
    static void order(SocketRequest r) throws RequestException {
        String extra = r.channel() != null ? "channel" : r.depth() != null ? "depth" : r.orderId() != null ? "orderId"
                : r.validUntil() != null ? "validUntil" : r.token() != null ? "token" : null;
        if (extra != null) {
            throw RequestException.badField("unknown field " + extra + " for op order");
        }
    }

    private static Object value(SocketRequest r, int i) {
        try {
            return ACCESSORS[i].invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + NAMES[i], e);
        }
    }
}
