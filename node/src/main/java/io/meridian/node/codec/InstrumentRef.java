package io.meridian.node.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;

/**
 * An instrument as a request names it: by id (a JSON integer, or a string of one: {@code 1}, {@code "1"}) or by symbol
 * (any other string: {@code "BTC-PERP"}), in bodies, paths and query strings alike. {@link Instruments#resolve} finds it.
 *
 * @param text the id's digits or the symbol, as sent (at most {@link #MAX_LENGTH} characters, no control characters)
 */
public record InstrumentRef(String text) {
    /** The longest name accepted: symbols are short; an id has at most 11 characters. */
    public static final int MAX_LENGTH = 64;

    /** A reference from text (a path segment, a query value): 400 naming {@code field} when empty or too long. */
    public static InstrumentRef of(String text, String field) throws RequestException {
        if (text == null || text.isEmpty()) {
            throw RequestException.badField(field + ": required");
        }
        if (text.length() > MAX_LENGTH || StrictScalars.hasControl(text)) {
            throw RequestException.badField(field + ": not an instrument id or symbol: " + EdgeDecimals.echo(text));
        }
        return new InstrumentRef(text);
    }

    /** A reference to an id. */
    public static InstrumentRef id(int id) {
        return new InstrumentRef(Integer.toString(id));
    }

    /** Whether it names an id (a whole number) rather than a symbol. */
    public boolean isId() {
        return StrictScalars.isWhole(text);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Reads a JSON integer or string, refusing anything else (see the record's comment). */
    static final class Reader extends JsonDeserializer<InstrumentRef> {
        @Override
        public InstrumentRef deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            String text;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new StrictScalars.Refused(p, "out of range");
                }
                text = Long.toString(p.getLongValue());
            } else if (token == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else {
                throw new StrictScalars.Refused(p, "must be an instrument id or symbol");
            }
            if (text.isEmpty() || text.length() > MAX_LENGTH) {
                throw new StrictScalars.Refused(p, "must be an instrument id or symbol of 1 to " + MAX_LENGTH
                        + " characters");
            }
            if (StrictScalars.hasControl(text)) {
                throw new StrictScalars.Refused(p, StrictScalars.CONTROL);
            }
            return new InstrumentRef(text);
        }
    }
}
