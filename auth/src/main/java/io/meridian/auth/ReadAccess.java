package io.meridian.auth;

import java.util.Objects;

/**
 * A read token: the account's owner, or an agent key the owner approved, lets the bearer read the account's private
 * data (balances, positions, open orders, fills, greeks, the account stream) until {@code validUntil}. It is the
 * read-side counterpart of {@link SessionRequest}: the same fields under its own EIP-712 type, so a read token can
 * never be replayed as a login or a command, and a login can never be used as a read token.
 *
 * <p>Unlike a command it is never sequenced and its nonce is never consumed: a token is a short-lived bearer credential,
 * valid for any number of reads until it ends (the gateway bounds how far ahead {@code validUntil} may lie). The nonce
 * (the signer's clock, by convention) only makes two tokens with the same end distinct.
 *
 * @param account    the owner's address
 * @param validUntil end of the token's validity (epoch milliseconds, exclusive)
 * @param nonce      the signer's choice (epoch milliseconds by convention); not checked for reuse
 */
public record ReadAccess(Address account, long validUntil, long nonce) implements AccountRequest, AccountGrant {

    public ReadAccess {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: the members of every {@link AccountGrant}, under the type {@code ReadAccess}. */
    static final SignedStruct<ReadAccess> STRUCT = AccountGrant.struct(MeridianTypes.READ_ACCESS, ReadAccess.class);

    /** The longest token text accepted: an address, two numbers, a signature and an agent key, with separators. */
    public static final int MAX_TOKEN_CHARS = 320;

    /**
     * A read token as it travels (a header or a WebSocket field): {@code address.validUntil.nonce.signature} for the
     * owner's secp256k1 signature, with {@code .agentKey} appended for an agent's Ed25519 signature. Numbers are
     * unsigned decimal, the rest hex (with or without 0x).
     *
     * @param access    what was signed
     * @param signature the owner's or the agent's signature
     */
    public record Token(ReadAccess access, Signature signature) {
        public Token {
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(signature, "signature");
        }

        /** The text form (see {@link Token}). */
        public String text() {
            String head = access.account().toChecksumHex() + "." + Long.toUnsignedString(access.validUntil()) + "."
                    + Long.toUnsignedString(access.nonce()) + ".";
            if (signature instanceof AgentSignature agent) {
                return head + Hex.encode(agent.signature()) + "." + agent.agentKey().toHex();
            }
            return head + ((EcdsaSignature) signature).toHex();
        }

        /** Whether the signature verifies under {@code domain} (the curve arithmetic: about 0.1-0.3 ms). */
        public Verdict verify(Eip712Domain domain) {
            return SignatureVerifier.verifySignature(domain, new SignedRequest(access, signature));
        }
    }

    /** A token signed by the owner's key. */
    public static Token signAsOwner(Eip712Domain domain, Secp256k1PrivateKey owner, long validUntil, long nonce) {
        ReadAccess access = new ReadAccess(owner.address(), validUntil, nonce);
        return new Token(access, owner.sign(access.digest(domain)));
    }

    /** A token signed by an agent key the owner approved. */
    public static Token signAsAgent(Eip712Domain domain, Address owner, AgentSigner agent, long validUntil,
                                    long nonce) {
        ReadAccess access = new ReadAccess(owner, validUntil, nonce);
        return new Token(access, new AgentSignature(agent.publicKey(), agent.sign(access.digest(domain))));
    }

    /**
     * Parses a token's text (see {@link Token}) without verifying it. Never throws: MALFORMED names what is wrong.
     * Bounded: text longer than {@link #MAX_TOKEN_CHARS} is refused before it is split.
     */
    public static Outcome<Token> parseToken(String text) {
        if (text == null || text.isEmpty()) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: empty");
        }
        if (text.length() > MAX_TOKEN_CHARS) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4 && parts.length != 5) {
            return Outcome.reject(AuthReject.MALFORMED,
                    "read token: expected address.validUntil.nonce.signature[.agentKey]");
        }
        Outcome<Address> address = Address.parse(parts[0]);
        if (!address.isOk()) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: address: " + address.verdict().message());
        }
        long validUntil;
        long nonce;
        try {
            validUntil = unsigned(parts[1]);
            nonce = unsigned(parts[2]);
        } catch (NumberFormatException e) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: validUntil and nonce must be unsigned integers");
        }
        byte[] signature = Hex.decodeOrNull(parts[3]);
        if (signature == null) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: signature: not hex");
        }
        ReadAccess access = new ReadAccess(address.value(), validUntil, nonce);
        if (parts.length == 4) {
            Outcome<EcdsaSignature> ecdsa = EcdsaSignature.fromBytes(signature);
            return ecdsa.isOk() ? Outcome.ok(new Token(access, ecdsa.value())) : Outcome.reject(ecdsa.verdict());
        }
        Outcome<AgentKey> agent = AgentKey.fromBytes(Hex.decodeOrNull(parts[4]));
        if (!agent.isOk()) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: agentKey: " + agent.verdict().message());
        }
        if (signature.length != AgentKey.SIGNATURE_BYTES) {
            return Outcome.reject(AuthReject.MALFORMED, "read token: an Ed25519 signature is 64 bytes");
        }
        return Outcome.ok(new Token(access, new AgentSignature(agent.value(), signature)));
    }

    /** Digits only (no sign, no spaces), at most 20 of them, read as an unsigned 64-bit value. */
    private static long unsigned(String digits) {
        if (digits.isEmpty() || digits.length() > 20) {
            throw new NumberFormatException(digits);
        }
        for (int i = 0; i < digits.length(); i++) {
            char ch = digits.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new NumberFormatException(digits);
            }
        }
        return Long.parseUnsignedLong(digits);
    }

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }
}
