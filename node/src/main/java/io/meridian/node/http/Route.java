package io.meridian.node.http;

import io.meridian.node.codec.RequestException;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Set;

/**
 * One row of the gateway's route table ({@link Routes}): method, path pattern, what the route asks of its caller, how it
 * is rate limited, and its handler. Rows are immutable and built once at start.
 *
 * @param method  the HTTP method
 * @param path    the path, with {@code {name}} parameters
 * @param auth    what the caller must prove ({@link AccessPolicy} enforces it)
 * @param rate    its rate class ({@link RatePolicy} applies it)
 * @param query   the query parameters it takes; the {@link Router} refuses any other (400), and any given twice
 * @param handler what serves it, on the connection's I/O thread
 */
public record Route(HttpMethod method, RoutePattern path, AuthRequirement auth, RateClass rate, Set<String> query,
                    Handler handler) {
    public Route {
        query = Set.copyOf(query);
    }

    /** Serves a matched request; a refusal is thrown, any answer is written through the exchange (now or later). */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws RequestException;
    }

    /** A row of the table that takes no query parameters (add them with {@link #query(String...)}). */
    public static Route of(HttpMethod method, String path, AuthRequirement auth, RateClass rate, Handler handler) {
        return new Route(method, RoutePattern.of(path), auth, rate, Set.of(), handler);
    }

    /** This row taking the query parameters {@code names} as well as those it took. */
    public Route query(String... names) {
        Set<String> all = new java.util.HashSet<>(query);
        all.addAll(List.of(names));
        return new Route(method, path, auth, rate, all, handler);
    }

    /** Whether the route reads a request body (POST and PUT). */
    public boolean takesBody() {
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT);
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + auth + ", " + rate + ")";
    }
}
