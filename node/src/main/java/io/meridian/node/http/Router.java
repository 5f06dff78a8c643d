package io.meridian.node.http;

import io.meridian.node.codec.Codes;
import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.StrictScalars;
import io.meridian.node.metrics.EdgeRefusals;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dispatcher: finds a request's row in the route table and runs it, in this order: the request target decoded
 * (400 for a malformed escape or a control character), the row (404 for an unknown path, 405 with {@code Allow} for a
 * known path and another method), its rate class ({@link RatePolicy}), its auth requirement ({@link AccessPolicy}),
 * the body's media type (415 unless JSON, {@link #requireJson}), a private read asked by {@code ?address=} resolved to
 * its account, then the handler. Every refusal is JSON {@code {code, message}}; a handler's fault a 500 with an error
 * id ({@link io.meridian.node.codec.Faults}).
 *
 * <p>Literal paths are found in a hash map (so {@code /health} costs one lookup), paths with parameters by comparing
 * segments with the rows of the same length. Built once; immutable; runs on the connections' I/O threads.
 */
public final class Router {
    private final List<Route> routes;
    /** Literal paths: path, then method, to the row (methods in table order, for {@code Allow}). */
    private final Map<String, Map<HttpMethod, Route>> literal = new HashMap<>();
    /** Paths with parameters, by segment count, in table order. */
    private final Map<Integer, List<Route>> patterns = new HashMap<>();
    private final AccessPolicy access;
    private final RatePolicy rates;
    private final Gateway gateway;

    /** A route table without its {@link AuthRequirement#DEV_ONLY} rows unless {@code devMode}. */
    public Router(List<Route> table, boolean devMode, AccessPolicy access, RatePolicy rates, Gateway gateway) {
        this.routes = table.stream().filter(r -> devMode || r.auth() != AuthRequirement.DEV_ONLY).toList();
        for (Route route : routes) {
            if (route.path().literal()) {
                Route previous = literal.computeIfAbsent(route.path().text(), p -> new LinkedHashMap<>())
                        .put(route.method(), route);
                if (previous != null) {
                    throw new IllegalArgumentException("two rows for " + route.method() + " " + route.path());
                }
            } else {
                patterns.computeIfAbsent(route.path().length(), n -> new ArrayList<>()).add(route);
            }
        }
        this.access = access;
        this.rates = rates;
        this.gateway = gateway;
    }

    /** The rows served (the table less what this node's mode leaves out). */
    public List<Route> routes() {
        return routes;
    }

    /** A request's row and path parameters; or, when none matches, the methods its path has (empty: unknown path). */
    record Match(Route route, Map<String, String> parameters, List<HttpMethod> allowed) {
    }

    Match match(HttpMethod method, String path) {
        return match(method, path, RoutePattern.split(path));
    }

    /** As above, with the path's segments for the routes with parameters (see {@link RoutePattern#splitRaw}). */
    Match match(HttpMethod method, String path, String[] segments) {
        Map<HttpMethod, Route> byMethod = literal.get(path);
        if (byMethod != null) {
            Route route = byMethod.get(method);
            return route != null ? new Match(route, Map.of(), List.of())
                    : new Match(null, Map.of(), new ArrayList<>(byMethod.keySet()));
        }
        List<Route> candidates = patterns.get(segments.length);
        List<HttpMethod> allowed = new ArrayList<>();
        if (candidates != null) {
            for (Route route : candidates) {
                Map<String, String> parameters = route.path().match(segments);
                if (parameters == null) {
                    continue;
                }
                if (route.method().equals(method)) {
                    return new Match(route, parameters, List.of());
                }
                if (!allowed.contains(route.method())) {
                    allowed.add(route.method());
                }
            }
        }
        return new Match(null, Map.of(), allowed);
    }

    /** Serves one request (on its connection's I/O thread); Netty releases {@code request} when this returns. */
    void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String where = method + " (no route)";
        try {
            String path = decode(uri, ctx);
            Match match = match(method, path, RoutePattern.splitRaw(uri.rawPath()));
            rates.admit(match.route() == null ? RateClass.PUBLIC_READ : match.route().rate(), ctx.channel());
            if (match.route() == null) {
                refuseUnmatched(ctx, method, path, match.allowed(), keepAlive);
                return;
            }
            Route route = match.route();
            where = method + " " + route.path().text();
            checkQuery(route, uri);
            Exchange exchange = access.admit(route,
                    new Exchange(ctx, request, uri, match.parameters(), keepAlive, gateway, where));
            if (route.takesBody() || request.content().isReadable()) {
                requireJson(request);
            }
            if (route.auth() == AuthRequirement.PRIVATE_READ && method.equals(HttpMethod.GET)
                    && exchange.hasQuery("address") && !exchange.hasQuery("account")) {
                // Asked by address: the account is looked up on the engine thread, then the route runs as if asked by
                // that id. (GET routes only: their bodies are unused, so the request may be read after Netty released
                // its content.)
                gateway.withAccountOf(exchange, exchange.query("address"),
                        account -> run(route, exchange.withQuery("account", Long.toString(account))));
                return;
            }
            route.handler().handle(exchange);
        } catch (RequestException e) {
            gateway.refusals().refused(EdgeRefusals.Edge.REST, e.code());
            Responses.write(ctx, Responses.refusal(e), keepAlive);
        } catch (RuntimeException e) {
            gateway.refusals().refused(EdgeRefusals.Edge.REST, Codes.INTERNAL);
            Responses.send(ctx, 500, gateway.faults().internal(where, e), keepAlive);
        }
    }

    /**
     * The request's decoded path, its query decoded as well (both are cached by the decoder); malformed
     * percent-encoding, or a control character in the decoded path, a query name or a query value, is a 400 (after the
     * request took its rate-limit token).
     */
    private String decode(QueryStringDecoder uri, ChannelHandlerContext ctx) throws RequestException {
        String refusal;
        try {
            String path = uri.path();
            refusal = StrictScalars.hasControl(path) ? "request target: " + StrictScalars.CONTROL : null;
            for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
                if (refusal != null) {
                    break;
                }
                if (StrictScalars.hasControl(parameter.getKey())) {
                    refusal = "request target: " + StrictScalars.CONTROL;
                }
                for (String value : parameter.getValue()) {
                    if (StrictScalars.hasControl(value)) {
                        refusal = EdgeDecimals.clip(parameter.getKey()) + ": " + StrictScalars.CONTROL;
                    }
                }
            }
            if (refusal == null) {
                return path;
            }
        } catch (IllegalArgumentException e) {
            refusal = "request target: malformed percent-encoding";
        }
        rates.admit(RateClass.PUBLIC_READ, ctx.channel());
        throw RequestException.badField(refusal);
    }

    /**
     * Refuses (400) a query parameter the route does not take, so a misspelt or unsupported one ({@code ?fromid=},
     * {@code ?since=}) is never silently ignored, and a parameter given twice, which would be ambiguous.
     */
    static void checkQuery(Route route, QueryStringDecoder uri) throws RequestException {
        for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
            String name = parameter.getKey();
            if (!route.query().contains(name)) {
                throw RequestException.badField("unknown query parameter " + EdgeDecimals.echo(name) + ": "
                        + (route.query().isEmpty() ? "this route takes none"
                        : "this route takes " + String.join(", ", new java.util.TreeSet<>(route.query()))));
            }
            if (parameter.getValue().size() > 1) {
                throw RequestException.badField(EdgeDecimals.clip(name) + ": given more than once");
            }
        }
    }

    /**
     * A request body must be declared JSON: {@code Content-Type: application/json}, optionally with
     * {@code charset=utf-8} (names and values case-insensitive), and nothing else; else 415. So a browser's cross-site
     * "simple" POST ({@code text/plain}, a form) never reaches a handler, and a body is never read as JSON by guess.
     */
    static void requireJson(FullHttpRequest request) throws RequestException {
        List<String> declared = request.headers().getAll(HttpHeaderNames.CONTENT_TYPE);
        if (declared.size() != 1 || !isJson(declared.get(0))) {
            throw new RequestException(415, Codes.MEDIA_TYPE, "Content-Type: must be application/json (optionally"
                    + " with charset=utf-8) for a request with a body");
        }
    }

    /** Whether a Content-Type value is JSON in UTF-8 (see {@link #requireJson}). */
    static boolean isJson(String value) {
        String[] parts = value.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                return false;
            }
            String charset = parameter.substring(equals + 1).trim();
            if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
                charset = charset.substring(1, charset.length() - 1);
            }
            if (!charset.equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** Runs a handler later (after an address lookup), answering its refusals and faults. */
    private static void run(Route route, Exchange exchange) {
        try {
            route.handler().handle(exchange);
        } catch (RequestException e) {
            exchange.refuse(e);
        } catch (RuntimeException e) {
            exchange.fault(e);
        }
    }

    private void refuseUnmatched(ChannelHandlerContext ctx, HttpMethod method, String path,
                                 List<HttpMethod> allowed, boolean keepAlive) {
        gateway.refusals().refused(EdgeRefusals.Edge.REST, allowed.isEmpty() ? Codes.NOT_FOUND : Codes.METHOD);
        if (allowed.isEmpty()) {
            Responses.write(ctx, Responses.refusal(RequestException.notFound("no route " + method + " "
                    + EdgeDecimals.clip(path))), keepAlive);
            return;
        }
        String methods = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
        FullHttpResponse response = Responses.refusal(new RequestException(405, Codes.METHOD, "use "
                + (allowed.size() == 1 ? methods : methods.replaceFirst(", ([A-Z]+)$", " or $1"))));
        response.headers().set(HttpHeaderNames.ALLOW, methods);
        Responses.write(ctx, response, keepAlive);
    }
}
