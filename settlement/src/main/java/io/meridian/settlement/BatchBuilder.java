package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.EngineView;
import io.meridian.engine.SettlementStatement;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts settlement batches from an engine's state (docs/settlement.md, "Batches"). It watches the applied commands for
 * the accepted withdrawals by address (each becomes a leaf of the next batch's withdrawals root, its id the command's
 * sequence), and at a batch boundary builds, per mapped asset, the balance root of {@link SettlementStatement} and the
 * withdrawals root, then forgets the withdrawals it committed.
 *
 * <p>Deterministic: the same journal cut at the same sequences gives the same roots on every machine. Run it on a
 * replica engine or a restored snapshot (engine thread of that engine), never on the live one, which then never pauses.
 * Not thread-safe.
 */
public final class BatchBuilder {
    /** A withdrawal to commit: its id (the journal sequence of its WITHDRAW), owner, destination, asset, amount. */
    public record Withdrawal(long withdrawalId, Address account, Address destination, int asset, long amount,
                             long forcedRef) {
    }

    private final Map<Integer, Address> tokenOfAsset;
    private final List<Withdrawal> pending = new ArrayList<>();
    private long nextBatchId;

    /** Commits the engine's assets of {@code tokenOfAsset} as those tokens; batches count up from {@code nextBatchId}. */
    public BatchBuilder(Map<Integer, Address> tokenOfAsset, long nextBatchId) {
        if (tokenOfAsset.isEmpty() || nextBatchId < 1) {
            throw new IllegalArgumentException("at least one asset and a batch id >= 1 are required");
        }
        this.tokenOfAsset = Map.copyOf(tokenOfAsset);
        this.nextBatchId = nextBatchId;
    }

    /**
     * Call after each command {@code view}'s engine applied (its engine thread): an accepted withdrawal, or a served forced
     * withdrawal, of a mapped asset is kept. A withdrawal named by account id (auth mode open) is the owner's address's,
     * looked up in {@code view}, and without a destination it is paid to that address, as a forced withdrawal is. An
     * account the operator numbered has no address and nothing on chain can be paid to it: the gateway refuses such a
     * withdrawal on a node that settles (docs/settlement.md), so it is not kept here.
     */
    public void onApplied(Command c, CommandOutcome outcome, EngineView view) {
        if (c.type == CommandType.WITHDRAW && outcome.accepted() && tokenOfAsset.containsKey(c.asset)) {
            Address owner = c.address != null ? Address.of(c.address) : ownerOf(c.account, view);
            if (owner != null) {
                pending.add(new Withdrawal(c.sequence, owner, c.destination != null ? Address.of(c.destination) : owner,
                        c.asset, c.amount, 0));
            }
        } else if (c.type == CommandType.FORCED_WITHDRAWAL && outcome.accepted() && tokenOfAsset.containsKey(c.asset)) {
            // Served even at 0: the vault marks the request paid only when its leaf is paid.
            pending.add(new Withdrawal(c.sequence, Address.of(c.address), Address.of(c.address), c.asset, c.amount,
                    c.forcedRef));
        }
    }

    private static Address ownerOf(long account, EngineView view) {
        String hex = view.addressOfAccount(account);
        return hex == null ? null : Address.parseOrThrow(hex);
    }

    /** Withdrawals applied since the last cut. */
    public int pendingWithdrawals() {
        return pending.size();
    }

    /** Builds the next batch from {@code view} at its last applied sequence, with the withdrawals since the last cut. */
    public SettlementBatch cut(EngineView view, long stateHash) {
        Map<Integer, List<SettlementStatement.Entry>> statements = new LinkedHashMap<>();
        for (int asset : new java.util.TreeSet<>(tokenOfAsset.keySet())) {
            List<SettlementStatement.Entry> entries = view.settlementStatement(asset);
            if (!entries.isEmpty()) {
                statements.put(asset, entries);
            }
        }
        List<Withdrawal> withdrawals = List.copyOf(pending);
        pending.clear();
        return SettlementBatch.of(nextBatchId++, view.lastSequence(), stateHash, tokenOfAsset, statements, withdrawals,
                tokenOfAsset);
    }
}
