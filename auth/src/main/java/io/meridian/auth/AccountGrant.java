package io.meridian.auth;

/**
 * The shape a login ({@link SessionRequest}) and a read token ({@link ReadAccess}) share: an account, the end of what
 * is granted and a nonce. Each is signed under its own EIP-712 type, so one can never pass for the other; the members
 * are written here once for both.
 */
interface AccountGrant {

    /** The account the grant is for: its owner's address. */
    Address account();

    /** End of the grant (epoch milliseconds, exclusive). */
    long validUntil();

    /** The signer's nonce (epoch milliseconds by convention). */
    long nonce();

    /**
     * The struct {@code name(address account,uint64 validUntil,uint64 nonce)} carried by {@code type}, read from an
     * OPEN_SESSION command's address, validUntil and nonce (a read token is never a command: no command type maps to
     * {@link ReadAccess}).
     */
    static <R extends AccountGrant> SignedStruct<R> struct(String name, Class<R> type) {
        return SignedStruct.builder(name, type)
                .address("account", AccountGrant::account, SignedCommands::account)
                .uint64("validUntil", AccountGrant::validUntil, c -> c.validUntil)
                .uint64("nonce", AccountGrant::nonce, c -> c.nonce)
                .build();
    }
}
