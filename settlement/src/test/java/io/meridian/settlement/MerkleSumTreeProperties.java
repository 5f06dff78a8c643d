package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.settlement.MerkleSumTree.Leaf;
import io.meridian.settlement.MerkleSumTree.Proof;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Merkle-sum tree's contract: the root's total is the sum of the leaves; every leaf's proof verifies; a proof with
 * another amount, another leaf, a sibling total raised or lowered, or another index does not.
 */
class MerkleSumTreeProperties {
    private static final Address ASSET = Address.parseOrThrow("0x00000000000000000000000000000000000000aa");

    @Property(tries = 200)
    void everyLeafProvesAndNothingElseDoes(@ForAll @Size(min = 1, max = 70) List<@LongRange(min = 0,
            max = Long.MAX_VALUE / 128) Long> balances, @ForAll @IntRange(min = 0, max = 1000) int pick) {
        List<Leaf> leaves = new ArrayList<>();
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < balances.size(); i++) {
            leaves.add(new Leaf(MerkleSumTree.balanceLeaf(account(i), ASSET, balances.get(i)), balances.get(i)));
            sum = sum.add(BigInteger.valueOf(balances.get(i)));
        }
        MerkleSumTree tree = new MerkleSumTree(leaves);
        assertEquals(sum, tree.rootTotal());
        for (int i = 0; i < leaves.size(); i++) {
            assertTrue(MerkleSumTree.verify(leaves.get(i).hash(), balances.get(i), tree.proof(i), tree.rootHash(), sum));
        }
        int i = pick % leaves.size();
        Proof proof = tree.proof(i);
        long amount = balances.get(i);
        byte[] leaf = leaves.get(i).hash();
        assertFalse(MerkleSumTree.verify(leaf, amount + 1, proof, tree.rootHash(), sum));
        assertFalse(MerkleSumTree.verify(MerkleSumTree.balanceLeaf(account(i + 1), ASSET, amount), amount, proof,
                tree.rootHash(), sum));
        if (!proof.siblingTotals().isEmpty()) {
            List<BigInteger> raised = new ArrayList<>(proof.siblingTotals());
            int level = pick % raised.size();
            raised.set(level, raised.get(level).add(BigInteger.ONE));
            assertFalse(MerkleSumTree.verify(leaf, amount, new Proof(proof.index(), proof.siblingHashes(), raised),
                    tree.rootHash(), sum));
            assertFalse(MerkleSumTree.verify(leaf, amount, new Proof(proof.index() ^ (1L << level),
                    proof.siblingHashes(), proof.siblingTotals()), tree.rootHash(), sum));
        }
    }

    private static Address account(int i) {
        byte[] bytes = new byte[20];
        bytes[0] = 0x11;
        bytes[19] = (byte) i;
        bytes[18] = (byte) (i >> 8);
        return Address.of(bytes);
    }
}
