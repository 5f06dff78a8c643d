package io.meridian.journal;

import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Verdict;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code meridian verify --signatures}: proves from the journal alone that every user request in it was authorised.
 *
 * <p>For each journaled order, cancel, amend, cancel-all, settings change and withdrawal, and each agent approval and
 * revocation, the EIP-712 message is rebuilt from the command's own fields ({@link SignedCommands#messageOf}) and its
 * signature checked: the owner's secp256k1 signature must recover the command's address, an agent's Ed25519 signature
 * must verify under the agent key it names. Whether that agent was approved at the time, and whether the nonce was
 * fresh, the engine decided in log order from commands this audit also checks (every approval is itself a signed
 * command here), so a replay of the same journal reaches the same decisions.
 *
 * <p>A request without an address was made by the operator, not by an owner, and cannot be proven: the audit fails
 * if there is any (a node in signed mode never journals one). Requests by address without a signature were refused by
 * the engine and changed nothing; they are counted, not failed. Signatures are checked in parallel batches (recovery
 * costs about 0.3 ms each). Not thread-safe: one audit per journal read.
 */
final class SignatureAudit {
    private static final int BATCH = 8_192;

    private final Eip712Domain domain;
    private final List<Command> batch = new ArrayList<>(BATCH);
    private long signed;
    private long byAgents;
    private long agentActions;
    private long unsignedByAddress;
    private long operatorRequests;
    private long firstOperatorRequest;
    private String firstFailure;
    private long firstFailureSequence = Long.MAX_VALUE;

    SignatureAudit(Eip712Domain domain) {
        this.domain = domain;
    }

    /** Takes one decoded journal record (with its sequence set); keeps a copy when it has a signature to check. */
    void add(Command c) {
        if (!SignedCommands.isSignable(c.type)) {
            return;
        }
        boolean agentAction = c.type == CommandType.APPROVE_AGENT || c.type == CommandType.REVOKE_AGENT;
        if (c.address == null) {
            if (!agentAction && operatorRequests++ == 0) {
                firstOperatorRequest = c.sequence;
            }
            return;
        }
        if (c.signature == null) {
            unsignedByAddress++;
            return;
        }
        signed++;
        if (agentAction) {
            agentActions++;
        } else if (c.agentKey != null) {
            byAgents++;
        }
        batch.add(new Command().copyFrom(c));
        if (batch.size() == BATCH) {
            flush();
        }
    }

    /** Checks what is left; returns null when every request is proven, else the first problem. */
    String finish() {
        flush();
        if (firstFailure != null) {
            return firstFailure;
        }
        if (operatorRequests > 0) {
            return operatorRequests + " request(s) carry no owner's signature (made by account id, first at sequence "
                    + firstOperatorRequest + ")";
        }
        return null;
    }

    /** Number of signed commands checked. */
    long signed() {
        return signed;
    }

    String summary() {
        return "signatures: " + signed + " signed command(s) checked (" + byAgents + " by agent keys, " + agentActions
                + " agent approvals or revocations); " + unsignedByAddress + " refused for want of a signature; "
                + operatorRequests + " made by account id";
    }

    private void flush() {
        List<Failure> failures = batch.parallelStream().map(c -> {
            Verdict verdict = SignedCommands.verify(domain, c);
            return verdict.isOk() ? null : new Failure(c.sequence, "signature of record " + c.sequence + " (" + c.type
                    + ") does not prove its owner: " + verdict.reason() + " " + verdict.message());
        }).filter(Objects::nonNull).toList();
        for (Failure failure : failures) {
            if (failure.sequence() < firstFailureSequence) {
                firstFailureSequence = failure.sequence();
                firstFailure = failure.message();
            }
        }
        batch.clear();
    }

    private record Failure(long sequence, String message) {
    }
}
