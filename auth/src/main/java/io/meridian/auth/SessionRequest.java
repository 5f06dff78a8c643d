package io.meridian.auth;

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
public record SessionRequest(Address account, long validUntil, long nonce) implements AccountRequest, AccountGrant {

    public SessionRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: the members of every {@link AccountGrant}, under the type {@code Session}. */
    static final SignedStruct<SessionRequest> STRUCT = AccountGrant.struct(MeridianTypes.SESSION, SessionRequest.class);

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }
}
