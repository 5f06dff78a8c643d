package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.SettlementStatement;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One settlement batch as {@link BatchBuilder} cut it: what {@code MeridianVault.commitBatch} commits (the journal
 * sequence, the engine's state hash, a balance root per asset, the withdrawals root) and everything needed to prove a
 * balance or pay a withdrawal against it. Immutable.
 */
public final class SettlementBatch {
    /** One asset's balance root: the token, the statement in leaf order, and its tree. */
    public record AssetRoot(Address token, List<SettlementStatement.Entry> entries, MerkleSumTree tree) {
        public AssetRoot {
            entries = List.copyOf(entries);
        }

        /** The leaf index of {@code address}, or -1 when it is not in the statement. */
        public int indexOf(Address address) {
            int low = 0;
            int high = entries.size() - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int cmp = entries.get(mid).address().compareTo(address);
                if (cmp == 0) {
                    return mid;
                }
                if (cmp < 0) {
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return -1;
        }
    }

    private final long batchId;
    private final long lastSequence;
    private final long stateHash;
    private final Map<Integer, AssetRoot> roots;
    private final List<BatchBuilder.Withdrawal> withdrawals;
    private final MerkleSumTree withdrawalTree;

    private SettlementBatch(long batchId, long lastSequence, long stateHash, Map<Integer, AssetRoot> roots,
                            List<BatchBuilder.Withdrawal> withdrawals, MerkleSumTree withdrawalTree) {
        this.batchId = batchId;
        this.lastSequence = lastSequence;
        this.stateHash = stateHash;
        this.roots = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(roots));
        this.withdrawals = List.copyOf(withdrawals);
        this.withdrawalTree = withdrawalTree;
    }

    /**
     * A batch from its statements and withdrawals: the trees are built here, deterministically, so a batch cut now and
     * one rebuilt from its saved statements have the same roots. {@code rootTokens} names each statement's token,
     * {@code withdrawalTokens} each withdrawal's.
     */
    public static SettlementBatch of(long batchId, long lastSequence, long stateHash, Map<Integer, Address> rootTokens,
                                     Map<Integer, List<SettlementStatement.Entry>> statements,
                                     List<BatchBuilder.Withdrawal> withdrawals, Map<Integer, Address> withdrawalTokens) {
        Map<Integer, AssetRoot> roots = new java.util.TreeMap<>();
        for (Map.Entry<Integer, List<SettlementStatement.Entry>> e : statements.entrySet()) {
            Address token = rootTokens.get(e.getKey());
            List<MerkleSumTree.Leaf> leaves = new ArrayList<>(e.getValue().size());
            for (SettlementStatement.Entry entry : e.getValue()) {
                leaves.add(new MerkleSumTree.Leaf(MerkleSumTree.balanceLeaf(entry.address(), token, entry.balance()),
                        entry.balance()));
            }
            roots.put(e.getKey(), new AssetRoot(token, e.getValue(), new MerkleSumTree(leaves)));
        }
        MerkleSumTree withdrawalTree = null;
        if (!withdrawals.isEmpty()) {
            List<MerkleSumTree.Leaf> leaves = new ArrayList<>(withdrawals.size());
            for (BatchBuilder.Withdrawal w : withdrawals) {
                leaves.add(new MerkleSumTree.Leaf(MerkleSumTree.withdrawalLeaf(w.withdrawalId(), w.account(),
                        w.destination(), withdrawalTokens.get(w.asset()), w.amount(), w.forcedRef()), w.amount()));
            }
            withdrawalTree = new MerkleSumTree(leaves);
        }
        return new SettlementBatch(batchId, lastSequence, stateHash, roots, withdrawals, withdrawalTree);
    }

    public long batchId() {
        return batchId;
    }

    public long lastSequence() {
        return lastSequence;
    }

    /** The engine's state hash at {@link #lastSequence}. */
    public long stateHash() {
        return stateHash;
    }

    /** The engine's 64-bit state hash as the contract's bytes32 (big-endian, left-padded). */
    public byte[] stateHashWord() {
        byte[] word = new byte[32];
        ByteBuffer.wrap(word, 24, 8).putLong(stateHash);
        return word;
    }

    /** By engine asset id, in id order (the order the vault's roots are committed in). */
    public Map<Integer, AssetRoot> roots() {
        return roots;
    }

    public List<BatchBuilder.Withdrawal> withdrawals() {
        return withdrawals;
    }

    /** The proof of the i-th withdrawal. */
    public MerkleSumTree.Proof withdrawalProof(int i) {
        return withdrawalTree.proof(i);
    }

    /** Commits this batch with the operator's key: its roots in asset id order. */
    public void commit(VaultContracts vault, Chain.Sender operator) {
        List<String> assets = new ArrayList<>();
        List<VaultContracts.Root> committed = new ArrayList<>();
        for (AssetRoot root : roots.values()) {
            assets.add(root.token().toLowerHex());
            committed.add(new VaultContracts.Root(root.tree().rootHash(), root.tree().rootTotal()));
        }
        VaultContracts.Root withdrawalsRoot = withdrawalTree == null
                ? new VaultContracts.Root(new byte[32], BigInteger.ZERO)
                : new VaultContracts.Root(withdrawalTree.rootHash(), withdrawalTree.rootTotal());
        vault.commitBatch(operator, batchId, lastSequence, stateHashWord(), assets, committed, withdrawalsRoot);
    }
}
