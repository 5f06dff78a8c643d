package io.meridian.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Hex;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Signs requests for one account (docs/auth.md): as its owner (secp256k1, EIP-712), or as an agent key the owner
 * approved (Ed25519; agents trade and cancel but never withdraw). Nonces are the signer's clock in epoch milliseconds,
 * raised by one whenever two requests fall in the same millisecond, so a signer never reuses one; run one signer per
 * key (an agent per trading process), as nonce windows are per key. Thread-safe.
 */
public final class Signer {
    private final Address address;
    private final Secp256k1PrivateKey owner;
    private final AgentSigner agent;
    private final Eip712Domain domain;
    private final LongSupplier clock;
    private final AtomicLong lastNonce = new AtomicLong();

    private Signer(Address address, Secp256k1PrivateKey owner, AgentSigner agent, Eip712Domain domain,
                   LongSupplier clock) {
        this.address = address;
        this.owner = owner;
        this.agent = agent;
        this.domain = domain;
        this.clock = clock;
    }

    /** Signs as the owner of {@code key}'s address under {@code domain} (the node's: {@code GET /v1/auth}). */
    public static Signer owner(Secp256k1PrivateKey key, Eip712Domain domain) {
        return new Signer(key.address(), key, null, domain, System::currentTimeMillis);
    }

    /** Signs with {@code agent} for {@code owner}, who must have approved it ({@link MeridianClient#approveAgent}). */
    public static Signer agent(Address owner, AgentSigner agent, Eip712Domain domain) {
        return new Signer(owner, null, agent, domain, System::currentTimeMillis);
    }

    /** The account's address. */
    public Address address() {
        return address;
    }

    /** The domain signatures are made under. */
    public Eip712Domain domain() {
        return domain;
    }

    /** Whether this signer is an agent key (which may not withdraw). */
    public boolean isAgent() {
        return agent != null;
    }

    /** The owner's key, for approving agents; null for an agent signer. */
    Secp256k1PrivateKey ownerKey() {
        return owner;
    }

    /** A fresh nonce: the clock in epoch milliseconds, or one more than the last when the clock has not moved on. */
    public long nextNonce() {
        long now = clock.getAsLong();
        return lastNonce.accumulateAndGet(now, (last, clockNow) -> Math.max(last + 1, clockNow));
    }

    /** How long a read token this signer makes lasts: ten minutes, well inside a node's limit (an hour by default). */
    static final long READ_TOKEN_MILLIS = 10 * 60 * 1000L;
    /** A token is renewed when less than this is left, so a read in flight never carries one about to end. */
    private static final long READ_TOKEN_RENEW_MILLIS = 60 * 1000L;
    private volatile io.meridian.auth.ReadAccess.Token readToken;

    /**
     * A read token for the signer's account (docs/api.md, "Private reads"): signed once and reused until a minute before
     * it ends. The node checks it on every private read and on the account stream.
     */
    public String readToken() {
        long now = clock.getAsLong();
        io.meridian.auth.ReadAccess.Token token = readToken;
        if (token == null || token.access().validUntil() - now < READ_TOKEN_RENEW_MILLIS) {
            long validUntil = now + READ_TOKEN_MILLIS;
            token = agent != null
                    ? io.meridian.auth.ReadAccess.signAsAgent(domain, address, agent, validUntil, nextNonce())
                    : io.meridian.auth.ReadAccess.signAsOwner(domain, owner, validUntil, nextNonce());
            readToken = token;
        }
        return token.text();
    }

    /** Gives {@code c} a fresh nonce and signs it: sets its address, nonce, signature and (for agents) agent key. */
    public Command sign(Command c) {
        c.account = 0;
        c.nonce = nextNonce();
        return agent != null ? SignedCommands.signAsAgent(c, domain, address, agent)
                : SignedCommands.signAsOwner(c, domain, owner);
    }

    /**
     * Writes a signed command's authorisation fields (address, nonce, signature and, for an agent, its key) into a
     * request body or WebSocket message, replacing any account id: for callers that build their own messages.
     */
    public static ObjectNode fields(ObjectNode body, Command signed) {
        body.remove("account");
        body.put("address", Hex.encode0x(signed.address)).put("nonce", signed.nonce)
                .put("signature", Hex.encode0x(signed.signature));
        if (signed.agentKey != null && signed.type != io.meridian.model.CommandType.APPROVE_AGENT
                && signed.type != io.meridian.model.CommandType.REVOKE_AGENT) {
            body.put("agentKey", Hex.encode0x(signed.agentKey));
        }
        return body;
    }

    /** The query string of a signed DELETE: address, nonce, signature and (for agents) agent key. */
    static String query(Command signed) {
        String query = "address=" + Hex.encode0x(signed.address) + "&nonce=" + signed.nonce + "&signature="
                + Hex.encode0x(signed.signature);
        return signed.agentKey == null ? query : query + "&agentKey=" + Hex.encode0x(signed.agentKey);
    }

    @Override
    public String toString() {
        return "Signer{" + address + (agent != null ? " agent " + agent.publicKey() : " owner") + "}";
    }
}
