package io.meridian.node.ws;

import io.meridian.node.EngineLoop;
import io.meridian.node.codec.Decimals;
import io.netty.channel.Channel;

/**
 * Where a WebSocket order's or cancel's engine answer goes: the node's per-connection outbox, which records it on the
 * engine thread and encodes and flushes a connection's answers once per batch on its I/O thread. Called on the
 * connection's I/O thread before the command is submitted; the reply it returns runs on the engine thread.
 */
@FunctionalInterface
public interface SocketReplies {
    /**
     * @param id            the request's id, echoed on the answer (may be null)
     * @param lots          the instrument's lot step for an order's quantities, or null for a cancel
     * @param clientOrderId the order's (or the cancel's) client order id as given, echoed on the answer: a text as a
     *                      string, a number as a number; null for none
     */
    EngineLoop.Reply replyTo(Channel channel, Long id, Decimals.Step lots, Object clientOrderId);
}
