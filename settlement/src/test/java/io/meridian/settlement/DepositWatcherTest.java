package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.settlement.Chain.Sender;
import io.meridian.settlement.DepositWatcher.ChainDeposit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deposit watcher on a real local chain: a deposit is seen only after K confirmations, once, in id order; a reorg
 * shallower than K (ganache's snapshot and revert) replaces a deposit before it is confirmed, and only the deposit of
 * the surviving branch is credited.
 */
class DepositWatcherTest {
    private static final int K = 3;
    private static LocalChain local;
    private static Chain chain;
    private static Sender operator;
    private static Sender alice;
    private static Sender bob;

    @BeforeAll
    static void startChain() throws Exception {
        local = LocalChain.start(LocalChain.defaultContractsDir());
        chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID);
        operator = chain.sender(LocalChain.keyBytes(0));
        alice = chain.sender(LocalChain.keyBytes(4));
        bob = chain.sender(LocalChain.keyBytes(5));
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        local.close();
    }

    private static VaultContracts deploy() {
        return VaultContracts.deployDev(chain, operator, operator.address(), List.of(operator.address()), 1, 0, 3_600);
    }

    private static void deposit(VaultContracts venue, Sender user, long amount) {
        venue.mint(user, user.address(), amount);
        venue.approve(user, venue.vault(), amount);
        venue.deposit(user, venue.token(), amount, user.address());
    }

    @Test
    void aDepositIsCreditedAfterKConfirmationsOnceAndAsTheEngineCommand() {
        VaultContracts venue = deploy();
        long from = chain.blockNumber();
        DepositWatcher watcher = new DepositWatcher(chain, venue.vault(), K,
                Map.of(Address.parseOrThrow(venue.token()), 0), from);
        deposit(venue, alice, 1_000);
        assertEquals(List.of(), watcher.poll(0), "1 confirmation");
        chain.mine(K - 1);
        List<ChainDeposit> seen = watcher.poll(0);
        assertEquals(1, seen.size());
        ChainDeposit d = seen.get(0);
        assertEquals(1, d.depositId());
        assertEquals(1_000, d.amount());
        assertEquals(Address.parseOrThrow(alice.address()), d.account());
        Command c = watcher.command(d);
        assertEquals(CommandType.DEPOSIT, c.type);
        assertEquals(1, c.chainDepositId);
        assertEquals(0, c.asset);
        assertArrayEquals(Address.parseOrThrow(alice.address()).toBytes(), c.address);
        assertEquals(List.of(), watcher.poll(1), "read once");
        // Not applied after all (the engine refused it): rewound to its block, the next poll offers it again.
        watcher.rewindTo(seen.get(0).blockNumber());
        assertEquals(seen, watcher.poll(0), "offered again after a rewind");
        // A restart reads from the start again: it skips what the engine credited, and offers again what it did not
        // (the engine's id check keeps every deposit credited once either way).
        Map<Address, Integer> assets = Map.of(Address.parseOrThrow(venue.token()), 0);
        assertEquals(List.of(), new DepositWatcher(chain, venue.vault(), K, assets, from).poll(1));
        assertEquals(1, new DepositWatcher(chain, venue.vault(), K, assets, from).poll(0).size());
        assertNull(new DepositWatcher(chain, venue.vault(), K, Map.of(), from).command(d), "a token not configured");
    }

    @Test
    void watchedDepositsAreCreditedByTheEngineExactlyOnceAcrossARestart() {
        VaultContracts venue = deploy();
        long from = chain.blockNumber();
        Map<Address, Integer> assets = Map.of(Address.parseOrThrow(venue.token()), 0);
        deposit(venue, alice, 100);
        deposit(venue, bob, 200);
        deposit(venue, alice, 300);
        chain.mine(K);
        io.meridian.engine.Engine engine = new io.meridian.engine.Engine(new io.meridian.model.EngineEvents() { });
        long[] sequence = {0};
        java.util.function.Function<Command, io.meridian.engine.CommandOutcome> apply = c -> {
            c.sequence = ++sequence[0];
            c.timestamp = 1_700_000_000_000_000_000L + sequence[0];
            return engine.apply(c);
        };
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new io.meridian.model.AssetSpec(0, "TUSD", 6);
        apply.apply(asset);
        DepositWatcher watcher = new DepositWatcher(chain, venue.vault(), K, assets, from);
        for (ChainDeposit d : watcher.poll(0)) {
            assertTrue(apply.apply(watcher.command(d)).accepted());
        }
        // A restart that lost its cursor offers every deposit again: the engine refuses each as credited.
        for (ChainDeposit d : new DepositWatcher(chain, venue.vault(), K, assets, from).poll(1)) {
            assertEquals(io.meridian.model.RejectReason.CHAIN_DEPOSIT_CREDITED, apply.apply(watcher.command(d)).reject());
        }
        long aliceAccount = engine.view().accountOfAddress(Address.parseOrThrow(alice.address()).toBytes());
        long bobAccount = engine.view().accountOfAddress(Address.parseOrThrow(bob.address()).toBytes());
        assertEquals(400, engine.view().ledger().balance(aliceAccount, 0));
        assertEquals(200, engine.view().ledger().balance(bobAccount, 0));
    }

    @Test
    void aReorgShallowerThanKCreditsOnlyTheSurvivingBranch() {
        VaultContracts venue = deploy();
        long from = chain.blockNumber();
        DepositWatcher watcher = new DepositWatcher(chain, venue.vault(), K,
                Map.of(Address.parseOrThrow(venue.token()), 0), from);
        venue.mint(alice, alice.address(), 500);
        venue.approve(alice, venue.vault(), 500);
        venue.mint(bob, bob.address(), 700);
        venue.approve(bob, venue.vault(), 700);
        String beforeDeposit = chain.snapshot();
        venue.deposit(alice, venue.token(), 500, alice.address());
        chain.mine(K - 2);
        assertEquals(List.of(), watcher.poll(0), "not yet confirmed");
        chain.revert(beforeDeposit);
        venue.deposit(bob, venue.token(), 700, bob.address());
        chain.mine(K);
        List<ChainDeposit> seen = watcher.poll(0);
        assertEquals(1, seen.size());
        assertEquals(700, seen.get(0).amount());
        assertEquals(Address.parseOrThrow(bob.address()), seen.get(0).account());
        assertTrue(watcher.poll(1).isEmpty());
    }
}
