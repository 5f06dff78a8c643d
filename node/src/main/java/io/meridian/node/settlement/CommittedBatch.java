package io.meridian.node.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.SettlementStatement;
import io.meridian.settlement.BatchBuilder;
import io.meridian.settlement.Chain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.SettlementBatch;
import io.meridian.settlement.VaultContracts;

import java.util.List;
import java.util.Map;

/**
 * A batch the node cut, as it keeps it: a {@link SettlementBatch} (what the vault commits, and everything needed to
 * prove a balance or pay a withdrawal against it) and when it was cut. Made from a fresh batch (reusing its trees) or
 * from the batch's file after a restart ({@link BatchStore}; {@link SettlementBatch#of} rebuilds the trees from the
 * statements, deterministically, so the roots are the same). Immutable, so the gateway's I/O threads read proofs from it
 * without locks.
 */
public final class CommittedBatch {
    private final SettlementBatch batch;
    private final long cutAtMillis;

    private CommittedBatch(SettlementBatch batch, long cutAtMillis) {
        this.batch = batch;
        this.cutAtMillis = cutAtMillis;
    }

    /** A batch just cut (its trees reused). */
    static CommittedBatch of(SettlementBatch batch, long cutAtMillis) {
        return new CommittedBatch(batch, cutAtMillis);
    }

    /** A batch read back from its file: the balance trees rebuilt from the statements. */
    static CommittedBatch rebuild(long batchId, long lastSequence, long stateHash, long cutAtMillis,
                                  Map<Integer, Address> tokens, Map<Integer, List<SettlementStatement.Entry>> statements,
                                  List<BatchBuilder.Withdrawal> withdrawals, Map<Integer, Address> tokenOfAsset) {
        return new CommittedBatch(SettlementBatch.of(batchId, lastSequence, stateHash, tokens, statements, withdrawals,
                tokenOfAsset), cutAtMillis);
    }

    public long batchId() {
        return batch.batchId();
    }

    public long lastSequence() {
        return batch.lastSequence();
    }

    public long stateHash() {
        return batch.stateHash();
    }

    public long cutAtMillis() {
        return cutAtMillis;
    }

    /** By engine asset id, in id order (the order the vault's roots are committed in). */
    public Map<Integer, SettlementBatch.AssetRoot> roots() {
        return batch.roots();
    }

    public List<BatchBuilder.Withdrawal> withdrawals() {
        return batch.withdrawals();
    }

    /** The proof of the i-th withdrawal against the batch's withdrawals root. */
    public MerkleSumTree.Proof withdrawalProof(int i) {
        return batch.withdrawalProof(i);
    }

    /** Commits this batch with the operator's key. */
    void commit(VaultContracts vault, Chain.Sender operator) {
        batch.commit(vault, operator);
    }
}
