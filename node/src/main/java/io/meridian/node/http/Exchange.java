package io.meridian.node.http;

import io.meridian.node.codec.Faults;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.RequestException;
import io.meridian.node.metrics.EdgeRefusals;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One HTTP request being served: the matched route's path parameters, the query, the body, and the ways to answer.
 * Made on the connection's I/O thread. The request's body may be read only while the handler runs (Netty releases it
 * afterwards); answers may be written from any thread, once.
 */
public final class Exchange {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder uri;
    private final Map<String, String> parameters;
    private final boolean keepAlive;
    private final Gateway gateway;
    /** The matched row, for the log: "METHOD /pattern". */
    private final String where;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Map<String, String> parameters,
             boolean keepAlive, Gateway gateway, String where) {
        this.ctx = ctx;
        this.request = request;
        this.uri = uri;
        this.parameters = parameters;
        this.keepAlive = keepAlive;
        this.gateway = gateway;
        this.where = where;
    }

    /** The same exchange with {@code name=value} added to its query (a read asked by address, once resolved). */
    Exchange withQuery(String name, String value) {
        String resolved = uri.uri() + (uri.uri().contains("?") ? "&" : "?") + name + "=" + value;
        return new Exchange(ctx, request, new QueryStringDecoder(resolved), parameters, keepAlive, gateway, where);
    }

    public HttpMethod method() {
        return request.method();
    }

    /** The request path (without the query). */
    public String path() {
        return uri.path();
    }

    /** A path parameter of the matched route. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether the query names {@code name}. */
    public boolean hasQuery(String name) {
        return uri.parameters().containsKey(name);
    }

    /**
     * A whole-number query parameter within {@code [min, max]}; absent, {@code fallback}, or a 400 "required" when the
     * fallback is below {@code min}.
     */
    public long number(String name, long fallback, long min, long max) throws RequestException {
        String text = query(name);
        if (text == null) {
            if (fallback < min) {
                throw RequestException.badField(name + ": required");
            }
            return fallback;
        }
        long value = Ids.number(text, name);
        if (value < min || value > max) {
            throw RequestException.badField(name + ": must be " + min + ".." + max);
        }
        return value;
    }

    /** The required {@code ?account=N} (a positive id). */
    public long account() throws RequestException {
        return number("account", -1, 1, Long.MAX_VALUE);
    }

    /** The body as a {@code type}, by the edge's strict JSON rules ({@link Json#parse}). */
    public <T> T body(Class<T> type) throws RequestException {
        return Json.parse(request.content().toString(StandardCharsets.UTF_8), type);
    }

    /** The body's exact bytes (what a signature covers). */
    public byte[] rawBody() {
        return ByteBufUtil.getBytes(request.content());
    }

    /** A request header, or null. */
    public String header(String name) {
        return request.headers().get(name);
    }

    /** The connection's context (its channel and I/O executor). */
    public ChannelHandlerContext context() {
        return ctx;
    }

    /** The connection's I/O thread, for work after an engine answer that belongs off the engine thread. */
    public Executor executor() {
        return ctx.executor();
    }

    /** Answers {@code body} as JSON with {@code status}. */
    public void send(int status, Object body) {
        gateway.countRefusal(EdgeRefusals.Edge.REST, status, body);
        Responses.send(ctx, status, body, keepAlive);
    }

    /** Answers {@code body} as JSON with {@code status} and the extra {@code headers}. */
    public void send(int status, Object body, Map<String, String> headers) {
        gateway.countRefusal(EdgeRefusals.Edge.REST, status, body);
        io.netty.handler.codec.http.FullHttpResponse response = Responses.response(status, body);
        headers.forEach((name, value) -> response.headers().set(name, value));
        send(response);
    }

    /** Answers with a response the handler made (one that is not JSON: {@code /metrics}). */
    void send(io.netty.handler.codec.http.FullHttpResponse response) {
        Responses.write(ctx, response, keepAlive);
    }

    /** The matched row ("METHOD /pattern"), as the log names it. */
    public String where() {
        return where;
    }

    /** Answers a fault of the node: 500 with an error id, the detail only in the log ({@link Faults}). */
    public void fault(RuntimeException e) {
        send(500, gateway.faults().internal(where, e));
    }

    /** Answers that the engine could not answer (see {@link Gateway#engineFailure}). */
    public void failed(Throwable failure) {
        send(503, gateway.engineFailure(where, failure));
    }

    /** Answers a refusal. */
    public void refuse(RequestException e) {
        gateway.refusals().refused(EdgeRefusals.Edge.REST, e.code());
        Responses.write(ctx, Responses.refusal(e), keepAlive);
    }

    /** This exchange as a command's {@link Responder}. */
    public Responder responder() {
        return this::send;
    }

    /** Answers the query's value with 200 once it completes, or 503 when the engine could not answer it. */
    public void reply(CompletableFuture<?> answer) {
        // Encoded on the connection's I/O thread: the engine thread only reads (fairness, docs/api.md "Slow consumers").
        answer.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                failed(failure);
            } else {
                send(200, value);
            }
        }, ctx.executor());
    }
}
