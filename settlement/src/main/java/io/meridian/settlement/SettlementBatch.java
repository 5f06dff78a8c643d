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

    SettlementBatch(long batchId, long lastSequence, long stateHash, Map<Integer, AssetRoot> roots,
                    List<BatchBuilder.Withdrawal> withdrawals, MerkleSumTree withdrawalTree) {
        this.batchId = batchId;
        this.lastSequence = lastSequence;
        this.stateHash = stateHash;
        this.roots = Map.copyOf(roots);
        this.withdrawals = List.copyOf(withdrawals);
        this.withdrawalTree = withdrawalTree;
    }

    public long batchId() {
        return batchId;
    }

    public long lastSequence() {
        return lastSequence;
    }

    /** The engine's 64-bit state hash as the contract's bytes32 (big-endian, left-padded). */
    public byte[] stateHashWord() {
        byte[] word = new byte[32];
        ByteBuffer.wrap(word, 24, 8).putLong(stateHash);
        return word;
    }

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

    /** Commits this batch with the operator's key. */
    public void commit(VaultContracts vault, Chain.Sender operator) {
        List<String> assets = new ArrayList<>();
        List<VaultContracts.Root> committed = new ArrayList<>();
        for (AssetRoot root : new java.util.TreeMap<>(roots).values()) {
            assets.add(root.token().toLowerHex());
            committed.add(new VaultContracts.Root(root.tree().rootHash(), root.tree().rootTotal()));
        }
        VaultContracts.Root withdrawalsRoot = withdrawalTree == null
                ? new VaultContracts.Root(new byte[32], BigInteger.ZERO)
                : new VaultContracts.Root(withdrawalTree.rootHash(), withdrawalTree.rootTotal());
        vault.commitBatch(operator, batchId, lastSequence, stateHashWord(), assets, committed, withdrawalsRoot);
    }
}
