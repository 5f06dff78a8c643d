package io.meridian.journal;

import io.meridian.auth.ClientOrderIds;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.auth.Verdict;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
 * <p>A request made in a session ({@link Command#sessionId}) instead of signed is proven by the session's login: an
 * OPEN_SESSION record, itself checked here, opened by the same address with the same key. That proves the owner
 * authorised the session, not each request in it: the weaker guarantee a venue's API session gives, which is why
 * withdrawals and agent approvals are never made in one.
 *
 * <p>A request without an address was made by the operator, not by an owner, and cannot be proven: the audit fails
 * if there is any (a node in signed mode never journals one). Requests by address without a signature were refused by
 * the engine and changed nothing; they are counted, not failed. Signatures are checked in parallel batches (recovery
 * costs about 0.3 ms each).
 *
 * <p>A client order id given as text travels with its key ({@link Command#clientOrderText} and
 * {@link Command#clientOrderId}), and what is signed is the key (docs/auth.md, "Client order ids"): every journaled
 * text must be a valid client order id whose key is the command's, or the audit fails (the signature would prove a key,
 * not the text the node echoes).
 *
 * <p>Price reports ({@code ORACLE_REPORT}) signed by a feed key are checked too ({@link FeedSignatures}): a signed
 * report whose signature does not verify fails the audit. The summary lists the feed keys per index and source, for
 * comparison with the node's config; unsigned reports (a dev node's oracle route) are counted. Not thread-safe: one
 * audit per journal read.
 */
final class SignatureAudit {
    private static final int BATCH = 8_192;

    private final Eip712Domain domain;
    private final List<Command> batch = new ArrayList<>(BATCH);
    private long signed;
    private long byAgents;
    private long agentActions;
    private long unsignedByAddress;
    private long inSessions;
    private final Map<Long, SessionKey> sessions = new HashMap<>();
    private long operatorRequests;
    private long firstOperatorRequest;
    private String firstFailure;
    private long firstFailureSequence = Long.MAX_VALUE;
    private long signedReports;
    private long unsignedReports;
    private long clientOrderTexts;
    /** "index/source key" of every signed report's feed, sorted. */
    private final Set<String> feedKeys = new TreeSet<>();

    SignatureAudit(Eip712Domain domain) {
        this.domain = domain;
    }

    /** Takes one decoded journal record (with its sequence set); keeps a copy when it has a signature to check. */
    void add(Command c) {
        if (c.clientOrderText != null) {
            checkClientOrderText(c);
        }
        if (c.type == CommandType.ORACLE_REPORT) {
            if (c.signature == null) {
                unsignedReports++;
                return;
            }
            signedReports++;
            feedKeys.add(c.indexId + "/" + c.sourceId + " " + (c.agentKey == null ? "none" : Hex.encode0x(c.agentKey)));
            batch.add(new Command().copyFrom(c));
            if (batch.size() == BATCH) {
                flush();
            }
            return;
        }
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
        if (c.signature == null && c.sessionId != 0) {
            SessionKey opened = sessions.get(c.sessionId);
            if (opened == null || !Arrays.equals(opened.address(), c.address)
                    || !Arrays.equals(opened.agentKey(), c.agentKey)) {
                fail(c.sequence, "record " + c.sequence + " (" + c.type + ") names session " + c.sessionId
                        + ", which its address and key did not open");
            } else {
                inSessions++;
            }
            return;
        }
        if (c.signature == null) {
            unsignedByAddress++;
            return;
        }
        if (c.type == CommandType.OPEN_SESSION) {
            // The login is checked with the other signatures; requests in the session are proven by it.
            sessions.put(c.sequence, new SessionKey(c.address, c.agentKey));
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

    /** A journaled client order id text must be valid and have the command's clientOrderId as its key. */
    private void checkClientOrderText(Command c) {
        clientOrderTexts++;
        String problem = ClientOrderIds.problem(c.clientOrderText);
        if (problem != null) {
            fail(c.sequence, "record " + c.sequence + " (" + c.type + ") has a client order id text that "
                    + problem);
        } else if (ClientOrderIds.key(c.clientOrderText) != c.clientOrderId) {
            fail(c.sequence, "record " + c.sequence + " (" + c.type + "): the key of its client order id text \""
                    + c.clientOrderText + "\" is " + ClientOrderIds.key(c.clientOrderText) + ", not its clientOrderId "
                    + c.clientOrderId);
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
                + " agent approvals or revocations, " + sessions.size() + " session logins); " + inSessions
                + " made in signed sessions; " + unsignedByAddress + " refused for want of a signature; "
                + operatorRequests + " made by account id; price reports: " + signedReports + " signed by feed keys "
                + feedKeys + ", " + unsignedReports + " unsigned (a dev node's oracle route); client order id texts: "
                + clientOrderTexts + " checked against their keys";
    }

    private void flush() {
        List<Failure> failures = batch.parallelStream().map(c -> {
            if (c.type == CommandType.ORACLE_REPORT) {
                return FeedSignatures.verifyPriceReport(domain, c) ? null : new Failure(c.sequence, "price report "
                        + c.sequence + " (index " + c.indexId + ", source " + c.sourceId + ") is not signed by the key"
                        + " it names");
            }
            Verdict verdict = SignedCommands.verify(domain, c);
            return verdict.isOk() ? null : new Failure(c.sequence, "signature of record " + c.sequence + " (" + c.type
                    + ") does not prove its owner: " + verdict.reason() + " " + verdict.message());
        }).filter(Objects::nonNull).toList();
        for (Failure failure : failures) {
            fail(failure.sequence(), failure.message());
        }
        batch.clear();
    }

    private void fail(long sequence, String message) {
        if (sequence < firstFailureSequence) {
            firstFailureSequence = sequence;
            firstFailure = message;
        }
    }

    private record SessionKey(byte[] address, byte[] agentKey) {
    }

    private record Failure(long sequence, String message) {
    }
}
