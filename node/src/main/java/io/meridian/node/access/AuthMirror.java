package io.meridian.node.access;

import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.AgentRegistry;
import io.meridian.auth.SignerId;
import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's mirror of the engine's authorisation state: which addresses own accounts, which agent keys their owners
 * approved until when, and every signer's kept nonces. With it the gateway refuses, before the signature check, the
 * rate limit and the journal, a signed request the engine would certainly refuse: from an address that owns no account
 * (fresh keys cannot grow the journal), by an agent that is not approved, or with a nonce already used or too old (a
 * replay of an accepted request costs neither the journal nor its owner's rate limit).
 *
 * <p><b>Never refuses what the engine would accept.</b> The mirror is always a past state of the engine's (it is
 * updated on the engine thread after each command is applied and before that command's answer is released), and each
 * refusal holds in every later state: an address never loses its account; an agent's approval that has ended stays
 * ended (command time only moves forward), and one that does not exist yet is refused only until its approval has been
 * applied, which its owner is told before anyone can use it; a signer's kept nonces only lose their smallest member
 * when full, so a nonce kept in a past state is kept now or below the smallest (too old), and too old stays too old.
 * A time bound is applied with the gateway's clock, which runs ahead of the command's (the command is stamped later);
 * "too far ahead" is given {@link #AHEAD_SLACK_MILLIS} of slack since the later stamp could bring it within range.
 *
 * <p>Threads: written only on the engine thread ({@link #load}, {@link #afterCommand}); read on any thread. Values are
 * replaced, never mutated (agent maps and nonce arrays are copied on write), so readers need no locks.
 */
public final class AuthMirror {
    /** Slack on the "nonce too far ahead" rule: the command's time stamp comes after the gateway's check. */
    static final long AHEAD_SLACK_MILLIS = 5_000;

    private final ConcurrentHashMap<Address, Long> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Address, Map<AgentKey, Long>> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SignerId, long[]> kept = new ConcurrentHashMap<>();
    private volatile int window = 100;
    private volatile long maxAgeMillis = Long.MAX_VALUE;
    private volatile long maxAheadMillis = Long.MAX_VALUE;
    /**
     * The venue's admins, or null while the mirror does not know them (no governance when it last looked: the engine
     * decides). Governance is set once, so a known set never changes and "not an admin" holds in every later state.
     */
    private volatile java.util.Set<Address> admins;
    /** Engine-thread scratch: the owner {@link #afterCommand} last made, reused for a run of that owner's commands. */
    private Address lastOwner;
    /** Engine-thread scratch for copying a signer's kept nonces. */
    private long[] scratch = new long[100];

    /** Seeds the mirror from the engine's state (engine thread, after recovery and before the gateway opens). */
    public void load(Engine engine) {
        long[] rule = engine.view().nonceRule();
        window = (int) rule[0];
        maxAgeMillis = rule[1];
        maxAheadMillis = rule[2];
        scratch = new long[window];
        accounts.putAll(engine.view().addressAccounts());
        refreshAdmins(engine);
        for (Address owner : engine.view().agentOwners()) {
            refreshAgents(engine, owner);
        }
        for (SignerId signer : engine.view().nonceSigners()) {
            refreshNonces(engine, signer);
        }
    }

    /**
     * Brings the mirror up to date with what {@code c} changed (engine thread, after the engine applied it and before
     * its answer is released): the address's account, the owner's agents after an approval or revocation, and the
     * signer's kept nonces after a signed request. Commands without an address change nothing here.
     */
    public void afterCommand(Engine engine, Command c) {
        if (c.address == null || c.address.length != Address.BYTES) {
            return;
        }
        if (isGovernance(c.type)) {
            refreshAdmins(engine);
        }
        Address owner = lastOwner = Address.of(c.address, lastOwner);
        if (!accounts.containsKey(owner)) {
            long account = engine.view().accountOfAddress(c.address);
            if (account != 0) {
                accounts.put(owner, account);
            }
        }
        boolean agentAction = c.type == CommandType.APPROVE_AGENT || c.type == CommandType.REVOKE_AGENT;
        if (agentAction) {
            refreshAgents(engine, owner);
        }
        if (c.signature != null) {
            SignerId signer = owner;
            if (!agentAction && c.agentKey != null) {
                if (c.agentKey.length != AgentKey.BYTES) {
                    return;
                }
                signer = AgentKey.unchecked(c.agentKey);
            }
            refreshNonces(engine, signer);
        }
    }

    /** An admin's governance command: signed by an admin, who need not own an account. */
    private static boolean isGovernance(CommandType type) {
        return type == CommandType.PROPOSE_RISK_BOUNDS || type == CommandType.APPROVE_PROPOSAL
                || type == CommandType.CANCEL_PROPOSAL;
    }

    /** Takes the venue's admins from the engine once it has governance (set once, so never changed afterwards). */
    private void refreshAdmins(Engine engine) {
        if (admins == null && engine.view().governance() != null) {
            java.util.Set<Address> set = new java.util.HashSet<>();
            for (String admin : engine.view().governance().admins()) {
                set.add(Address.parseOrThrow(admin));
            }
            admins = java.util.Set.copyOf(set);
        }
    }

    /** The account {@code address} owns, or 0. */
    public long accountOf(Address address) {
        Long account = accounts.get(address);
        return account == null ? 0 : account;
    }

    /** Whether {@code agent} may sign for {@code owner} at {@code nowMillis}, as far as the mirror knows. */
    public boolean agentApproved(Address owner, AgentKey agent, long nowMillis) {
        Map<AgentKey, Long> approved = agents.get(owner);
        Long until = approved == null ? null : approved.get(agent);
        return until != null && nowMillis < until;
    }

    /**
     * The reason the engine would certainly refuse signed request {@code c} at any time from {@code nowMillis} (the
     * gateway's clock, epoch milliseconds) on, or null when the mirror cannot tell (the engine decides). Deposits are
     * never refused here (they credit an address, opening its account); a request made in a session is checked for
     * its address only. Cheap: hash lookups and a binary search, no signature arithmetic.
     */
    public RejectReason precheck(Command c, long nowMillis) {
        if (c.address == null || c.address.length != Address.BYTES || c.type == CommandType.DEPOSIT) {
            return null;
        }
        Address owner = Address.of(c.address);
        if (isGovernance(c.type)) {
            // An admin need not own an account; one that is not an admin never becomes one (governance is set once).
            java.util.Set<Address> known = admins;
            if (known != null && !known.contains(owner)) {
                return RejectReason.NOT_AN_ADMIN;
            }
            return c.signature == null || c.agentKey != null ? null : nonceCheck(owner, c.nonce, nowMillis);
        }
        if (!accounts.containsKey(owner)) {
            return RejectReason.UNKNOWN_ADDRESS;
        }
        if (c.signature == null) {
            return null;
        }
        boolean agentAction = c.type == CommandType.APPROVE_AGENT || c.type == CommandType.REVOKE_AGENT;
        SignerId signer = owner;
        if (!agentAction && c.agentKey != null) {
            if (c.agentKey.length != AgentKey.BYTES) {
                return null;
            }
            AgentKey agent = AgentKey.unchecked(c.agentKey);
            Map<AgentKey, Long> approved = agents.get(owner);
            Long until = approved == null ? null : approved.get(agent);
            if (until == null) {
                return RejectReason.AGENT_NOT_AUTHORISED;
            }
            if (nowMillis >= until) {
                return RejectReason.AGENT_EXPIRED;
            }
            signer = agent;
        }
        return nonceCheck(signer, c.nonce, nowMillis);
    }

    private RejectReason nonceCheck(SignerId signer, long nonce, long nowMillis) {
        if (nonce < 0 || nonce - nowMillis >= maxAheadMillis + AHEAD_SLACK_MILLIS) {
            return RejectReason.NONCE_TOO_NEW;
        }
        if (nowMillis - nonce >= maxAgeMillis) {
            return RejectReason.NONCE_TOO_OLD;
        }
        long[] values = kept.get(signer);
        if (values == null) {
            return null;
        }
        if (Arrays.binarySearch(values, nonce) >= 0) {
            return RejectReason.NONCE_REUSED;
        }
        if (values.length == window && nonce < values[0]) {
            return RejectReason.NONCE_TOO_OLD;
        }
        return null;
    }

    private void refreshAgents(Engine engine, Address owner) {
        Map<AgentKey, Long> approved = new HashMap<>();
        for (AgentRegistry.Entry entry : engine.view().agentsOf(owner)) {
            if (!entry.revoked()) {
                approved.put(entry.agentKey(), entry.validUntil());
            }
        }
        if (approved.isEmpty()) {
            agents.remove(owner);
        } else {
            agents.put(owner, Map.copyOf(approved));
        }
    }

    private void refreshNonces(Engine engine, SignerId signer) {
        int size = engine.view().copyKeptNonces(signer, scratch);
        if (size == 0) {
            return;
        }
        long[] old = kept.get(signer);
        if (old != null && Arrays.equals(old, 0, old.length, scratch, 0, size)) {
            return;
        }
        kept.put(signer, Arrays.copyOf(scratch, size));
    }
}
