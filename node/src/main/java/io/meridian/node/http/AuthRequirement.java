package io.meridian.node.http;

/**
 * What a route asks of its caller, one column of the route table ({@link Route}). {@link AccessPolicy} is the one place
 * that acts on it before the handler runs; what each value means today:
 */
public enum AuthRequirement {
    /** Anyone: venue-wide public data (instruments, books, trades, health). */
    PUBLIC,
    /**
     * One account's own data (balances, positions, orders, fills, greeks, {@code /v1/accounts/{id}}), named by
     * {@code ?account=N}, {@code ?address=0x...} or the path. Served without proof today, as before (docs/api.md,
     * "Authorisation"); read authentication belongs in {@link AccessPolicy}.
     */
    PRIVATE_READ,
    /**
     * A command on an account (orders, cancels, settings, withdrawals, agents): signed by the owner or an approved
     * agent, verified when the command is built ({@code RequestSigning.verify}), or by account id in auth mode open.
     */
    SIGNED_COMMAND,
    /** A price or surface feed, signed by the feed key the config names for it; verified by the feed's handler. */
    FEED,
    /** Only on a node in dev mode; refused (404, as if absent) everywhere else. */
    DEV_ONLY
}
