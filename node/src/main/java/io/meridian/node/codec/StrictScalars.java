package io.meridian.node.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * The edge's rules for the scalar fields of every request body and WebSocket message (beside {@link EdgeDecimals} for
 * decimals), replacing Jackson's lenient coercions:
 * <ul>
 *   <li>whole numbers ({@code long}, {@code int}): a JSON integer, or a string of exactly that ({@code "-"}? digits, no
 *       leading zero, no sign {@code +}, no padding, no control character), within the type's range; a fraction
 *       ({@code 2.7} was read as 2), an empty string (read as null) or {@code " 2"} and {@code "2\u0000"} (read as 2)
 *       are refused;</li>
 *   <li>text: a JSON string without control characters (U+0000-U+001F, U+007F; JSON lets them in as {@code \\u0000}
 *       escapes), never a number or boolean read as text;</li>
 *   <li>booleans: {@code true} or {@code false}, never {@code "true"} or {@code 1};</li>
 *   <li>floating point (a quote's volatility): a JSON number or a plain decimal string, finite.</li>
 * </ul>
 * A refusal names the field and says why ({@link Refused}). Primitive fields left out of a body keep their default
 * (0, false), as before; an explicit {@code null} for one is refused. Stateless and thread-safe.
 */
public final class StrictScalars {
    /** Characters no text field may hold. */
    public static final String CONTROL = "control characters (U+0000-U+001F, U+007F) are not allowed";

    private StrictScalars() {
    }

    /** A value the edge refuses: {@link #reason} is what the client is told after the field's name. */
    public static final class Refused extends JsonMappingException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        public Refused(JsonParser parser, String reason) {
            super(parser, reason);
            this.reason = reason;
        }

        /** Why the value is refused (the gateway's words; no client text). */
        public String reason() {
            return reason;
        }
    }

    /** The Jackson module with the deserializers above. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("meridian-edge-scalars");
        module.addDeserializer(Long.class, new LongValue(false));
        module.addDeserializer(Long.TYPE, new LongValue(true));
        module.addDeserializer(Integer.class, new IntValue(false));
        module.addDeserializer(Integer.TYPE, new IntValue(true));
        module.addDeserializer(Boolean.class, new Flag(false));
        module.addDeserializer(Boolean.TYPE, new Flag(true));
        module.addDeserializer(Double.class, new Real(false));
        module.addDeserializer(Double.TYPE, new Real(true));
        module.addDeserializer(String.class, new Text());
        module.addDeserializer(InstrumentRef.class, new InstrumentRef.Reader());
        module.addDeserializer(ClientOrderId.class, new ClientOrderId.Reader());
        return module;
    }

    /** Whether {@code text} holds a control character. */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} (may be null) if it has no control character; else a 400 naming the field. */
    public static String plain(String text, String field) throws RequestException {
        if (text != null && hasControl(text)) {
            throw RequestException.badField(field + ": " + CONTROL);
        }
        return text;
    }

    /**
     * Whether {@code text} is a whole number as the edge writes one: an optional '-', then "0" or digits not starting
     * with 0.
     */
    public static boolean isWhole(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int n = text.length() - start;
        if (n < 1 || (n > 1 && text.charAt(start) == '0')) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A whole number within {@code [min, max]} (see the class comment), or a refusal. */
    private static long whole(JsonParser p, long min, long max) throws IOException {
        long value;
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new Refused(p, "out of range");
            }
            value = p.getLongValue();
        } else if (token == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.length() > 20 || !isWhole(text)) {
                throw new Refused(p, "not a whole number");
            }
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new Refused(p, "out of range");
            }
        } else {
            throw new Refused(p, "must be a whole number");
        }
        if (value < min || value > max) {
            throw new Refused(p, "out of range");
        }
        return value;
    }

    /** A {@code long}: boxed (null stays null) or primitive (null refused, absent 0). */
    private static final class LongValue extends JsonDeserializer<Long> {
        private final boolean primitive;

        LongValue(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return whole(p, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Override
        public Long getNullValue(DeserializationContext context) throws JsonMappingException {
            if (primitive) {
                throw new Refused(context.getParser(), "must be a whole number, not null");
            }
            return null;
        }

        @Override
        public Long getAbsentValue(DeserializationContext context) {
            return primitive ? 0L : null;
        }
    }

    /** An {@code int}: boxed (null stays null) or primitive (null refused, absent 0). */
    private static final class IntValue extends JsonDeserializer<Integer> {
        private final boolean primitive;

        IntValue(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return (int) whole(p, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        @Override
        public Integer getNullValue(DeserializationContext context) throws JsonMappingException {
            if (primitive) {
                throw new Refused(context.getParser(), "must be a whole number, not null");
            }
            return null;
        }

        @Override
        public Integer getAbsentValue(DeserializationContext context) {
            return primitive ? 0 : null;
        }
    }

    /** {@code true} or {@code false}. */
    private static final class Flag extends JsonDeserializer<Boolean> {
        private final boolean primitive;

        Flag(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return token == JsonToken.VALUE_TRUE;
            }
            throw new Refused(p, "must be true or false");
        }

        @Override
        public Boolean getNullValue(DeserializationContext context) throws JsonMappingException {
            if (primitive) {
                throw new Refused(context.getParser(), "must be true or false, not null");
            }
            return null;
        }

        @Override
        public Boolean getAbsentValue(DeserializationContext context) {
            return primitive ? Boolean.FALSE : null;
        }
    }

    /** A finite number: a JSON number or a plain decimal string. */
    private static final class Real extends JsonDeserializer<Double> {
        private final boolean primitive;

        Real(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            double value;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                value = p.getDoubleValue();
            } else if (token == JsonToken.VALUE_STRING) {
                BigDecimal decimal = EdgeDecimals.parse(p.getText());
                if (decimal == null) {
                    throw new Refused(p, "not a plain decimal");
                }
                value = decimal.doubleValue();
            } else {
                throw new Refused(p, "must be a number");
            }
            if (!Double.isFinite(value)) {
                throw new Refused(p, "out of range");
            }
            return value;
        }

        @Override
        public Double getNullValue(DeserializationContext context) throws JsonMappingException {
            if (primitive) {
                throw new Refused(context.getParser(), "must be a number, not null");
            }
            return null;
        }

        @Override
        public Double getAbsentValue(DeserializationContext context) {
            return primitive ? 0.0 : null;
        }
    }

    /** A string token without control characters. */
    private static final class Text extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new Refused(p, "must be a string");
            }
            String text = p.getText();
            if (hasControl(text)) {
                throw new Refused(p, CONTROL);
            }
            return text;
        }
    }
}
