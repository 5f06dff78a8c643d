package io.meridian.node.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import io.meridian.auth.ClientOrderIds;
import io.meridian.model.Command;

import java.io.IOException;

/**
 * A client order id as a request gives it (docs/api.md, "Conventions"; docs/auth.md, "Client order ids"): a JSON number
 * (1 to 2^62 - 1; 0 means none, as before), or a string of 1 to 36 characters of {@code A-Z a-z 0-9 . _ : / -} such as a
 * UUID. The engine knows it by {@link #key} ({@link ClientOrderIds#key}: a plain-number text is that number); a text is
 * journaled with the command and echoed back as the client wrote it, a number as a number ({@link #echo}).
 *
 * @param key  the engine's 64-bit key (0: none)
 * @param text the text as sent, or null when the id was given as a number
 */
public record ClientOrderId(long key, String text) {
    /** No client order id. */
    public static final ClientOrderId NONE = new ClientOrderId(0, null);

    /** An id given as a number: 0 is none; otherwise it must be 1 to 2^62 - 1. */
    public static ClientOrderId number(long number, String field) throws RequestException {
        if (number != 0 && !ClientOrderIds.isValidNumber(number)) {
            throw RequestException.badField(field + ": " + ClientOrderIds.NUMBER_RULE);
        }
        return number == 0 ? NONE : new ClientOrderId(number, null);
    }

    /** An id given as text (a JSON string, a path segment): 400 naming {@code field} and the rule when it is not one. */
    public static ClientOrderId text(String text, String field) throws RequestException {
        String problem = ClientOrderIds.problem(text);
        if (problem != null) {
            throw RequestException.badField(field + ": " + problem);
        }
        return new ClientOrderId(ClientOrderIds.key(text), text);
    }

    /**
     * A FIX ClOrdID or OrigClOrdID (always text in FIX): a plain number is journaled as a number, as before texts
     * existed (REST and WebSocket show it as one); any other valid text as text.
     */
    public static ClientOrderId fix(String text, String field) throws RequestException {
        ClientOrderId id = text(text, field);
        return ClientOrderIds.plainNumber(text) > 0 ? new ClientOrderId(id.key(), null) : id;
    }

    /** Whether there is an id. */
    public boolean isPresent() {
        return key != 0;
    }

    /** Sets the command's client order id: its key and, for a text, the text. */
    public void applyTo(Command c) {
        c.clientOrderId = key;
        c.clientOrderText = text;
    }

    /** What an answer shows: the text as sent, else the number; null for none. */
    public Object echo() {
        return echo(key, text);
    }

    /** What an answer shows for a key and its text (null when the id was a number): the text, else the number. */
    public static Object echo(long key, String text) {
        return text != null ? text : key != 0 ? (Object) key : null;
    }

    /** The id as FIX writes it (ClOrdID): the text, else the number's digits; null for none. */
    public static String fixText(long key, String text) {
        return text != null ? text : key != 0 ? Long.toString(key) : null;
    }

    @Override
    public String toString() {
        return text != null ? text : Long.toString(key);
    }

    /** Reads a JSON integer or string, refusing anything else (see the record's comment). */
    static final class Reader extends JsonDeserializer<ClientOrderId> {
        @Override
        public ClientOrderId deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new StrictScalars.Refused(p, ClientOrderIds.NUMBER_RULE);
                }
                long number = p.getLongValue();
                if (number != 0 && !ClientOrderIds.isValidNumber(number)) {
                    throw new StrictScalars.Refused(p, ClientOrderIds.NUMBER_RULE);
                }
                return number == 0 ? NONE : new ClientOrderId(number, null);
            }
            if (token == JsonToken.VALUE_STRING) {
                String text = p.getText();
                String problem = ClientOrderIds.problem(text);
                if (problem != null) {
                    throw new StrictScalars.Refused(p, problem);
                }
                return new ClientOrderId(ClientOrderIds.key(text), text);
            }
            throw new StrictScalars.Refused(p, "must be a whole number or a string of " + ClientOrderIds.RULE);
        }
    }
}
