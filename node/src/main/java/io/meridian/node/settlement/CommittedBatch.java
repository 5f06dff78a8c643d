package io.meridian.node.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.SettlementStatement;
import io.meridian.settlement.BatchBuilder;
import io.meridian.settlement.Chain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.SettlementBatch;
import io.meridian.settlement.VaultContracts;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch the node cut, as it keeps it: what the vault commits and everything needed to prove a balance or pay a
 * withdrawal against it. Made from a fresh {@link SettlementBatch} (reusing its trees) or from the batch's file after a
 * restart ({@link BatchStore}; the trees are rebuilt from the statement, deterministically, so the roots are the same).
 * Immutable, so the gateway's I/O threads read proofs from it without locks.
 */
public final class CommittedBatch {
    private final long batchId;
    private final long lastSequence;
    private final long stateHash;
    private final long cutAtMillis;
    /** By engine asset id, in id order (the order the vault's roots are committed in). */
    private final Map<Integer, SettlementBatch.AssetRoot> roots;
    private final List<BatchBuilder.Withdrawal> withdrawals;
    /** Null when the batch has no withdrawals (the vault then commits a zero root). */
    private final MerkleSumTree withdrawalTree;

    CommittedBatch(long batchId, long lastSequence, long stateHash, long cutAtMillis,
                   Map<Integer, SettlementBatch.AssetRoot> roots, List<BatchBuilder.Withdrawal> withdrawals,
                   Map<Integer, Address> tokenOfAsset) {
        this.batchId = batchId;
        this.lastSequence = lastSequence;
        this.stateHash = stateHash;
        this.cutAtMillis = cutAtMillis;
        this.roots = java.util.Collections.unmodifiableMap(new TreeMap<>(roots));
        this.withdrawals = List.copyOf(withdrawals);
        if (withdrawals.isEmpty()) {
            this.withdrawalTree = null;
        } else {
            List<MerkleSumTree.Leaf> leaves = new ArrayList<>(withdrawals.size());
            for (BatchBuilder.Withdrawal w : withdrawals) {
                leaves.add(new MerkleSumTree.Leaf(MerkleSumTree.withdrawalLeaf(w.withdrawalId(), w.account(),
                        w.destination(), tokenOfAsset.get(w.asset()), w.amount(), w.forcedRef()), w.amount()));
            }
            this.withdrawalTree = new MerkleSumTree(leaves);
        }
    }

    /** A batch just cut (its balance trees reused). */
    static CommittedBatch of(SettlementBatch batch, long stateHash, long cutAtMillis, Map<Integer, Address> tokenOfAsset) {
        return new CommittedBatch(batch.batchId(), batch.lastSequence(), stateHash, cutAtMillis, batch.roots(),
                batch.withdrawals(), tokenOfAsset);
    }

    /** A batch read back from its file: the balance trees rebuilt from the statements. */
    static CommittedBatch rebuild(long batchId, long lastSequence, long stateHash, long cutAtMillis,
                                  Map<Integer, Address> tokens, Map<Integer, List<SettlementStatement.Entry>> statements,
                                  List<BatchBuilder.Withdrawal> withdrawals, Map<Integer, Address> tokenOfAsset) {
        Map<Integer, SettlementBatch.AssetRoot> roots = new TreeMap<>();
        for (Map.Entry<Integer, List<SettlementStatement.Entry>> e : statements.entrySet()) {
            Address token = tokens.get(e.getKey());
            List<MerkleSumTree.Leaf> leaves = new ArrayList<>(e.getValue().size());
            for (SettlementStatement.Entry entry : e.getValue()) {
                leaves.add(new MerkleSumTree.Leaf(MerkleSumTree.balanceLeaf(entry.address(), token, entry.balance()),
                        entry.balance()));
            }
            roots.put(e.getKey(), new SettlementBatch.AssetRoot(token, e.getValue(), new MerkleSumTree(leaves)));
        }
        return new CommittedBatch(batchId, lastSequence, stateHash, cutAtMillis, roots, withdrawals, tokenOfAsset);
    }

    public long batchId() {
        return batchId;
    }

    public long lastSequence() {
        return lastSequence;
    }

    public long stateHash() {
        return stateHash;
    }

    public long cutAtMillis() {
        return cutAtMillis;
    }

    public Map<Integer, SettlementBatch.AssetRoot> roots() {
        return roots;
    }

    public List<BatchBuilder.Withdrawal> withdrawals() {
        return withdrawals;
    }

    /** The proof of the i-th withdrawal against the batch's withdrawals root. */
    public MerkleSumTree.Proof withdrawalProof(int i) {
        return withdrawalTree.proof(i);
    }

    /** The engine's 64-bit state hash as the vault's bytes32 (big-endian, left-padded), as SettlementBatch does. */
    byte[] stateHashWord() {
        byte[] word = new byte[32];
        ByteBuffer.wrap(word, 24, 8).putLong(stateHash);
        return word;
    }

    /** Commits this batch with the operator's key (the same transaction {@link SettlementBatch#commit} sends). */
    void commit(VaultContracts vault, Chain.Sender operator) {
        List<String> assets = new ArrayList<>();
        List<VaultContracts.Root> committed = new ArrayList<>();
        for (SettlementBatch.AssetRoot root : roots.values()) {
            assets.add(root.token().toLowerHex());
            committed.add(new VaultContracts.Root(root.tree().rootHash(), root.tree().rootTotal()));
        }
        VaultContracts.Root withdrawalsRoot = withdrawalTree == null
                ? new VaultContracts.Root(new byte[32], BigInteger.ZERO)
                : new VaultContracts.Root(withdrawalTree.rootHash(), withdrawalTree.rootTotal());
        vault.commitBatch(operator, batchId, lastSequence, stateHashWord(), assets, committed, withdrawalsRoot);
    }
}
