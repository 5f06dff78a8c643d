package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A signed login: the owner (or an agent key the owner approved) opens an authenticated session for the account until
 * {@code validUntil}. Orders and cancels sent on that session's connection then carry the session's id instead of
 * their own signatures, which is how a market maker reaches tens of thousands of orders per second; withdrawals and
 * agent approvals are never made in a session.
 *
 * @param account    the owner's address
 * @param validUntil end of the session (epoch milliseconds, exclusive)
 * @param nonce      the signer's nonce (epoch milliseconds)
 */
public record SessionRequest(Address account, long validUntil, long nonce) implements AccountRequest {

    public SessionRequest {
        Objects.requireNonNull(account, "account");
    }

    @Override
    public String primaryType() {
        return MeridianTypes.SESSION;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }

    @Override
    public Verdict validate() {
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("validUntil", MeridianTypes.u64(validUntil));
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.SESSION_TYPEHASH)
                .putAddress(account)
                .putUint(validUntil)
                .putUint(nonce)
                .finish();
    }
}
