package io.meridian.node.http;

/**
 * How a route is rate limited, one column of the route table ({@link Route}); {@link RatePolicy} applies it. Today every
 * class takes one token of the connection's bucket ({@code requestsPerSecondPerConnection}), and the commands that place
 * or cancel orders (REST and WebSocket) also one of their account's bucket ({@code ordersPerSecondPerAccount}) when the
 * command is submitted, since the account is known only then.
 */
public enum RateClass {
    /** {@code /health}: one O(1) token; nothing else runs before its handler. */
    HEALTH,
    /** Public reads. */
    PUBLIC_READ,
    /** An account's own reads. */
    PRIVATE_READ,
    /** Orders, amends and cancels (the account bucket applies too). */
    ORDER_ENTRY,
    /** Account changes other than orders: settings, withdrawals, agent keys. */
    ACCOUNT_CHANGE,
    /** Signed price and surface feeds. */
    FEED,
    /** Dev-mode operator routes. */
    DEV
}
