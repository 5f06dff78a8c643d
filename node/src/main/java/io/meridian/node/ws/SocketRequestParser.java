package io.meridian.node.ws;

import io.meridian.auth.ClientOrderIds;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.EdgeDecimals;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A hand-written reader of the common shape of WebSocket requests into {@link SocketRequest}, for the
 * order-entry hot path: a flat JSON object of known fields whose values are plain strings (no escapes), whole numbers,
 * {@code true}, {@code false} or {@code null}, and decimals given as strings of digits with an optional fraction. It
 * builds the same record that Jackson's mapping builds from the same text (a client order id, a number or a valid text,
 * as {@link ClientOrderId}; {@code postOnly} a boolean or a plain string), or declines ({@code null}); the gateway then
 * parses the text with Jackson, which keeps every error message and reject as it was. It declines anything it is not
 * sure of: unknown or repeated fields, escapes, control characters, numbers with signs, exponents, fractions or too
 * many digits for their field, decimals as JSON numbers, anything after the object. Allocation: the record, its strings
 * and boxed values only. Stateless and thread-safe.
 */
final class SocketRequestParser {
    private SocketRequestParser() {
    }

    private static final String[] FIELDS = {"op", "id", "channel", "instrument", "depth", "account", "side", "type",
        "price", "quantity", "timeInForce", "clientOrderId", "postOnly", "reduceOnly", "orderId", "address", "nonce",
        "signature", "agentKey", "validUntil", "triggerPrice", "triggerSource", "displayQuantity", "expireTime",
        "selfTradePrevention"};
    private static final int STRING = 0;
    private static final int LONG = 1;
    private static final int INT = 2;
    private static final int DECIMAL = 3;
    private static final int BOOLEAN = 4;
    /** A client order id: a whole number, or a string that is a valid text. */
    private static final int CLIENT_ID = 5;
    /** {@code postOnly}: a boolean or a string. */
    private static final int FLAG_OR_NAME = 6;
    private static final int[] KINDS = {STRING, LONG, STRING, INT, INT, LONG, STRING, STRING, DECIMAL, DECIMAL, STRING,
        CLIENT_ID, FLAG_OR_NAME, BOOLEAN, LONG, STRING, LONG, STRING, STRING, LONG, DECIMAL, STRING, DECIMAL, LONG,
        STRING};

    /** String values most orders carry (op, side, type, time in force), kept as constants. */
    private static final String[] COMMON_VALUES = {"order", "cancel", "buy", "sell", "limit", "market", "gtc", "ioc",
        "fok", "gtd", "GTC", "IOC", "FOK", "GTD"};

    /**
     * Each I/O thread's array of field values for {@link #parse}: one per thread rather than one per message (it was a
     * tenth of the gateway's allocation per order); emptied after every message so it holds no request's values.
     */
    private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[FIELDS.length]);

    /** The request {@code text} stands for, or null when the caller should parse it with Jackson instead. */
    static SocketRequest parse(String text) {
        Object[] values = SCRATCH.get();
        try {
            return parse(text, values);
        } finally {
            Arrays.fill(values, null);
        }
    }

    /** {@link #parse(String)} reading the fields into {@code values} (all null on entry). */
    private static SocketRequest parse(String text, Object[] values) {
        int seen = 0;
        int n = text.length();
        int i = skip(text, 0);
        if (i >= n || text.charAt(i) != '{') {
            return null;
        }
        i = skip(text, i + 1);
        if (i < n && text.charAt(i) == '}') {
            i++;
        } else {
            while (true) {
                if (i >= n || text.charAt(i) != '"') {
                    return null;
                }
                int nameEnd = plainStringEnd(text, i + 1);
                if (nameEnd < 0) {
                    return null;
                }
                int field = field(text, i + 1, nameEnd);
                if (field < 0 || (seen & (1 << field)) != 0) {
                    return null;
                }
                seen |= 1 << field;
                i = skip(text, nameEnd + 1);
                if (i >= n || text.charAt(i) != ':') {
                    return null;
                }
                i = skip(text, i + 1);
                if (i >= n) {
                    return null;
                }
                int end = value(text, i, KINDS[field], values, field);
                if (end < 0) {
                    return null;
                }
                i = skip(text, end);
                if (i >= n) {
                    return null;
                }
                char c = text.charAt(i);
                if (c == '}') {
                    i++;
                    break;
                }
                if (c != ',') {
                    return null;
                }
                i = skip(text, i + 1);
            }
        }
        if (skip(text, i) != n) {
            return null;
        }
        return new SocketRequest((String) values[0], (Long) values[1], (String) values[2],
                (Integer) values[3], (Integer) values[4], (Long) values[5], (String) values[6], (String) values[7],
                (BigDecimal) values[8], (BigDecimal) values[9], (String) values[10], (ClientOrderId) values[11],
                values[12], (Boolean) values[13], (Long) values[14], (String) values[15], (Long) values[16],
                (String) values[17], (String) values[18], (Long) values[19], null, (BigDecimal) values[20],
                (String) values[21], (BigDecimal) values[22], (Long) values[23], (String) values[24]);
    }

    /** Reads one value of {@code kind} at {@code i} into {@code values[field]}; returns the index after it, or -1. */
    private static int value(String text, int i, int kind, Object[] values, int field) {
        char c = text.charAt(i);
        if (c == 'n') {
            return text.startsWith("null", i) ? i + 4 : -1;
        }
        switch (kind) {
            case CLIENT_ID -> {
                if (c == '"') {
                    int end = plainStringEnd(text, i + 1);
                    String id = end < 0 ? null : text.substring(i + 1, end);
                    if (id == null || !ClientOrderIds.isValid(id)) {
                        return -1;
                    }
                    values[field] = new ClientOrderId(ClientOrderIds.key(id), id);
                    return end + 1;
                }
                // A number: as LONG reads it (at most 18 digits: always below 2^62), 0 meaning none.
                int end = value(text, i, LONG, values, field);
                if (end >= 0) {
                    long number = (Long) values[field];
                    values[field] = number == 0 ? ClientOrderId.NONE : new ClientOrderId(number, null);
                }
                return end;
            }
            case FLAG_OR_NAME -> {
                return value(text, i, c == '"' ? STRING : BOOLEAN, values, field);
            }
            case STRING -> {
                if (c != '"') {
                    return -1;
                }
                int end = plainStringEnd(text, i + 1);
                if (end < 0) {
                    return -1;
                }
                values[field] = string(text, i + 1, end);
                return end + 1;
            }
            case LONG, INT -> {
                int end = i;
                while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                    end++;
                }
                int digits = end - i;
                // No sign, no leading zero, at most 18 digits (always a long) or 9 (always an int).
                if (digits == 0 || digits > (kind == INT ? 9 : 18) || (digits > 1 && c == '0')) {
                    return -1;
                }
                if (end < text.length() && isNumberPart(text.charAt(end))) {
                    return -1;
                }
                long v = Long.parseLong(text, i, end, 10);
                values[field] = kind == INT ? (Object) (int) v : (Object) v;
                return end;
            }
            case DECIMAL -> {
                if (c != '"') {
                    return -1;
                }
                int j = i + 1;
                int integer = 0;
                while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                    j++;
                    integer++;
                }
                int fraction = -1;
                if (j < text.length() && text.charAt(j) == '.') {
                    j++;
                    fraction = 0;
                    while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                        j++;
                        fraction++;
                    }
                }
                if (integer == 0 || fraction == 0 || integer + Math.max(0, fraction) > 30 || j >= text.length()
                        || text.charAt(j) != '"') {
                    return -1;
                }
                // The edge's decimal, as Jackson's path reads it (EdgeDecimals), so both build equal records.
                BigDecimal decimal = EdgeDecimals.parse(text, i + 1, j);
                if (decimal == null) {
                    return -1;
                }
                values[field] = decimal;
                return j + 1;
            }
            case BOOLEAN -> {
                if (text.startsWith("true", i)) {
                    values[field] = Boolean.TRUE;
                    return i + 4;
                }
                if (text.startsWith("false", i)) {
                    values[field] = Boolean.FALSE;
                    return i + 5;
                }
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * The text of {@code [from, to)}: one of {@link #COMMON_VALUES} when it is one (no new string for the op, side and
     * time in force every order repeats), else a new string.
     */
    private static String string(String text, int from, int to) {
        int length = to - from;
        for (String common : COMMON_VALUES) {
            if (common.length() == length && text.startsWith(common, from)) {
                return common;
            }
        }
        return text.substring(from, to);
    }

    private static boolean isNumberPart(char c) {
        return c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || (c >= '0' && c <= '9');
    }

    /** The index of the closing quote of a string starting at {@code from} with no escapes or controls, or -1. */
    private static int plainStringEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static int field(String text, int from, int to) {
        int length = to - from;
        for (int f = 0; f < FIELDS.length; f++) {
            if (FIELDS[f].length() == length && text.startsWith(FIELDS[f], from)) {
                return f;
            }
        }
        return -1;
    }

    private static int skip(String text, int i) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
            i++;
        }
        return i;
    }
}
