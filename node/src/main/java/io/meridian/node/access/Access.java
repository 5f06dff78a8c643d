package io.meridian.node.access;

import io.meridian.auth.Eip712Domain;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.RequestException;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The gateway's access decisions that cost nothing of the engine, for REST and WebSocket alike:
 * <ul>
 * <li>{@link #beforeSignature}: a signed request the engine would certainly refuse (unknown address, unapproved or
 * ended agent, reused or stale nonce; see {@link AuthMirror}) is refused with the engine's own reason code and HTTP 401,
 * before its signature is checked, before its owner's rate limit is charged and before the journal; then the remote
 * address's signature budget pays for the verification to come (429 when spent).</li>
 * <li>{@link #readableAccount}: a private read's read token ({@link ReadTokens}) and the account it covers.</li>
 * </ul>
 * Thread-safe; used on every I/O thread.
 */
public final class Access {
    private final AuthMirror mirror;
    private final ReadTokens readTokens;
    private final KeyedBuckets<InetAddress> signatureChecks;

    public Access(AuthMirror mirror, Eip712Domain domain, AccessSettings settings) {
        this.mirror = mirror;
        this.readTokens = new ReadTokens(domain, mirror, settings.maxReadTokenMillis(), 16_384);
        this.signatureChecks = new KeyedBuckets<>(settings.signatureChecksPerSecond(),
                2 * settings.signatureChecksPerSecond(), settings.maxAddresses());
    }

    /** The mirror of the engine's authorisation state. */
    public AuthMirror mirror() {
        return mirror;
    }

    /**
     * Refuses (thrown) a signed request the engine would refuse anyway, then takes a signature check from the remote
     * address's budget when the request carries a signature to verify. Requests by account id and deposits pass.
     *
     * @throws RequestException 401 with the engine's reject code (8005-8012) and message, or 429 when the address has
     *                          spent its signature checks
     */
    public void beforeSignature(Command c, Channel channel) throws RequestException {
        if (c.address == null) {
            return;
        }
        RejectReason refused = mirror.precheck(c, System.currentTimeMillis());
        if (refused != null) {
            throw new RequestException(401, refused.code(), refused.name() + ": " + refused.message()
                    + " (refused at the gateway; nothing was journaled)");
        }
        if (c.signature != null && c.type != CommandType.DEPOSIT) {
            spendSignatureCheck(channel);
        }
    }

    /**
     * The account the request's read token lets it read (the token's owner's account).
     *
     * @throws RequestException 401 ({@link Codes#READ_TOKEN_REQUIRED}, {@link Codes#READ_TOKEN_INVALID}), 403
     *                          ({@link Codes#READ_FORBIDDEN}) or 429 (signature budget)
     */
    public long readableAccount(String token, Channel channel) throws RequestException {
        try {
            return readTokens.account(token, System.currentTimeMillis(), () -> take(channel));
        } catch (ReadTokens.Refusal refusal) {
            throw refused(refusal);
        }
    }

    private static RequestException refused(ReadTokens.Refusal refusal) {
        return new RequestException(refusal.status(), refusal.code(), refusal.getMessage());
    }

    /** The refusal for a valid token that names another account (the same for an account that does not exist). */
    public static RequestException forbidden() {
        return refused(ReadTokens.forbidden());
    }

    private void spendSignatureCheck(Channel channel) throws RequestException {
        long wait = take(channel);
        if (wait > 0) {
            throw new RequestException(429, Codes.RATE_LIMITED,
                    "too many signature checks from this network address", wait);
        }
    }

    private long take(Channel channel) {
        InetAddress remote = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        long wait = signatureChecks.take(remote == null ? InetAddress.getLoopbackAddress() : remote, System.nanoTime());
        if (wait > 0) {
            refusedChecks.increment();
        }
        return wait;
    }

    /** Requests refused (429) by their address's signature-check budget since the start (for the metrics). */
    public long refusedSignatureChecks() {
        return refusedChecks.sum();
    }

    private final java.util.concurrent.atomic.LongAdder refusedChecks = new java.util.concurrent.atomic.LongAdder();
}
