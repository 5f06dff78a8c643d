package io.meridian.node.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments and {@code {name}} parameters, e.g. {@code /v1/orders/{orderId}}. A parameter
 * matches one non-empty segment. Immutable.
 */
public final class RoutePattern {
    private final String text;
    private final String[] segments;
    private final List<String> names;

    private RoutePattern(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with '/': " + text);
        }
        this.text = text;
        this.segments = text.substring(1).split("/", -1);
        List<String> found = new ArrayList<>();
        for (String segment : segments) {
            if (isParameter(segment)) {
                found.add(segment.substring(1, segment.length() - 1));
            }
        }
        this.names = Collections.unmodifiableList(found);
    }

    /** The pattern {@code text}. */
    public static RoutePattern of(String text) {
        return new RoutePattern(text);
    }

    /** The path as written in the table and in docs/openapi.yaml. */
    public String text() {
        return text;
    }

    /** Whether the path has no parameters (then it is matched by string equality). */
    public boolean literal() {
        return names.isEmpty();
    }

    /** The parameters' names, in path order. */
    public List<String> parameters() {
        return names;
    }

    /** The number of segments after the leading '/'. */
    int length() {
        return segments.length;
    }

    /**
     * The parameters of {@code path} (already split after its leading '/', see {@link #split}), or null when it does
     * not match.
     */
    Map<String, String> match(String[] path) {
        if (path.length != segments.length) {
            return null;
        }
        Map<String, String> values = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (isParameter(segment)) {
                if (path[i].isEmpty()) {
                    return null;
                }
                if (values == null) {
                    values = new LinkedHashMap<>();
                }
                values.put(segment.substring(1, segment.length() - 1), path[i]);
            } else if (!segment.equals(path[i])) {
                return null;
            }
        }
        return values == null ? Map.of() : values;
    }

    /** A request path's segments after its leading '/' (empty segments kept). */
    static String[] split(String path) {
        return path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {path};
    }

    /**
     * A raw (still percent-encoded) request path's segments, each decoded on its own: an escaped slash ({@code %2F})
     * stays inside its segment, so a parameter may hold one (a client order id such as {@code a/b}, sent as
     * {@code a%2Fb}). Escapes must already be known to be valid (the whole path decoded).
     */
    static String[] splitRaw(String rawPath) {
        String[] segments = split(rawPath);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].indexOf('%') >= 0) {
                segments[i] = percentDecode(segments[i]);
            }
        }
        return segments;
    }

    /** RFC 3986 percent-decoding of one path segment, escapes as UTF-8 ('+' is itself, not a space). */
    private static String percentDecode(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        java.io.ByteArrayOutputStream escaped = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()) {
                escaped.write(Integer.parseInt(segment, i + 1, i + 3, 16));
                i += 2;
                continue;
            }
            out.append(escaped.toString(java.nio.charset.StandardCharsets.UTF_8));
            escaped.reset();
            out.append(c);
        }
        return out.append(escaped.toString(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    @Override
    public String toString() {
        return text;
    }
}
