package io.meridian.node.http;

import java.util.Map;

/**
 * Where a command's answer goes: an HTTP response (the status as is), or a WebSocket frame tagged with the request's id
 * ({@code ack} for 200, {@code reject} otherwise). Called on the engine thread or an I/O thread.
 */
@FunctionalInterface
public interface Responder {
    void send(int status, Map<String, Object> body);
}
