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
import org.agrona.collections.Long2ObjectHashMap;

import java.util.HashMap;
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
 * bridge credits addresses, as non-custodial venues do). New accounts are numbered from {@link #FIRST_ADDRESS_ACCOUNT}
 * up, skipping ids that already hold anything, so they never collide with accounts the operator numbers itself. The
 * binding is made only when the deposit succeeds.
 *
 * <p><b>Nonces.</b> A signed request's nonce is consumed once its signer is authorised, even if the engine then
 * rejects the request (say for margin): a rejected request must not become valid later by being replayed.
 *
 * <p>Thread confinement: the engine thread, like the rest of the engine.
 */
final class Authorisations {

    /** The first account id given to an address: 2^32, far above the ids operators and tests number themselves. */
    static final long FIRST_ADDRESS_ACCOUNT = 1L << 32;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Map<Address, Long> accountOf = new HashMap<>();
    private final Long2ObjectHashMap<Address> addressOf = new Long2ObjectHashMap<>();
    private final NonceTracker nonces = new NonceTracker();
    private final AgentRegistry agents = new AgentRegistry(nonces);
    private long nextAccount = FIRST_ADDRESS_ACCOUNT;

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
        Address owner = Address.of(c.address);
        Long bound = accountOf.get(owner);
        if (c.type == CommandType.DEPOSIT) {
            return resolveDeposit(c, owner, bound, fresh);
        }
        if (!SignedCommands.isSignable(c.type)) {
            return RejectReason.NOT_SIGNABLE;
        }
        if (c.signature == null) {
            return RejectReason.SIGNATURE_REQUIRED;
        }
        if (bound == null) {
            return RejectReason.UNKNOWN_ADDRESS;
        }
        if (c.account != 0 && c.account != bound) {
            return RejectReason.ACCOUNT_MISMATCH;
        }
        long nowMillis = nowMillis(c);
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
            Outcome<AgentKey> key = AgentKey.fromBytes(c.agentKey);
            if (!key.isOk() || c.signature.length != AgentKey.SIGNATURE_BYTES) {
                return RejectReason.AUTH_MALFORMED;
            }
            Verdict approved = agents.authorisation(owner, key.value(), nowMillis);
            if (!approved.isOk()) {
                return reasonOf(approved);
            }
            signer = key.value();
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

    /** Binds the address of a successful deposit that opened a new account. */
    void depositSucceeded() {
        if (pendingAddress != null) {
            accountOf.put(pendingAddress, pendingAccount);
            addressOf.put(pendingAccount, pendingAddress);
            if (pendingAccount >= nextAccount) {
                nextAccount = pendingAccount + 1;
            }
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
        Long account = accountOf.get(Address.of(address));
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
        Outcome<AgentKey> key = AgentKey.fromBytes(agent);
        return key.isOk() && agents.isAuthorised(Address.of(address), key.value(), atMillis);
    }

    void hashState(StateHasher hasher) {
        hasher.add(nextAccount).add(accountOf.size());
        for (Address address : accountOf.keySet().stream().sorted().toList()) {
            hasher.add(address.toLowerHex()).add(accountOf.get(address));
        }
        for (SignerId signer : nonces.signersInOrder()) {
            hasher.add(signer.toString());
            for (long nonce : nonces.kept(signer)) {
                hasher.add(nonce);
            }
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
            account = nextAccount;
            while (addressOf.containsKey(account) || !fresh.test(account)) {
                account++;
            }
            c.account = account;
        }
        pendingAddress = owner;
        pendingAccount = account;
        return null;
    }

    private static long nowMillis(Command c) {
        return Math.max(0, c.timestamp / NANOS_PER_MILLI);
    }

    private static RejectReason reasonOf(Verdict verdict) {
        RejectReason reason = RejectReason.ofCode(verdict.reason().code());
        return reason == null ? RejectReason.AUTH_MALFORMED : reason;
    }
}
