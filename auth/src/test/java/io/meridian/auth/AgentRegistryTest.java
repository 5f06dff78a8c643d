package io.meridian.auth;

import org.junit.jupiter.api.Test;

import static io.meridian.auth.Fixtures.AGENT;
import static io.meridian.auth.Fixtures.DOMAIN;
import static io.meridian.auth.Fixtures.HOUR;
import static io.meridian.auth.Fixtures.NOW;
import static io.meridian.auth.Fixtures.OTHER_AGENT;
import static io.meridian.auth.Fixtures.OWNER;
import static io.meridian.auth.Fixtures.STRANGER;
import static io.meridian.auth.Fixtures.approve;
import static io.meridian.auth.Fixtures.revoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRegistryTest {

    private final NonceTracker nonces = new NonceTracker();
    private final AgentRegistry registry = new AgentRegistry(DOMAIN, nonces);

    @Test
    void lifecycleApproveUseExpireReapproveRevoke() {
        Address owner = OWNER.address();
        AgentKey agent = AGENT.publicKey();
        assertEquals(AgentRegistry.Status.UNKNOWN, registry.status(owner, agent, NOW));

        assertTrue(registry.apply(approve(OWNER, AGENT, NOW, NOW + HOUR), NOW).isOk());
        assertTrue(registry.isAuthorised(owner, agent, NOW));
        assertTrue(registry.isAuthorised(owner, agent, NOW + HOUR - 1));
        assertEquals(AgentRegistry.Status.EXPIRED, registry.status(owner, agent, NOW + HOUR), "validUntil is exclusive");
        assertEquals(AuthReject.AGENT_EXPIRED, registry.authorisation(owner, agent, NOW + HOUR).reason());
        assertFalse(registry.isAuthorised(STRANGER.address(), agent, NOW), "approval is per owner");

        assertTrue(registry.apply(approve(OWNER, AGENT, NOW + 1, NOW + 2 * HOUR), NOW + 1).isOk(), "extend");
        assertTrue(registry.isAuthorised(owner, agent, NOW + HOUR));

        assertTrue(registry.apply(revoke(OWNER, AGENT, NOW + 2), NOW + 2).isOk());
        assertEquals(AgentRegistry.Status.REVOKED, registry.status(owner, agent, NOW + 3));
        assertEquals(AuthReject.AGENT_NOT_AUTHORISED, registry.authorisation(owner, agent, NOW + 3).reason());

        assertTrue(registry.apply(approve(OWNER, AGENT, NOW + 10, NOW + HOUR), NOW + 10).isOk(), "a newer approval");
        assertTrue(registry.isAuthorised(owner, agent, NOW + 11));
        assertEquals(1, registry.entries(owner).size());
        assertEquals(NOW + 10, registry.entries(owner).get(0).lastNonce());
    }

    @Test
    void aDelayedApprovalCannotUndoALaterRevocation() {
        SignedAgentAction approval = approve(OWNER, AGENT, NOW + 1, NOW + HOUR);
        // Signed first, withheld by someone; the owner revokes with a later nonce.
        assertTrue(registry.apply(revoke(OWNER, AGENT, NOW + 2), NOW + 2).isOk());
        Verdict late = registry.apply(approval, NOW + 3);
        assertEquals(AuthReject.NONCE_TOO_OLD, late.reason());
        assertTrue(late.message().contains("newer nonce"), late.message());
        assertFalse(registry.isAuthorised(OWNER.address(), AGENT.publicKey(), NOW + 3));
    }

    @Test
    void replayedApprovalIsRefused() {
        SignedAgentAction approval = approve(OWNER, AGENT, NOW, NOW + HOUR);
        assertTrue(registry.apply(approval, NOW).isOk());
        assertEquals(AuthReject.NONCE_REUSED, registry.apply(approval, NOW + 1).reason());
    }

    @Test
    void signatureMustBeTheOwners() {
        ApproveAgent action = new ApproveAgent(AGENT.publicKey(), "bot", NOW, NOW + HOUR);
        SignedAgentAction forged = new SignedAgentAction(OWNER.address(), action, STRANGER.sign(action.digest(DOMAIN)));
        assertEquals(AuthReject.WRONG_SIGNER, registry.apply(forged, NOW).reason());
        Eip712Domain otherVenue = MeridianTypes.domain(1, DOMAIN.verifyingContract());
        SignedAgentAction wrongDomain = new SignedAgentAction(OWNER.address(), action,
                OWNER.sign(action.digest(otherVenue)));
        assertEquals(AuthReject.WRONG_SIGNER, registry.apply(wrongDomain, NOW).reason(), "signed for another chain");
        assertFalse(registry.isAuthorised(OWNER.address(), AGENT.publicKey(), NOW));
        assertEquals(0, nonces.signers(), "rejects consume no nonce");
    }

    @Test
    void approvalsMustBeCurrentAndWellFormed() {
        assertEquals(AuthReject.AGENT_EXPIRED, registry.apply(approve(OWNER, AGENT, NOW, NOW), NOW).reason());
        ApproveAgent longName = new ApproveAgent(AGENT.publicKey(), "x".repeat(65), NOW, NOW + HOUR);
        SignedAgentAction signed = new SignedAgentAction(OWNER.address(), longName,
                OWNER.sign(Keccak.hash("anything")));
        assertEquals(AuthReject.MALFORMED, registry.apply(signed, NOW).reason());
        assertEquals(AuthReject.NONCE_TOO_OLD,
                registry.apply(approve(OWNER, AGENT, NOW - 3 * 24 * HOUR, NOW + HOUR), NOW).reason());
    }

    @Test
    void revokingAnUnknownAgentBlocksEarlierApprovals() {
        SignedAgentAction approval = approve(OWNER, OTHER_AGENT, NOW, NOW + HOUR);
        assertTrue(registry.apply(revoke(OWNER, OTHER_AGENT, NOW + 1), NOW + 1).isOk());
        assertEquals(AuthReject.NONCE_TOO_OLD, registry.apply(approval, NOW + 2).reason());
    }

    @Test
    void agentCountIsBoundedAndStaleEntriesAgeOut() {
        for (int i = 0; i < AgentRegistry.MAX_AGENTS_PER_OWNER; i++) {
            AgentSigner agent = AgentSigner.of(Keccak.hash("agent " + i));
            assertTrue(registry.apply(approve(OWNER, agent, NOW + i, NOW + HOUR), NOW + i).isOk());
        }
        AgentSigner oneMore = AgentSigner.of(Keccak.hash("one more"));
        long later = NOW + 100;
        assertEquals(AuthReject.AGENT_LIMIT, registry.apply(approve(OWNER, oneMore, later, later + HOUR), later).reason());
        // Three days on, every approval has expired and its last nonce is older than the tracker's maximum age.
        long muchLater = NOW + 3 * 24 * HOUR;
        assertTrue(registry.apply(approve(OWNER, oneMore, muchLater, muchLater + HOUR), muchLater).isOk());
        assertEquals(1, registry.entries(OWNER.address()).size(), "stale entries are forgotten");
    }
}
