package io.meridian.node.http;

import io.meridian.node.codec.RequestException;
import io.netty.channel.Channel;

/**
 * Applies a route's {@link RateClass}: every class, and every request that matches no route, takes one token of the
 * connection's bucket ({@link Gateway#limitConnection}, O(1)); orders and cancels take one of their account's bucket as
 * well when the command is submitted ({@link Gateway#limitOrders}). A refusal is a 429 with {@code Retry-After}.
 */
public final class RatePolicy {
    private final Gateway gateway;

    public RatePolicy(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Admits one request of {@code rate} on {@code channel}, or refuses it (thrown). */
    public void admit(RateClass rate, Channel channel) throws RequestException {
        switch (rate) {
            case HEALTH, PUBLIC_READ, PRIVATE_READ, ORDER_ENTRY, ACCOUNT_CHANGE, FEED, DEV ->
                    gateway.limitConnection(channel);
            default -> throw new IllegalStateException("unhandled rate class " + rate);
        }
    }
}
