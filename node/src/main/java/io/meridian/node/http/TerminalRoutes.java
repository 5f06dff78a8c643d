package io.meridian.node.http;

import io.meridian.node.codec.RequestException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * The browser terminal's files: {@code GET /} is its page, {@code GET /terminal/{file}} and
 * {@code GET /terminal/vendor/{file}} its scripts, styles and the charting library, read from the classpath under
 * {@value #ROOT} (the {@code terminal} module's jar; a node without it answers 404 saying so). Everything the page
 * needs comes from the node: no CDN, so it works offline and on loopback.
 *
 * <p>Hostile paths cannot escape: a file name is one path segment that must match {@link #FILE} (letters, digits,
 * {@code -}, {@code .} inside, a known extension), so no {@code ..}, no slash, no encoded tricks reach the class loader.
 * Each file found is read once and kept (the set is the module's, a few hundred KB); answers carry a strict
 * Content-Security-Policy (scripts and connections to this origin only), {@code nosniff} and cache rules (the page
 * revalidates; the versioned vendor library may be kept a day).
 */
final class TerminalRoutes {
    /** Where the terminal's files are on the classpath. */
    static final String ROOT = "meridian/terminal/";
    private static final Pattern FILE =
            Pattern.compile("[a-z0-9][a-z0-9-]{0,63}(\\.[a-z0-9-]{1,16})?\\.(html|js|mjs|css|svg|txt)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "txt", "text/plain; charset=utf-8");
    /**
     * Scripts, styles, images and connections from this origin only (the WebSocket is {@code ws:} or {@code wss:} to
     * it); inline styles are allowed for the layout's computed widths (depth bars), never inline scripts.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'none'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    List<Route> routes() {
        return List.of(
                Route.of(GET, "/", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, x -> serve(x, "index.html")),
                Route.of(GET, "/terminal/{file}", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ,
                        x -> serve(x, x.parameter("file"))),
                Route.of(GET, "/terminal/vendor/{file}", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ,
                        x -> serve(x, "vendor/" + x.parameter("file"))));
    }

    private void serve(Exchange x, String path) throws RequestException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!FILE.matcher(name).matches()) {
            throw RequestException.notFound("no terminal file '" + io.meridian.node.codec.EdgeDecimals.clip(name) + "'");
        }
        byte[] body = cache.get(path);
        if (body == null) {
            body = read(path);
            if (body != null) {
                cache.put(path, body);   // hits only: names that miss are endless, the files are few
            }
        }
        if (body == null) {
            throw RequestException.notFound(path.equals("index.html")
                    ? "the browser terminal is not installed on this node (the terminal module's jar is not on its"
                    + " classpath); the API is under /v1"
                    : "no terminal file '" + path + "'");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().set("Referrer-Policy", "no-referrer");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, path.startsWith("vendor/") ? "public, max-age=86400"
                : "no-cache");
        x.send(response);
    }

    /** The file's bytes, or null when it is not on the classpath. */
    private static byte[] read(String path) {
        try (InputStream in = TerminalRoutes.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
