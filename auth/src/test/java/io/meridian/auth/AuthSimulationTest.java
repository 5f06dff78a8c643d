package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.meridian.auth.Fixtures.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random life of a venue: owners approve, extend and revoke agents, owners and agents send requests, and an
 * attacker replays everything it has seen and forges signatures. Checks the invariants that matter, whatever happens:
 * nothing is accepted twice, nothing forged is accepted, and an agent's request is accepted only while the last action
 * applied to that agent was an unexpired approval. Run with {@code -Dauth.seed=N} to replay a reported seed.
 */
class AuthSimulationTest {

    private static final long DEFAULT_SEED = 20_240_607L;

    @Test
    void randomLifeKeepsTheInvariants() {
        long seed = Long.getLong("auth.seed", DEFAULT_SEED);
        System.out.println("AuthSimulationTest seed=" + seed);
        Random random = new Random(seed);
        NonceTracker nonces = new NonceTracker();
        AgentRegistry registry = new AgentRegistry(DOMAIN, nonces);
        SignatureVerifier verifier = new SignatureVerifier(DOMAIN, registry, nonces);

        List<Secp256k1PrivateKey> owners = List.of(Fixtures.OWNER, Fixtures.STRANGER);
        List<AgentSigner> agentKeys = List.of(Fixtures.AGENT, Fixtures.OTHER_AGENT,
                AgentSigner.of(Keccak.hash("third agent")));
        Secp256k1PrivateKey attacker = Secp256k1PrivateKey.of(Keccak.hash("attacker"));
        // The test's own view of each (owner, agent) pair: the last applied action.
        Map<String, SignedAgentAction> lastApplied = new HashMap<>();
        // Only what was accepted or applied: an unused signed message may legitimately be used later.
        List<SignedRequest> seenRequests = new ArrayList<>();
        List<SignedAgentAction> seenActions = new ArrayList<>();
        Set<String> acceptedNonces = new HashSet<>();
        long now = Fixtures.NOW;
        long nonce = now;
        int accepted = 0;

        for (int step = 0; step < 600; step++) {
            now += random.nextInt(3 * 60 * 1000);
            nonce = Math.max(nonce + 1, now - random.nextInt(1000));
            Secp256k1PrivateKey owner = owners.get(random.nextInt(owners.size()));
            AgentSigner agent = agentKeys.get(random.nextInt(agentKeys.size()));
            String pair = owner.address() + "/" + agent.publicKey();
            int kind = random.nextInt(10);
            if (kind < 2) {
                SignedAgentAction action = Fixtures.approve(owner, agent, nonce, now + random.nextInt(3_600_000));
                if (registry.apply(action, now).isOk()) {
                    seenActions.add(action);
                    lastApplied.put(pair, action);
                }
            } else if (kind == 2) {
                SignedAgentAction action = Fixtures.revoke(owner, agent, nonce);
                seenActions.add(action);
                assertTrue(registry.apply(action, now).isOk(), "a fresh revocation always applies");
                lastApplied.put(pair, action);
            } else if (kind == 3 && !seenActions.isEmpty()) {
                SignedAgentAction replay = seenActions.get(random.nextInt(seenActions.size()));
                assertFalse(registry.apply(replay, now).isOk(), "replayed agent action applied again");
            } else if (kind == 4 && !seenRequests.isEmpty()) {
                SignedRequest replay = seenRequests.get(random.nextInt(seenRequests.size()));
                assertFalse(verifier.accept(replay, now).isOk(), "replayed request accepted again");
            } else if (kind == 5) {
                AccountRequest request = Fixtures.order(owner.address(), nonce);
                SignedRequest forged = Fixtures.byOwner(attacker, request);
                assertEquals(AuthReject.WRONG_SIGNER, verifier.accept(forged, now).reason());
            } else {
                boolean byAgent = random.nextBoolean();
                AccountRequest request = random.nextInt(4) == 0
                        ? new CancelRequest(owner.address(), 1, random.nextInt(100), 0, nonce)
                        : Fixtures.order(owner.address(), nonce);
                SignedRequest signed = byAgent ? Fixtures.byAgent(agent, request) : Fixtures.byOwner(owner, request);
                Verdict verdict = verifier.accept(signed, now);
                if (byAgent) {
                    SignedAgentAction last = lastApplied.get(pair);
                    boolean expectAuthorised = last != null && last.action() instanceof ApproveAgent approve
                            && now < approve.validUntil();
                    assertEquals(expectAuthorised, verdict.isOk(), "step " + step + " seed " + seed + ": " + verdict);
                } else {
                    assertTrue(verdict.isOk(), "step " + step + " seed " + seed + ": " + verdict);
                }
                if (verdict.isOk()) {
                    seenRequests.add(signed);
                    accepted++;
                    String signer = byAgent ? agent.publicKey().toString() : owner.address().toString();
                    assertTrue(acceptedNonces.add(signer + "#" + nonce), "a nonce accepted twice");
                }
            }
        }
        assertTrue(accepted > 50, "the simulation exercised acceptance: " + accepted);
    }
}
