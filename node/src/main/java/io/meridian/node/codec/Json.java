package io.meridian.node.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The edge's JSON: one mapper for every request body and WebSocket message the node reads and every answer it writes.
 * Reading is strict: unknown fields, nulls for primitives and duplicate keys are refused, every decimal goes through
 * {@link EdgeDecimals} (plain digits, no exponent, bounded length) before any arithmetic, and every other scalar through
 * {@link StrictScalars} (no coercion between types, no padding, no control characters in text). A refusal is a
 * {@link RequestException} naming the field and saying why. Thread-safe (Jackson's mapper is, once configured).
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
            .registerModule(EdgeDecimals.module())
            .registerModule(StrictScalars.module());

    /** What an answer that cannot be encoded is replaced with (never expected: answers are maps of plain values). */
    private static final String UNENCODABLE = "{\"code\":500,\"message\":\"cannot encode the answer\"}";

    private Json() {
    }

    /**
     * The request id of a message that could not be read as a request (a field of the wrong type, say), so that its
     * refusal still names the request it answers: the top-level {@code id} when the text is JSON and it is a whole
     * number that fits a long, else null. Only on the refusal path; the text is already bounded by the frame limit.
     */
    public static Long requestIdOf(String text) {
        try {
            com.fasterxml.jackson.databind.JsonNode id = MAPPER.readTree(text).path("id");
            return id.isIntegralNumber() && id.canConvertToLong() ? id.asLong() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** {@code text} as a {@code type}, or a 400 naming what is wrong. */
    public static <T> T parse(String text, Class<T> type) throws RequestException {
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new RequestException(400, Codes.BAD_JSON, "empty body");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw RequestException.badField("unknown field " + EdgeDecimals.echo(e.getPropertyName()));
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            if (field == null) {
                // An element of a list: name the list.
                field = e.getPath().size() > 1 ? e.getPath().get(e.getPath().size() - 2).getFieldName() : "body";
            }
            throw RequestException.badField(field + ": " + (e instanceof StrictScalars.Refused refused
                    ? refused.reason() : "wrong type or value"));
        } catch (JsonProcessingException e) {
            throw new RequestException(400, Codes.BAD_JSON, "malformed JSON: " + describe(e));
        }
    }

    /**
     * What is wrong with unreadable JSON, in the gateway's words: where it stopped, and the key of a duplicate. Not the
     * parser's message, which quotes up to hundreds of characters of the input and names Java types.
     */
    private static String describe(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        String duplicate = "Duplicate field '";
        if (original.startsWith(duplicate)) {
            int end = original.lastIndexOf('\'');
            return "duplicate key " + EdgeDecimals.echo(end > duplicate.length()
                    ? original.substring(duplicate.length(), end) : "");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof JsonEOFException) {
            return "unexpected end of input" + where;
        }
        if (e instanceof StreamConstraintsException) {
            return "too deeply nested or too long" + where;
        }
        return "unexpected text" + where;
    }

    /** {@code body} as JSON text. */
    public static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return UNENCODABLE;
        }
    }

    /** {@code body} as UTF-8 JSON, or null when it cannot be encoded (the caller answers 500). */
    public static byte[] writeBytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The body of an unencodable answer. */
    public static byte[] unencodable() {
        return UNENCODABLE.getBytes(StandardCharsets.UTF_8);
    }

    /** The error body every refusal has: {@code {"code": code, "message": message}} (mutable: callers add fields). */
    public static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }
}
