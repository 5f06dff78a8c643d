package io.meridian.auth;

/** Keys, the domain and signing helpers shared by the tests. Keys are derived from names, so every run is the same. */
final class Fixtures {

    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 60L * 60 * 1000;
    static final Eip712Domain DOMAIN = MeridianTypes.domain(1337,
            Address.parseOrThrow("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
    static final Secp256k1PrivateKey OWNER = Secp256k1PrivateKey.of(Keccak.hash("owner"));
    static final Secp256k1PrivateKey STRANGER = Secp256k1PrivateKey.of(Keccak.hash("stranger"));
    static final AgentSigner AGENT = AgentSigner.of(Keccak.hash("agent"));
    static final AgentSigner OTHER_AGENT = AgentSigner.of(Keccak.hash("other agent"));

    private Fixtures() {
    }

    static SignedAgentAction approve(Secp256k1PrivateKey owner, AgentSigner agent, long nonce, long validUntil) {
        ApproveAgent action = new ApproveAgent(agent.publicKey(), "bot", nonce, validUntil);
        return new SignedAgentAction(owner.address(), action, owner.sign(action.digest(DOMAIN)));
    }

    static SignedAgentAction revoke(Secp256k1PrivateKey owner, AgentSigner agent, long nonce) {
        RevokeAgent action = new RevokeAgent(agent.publicKey(), nonce);
        return new SignedAgentAction(owner.address(), action, owner.sign(action.digest(DOMAIN)));
    }

    static SignedRequest byOwner(Secp256k1PrivateKey owner, AccountRequest request) {
        return new SignedRequest(request, owner.sign(request.digest(DOMAIN)));
    }

    static SignedRequest byAgent(AgentSigner agent, AccountRequest request) {
        return new SignedRequest(request, new AgentSignature(agent.publicKey(), agent.sign(request.digest(DOMAIN))));
    }

    static OrderRequest order(Address account, long nonce) {
        return OrderRequest.limit(account, 7, true, 50_000, 3, 0, false, 42, nonce);
    }
}
