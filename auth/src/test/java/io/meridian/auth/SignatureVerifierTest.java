package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static io.meridian.auth.Fixtures.AGENT;
import static io.meridian.auth.Fixtures.DOMAIN;
import static io.meridian.auth.Fixtures.HOUR;
import static io.meridian.auth.Fixtures.NOW;
import static io.meridian.auth.Fixtures.OTHER_AGENT;
import static io.meridian.auth.Fixtures.OWNER;
import static io.meridian.auth.Fixtures.STRANGER;
import static io.meridian.auth.Fixtures.approve;
import static io.meridian.auth.Fixtures.byAgent;
import static io.meridian.auth.Fixtures.byOwner;
import static io.meridian.auth.Fixtures.order;
import static io.meridian.auth.Fixtures.revoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureVerifierTest {

    private final NonceTracker nonces = new NonceTracker();
    private final AgentRegistry agents = new AgentRegistry(DOMAIN, nonces);
    private final SignatureVerifier verifier = new SignatureVerifier(DOMAIN, agents, nonces);
    private final Address account = OWNER.address();

    @Test
    void ownerSignedRequestsPassOnce() {
        SignedRequest signed = byOwner(OWNER, order(account, NOW));
        assertTrue(verifier.check(signed, NOW).isOk());
        assertTrue(verifier.accept(signed, NOW).isOk());
        assertReject(verifier.accept(signed, NOW + 1), AuthReject.NONCE_REUSED);
        assertTrue(verifier.accept(byOwner(OWNER, new CancelRequest(account, 7, 99, 0, NOW + 1)), NOW + 1).isOk());
        Address destination = STRANGER.address();
        assertTrue(verifier.accept(byOwner(OWNER, new WithdrawRequest(account, 1, 10, destination, NOW + 2)), NOW).isOk());
    }

    @Test
    void ownerSignatureRejects() {
        assertReject(verifier.accept(byOwner(STRANGER, order(account, NOW)), NOW), AuthReject.WRONG_SIGNER);
        OrderRequest request = order(account, NOW);
        EcdsaSignature good = OWNER.sign(request.digest(DOMAIN));
        EcdsaSignature high = new EcdsaSignature(good.r(), Secp256k1.N.subtract(good.s()), 55 - good.v());
        assertReject(verifier.accept(new SignedRequest(request, high), NOW), AuthReject.MALLEABLE_SIGNATURE);
        EcdsaSignature badV = new EcdsaSignature(good.r(), good.s(), 30);
        assertReject(verifier.accept(new SignedRequest(request, badV), NOW), AuthReject.MALFORMED);
        EcdsaSignature zeroR = new EcdsaSignature(BigInteger.ZERO, good.s(), good.v());
        assertReject(verifier.accept(new SignedRequest(request, zeroR), NOW), AuthReject.BAD_SIGNATURE);
        // A signature for the same order under another venue's domain recovers someone else.
        EcdsaSignature otherDomain = OWNER.sign(request.digest(MeridianTypes.domain(1, DOMAIN.verifyingContract())));
        assertReject(verifier.accept(new SignedRequest(request, otherDomain), NOW), AuthReject.WRONG_SIGNER);
        // Changing any field after signing changes the digest.
        OrderRequest bigger = OrderRequest.limit(account, 7, true, 50_000, 4, 0, false, 42, NOW);
        assertReject(verifier.accept(new SignedRequest(bigger, good), NOW), AuthReject.WRONG_SIGNER);
        assertEquals(0, nonces.signers(), "no reject consumed a nonce");
    }

    @Test
    void agentSignedRequests() {
        SignedRequest byAgent = byAgent(AGENT, order(account, NOW));
        assertReject(verifier.accept(byAgent, NOW), AuthReject.AGENT_NOT_AUTHORISED);

        assertTrue(agents.apply(approve(OWNER, AGENT, NOW, NOW + HOUR), NOW).isOk());
        assertTrue(verifier.accept(byAgent, NOW).isOk());
        assertReject(verifier.accept(byAgent, NOW), AuthReject.NONCE_REUSED);
        assertTrue(verifier.accept(byOwner(OWNER, order(account, NOW + 1)), NOW).isOk(), "owner nonces are separate");
        assertTrue(verifier.accept(byAgent(AGENT, new CancelRequest(account, 7, 0, 42, NOW + 1)), NOW).isOk());

        assertReject(verifier.accept(byAgent(AGENT, order(account, NOW + HOUR)), NOW + HOUR), AuthReject.AGENT_EXPIRED);
        assertReject(verifier.accept(byAgent(OTHER_AGENT, order(account, NOW + 2)), NOW), AuthReject.AGENT_NOT_AUTHORISED);
        // An agent of the owner signing for another account is not that account's agent.
        assertReject(verifier.accept(byAgent(AGENT, order(STRANGER.address(), NOW + 3)), NOW),
                AuthReject.AGENT_NOT_AUTHORISED);

        assertTrue(agents.apply(revoke(OWNER, AGENT, NOW + 5), NOW + 5).isOk());
        assertReject(verifier.accept(byAgent(AGENT, order(account, NOW + 6)), NOW + 6), AuthReject.AGENT_NOT_AUTHORISED);
    }

    @Test
    void agentSignatureRejects() {
        assertTrue(agents.apply(approve(OWNER, AGENT, NOW, NOW + HOUR), NOW).isOk());
        OrderRequest request = order(account, NOW + 1);
        // Signed by another key but claiming to be the approved agent.
        SignedRequest impostor = new SignedRequest(request, new AgentSignature(AGENT.publicKey(),
                OTHER_AGENT.sign(request.digest(DOMAIN))));
        assertReject(verifier.accept(impostor, NOW), AuthReject.BAD_SIGNATURE);
        SignedRequest shortSignature = new SignedRequest(request, new AgentSignature(AGENT.publicKey(), new byte[63]));
        assertReject(verifier.accept(shortSignature, NOW), AuthReject.MALFORMED);
        WithdrawRequest withdraw = new WithdrawRequest(account, 1, 10, AGENT_DESTINATION, NOW + 2);
        assertReject(verifier.accept(byAgent(AGENT, withdraw), NOW), AuthReject.AGENT_NOT_PERMITTED);
    }

    private static final Address AGENT_DESTINATION = Address.parseOrThrow("0x27b1fdb04752bbc536007a920d24acb045561c26");

    @Test
    void nonceRulesApply() {
        assertReject(verifier.accept(byOwner(OWNER, order(account, NOW - 3 * 24 * HOUR)), NOW), AuthReject.NONCE_TOO_OLD);
        assertReject(verifier.accept(byOwner(OWNER, order(account, NOW + 2 * 24 * HOUR)), NOW), AuthReject.NONCE_TOO_NEW);
    }

    @Test
    void malformedFieldsAreRejectedBeforeAnySignatureWork() {
        OrderRequest badTif = new OrderRequest(account, 7, true, 1, 1, 256, false, 0, 0, 0, 0, 0, 0, 0, 0, NOW);
        Verdict verdict = verifier.accept(new SignedRequest(badTif, OWNER.sign(Keccak.hash("x"))), NOW);
        assertReject(verdict, AuthReject.MALFORMED);
        assertTrue(verdict.message().contains("Order.timeInForce"), verdict.message());
    }

    @Test
    void theTwoHalvesDecideAsAcceptDoes() {
        NonceTracker otherNonces = new NonceTracker();
        AgentRegistry otherAgents = new AgentRegistry(DOMAIN, otherNonces);
        SignatureVerifier split = new SignatureVerifier(DOMAIN, otherAgents, otherNonces);
        SignedAgentAction approval = approve(OWNER, AGENT, NOW, NOW + HOUR);
        assertTrue(agents.apply(approval, NOW).isOk());
        assertTrue(otherAgents.apply(approval, NOW).isOk());
        OrderRequest first = order(account, NOW + 1);
        List<SignedRequest> requests = List.of(byOwner(OWNER, first), byOwner(OWNER, first), byAgent(AGENT, first),
                byOwner(STRANGER, order(account, NOW + 2)), byAgent(OTHER_AGENT, order(account, NOW + 3)),
                byAgent(AGENT, new WithdrawRequest(account, 1, 1, account, NOW + 4)),
                new SignedRequest(order(account, NOW + 5), new AgentSignature(AGENT.publicKey(), new byte[64])),
                byAgent(AGENT, order(account, NOW + HOUR)));
        for (SignedRequest request : requests) {
            Verdict whole = verifier.accept(request, NOW);
            Verdict signature = SignatureVerifier.verifySignature(DOMAIN, request);
            Verdict halves = signature.isOk() ? split.acceptVerified(request, NOW) : signature;
            assertEquals(whole.isOk(), halves.isOk(), request.toString());
            if (!whole.isOk() && whole.reason() != AuthReject.AGENT_NOT_AUTHORISED) {
                // The whole check looks at the approval before the signature; the halves the other way round.
                assertEquals(whole.reason(), halves.reason(), request.toString());
            }
        }
    }

    @Test
    void registryAndVerifierMustShareTheDomain() {
        Eip712Domain other = MeridianTypes.domain(1, DOMAIN.verifyingContract());
        assertThrows(IllegalArgumentException.class, () -> new SignatureVerifier(other, agents, nonces));
    }

    private static void assertReject(Verdict verdict, AuthReject expected) {
        assertEquals(expected, verdict.reason(), verdict.toString());
        assertTrue(!verdict.message().isEmpty(), "every reject has a message");
    }
}
