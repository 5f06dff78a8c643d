package io.meridian.node.access;

/**
 * The gateway's access limits (node config {@code auth}; docs/operations.md, "Production settings").
 *
 * @param signatureChecksPerSecond signature verifications a remote network address may spend per second (signed
 *                                 requests and read tokens not yet verified); twice as many in a burst. Each costs
 *                                 0.1-0.3 ms of a core, so this bounds what one address can make the gateway compute
 * @param maxReadTokenMillis       how far ahead of now a read token may end
 * @param maxAddresses             network addresses whose spending is remembered at once (see {@link KeyedBuckets})
 */
public record AccessSettings(double signatureChecksPerSecond, long maxReadTokenMillis, int maxAddresses) {
    /** 1,000 checks a second per address, tokens of up to an hour, 100,000 addresses. */
    public static final AccessSettings DEFAULTS = new AccessSettings(1_000, ReadTokens.DEFAULT_MAX_LIFETIME_MILLIS,
            100_000);

    public AccessSettings {
        if (!(signatureChecksPerSecond > 0) || maxReadTokenMillis <= 0 || maxAddresses < 1) {
            throw new IllegalArgumentException("signatureChecksPerSecond, maxReadTokenMillis and maxAddresses must be"
                    + " positive");
        }
    }
}
