package io.meridian.auth;

import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which agent keys each owner has approved: applies signed {@link ApproveAgent} and {@link RevokeAgent} actions after
 * verifying them, and answers whether an agent may act for an owner at a given time.
 *
 * <p>Rules, checked in this order by {@link #check(SignedAgentAction, long)}:
 * <ol>
 * <li>the action's fields fit their types ({@link AuthReject#MALFORMED});</li>
 * <li>the owner's signature over the action's EIP-712 digest recovers the owner (the reasons of
 * {@link Secp256k1#verify(byte[], EcdsaSignature, Address)});</li>
 * <li>the nonce passes the owner's {@link NonceTracker} rule;</li>
 * <li>the nonce is above that of the last action applied to the same owner and agent
 * ({@link AuthReject#NONCE_TOO_OLD}): actions on one agent take effect in nonce order, so a revocation can never be
 * undone by a delayed approval signed before it;</li>
 * <li>an approval's {@code validUntil} is after {@code now} ({@link AuthReject#AGENT_EXPIRED});</li>
 * <li>the owner keeps at most {@value #MAX_AGENTS_PER_OWNER} agent entries ({@link AuthReject#AGENT_LIMIT}).</li>
 * </ol>
 * A revocation of a key that was never approved is accepted and remembered, so an approval signed earlier cannot be
 * applied after it. Revoked and expired entries are forgotten once their last nonce is older than the nonce tracker's
 * maximum age, since from then on any replay of an older action fails rule 3 anyway; that keeps memory bounded.
 *
 * <p>Time is an argument, never a clock: Unix epoch milliseconds, the unit of nonces and {@code validUntil}. The state
 * is a pure function of the sequence of applied actions and their times. Not thread-safe: owned by the thread that
 * sequences requests, like the {@link NonceTracker} it shares with the {@link SignatureVerifier}.
 */
public final class AgentRegistry {

    /** The most agent entries (approved, revoked or expired but not yet forgotten) an owner may have. */
    public static final int MAX_AGENTS_PER_OWNER = 32;

    /** What the registry knows about one agent of one owner. */
    public enum Status {
        /** Approved, not revoked, not yet expired. */
        AUTHORISED,
        /** Never approved by this owner, or forgotten after revocation. */
        UNKNOWN,
        /** Approved once, then revoked. */
        REVOKED,
        /** Approved, but {@code validUntil} has passed. */
        EXPIRED
    }

    /**
     * One agent entry of an owner.
     *
     * @param owner      the owner
     * @param agentKey   the agent
     * @param name       the label of the last approval ("" if only ever revoked)
     * @param validUntil end of the approval (epoch milliseconds, exclusive); 0 if revoked
     * @param lastNonce  nonce of the last action applied to this entry
     * @param revoked    whether the last action was a revocation
     */
    public record Entry(Address owner, AgentKey agentKey, String name, long validUntil, long lastNonce,
                        boolean revoked) {
    }

    private final Eip712Domain domain;
    private final NonceTracker nonces;
    private final Map<Address, TreeMap<AgentKey, Entry>> entries = new HashMap<>();

    /**
     * @param domain the domain the owners sign under
     * @param nonces the nonce tracker, shared with the {@link SignatureVerifier} of the same venue
     */
    public AgentRegistry(Eip712Domain domain, NonceTracker nonces) {
        this.domain = Objects.requireNonNull(domain);
        this.nonces = Objects.requireNonNull(nonces);
    }

    /**
     * A registry fed only actions whose signatures were verified before they reached it
     * ({@link #verifySignature(Eip712Domain, SignedAgentAction)}, then {@link #applyVerified}): the engine's, whose
     * gateway verifies before sequencing. {@link #check} and {@link #apply} refuse to run on it.
     */
    public AgentRegistry(NonceTracker nonces) {
        this.domain = null;
        this.nonces = Objects.requireNonNull(nonces);
    }

    /** The domain owners sign approvals under; null for a registry of verified actions only. */
    public Eip712Domain domain() {
        return domain;
    }

    /**
     * The stateless half of {@link #check}: the fields fit and the owner's signature recovers the owner. Reads no state,
     * so it may run on any thread before the action is sequenced.
     */
    public static Verdict verifySignature(Eip712Domain domain, SignedAgentAction signed) {
        AgentAction action = signed.action();
        Verdict valid = action.validate();
        if (!valid.isOk()) {
            return valid;
        }
        return Secp256k1.verify(action.digest(domain), signed.signature(), signed.owner());
    }

    /** Whether {@code action} would be applied at {@code nowMillis}; changes nothing. */
    public Verdict check(SignedAgentAction signed, long nowMillis) {
        if (domain == null) {
            throw new IllegalStateException("this registry has no domain: verify first, then applyVerified");
        }
        Verdict signature = verifySignature(domain, signed);
        if (!signature.isOk()) {
            return signature;
        }
        return checkState(signed.owner(), signed.action(), nowMillis);
    }

    /** The stateful rules 3 to 6 for an action whose fields and signature were verified. */
    private Verdict checkState(Address owner, AgentAction action, long nowMillis) {
        Verdict nonce = nonces.check(owner, action.nonce(), nowMillis);
        if (!nonce.isOk()) {
            return nonce;
        }
        TreeMap<AgentKey, Entry> agents = entries.get(owner);
        Entry existing = agents == null ? null : agents.get(action.agentKey());
        if (existing != null && action.nonce() <= existing.lastNonce()) {
            return Verdict.reject(AuthReject.NONCE_TOO_OLD, "an action with a newer nonce (" + existing.lastNonce()
                    + ") was already applied to agent " + action.agentKey());
        }
        if (action instanceof ApproveAgent approve && approve.validUntil() <= nowMillis) {
            return Verdict.reject(AuthReject.AGENT_EXPIRED, "validUntil " + approve.validUntil()
                    + " is not after now (" + nowMillis + ")");
        }
        if (existing == null && agents != null && live(agents, nowMillis) >= MAX_AGENTS_PER_OWNER) {
            return Verdict.reject(AuthReject.AGENT_LIMIT, owner + " already has " + MAX_AGENTS_PER_OWNER
                    + " agent entries; revoke one and wait for it to age out");
        }
        return Verdict.ok();
    }

    /** Checks, and on success consumes the owner's nonce and applies the action. A reject changes nothing. */
    public Verdict apply(SignedAgentAction signed, long nowMillis) {
        Verdict verdict = check(signed, nowMillis);
        return verdict.isOk() ? record(signed.owner(), signed.action(), nowMillis) : verdict;
    }

    /**
     * Applies an action whose fields and signature {@link #verifySignature} accepted: checks the nonce, ordering, expiry
     * and limit rules and, on success, consumes the owner's nonce and records the action. A reject changes nothing.
     * Calling this for an unverified action would apply it unchecked.
     */
    public Verdict applyVerified(Address owner, AgentAction action, long nowMillis) {
        Verdict valid = action.validate();
        if (!valid.isOk()) {
            return valid;
        }
        Verdict verdict = checkState(owner, action, nowMillis);
        return verdict.isOk() ? record(owner, action, nowMillis) : verdict;
    }

    private Verdict record(Address owner, AgentAction action, long nowMillis) {
        nonces.accept(owner, action.nonce(), nowMillis);
        TreeMap<AgentKey, Entry> agents = entries.computeIfAbsent(owner, o -> new TreeMap<>());
        forgetStale(agents, nowMillis);
        Entry entry;
        if (action instanceof ApproveAgent approve) {
            entry = new Entry(owner, approve.agentKey(), approve.name(), approve.validUntil(), approve.nonce(), false);
        } else {
            Entry old = agents.get(action.agentKey());
            entry = new Entry(owner, action.agentKey(), old == null ? "" : old.name(), 0, action.nonce(), true);
        }
        agents.put(action.agentKey(), entry);
        return Verdict.ok();
    }

    /** The agent's status for {@code owner} at {@code atMillis}. */
    public Status status(Address owner, AgentKey agent, long atMillis) {
        TreeMap<AgentKey, Entry> agents = entries.get(owner);
        Entry entry = agents == null ? null : agents.get(agent);
        if (entry == null) {
            return Status.UNKNOWN;
        }
        if (entry.revoked()) {
            return Status.REVOKED;
        }
        return atMillis < entry.validUntil() ? Status.AUTHORISED : Status.EXPIRED;
    }

    /** True when {@code agent} may sign for {@code owner} at {@code atMillis}. */
    public boolean isAuthorised(Address owner, AgentKey agent, long atMillis) {
        return status(owner, agent, atMillis) == Status.AUTHORISED;
    }

    /** Ok when authorised; otherwise {@link AuthReject#AGENT_EXPIRED} or {@link AuthReject#AGENT_NOT_AUTHORISED}. */
    public Verdict authorisation(Address owner, AgentKey agent, long atMillis) {
        switch (status(owner, agent, atMillis)) {
            case AUTHORISED:
                return Verdict.ok();
            case EXPIRED:
                return Verdict.reject(AuthReject.AGENT_EXPIRED, "agent " + agent + " of " + owner + " expired at "
                        + entries.get(owner).get(agent).validUntil());
            case REVOKED:
                return Verdict.reject(AuthReject.AGENT_NOT_AUTHORISED, "agent " + agent + " was revoked by " + owner);
            default:
                return Verdict.reject(AuthReject.AGENT_NOT_AUTHORISED, "agent " + agent + " is not approved by "
                        + owner);
        }
    }

    /** Every owner with agent entries, ordered by address (deterministic order for state hashes). */
    public List<Address> ownersInOrder() {
        List<Address> owners = new ArrayList<>(entries.keySet());
        owners.sort(null);
        return owners;
    }

    /** The owner's entries ordered by agent key (a snapshot; deterministic order for state hashes and tests). */
    public List<Entry> entries(Address owner) {
        TreeMap<AgentKey, Entry> agents = entries.get(owner);
        return agents == null ? List.of() : List.copyOf(agents.values());
    }

    private int live(TreeMap<AgentKey, Entry> agents, long nowMillis) {
        int count = 0;
        for (Entry entry : agents.values()) {
            if (!isStale(entry, nowMillis)) {
                count++;
            }
        }
        return count;
    }

    private void forgetStale(TreeMap<AgentKey, Entry> agents, long nowMillis) {
        List<AgentKey> stale = new ArrayList<>();
        for (Entry entry : agents.values()) {
            if (isStale(entry, nowMillis)) {
                stale.add(entry.agentKey());
            }
        }
        stale.forEach(agents::remove);
    }

    /** Revoked or expired, and old enough that the nonce tracker refuses any replay of its actions. */
    private boolean isStale(Entry entry, long nowMillis) {
        boolean inactive = entry.revoked() || entry.validUntil() <= nowMillis;
        return inactive && nowMillis - entry.lastNonce() >= nonces.maxAgeMillis();
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes every owner's agent entries (owners by address, entries by agent key): the agent key, name, validity,
     * last nonce and whether revoked. The nonces are the shared {@link NonceTracker}'s to write.
     */
    public void writeSnapshot(SnapshotWriter out) {
        List<Address> owners = ownersInOrder();
        out.writeCount(owners.size());
        for (Address owner : owners) {
            out.writeBytes(owner.toBytes());
            TreeMap<AgentKey, Entry> agents = entries.get(owner);
            out.writeCount(agents.size());
            for (Entry entry : agents.values()) {
                out.writeBytes(entry.agentKey().toBytes());
                out.writeString(entry.name());
                out.writeVarLong(entry.validUntil());
                out.writeVarLong(entry.lastNonce());
                out.writeBoolean(entry.revoked());
            }
        }
    }

    /** Restores what {@link #writeSnapshot} wrote into this registry, which must be empty. */
    public void readSnapshot(SnapshotReader in) {
        if (!entries.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty agent registry only");
        }
        int owners = in.readCount(2);
        for (int i = 0; i < owners; i++) {
            byte[] ownerBytes = in.readBytes();
            if (ownerBytes.length != Address.BYTES) {
                throw in.fail("an owner address of " + ownerBytes.length + " bytes");
            }
            Address owner = Address.of(ownerBytes);
            int count = in.readCount(5);
            if (entries.containsKey(owner)) {
                throw in.fail("owner " + owner + " is there twice");
            }
            TreeMap<AgentKey, Entry> agents = new TreeMap<>();
            for (int k = 0; k < count; k++) {
                byte[] keyBytes = in.readBytes();
                if (keyBytes.length != AgentKey.BYTES) {
                    throw in.fail("an agent key of " + keyBytes.length + " bytes");
                }
                AgentKey key = AgentKey.unchecked(keyBytes);
                Entry entry = new Entry(owner, key, in.readString(), in.readVarLong(), in.readVarLong(), in.readBoolean());
                if (agents.put(key, entry) != null) {
                    throw in.fail("agent " + key + " of " + owner + " is there twice");
                }
            }
            entries.put(owner, agents);
        }
    }
}
