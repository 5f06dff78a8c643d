package io.meridian.node.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.meridian.model.Decimals;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * The edge's decimal rules for every request the node decodes (REST bodies, FIX fields): {@link Decimals#parse}'s
 * grammar (optional '-', digits, optional '.' and digits; no exponent, no padding, at most 40 characters), checked on
 * the text before any arithmetic, so {@code "1e-999999999"} is refused in microseconds instead of becoming a
 * billion-digit number; and client text is echoed back at most {@link #MAX_ECHO} characters long.
 *
 * <p>Stateless and thread-safe: used on the gateway's I/O threads.
 */
public final class EdgeDecimals {
    /** The longest piece of client input any error message repeats. */
    public static final int MAX_ECHO = 40;

    private EdgeDecimals() {
    }

    /**
     * A Jackson module whose {@link BigDecimal} deserializer accepts a JSON string or number only when its text is a
     * plain decimal; anything else (an exponent, too long, a padded or empty string, another token) fails the field.
     */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("meridian-edge-decimals");
        module.addDeserializer(BigDecimal.class, new Strict());
        return module;
    }

    /** The plain decimal {@code text} stands for, or null when it is not one (see the class comment). */
    public static BigDecimal parse(String text) {
        return Decimals.parse(text);
    }

    /** {@link #parse(String)} of the characters {@code [from, to)} of {@code text}, read in place. */
    public static BigDecimal parse(CharSequence text, int from, int to) {
        return Decimals.parse(text, from, to);
    }

    /**
     * {@code text} for an error message without quotes (a path, an id): at most {@link #MAX_ECHO} characters (with
     * "..." when cut), control characters shown as '?'.
     */
    public static String clip(String text) {
        String quoted = echo(text);
        return text == null ? quoted : quoted.substring(1, quoted.length() - 1);
    }

    /** {@code text} quoted for an error message, cut to {@link #MAX_ECHO} characters (with "..." when cut). */
    public static String echo(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHO) + 5).append('\'');
        int end = Math.min(text.length(), MAX_ECHO);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.append(text.length() > MAX_ECHO ? "...'" : "'").toString();
    }

    /** A named class (not a lambda): the deserializer Jackson calls for every BigDecimal field. */
    private static final class Strict extends JsonDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT
                    && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
            }
            // getText() returns the literal as sent; Jackson has not turned a number token into a value yet.
            String text = parser.getText();
            BigDecimal value = text.length() > Decimals.MAX_LENGTH ? null : parse(text);
            if (value == null) {
                throw new StrictScalars.Refused(parser, "not a plain decimal (digits with an optional '.', no exponent,"
                        + " at most " + Decimals.MAX_LENGTH + " characters)");
            }
            return value;
        }
    }
}
