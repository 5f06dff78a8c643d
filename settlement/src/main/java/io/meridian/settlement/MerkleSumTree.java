package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.auth.Keccak;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle-sum tree as the vault contract verifies it ({@code MeridianVault._verify}): each node commits to its
 * children's hashes and totals, so the root's total is the sum of every leaf's amount and no leaf can exceed it. The
 * venue's balance roots (one per asset; the total is its liability) and withdrawal roots are such trees.
 *
 * <pre>
 *   leaf  = keccak256(abi.encode(tag, fields...)),  total = its amount
 *   node  = keccak256(abi.encode(NODE, leftHash, leftTotal, rightHash, rightTotal)),  total = leftTotal + rightTotal
 *   padding = (0x00..00, 0) up to the next power of two
 * </pre>
 * Leaves and nodes are told apart by their tags (the first word), so a node cannot pass for a leaf. A proof is the
 * leaf's index (bit i set: the node at height i is a right child) and the siblings' hashes and totals from the leaf up.
 *
 * <p>Built once from the leaves (O(n) hashes, {@code 2n} words of memory); immutable; thread-safe after construction.
 */
public final class MerkleSumTree {
    /** {@code keccak256("Meridian.balance")}: the tag of a balance leaf. */
    public static final byte[] BALANCE_LEAF = Keccak.hash("Meridian.balance");
    /** {@code keccak256("Meridian.withdrawal")}: the tag of a withdrawal leaf. */
    public static final byte[] WITHDRAWAL_LEAF = Keccak.hash("Meridian.withdrawal");
    /** {@code keccak256("Meridian.node")}: the tag of an inner node. */
    public static final byte[] NODE = Keccak.hash("Meridian.node");
    /** The deepest tree the contract verifies: 2^48 leaves. */
    public static final int MAX_DEPTH = 48;
    private static final byte[] ZERO = new byte[32];

    /** A leaf: its hash and its amount. */
    public record Leaf(byte[] hash, long amount) {
        public Leaf {
            if (hash.length != 32 || amount < 0) {
                throw new IllegalArgumentException("a leaf is a 32-byte hash and an amount >= 0");
            }
        }
    }

    /** An inclusion proof: the leaf's index and the siblings from the leaf up. */
    public record Proof(long index, List<byte[]> siblingHashes, List<BigInteger> siblingTotals) {
        public Proof {
            siblingHashes = List.copyOf(siblingHashes);
            siblingTotals = List.copyOf(siblingTotals);
        }
    }

    /** hashes[level][i] and totals[level][i]; level 0 the (padded) leaves, the last level the root. */
    private final byte[][][] hashes;
    private final BigInteger[][] totals;
    private final int leafCount;

    public MerkleSumTree(List<Leaf> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a tree needs at least one leaf");
        }
        int width = Integer.highestOneBit(leaves.size());
        width = width == leaves.size() ? width : width * 2;
        int depth = Integer.numberOfTrailingZeros(width);
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too many leaves");
        }
        leafCount = leaves.size();
        hashes = new byte[depth + 1][][];
        totals = new BigInteger[depth + 1][];
        hashes[0] = new byte[width][];
        totals[0] = new BigInteger[width];
        for (int i = 0; i < width; i++) {
            Leaf leaf = i < leaves.size() ? leaves.get(i) : null;
            hashes[0][i] = leaf == null ? ZERO : leaf.hash();
            totals[0][i] = leaf == null ? BigInteger.ZERO : BigInteger.valueOf(leaf.amount());
        }
        for (int level = 1; level <= depth; level++) {
            int n = hashes[level - 1].length / 2;
            hashes[level] = new byte[n][];
            totals[level] = new BigInteger[n];
            for (int i = 0; i < n; i++) {
                byte[] left = hashes[level - 1][2 * i];
                byte[] right = hashes[level - 1][2 * i + 1];
                BigInteger leftTotal = totals[level - 1][2 * i];
                BigInteger rightTotal = totals[level - 1][2 * i + 1];
                hashes[level][i] = node(left, leftTotal, right, rightTotal);
                totals[level][i] = leftTotal.add(rightTotal);
            }
        }
    }

    public byte[] rootHash() {
        return hashes[hashes.length - 1][0].clone();
    }

    /** The sum of every leaf's amount. */
    public BigInteger rootTotal() {
        return totals[totals.length - 1][0];
    }

    public int leafCount() {
        return leafCount;
    }

    /** The proof of leaf {@code index}. */
    public Proof proof(int index) {
        if (index < 0 || index >= leafCount) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + leafCount);
        }
        List<byte[]> siblings = new ArrayList<>();
        List<BigInteger> siblingTotals = new ArrayList<>();
        int position = index;
        for (int level = 0; level < hashes.length - 1; level++) {
            int sibling = position ^ 1;
            siblings.add(hashes[level][sibling].clone());
            siblingTotals.add(totals[level][sibling]);
            position >>= 1;
        }
        return new Proof(index, siblings, siblingTotals);
    }

    /** What the contract computes: whether the leaf with this proof gives the root's hash and total. */
    public static boolean verify(byte[] leaf, long amount, Proof proof, byte[] rootHash, BigInteger rootTotal) {
        int depth = proof.siblingHashes().size();
        if (depth != proof.siblingTotals().size() || depth > MAX_DEPTH || proof.index() < 0
                || (proof.index() >>> depth) != 0 || amount < 0) {
            return false;
        }
        byte[] hash = leaf;
        BigInteger total = BigInteger.valueOf(amount);
        for (int i = 0; i < depth; i++) {
            byte[] siblingHash = proof.siblingHashes().get(i);
            BigInteger siblingTotal = proof.siblingTotals().get(i);
            if (siblingTotal.signum() < 0 || siblingTotal.bitLength() > 256) {
                return false;
            }
            hash = ((proof.index() >>> i) & 1) == 1 ? node(siblingHash, siblingTotal, hash, total)
                    : node(hash, total, siblingHash, siblingTotal);
            total = total.add(siblingTotal);
        }
        return Arrays.equals(hash, rootHash) && total.equals(rootTotal);
    }

    /** {@code keccak256(abi.encode(BALANCE_LEAF, account, asset, balance))}. */
    public static byte[] balanceLeaf(Address account, Address asset, long balance) {
        return Keccak.hash(BALANCE_LEAF, word(account), word(asset), word(BigInteger.valueOf(balance)));
    }

    /** {@code keccak256(abi.encode(WITHDRAWAL_LEAF, withdrawalId, account, destination, asset, amount, forcedRef))}. */
    public static byte[] withdrawalLeaf(long withdrawalId, Address account, Address destination, Address asset,
                                        long amount, long forcedRef) {
        return Keccak.hash(WITHDRAWAL_LEAF, word(BigInteger.valueOf(withdrawalId)), word(account), word(destination),
                word(asset), word(BigInteger.valueOf(amount)), word(BigInteger.valueOf(forcedRef)));
    }

    private static byte[] node(byte[] left, BigInteger leftTotal, byte[] right, BigInteger rightTotal) {
        return Keccak.hash(NODE, left, word(leftTotal), right, word(rightTotal));
    }

    /** An address as an ABI word: left-padded to 32 bytes. */
    static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    /** An unsigned integer below 2^256 as an ABI word: big-endian, left-padded. */
    static byte[] word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        byte[] bytes = value.toByteArray();
        byte[] word = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, word, 32 - length, length);
        return word;
    }
}
