package io.meridian.node.access;

import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.AgentSignature;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Outcome;
import io.meridian.auth.ReadAccess;
import io.meridian.auth.Verdict;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Read tokens for private data (docs/api.md, "Private reads"): a {@link ReadAccess} signed by an account's owner or an
 * agent it approved, valid for at most {@code maxLifetimeMillis}. In signed mode every private read (balances,
 * positions, open orders, fills, greeks, an account by id or address, the account stream) must carry one that covers
 * the account asked for; public data needs none.
 *
 * <p><b>Refusals</b> (gateway codes, see {@link Refusal}): {@link #TOKEN_REQUIRED} (HTTP 401) when there is none,
 * {@link #TOKEN_INVALID} (401) when it does not parse, does not verify, has ended, or lies further ahead than the
 * lifetime allows; {@link #FORBIDDEN} (403) when it is valid but its address does not own the account asked for, or
 * its agent is no longer approved. The same answer whether or not the account exists, so ids cannot be probed.
 *
 * <p><b>Cost.</b> A verified token is remembered (at most {@code cacheSize}, by its exact text) until it ends, so a
 * client reading in a loop pays the curve arithmetic once; cache misses are charged to the caller's signature budget
 * (see {@link KeyedBuckets}) before any arithmetic, so an attacker cannot make the gateway verify without bound.
 *
 * <p>Thread-safe; stateless apart from the cache.
 */
public final class ReadTokens {
    /** The HTTP header that carries a read token. */
    public static final String HEADER = "X-Meridian-Read-Token";
    /** No read token, and the route is private. */
    public static final int TOKEN_REQUIRED = io.meridian.node.codec.Codes.READ_TOKEN_REQUIRED;
    /** The read token does not parse, verify, or is out of its time bounds. */
    public static final int TOKEN_INVALID = io.meridian.node.codec.Codes.READ_TOKEN_INVALID;
    /** A valid read token that does not cover the account asked for. */
    public static final int FORBIDDEN = io.meridian.node.codec.Codes.READ_FORBIDDEN;
    /** The longest lifetime by default: an hour, like an exchange's listen key. */
    public static final long DEFAULT_MAX_LIFETIME_MILLIS = 60L * 60 * 1000;

    private final Eip712Domain domain;
    private final AuthMirror mirror;
    private final long maxLifetimeMillis;
    private final int cacheSize;
    private final ConcurrentHashMap<String, Grant> verified = new ConcurrentHashMap<>();

    /** What a verified token grants: reads of {@code owner}'s account until {@code validUntil}, by an agent or not. */
    public record Grant(Address owner, AgentKey agent, long validUntil) {
    }

    /** A refused read: HTTP status, gateway code and a message for the client. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final int code;

        Refusal(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public int code() {
            return code;
        }
    }

    /** Decides whether a cache miss may spend a signature verification (the caller's per-IP budget). */
    @FunctionalInterface
    public interface Budget {
        /** 0 when a verification may run now, else nanoseconds until one may. */
        long take();
    }

    public ReadTokens(Eip712Domain domain, AuthMirror mirror, long maxLifetimeMillis, int cacheSize) {
        if (maxLifetimeMillis <= 0 || cacheSize < 1) {
            throw new IllegalArgumentException("maxLifetimeMillis and cacheSize must be positive");
        }
        this.domain = domain;
        this.mirror = mirror;
        this.maxLifetimeMillis = maxLifetimeMillis;
        this.cacheSize = cacheSize;
    }

    /**
     * The account {@code token} lets its bearer read at {@code nowMillis} (epoch ms): its owner's account.
     *
     * @throws Refusal see the class comment; 429 when the budget refuses a verification
     */
    public long account(String token, long nowMillis, Budget budget) throws Refusal {
        Grant grant = verify(token, nowMillis, budget);
        long account = mirror.accountOf(grant.owner());
        if (account == 0) {
            throw forbidden();
        }
        if (grant.agent() != null && !mirror.agentApproved(grant.owner(), grant.agent(), nowMillis)) {
            throw forbidden();
        }
        return account;
    }

    /**
     * Requires {@code token} to cover {@code account}.
     *
     * @throws Refusal see the class comment
     */
    public void requireAccount(String token, long account, long nowMillis, Budget budget) throws Refusal {
        if (account(token, nowMillis, budget) != account) {
            throw forbidden();
        }
    }

    private Grant verify(String token, long nowMillis, Budget budget) throws Refusal {
        if (token == null || token.isEmpty()) {
            throw new Refusal(401, TOKEN_REQUIRED, "a read token is required for private data: send header " + HEADER
                    + " (docs/api.md, \"Private reads\")");
        }
        Grant grant = verified.get(token);
        if (grant == null) {
            grant = verifyAndRemember(token, nowMillis, budget);
        }
        if (nowMillis >= grant.validUntil()) {
            verified.remove(token);
            throw invalid("the read token ended at " + grant.validUntil());
        }
        return grant;
    }

    private Grant verifyAndRemember(String token, long nowMillis, Budget budget) throws Refusal {
        Outcome<ReadAccess.Token> parsed = ReadAccess.parseToken(token);
        if (!parsed.isOk()) {
            throw invalid(parsed.verdict().message());
        }
        ReadAccess access = parsed.value().access();
        if (nowMillis >= access.validUntil()) {
            throw invalid("the read token ended at " + Long.toUnsignedString(access.validUntil()));
        }
        if (access.validUntil() - nowMillis > maxLifetimeMillis) {
            throw invalid("a read token may last at most " + maxLifetimeMillis + " ms from now");
        }
        long wait = budget.take();
        if (wait > 0) {
            throw new Refusal(429, io.meridian.node.codec.Codes.RATE_LIMITED,
                    "too many signature checks from this network address; retry in "
                    + Math.max(1, wait / 1_000_000) + " ms");
        }
        Verdict verdict = parsed.value().verify(domain);
        if (!verdict.isOk()) {
            throw invalid(verdict.message());
        }
        AgentKey agent = parsed.value().signature() instanceof AgentSignature a ? a.agentKey() : null;
        Grant grant = new Grant(access.account(), agent, access.validUntil());
        if (verified.size() >= cacheSize) {
            verified.values().removeIf(g -> nowMillis >= g.validUntil());
            if (verified.size() >= cacheSize) {
                // Every cached token is still valid: forget them all rather than grow (they verify again on use).
                verified.clear();
            }
        }
        verified.put(token, grant);
        return grant;
    }

    private static Refusal invalid(String why) {
        return new Refusal(401, TOKEN_INVALID, "read token refused: " + why);
    }

    /** A valid token that does not cover the account asked for (the same answer for an account that does not exist). */
    static Refusal forbidden() {
        return new Refusal(403, FORBIDDEN, "the read token does not cover this account");
    }
}
