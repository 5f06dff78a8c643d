package io.meridian.engine;

import io.meridian.auth.Address;
import io.meridian.auth.SignedCommands;
import io.meridian.auth.AgentAction;
import io.meridian.auth.AgentKey;
import io.meridian.auth.AgentRegistry;
import io.meridian.auth.ApproveAgent;
import io.meridian.auth.EcdsaSignature;
import io.meridian.auth.NonceTracker;
import io.meridian.auth.Outcome;
import io.meridian.auth.RevokeAgent;
import io.meridian.auth.SignerId;
import io.meridian.auth.Verdict;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Who may act on which account: the accounts of Ethereum addresses, the agent keys their owners approved, and every
 * signer's used nonces. Part of the engine's state, so snapshots carry it and a replayed log rebuilds it exactly.
 *
 * <p><b>Division of labour.</b> Signatures are verified before a command is sequenced (by the gateway, off the engine
 * thread: {@code SignatureVerifier.verifySignature}) and travel into the journal with the command, so that
 * {@code meridian verify --signatures} can prove them afterwards. The engine does the stateful half, which must be
 * decided in log order: the address's account, the agent's approval at the command's time, and the nonce.
 *
 * <p><b>Accounts.</b> A DEPOSIT that names an address credits that address's account, opening one if it has none (the
 * bridge credits addresses, as non-custodial venues do). A new account's id is drawn from the Keccak-256 of its address
 * into [{@link #FIRST_ADDRESS_ACCOUNT}, {@code FIRST_ADDRESS_ACCOUNT + 2^52}), moving up past ids that are taken or
 * already hold anything: far above the ids operators number themselves, below 2^53 so JavaScript reads them exactly,
 * and not in order, so the venue's accounts cannot be enumerated by counting (an address's own id is no secret: anyone
 * who knows the address can look it up). The binding is made only when the deposit succeeds.
 *
 * <p><b>Sessions.</b> An OPEN_SESSION signed by the owner or an approved agent opens a session (its id is the command's
 * sequence) for at most a day; orders, cancels, amends and cancel-alls that name it ({@link Command#sessionId}) need no
 * signature of their own and consume no nonce, since they come over the connection the session authenticated. An
 * agent's session ends when the agent's approval does. Expired sessions are swept as new ones open.
 *
 * <p><b>Nonces.</b> A signed request's nonce is consumed once its signer is authorised, even if the engine then
 * rejects the request (say for margin): a rejected request must not become valid later by being replayed.
 *
 * <p>Thread confinement: the engine thread, like the rest of the engine.
 */
final class Authorisations {

    /** The lowest account id given to an address: 2^32, far above the ids operators and tests number themselves. */
    static final long FIRST_ADDRESS_ACCOUNT = 1L << 32;
    /** How many ids addresses' accounts are drawn from: 2^52 (so every id stays below 2^53). */
    static final long ADDRESS_ACCOUNT_SPAN = 1L << 52;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Map<Address, Long> accountOf = new HashMap<>();
    private final Long2ObjectHashMap<Address> addressOf = new Long2ObjectHashMap<>();
    private final NonceTracker nonces = new NonceTracker();
    private final AgentRegistry agents = new AgentRegistry(nonces);
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    /** Sessions are swept of expired ones when their count reaches this (amortised, in log order: deterministic). */
    private int sweepAt = MIN_SWEEP;

    /** The longest session: a day, like a venue's API session. */
    static final long MAX_SESSION_MILLIS = 24L * 60 * 60 * 1000;
    private static final int MIN_SWEEP = 1024;

    /**
     * The owner and the agent key the engine last made from a command's bytes: kept so that a run of commands from one
     * signer (a market maker's orders) is looked up without copying and hashing the bytes again for each look-up.
     * Engine thread, like the rest of this class.
     */
    private Address lastOwner;
    private AgentKey lastAgent;

    /** An open session: whose, by which key (null: the owner's), until when (epoch milliseconds, exclusive). */
    private static final class Session {
        final long account;
        final byte[] agentKey;
        final long validUntil;

        Session(long account, byte[] agentKey, long validUntil) {
            this.account = account;
            this.agentKey = agentKey;
            this.validUntil = validUntil;
        }
    }

    /** The deposit waiting to bind its address to a new account once it succeeds; null otherwise. */
    private Address pendingAddress;
    private long pendingAccount;

    /**
     * Resolves {@code c.account} from {@code c.address} and checks the signer's authority and nonce. On success the
     * command names its account and the caller applies it as usual; on a reject nothing has changed.
     *
     * @param fresh whether an account id holds nothing yet (no balance, position or order), for new accounts
     * @return null when the command may proceed, else the reason to reject it
     */
    RejectReason authorise(Command c, LongPredicate fresh) {
        if (c.address.length != Address.BYTES) {
            return RejectReason.AUTH_MALFORMED;
        }
        Address owner = lastOwner = Address.of(c.address, lastOwner);
        Long bound = accountOf.get(owner);
        if (c.type == CommandType.DEPOSIT) {
            return resolveDeposit(c, owner, bound, fresh);
        }
        if (!SignedCommands.isSignable(c.type)) {
            return RejectReason.NOT_SIGNABLE;
        }
        if (c.signature == null && c.sessionId == 0) {
            return RejectReason.SIGNATURE_REQUIRED;
        }
        if (bound == null) {
            return RejectReason.UNKNOWN_ADDRESS;
        }
        if (c.account != 0 && c.account != bound) {
            return RejectReason.ACCOUNT_MISMATCH;
        }
        long nowMillis = nowMillis(c);
        if (c.signature == null) {
            RejectReason inSession = checkSession(c, owner, bound, nowMillis);
            if (inSession == null) {
                c.account = bound;
            }
            return inSession;
        }
        if (c.type == CommandType.OPEN_SESSION
                && (c.validUntil <= nowMillis || c.validUntil - nowMillis > MAX_SESSION_MILLIS)) {
            return RejectReason.INVALID_SESSION_LENGTH;
        }
        SignerId signer;
        if (c.type == CommandType.APPROVE_AGENT || c.type == CommandType.REVOKE_AGENT) {
            // The owner's nonce is checked and consumed by the registry with the action itself (applyAgentAction).
            if (c.signature.length != EcdsaSignature.BYTES) {
                return RejectReason.AUTH_MALFORMED;
            }
            c.account = bound;
            return null;
        } else if (c.agentKey != null) {
            if (c.type == CommandType.WITHDRAW) {
                return RejectReason.AGENT_NOT_PERMITTED;
            }
            if (c.agentKey.length != AgentKey.BYTES || c.signature.length != AgentKey.SIGNATURE_BYTES) {
                return RejectReason.AUTH_MALFORMED;
            }
            AgentKey key = lastAgent = AgentKey.unchecked(c.agentKey, lastAgent);
            Verdict approved = agents.authorisation(owner, key, nowMillis);
            if (!approved.isOk()) {
                return reasonOf(approved);
            }
            signer = key;
        } else {
            if (c.signature.length != EcdsaSignature.BYTES) {
                return RejectReason.AUTH_MALFORMED;
            }
            signer = owner;
        }
        if (c.type == CommandType.WITHDRAW && (c.destination == null || c.destination.length != Address.BYTES)) {
            return RejectReason.AUTH_MALFORMED;
        }
        Verdict nonce = nonces.accept(signer, c.nonce, nowMillis);
        if (!nonce.isOk()) {
            return reasonOf(nonce);
        }
        c.account = bound;
        return null;
    }

    /**
     * A FORCED_WITHDRAWAL names its address (the vault's request is the owner's authority, on chain): its account, or 0
     * for an address that has none (served with nothing to pay). {@code AUTH_MALFORMED} without a 20-byte address.
     */
    RejectReason resolveForced(Command c) {
        if (c.address == null || c.address.length != Address.BYTES) {
            return RejectReason.AUTH_MALFORMED;
        }
        Long bound = accountOf.get(Address.of(c.address));
        c.account = bound == null ? 0 : bound;
        return null;
    }

    /**
     * An admin's governance command ({@link RiskGovernance#authorise} checked the rest): accepts its nonce, which is the
     * admin's own like any signer's. Null when fresh, else the nonce's reason.
     */
    RejectReason acceptAdminNonce(Command c) {
        if (c.signature.length != EcdsaSignature.BYTES) {
            return RejectReason.AUTH_MALFORMED;
        }
        Verdict nonce = nonces.accept(Address.of(c.address), c.nonce, nowMillis(c));
        return nonce.isOk() ? null : reasonOf(nonce);
    }

    /**
     * Applies an authorised APPROVE_AGENT or REVOKE_AGENT (the owner's signature verified before sequencing): the
     * registry's ordering, expiry and limit rules, and the owner's nonce.
     *
     * @return null when applied, else the reason it was not
     */
    RejectReason applyAgentAction(Command c) {
        Outcome<AgentKey> key = c.agentKey == null ? null : AgentKey.fromBytes(c.agentKey);
        if (c.address == null || key == null || !key.isOk()) {
            return RejectReason.AUTH_MALFORMED;
        }
        AgentAction action;
        if (c.type == CommandType.APPROVE_AGENT) {
            if (c.agentName == null) {
                return RejectReason.AUTH_MALFORMED;
            }
            action = new ApproveAgent(key.value(), c.agentName, c.nonce, c.validUntil);
        } else {
            action = new RevokeAgent(key.value(), c.nonce);
        }
        Verdict verdict = agents.applyVerified(Address.of(c.address), action, nowMillis(c));
        return verdict.isOk() ? null : reasonOf(verdict);
    }

    /**
     * A request made in a session instead of signed: the session was opened by this address with the same key (owner
     * or agent), has not ended, and an agent's approval still holds (a revocation ends its sessions at once).
     */
    private RejectReason checkSession(Command c, Address owner, long account, long nowMillis) {
        CommandType type = c.type;
        if (type != CommandType.PLACE_ORDER && type != CommandType.CANCEL_ORDER && type != CommandType.AMEND_ORDER
                && type != CommandType.CANCEL_ALL) {
            return RejectReason.NOT_IN_SESSION;
        }
        Session session = sessions.get(c.sessionId);
        if (session == null || session.account != account || !Arrays.equals(session.agentKey, c.agentKey)
                || nowMillis >= session.validUntil) {
            return RejectReason.INVALID_SESSION;
        }
        if (session.agentKey != null
                && !agents.isAuthorised(owner, lastAgent = AgentKey.unchecked(session.agentKey, lastAgent), nowMillis)) {
            return RejectReason.INVALID_SESSION;
        }
        return null;
    }

    /** Opens the session an authorised OPEN_SESSION asked for; its id is the command's sequence. */
    void openSession(Command c) {
        if (sessions.size() >= sweepAt) {
            long nowMillis = nowMillis(c);
            sessions.values().removeIf(s -> nowMillis >= s.validUntil);
            sweepAt = Math.max(MIN_SWEEP, 2 * sessions.size());
        }
        sessions.put(c.sequence, new Session(c.account, c.agentKey, c.validUntil));
    }

    /** Binds the address of a successful deposit that opened a new account. */
    void depositSucceeded() {
        if (pendingAddress != null) {
            accountOf.put(pendingAddress, pendingAccount);
            addressOf.put(pendingAccount, pendingAddress);
            pendingAddress = null;
        }
    }

    /** Forgets a pending binding: the deposit was rejected. */
    void depositFailed() {
        pendingAddress = null;
    }

    /** The account of {@code address} (20 bytes), or 0 when it has none. */
    long accountOf(byte[] address) {
        if (address == null || address.length != Address.BYTES) {
            return 0;
        }
        Long account = accountOf.get(lastOwner = Address.of(address, lastOwner));
        return account == null ? 0 : account;
    }

    /** The address of {@code account} in lower-case hex, or null when it was not opened by address. */
    String addressOf(long account) {
        Address address = addressOf.get(account);
        return address == null ? null : address.toLowerHex();
    }

    /** Whether {@code agent} (32 bytes) may sign for the owner of {@code address} (20 bytes) at {@code atMillis}. */
    boolean agentAuthorised(byte[] address, byte[] agent, long atMillis) {
        if (address == null || address.length != Address.BYTES) {
            return false;
        }
        return agent != null && agent.length == AgentKey.BYTES
                && agents.isAuthorised(lastOwner = Address.of(address, lastOwner),
                        lastAgent = AgentKey.unchecked(agent, lastAgent), atMillis);
    }

    /** Every address bound to an account (a copy; for a gateway's mirror at start). */
    Map<Address, Long> addressAccounts() {
        // A HashMap, not Map.copyOf: an immutable map probes linearly on the raw hash code, and addresses whose
        // Arrays.hashCode collide (cheap to grind) would make the copy quadratic; HashMap bins colliding Comparable
        // keys in trees.
        return java.util.Collections.unmodifiableMap(new HashMap<>(accountOf));
    }

    /** Every address and its account, in no particular order, without a copy (engine thread: for a statement). */
    void forEachAddress(java.util.function.BiConsumer<Address, Long> action) {
        accountOf.forEach(action);
    }

    /** The owner's agents, approved or revoked, in key order (a copy). */
    java.util.List<AgentRegistry.Entry> agentsOf(Address owner) {
        return agents.entries(owner);
    }

    /** Every owner that ever approved an agent, in address order. */
    java.util.List<Address> agentOwners() {
        return agents.ownersInOrder();
    }

    /** The replay rule: see {@link NonceTracker}. Read-only use (copying kept nonces, reading the bounds). */
    NonceTracker nonces() {
        return nonces;
    }

    void hashState(StateHasher hasher) {
        hasher.add(accountOf.size());
        for (Address address : accountOf.keySet().stream().sorted().toList()) {
            hasher.add(address.toLowerHex()).add(accountOf.get(address));
        }
        for (SignerId signer : nonces.signersInOrder()) {
            hasher.add(signer.toString());
            for (long nonce : nonces.kept(signer)) {
                hasher.add(nonce);
            }
        }
        long[] sessionIds = sessions.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        for (long id : sessionIds) {
            Session session = sessions.get(id);
            hasher.add(id).add(session.account).add(session.validUntil)
                    .add(session.agentKey == null ? "" : HexFormat.of().formatHex(session.agentKey));
        }
        for (Address owner : agents.ownersInOrder()) {
            for (AgentRegistry.Entry entry : agents.entries(owner)) {
                hasher.add(owner.toLowerHex()).add(entry.agentKey().toHex()).add(entry.name())
                        .add(entry.validUntil()).add(entry.lastNonce()).add(entry.revoked());
            }
        }
    }

    private RejectReason resolveDeposit(Command c, Address owner, Long bound, LongPredicate fresh) {
        if (bound != null) {
            if (c.account != 0 && c.account != bound) {
                return RejectReason.ACCOUNT_MISMATCH;
            }
            c.account = bound;
            return null;
        }
        long account = c.account;
        if (account != 0) {
            // An operator may open an address's account under an id of its choice, if that id is not someone else's.
            if (account < 0 || addressOf.containsKey(account)) {
                return RejectReason.ACCOUNT_MISMATCH;
            }
        } else {
            account = hashedAccount(owner);
            while (addressOf.containsKey(account) || !fresh.test(account)) {
                account = account + 1 < FIRST_ADDRESS_ACCOUNT + ADDRESS_ACCOUNT_SPAN ? account + 1 : FIRST_ADDRESS_ACCOUNT;
            }
            c.account = account;
        }
        pendingAddress = owner;
        pendingAccount = account;
        return null;
    }

    /** The first id tried for an address's account: 52 bits of the Keccak-256 of the address, above 2^32. */
    static long hashedAccount(Address owner) {
        byte[] hash = io.meridian.auth.Keccak.hash(owner.toBytes());
        long bits = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            bits = (bits << 8) | (hash[i] & 0xFF);
        }
        return FIRST_ADDRESS_ACCOUNT + (bits & (ADDRESS_ACCOUNT_SPAN - 1));
    }

    private static long nowMillis(Command c) {
        return Math.max(0, c.timestamp / NANOS_PER_MILLI);
    }

    private static RejectReason reasonOf(Verdict verdict) {
        return verdict.reason().rejectReason();
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes who may act on which account: every address's account (by address), the signers' kept nonces, the agent
     * registry, the open sessions (by id: account, agent key or none, end) and the session count of the next sweep. A
     * deposit's pending binding lives within its command and is not written.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(accountOf.size());
        for (Address address : accountOf.keySet().stream().sorted().toList()) {
            out.writeBytes(address.toBytes());
            out.writeVarLong(accountOf.get(address));
        }
        nonces.writeSnapshot(out);
        agents.writeSnapshot(out);
        out.writeCount(sessions.size());
        sessions.forEachLong((id, session) -> {
            out.writeVarLong(id);
            out.writeVarLong(session.account);
            out.writeNullableBytes(session.agentKey);
            out.writeVarLong(session.validUntil);
        });
        out.writeVarInt(sweepAt);
    }

    /** Restores what {@link #writeSnapshot} wrote into authorisations that hold nothing yet. */
    void readSnapshot(SnapshotReader in) {
        if (!accountOf.isEmpty() || !sessions.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into new authorisations only");
        }
        int addresses = in.readCount(3);
        for (int i = 0; i < addresses; i++) {
            byte[] bytes = in.readBytes();
            if (bytes.length != Address.BYTES) {
                throw in.fail("an address of " + bytes.length + " bytes");
            }
            Address address = Address.of(bytes);
            long account = in.readVarLong();
            if (accountOf.put(address, account) != null || addressOf.put(account, address) != null) {
                throw in.fail("address " + address + " or account " + account + " is bound twice");
            }
        }
        nonces.readSnapshot(in);
        agents.readSnapshot(in);
        int count = in.readCount(4);
        for (int i = 0; i < count; i++) {
            long id = in.readVarLong();
            long account = in.readVarLong();
            byte[] agentKey = in.readNullableBytes();
            long validUntil = in.readVarLong();
            if (agentKey != null && agentKey.length != AgentKey.BYTES || sessions.containsKey(id)) {
                throw in.fail("session " + id + " is malformed or there twice");
            }
            sessions.put(id, new Session(account, agentKey, validUntil));
        }
        sweepAt = in.readVarInt();
        if (sweepAt < MIN_SWEEP) {
            throw in.fail("the next session sweep at " + sweepAt);
        }
    }
}
