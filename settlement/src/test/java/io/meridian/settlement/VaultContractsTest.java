package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.settlement.Chain.ChainException;
import io.meridian.settlement.Chain.Sender;
import io.meridian.settlement.MerkleSumTree.Leaf;
import io.meridian.settlement.MerkleSumTree.Proof;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settlement contracts on a real local chain (ganache, started here): deposits, commitments with Merkle-sum roots
 * built in Java and verified by the contract, withdrawals paid once against a root, governance through the multisig's
 * approvals and timelock, and the escape hatch (a forced withdrawal left unpaid freezes the vault, then every user
 * leaves with the last committed balance, and the sum paid is the committed liability).
 */
class VaultContractsTest {
    private static final long USD = 1_000_000;
    private static LocalChain local;
    private static Chain chain;
    private static Sender operator;
    private static final Sender[] OWNERS = new Sender[3];
    private static final Sender[] USERS = new Sender[5];

    @BeforeAll
    static void startChain() throws Exception {
        local = LocalChain.start(LocalChain.defaultContractsDir());
        chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID);
        operator = chain.sender(LocalChain.keyBytes(0));
        for (int i = 0; i < OWNERS.length; i++) {
            OWNERS[i] = chain.sender(LocalChain.keyBytes(1 + i));
        }
        for (int i = 0; i < USERS.length; i++) {
            USERS[i] = chain.sender(LocalChain.keyBytes(4 + i));
        }
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        local.close();
    }

    private static VaultContracts deploy(long forcedDelaySeconds) {
        return VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(OWNERS[0].address(), OWNERS[1].address(), OWNERS[2].address()), 2, 3600, forcedDelaySeconds);
    }

    private static void fundAndDeposit(VaultContracts venue, Sender user, long amount) {
        venue.mint(user, user.address(), amount);
        venue.approve(user, venue.vault(), amount);
        venue.deposit(user, venue.token(), amount, user.address());
    }

    private static void assertReverts(String error, Executable call) {
        ChainException e = assertThrows(ChainException.class, call);
        assertTrue(e.is(error), "expected " + error + ", got " + e.getMessage() + " data " + e.revertData());
    }

    /** A balance tree over the users: user i holds balances[i]. */
    private static MerkleSumTree balances(VaultContracts venue, long... balances) {
        List<Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < balances.length; i++) {
            leaves.add(new Leaf(MerkleSumTree.balanceLeaf(Address.parseOrThrow(USERS[i].address()),
                    Address.parseOrThrow(venue.token()), balances[i]), balances[i]));
        }
        return new MerkleSumTree(leaves);
    }

    private static VaultContracts.Root root(MerkleSumTree tree) {
        return new VaultContracts.Root(tree.rootHash(), tree.rootTotal());
    }

    private static final VaultContracts.Root NO_WITHDRAWALS = new VaultContracts.Root(new byte[32], BigInteger.ZERO);

    @Test
    void depositsAreNumberedAndRefusedWhenEmptyOrUnlisted() {
        VaultContracts venue = deploy(86_400);
        fundAndDeposit(venue, USERS[0], 1_000 * USD);
        fundAndDeposit(venue, USERS[1], 250 * USD);
        assertEquals(2, venue.depositCount());
        assertEquals(BigInteger.valueOf(1_250 * USD), venue.tokenBalance(venue.vault()));
        assertReverts("BadAmount()", () -> venue.deposit(USERS[0], venue.token(), 0, USERS[0].address()));
        assertReverts("NotListed()", () -> venue.deposit(USERS[0], USERS[3].address(), 5, USERS[0].address()));
    }

    @Test
    void everyBalanceProvesAgainstTheCommittedRootAndATamperedOneDoesNot() {
        VaultContracts venue = deploy(86_400);
        long[] held = {700 * USD, 0, 1_300 * USD, 5, 999 * USD};
        for (int i = 0; i < held.length; i++) {
            fundAndDeposit(venue, USERS[i], Math.max(1, held[i]));
        }
        MerkleSumTree tree = balances(venue, held);
        assertReverts("NotOperator()", () -> venue.commitBatch(USERS[0], 1, 10, new byte[32], List.of(venue.token()),
                List.of(root(tree)), NO_WITHDRAWALS));
        venue.commitBatch(operator, 1, 10, new byte[32], List.of(venue.token()), List.of(root(tree)), NO_WITHDRAWALS);
        VaultContracts.MerkleRoot onChain = venue.balanceRoot(1, venue.token());
        assertArrayEquals(tree.rootHash(), onChain.hash());
        assertEquals(BigInteger.valueOf(2_999 * USD + 5), onChain.total());
        assertTrue(onChain.total().compareTo(venue.tokenBalance(venue.vault())) <= 0, "solvent");
        for (int i = 0; i < held.length; i++) {
            Proof proof = tree.proof(i);
            assertTrue(venue.verifyBalance(1, USERS[i].address(), venue.token(), held[i], proof), "user " + i);
            assertFalse(venue.verifyBalance(1, USERS[i].address(), venue.token(), held[i] + 1, proof), "user " + i);
            assertFalse(venue.verifyBalance(1, USERS[(i + 1) % held.length].address(), venue.token(), held[i], proof));
        }
        Proof good = tree.proof(2);
        List<BigInteger> inflated = new ArrayList<>(good.siblingTotals());
        inflated.set(0, inflated.get(0).add(BigInteger.ONE));
        assertFalse(venue.verifyBalance(1, USERS[2].address(), venue.token(), held[2],
                new Proof(good.index(), good.siblingHashes(), inflated)));
        assertReverts("BadBatch()", () -> venue.commitBatch(operator, 1, 11, new byte[32], List.of(venue.token()),
                List.of(root(tree)), NO_WITHDRAWALS));
    }

    @Test
    void aWithdrawalIsPaidOnceToTheSignedDestination() {
        VaultContracts venue = deploy(86_400);
        fundAndDeposit(venue, USERS[0], 1_000 * USD);
        String destination = USERS[4].address();
        Address token = Address.parseOrThrow(venue.token());
        Address account = Address.parseOrThrow(USERS[0].address());
        List<Leaf> leaves = List.of(
                new Leaf(MerkleSumTree.withdrawalLeaf(11, account, Address.parseOrThrow(destination), token, 400 * USD, 0),
                        400 * USD),
                new Leaf(MerkleSumTree.withdrawalLeaf(12, account, account, token, 100 * USD, 0), 100 * USD));
        MerkleSumTree withdrawals = new MerkleSumTree(leaves);
        MerkleSumTree remaining = balances(venue, 500 * USD);
        venue.commitBatch(operator, 1, 20, new byte[32], List.of(venue.token()), List.of(root(remaining)),
                root(withdrawals));
        BigInteger before = venue.tokenBalance(destination);
        assertReverts("BadProof()", () -> venue.withdraw(USERS[1], 1, 11, account.toLowerHex(), destination,
                venue.token(), 500 * USD, 0, withdrawals.proof(0)));
        venue.withdraw(USERS[1], 1, 11, account.toLowerHex(), destination, venue.token(), 400 * USD, 0,
                withdrawals.proof(0));
        assertEquals(before.add(BigInteger.valueOf(400 * USD)), venue.tokenBalance(destination));
        assertReverts("AlreadyPaid()", () -> venue.withdraw(USERS[1], 1, 11, account.toLowerHex(), destination,
                venue.token(), 400 * USD, 0, withdrawals.proof(0)));
    }

    /** Gas of what a venue and its users pay for (docs/settlement.md), bounded so that a change bloating one fails. */
    @Test
    void gasOfADepositACommitmentAndAWithdrawal() {
        VaultContracts venue = deploy(86_400);
        venue.mint(USERS[0], USERS[0].address(), 1_000 * USD);
        venue.approve(USERS[0], venue.vault(), 1_000 * USD);
        long deposit = venue.deposit(USERS[0], venue.token(), 1_000 * USD, USERS[0].address()).getGasUsed().longValue();
        Address token = Address.parseOrThrow(venue.token());
        Address account = Address.parseOrThrow(USERS[0].address());
        List<Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            leaves.add(new Leaf(MerkleSumTree.withdrawalLeaf(i, account, account, token, 1, 0), 1));
        }
        MerkleSumTree withdrawals = new MerkleSumTree(leaves);
        long commit = venue.commitBatch(operator, 1, 1, new byte[32], List.of(venue.token()),
                List.of(root(balances(venue, 999 * USD))), root(withdrawals)).getGasUsed().longValue();
        long withdraw = venue.withdraw(USERS[1], 1, 7, account.toLowerHex(), account.toLowerHex(), venue.token(), 1, 0,
                withdrawals.proof(7)).getGasUsed().longValue();
        System.out.println("gas: deposit=" + deposit + " commit_one_asset=" + commit + " withdraw_depth_10=" + withdraw);
        assertTrue(deposit < 120_000, "deposit " + deposit);
        assertTrue(commit < 250_000, "commit " + commit);
        assertTrue(withdraw < 150_000, "withdraw " + withdraw);
    }

    @Test
    void governanceNeedsTheApprovalsAndTheTimelock() {
        VaultContracts venue = deploy(86_400);
        assertReverts("NotGovernor()", () -> USERS[0].transact(venue.vault(), VaultContracts.setOperator(
                USERS[0].address())));
        long id = venue.proposeVaultCall(OWNERS[0], VaultContracts.setOperator(USERS[3].address()));
        assertReverts("NotQueued()", () -> venue.executeProposal(USERS[0], id));
        assertReverts("NotOwner()", () -> venue.approveProposal(USERS[0], id));
        assertReverts("AlreadyApproved()", () -> venue.approveProposal(OWNERS[0], id));
        venue.approveProposal(OWNERS[1], id);
        assertReverts("TooEarly()", () -> venue.executeProposal(USERS[0], id));
        chain.increaseTime(3_600);
        venue.executeProposal(USERS[0], id);
        assertEquals(USERS[3].address(), venue.operator());

        long vetoed = venue.proposeVaultCall(OWNERS[1], VaultContracts.setForcedWithdrawalDelay(60));
        venue.cancelProposal(OWNERS[2], vetoed);
        assertReverts("Closed()", () -> venue.approveProposal(OWNERS[0], vetoed));
        assertEquals(86_400, venue.forcedWithdrawalDelay());
    }

    @Test
    void anUnpaidForcedWithdrawalFreezesTheVaultAndEveryoneLeavesWithTheCommittedBalance() {
        VaultContracts venue = deploy(3_600);
        long[] deposits = {1_000 * USD, 1_000 * USD, 500 * USD};
        for (int i = 0; i < deposits.length; i++) {
            fundAndDeposit(venue, USERS[i], deposits[i]);
        }
        // After trading: user 0 lost 400 to user 1; user 2 is flat.
        long[] committed = {600 * USD, 1_400 * USD, 500 * USD};
        MerkleSumTree tree = balances(venue, committed);
        venue.commitBatch(operator, 1, 99, new byte[32], List.of(venue.token()), List.of(root(tree)), NO_WITHDRAWALS);
        venue.requestForcedWithdrawal(USERS[2], venue.token());
        assertReverts("BadRequest()", () -> venue.requestForcedWithdrawal(USERS[2], venue.token()));
        assertReverts("TooEarly()", () -> venue.freeze(USERS[0], 0));
        assertReverts("NotFrozen()", () -> venue.escape(USERS[0], venue.token(), committed[0], tree.proof(0)));
        chain.increaseTime(3_600);
        venue.freeze(USERS[0], 0);
        assertTrue(venue.frozen());
        assertReverts("IsFrozen()", () -> venue.commitBatch(operator, 2, 100, new byte[32], List.of(venue.token()),
                List.of(root(tree)), NO_WITHDRAWALS));
        assertReverts("IsFrozen()", () -> venue.deposit(USERS[0], venue.token(), 1, USERS[0].address()));
        assertReverts("BadProof()", () -> venue.escape(USERS[1], venue.token(), committed[0], tree.proof(0)));
        BigInteger paid = BigInteger.ZERO;
        for (int i = 0; i < committed.length; i++) {
            BigInteger before = venue.tokenBalance(USERS[i].address());
            venue.escape(USERS[i], venue.token(), committed[i], tree.proof(i));
            BigInteger received = venue.tokenBalance(USERS[i].address()).subtract(before);
            assertEquals(BigInteger.valueOf(committed[i]), received);
            paid = paid.add(received);
            int user = i;
            assertReverts("AlreadyPaid()", () -> venue.escape(USERS[user], venue.token(), committed[user],
                    tree.proof(user)));
        }
        assertEquals(tree.rootTotal(), paid, "the sum paid is the committed liability");
        assertEquals(BigInteger.ZERO, venue.tokenBalance(venue.vault()));
    }
}
