package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.engine.SettlementStatement;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.settlement.Chain.Sender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole settlement path on a real local chain and a real engine: deposits on chain credited through the watcher,
 * a trade and a mark move, a signed withdrawal, a batch cut from the engine and committed, every address's balance
 * proven on chain (positions at the mark), the withdrawal paid once to its signed destination, and the vault solvent.
 */
class SettlementFlowTest {
    private static final long USD = 1_000_000;
    private static final int TUSD = 0;
    private static final int BTC = 1;
    private static LocalChain local;
    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        local = LocalChain.start(LocalChain.defaultContractsDir());
        chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID);
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        local.close();
    }

    private final Engine engine = new Engine(new EngineEvents() { });
    private long sequence;
    private long now = 1_700_000_000_000_000_000L;

    private CommandOutcome apply(Command c, BatchBuilder batches) {
        c.sequence = ++sequence;
        now += 1_000_000;
        c.timestamp = now;
        CommandOutcome outcome = engine.apply(c);
        batches.onApplied(c, outcome, engine.view());
        return outcome;
    }

    private Command signed(Command c, Secp256k1PrivateKey key) {
        c.nonce = now / 1_000_000 + sequence + 1;
        return SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), key);
    }

    @Test
    void depositTradeWithdrawCommitProveAndPay() {
        Sender operator = chain.sender(LocalChain.keyBytes(0));
        Secp256k1PrivateKey aliceKey = LocalChain.key(4);
        Secp256k1PrivateKey bobKey = LocalChain.key(5);
        Sender alice = chain.sender(LocalChain.keyBytes(4));
        Sender bob = chain.sender(LocalChain.keyBytes(5));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(operator.address()), 1, 0, 3_600);
        Address token = Address.parseOrThrow(venue.token());
        long from = chain.blockNumber();
        for (Sender user : List.of(alice, bob)) {
            venue.mint(user, user.address(), 10_000 * USD);
            venue.approve(user, venue.vault(), 10_000 * USD);
            venue.deposit(user, venue.token(), 10_000 * USD, user.address());
        }
        chain.mine(2);

        BatchBuilder batches = new BatchBuilder(Map.of(TUSD, token), 1);
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(TUSD, "TUSD", 6);
        apply(asset, batches);
        Command listing = new Command().reset();
        listing.type = CommandType.ADD_INSTRUMENT;
        listing.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "TUSD", "0.1", "0.001")
                .withPriceBandPpm(0);
        apply(listing, batches);
        DepositWatcher watcher = new DepositWatcher(chain, venue.vault(), 3, Map.of(token, TUSD), from);
        for (DepositWatcher.ChainDeposit d : watcher.poll(0)) {
            assertTrue(apply(watcher.command(d), batches).accepted());
        }
        Command mark = new Command().reset();
        mark.type = CommandType.SET_MARK_PRICE;
        mark.instrument = BTC;
        mark.price = 600_000;
        apply(mark, batches);
        // Bob sells 1 BTC at 60,000 to Alice; the mark then moves to 61,000: Alice +1,000, Bob -1,000 (less fees).
        assertTrue(apply(signed(new Command().limit(0, BTC, sequence + 1, Side.SELL, 600_000, 1_000, TimeInForce.GTC),
                bobKey), batches).accepted());
        assertTrue(apply(signed(new Command().limit(0, BTC, sequence + 1, Side.BUY, 600_000, 1_000, TimeInForce.IOC),
                aliceKey), batches).accepted());
        mark.price = 610_000;
        apply(new Command().copyFrom(mark), batches);
        Command withdraw = new Command().reset();
        withdraw.type = CommandType.WITHDRAW;
        withdraw.asset = TUSD;
        withdraw.amount = 2_500 * USD;
        Secp256k1PrivateKey carol = LocalChain.key(9);
        withdraw.destination = carol.address().toBytes();
        assertTrue(apply(signed(withdraw, aliceKey), batches).accepted());
        assertEquals(1, batches.pendingWithdrawals());

        SettlementBatch batch = batches.cut(engine.view(), engine.stateHash());
        batch.commit(venue, operator);
        assertEquals(1, venue.batchCount());
        SettlementBatch.AssetRoot root = batch.roots().get(TUSD);
        List<SettlementStatement.Entry> entries = root.entries();
        assertEquals(2, entries.size());
        BigInteger liabilities = BigInteger.ZERO;
        for (int i = 0; i < entries.size(); i++) {
            SettlementStatement.Entry e = entries.get(i);
            assertTrue(venue.verifyBalance(1, e.address().toLowerHex(), venue.token(), e.balance(), root.tree().proof(i)));
            liabilities = liabilities.add(BigInteger.valueOf(e.balance()));
        }
        long aliceOwed = entries.get(root.indexOf(aliceKey.address())).balance();
        long bobOwed = entries.get(root.indexOf(bobKey.address())).balance();
        assertTrue(aliceOwed > 8_400 * USD && aliceOwed < 8_500 * USD, "10,000 - 2,500 + 1,000 less fees: " + aliceOwed);
        assertTrue(bobOwed > 8_900 * USD && bobOwed < 9_000 * USD, "10,000 - 1,000 less fees: " + bobOwed);
        assertEquals(liabilities, venue.balanceRoot(1, venue.token()).total());

        BatchBuilder.Withdrawal w = batch.withdrawals().get(0);
        venue.withdraw(bob, 1, w.withdrawalId(), w.account().toLowerHex(), w.destination().toLowerHex(), venue.token(),
                w.amount(), 0, batch.withdrawalProof(0));
        assertEquals(BigInteger.valueOf(2_500 * USD), venue.tokenBalance(carol.address().toLowerHex()));
        assertThrowsAlreadyPaid(() -> venue.withdraw(bob, 1, w.withdrawalId(), w.account().toLowerHex(),
                w.destination().toLowerHex(), venue.token(), w.amount(), 0, batch.withdrawalProof(0)));
        // Solvent: the vault holds at least what the venue owes (fees and the unpaid nothing are the venue's margin).
        assertTrue(venue.tokenBalance(venue.vault()).compareTo(liabilities) >= 0);
    }

    @Test
    void aForcedRequestServedThroughABatchCannotFreezeTheVault() {
        Sender operator = chain.sender(LocalChain.keyBytes(0));
        Secp256k1PrivateKey daveKey = LocalChain.key(6);
        Sender dave = chain.sender(LocalChain.keyBytes(6));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(operator.address()), 1, 0, 600);
        Address token = Address.parseOrThrow(venue.token());
        long from = chain.blockNumber();
        venue.mint(dave, dave.address(), 3_000 * USD);
        venue.approve(dave, venue.vault(), 3_000 * USD);
        venue.deposit(dave, venue.token(), 3_000 * USD, dave.address());
        venue.requestForcedWithdrawal(dave, venue.token());
        chain.mine(3);
        BatchBuilder batches = new BatchBuilder(Map.of(TUSD, token), 1);
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(TUSD, "TUSD", 6);
        apply(asset, batches);
        DepositWatcher watcher = new DepositWatcher(chain, venue.vault(), 3, Map.of(token, TUSD), from);
        for (DepositWatcher.ChainDeposit d : watcher.poll(0)) {
            assertTrue(apply(watcher.command(d), batches).accepted());
        }
        // The operator journals the request (request id 0: forcedRef 1); the engine pays out all that is free.
        Command forced = new Command().reset();
        forced.type = CommandType.FORCED_WITHDRAWAL;
        forced.address = daveKey.address().toBytes();
        forced.asset = TUSD;
        forced.forcedRef = 1;
        assertTrue(apply(forced, batches).accepted());
        assertEquals(3_000 * USD, forced.amount);
        SettlementBatch batch = batches.cut(engine.view(), engine.stateHash());
        batch.commit(venue, operator);
        BatchBuilder.Withdrawal w = batch.withdrawals().get(0);
        assertEquals(1, w.forcedRef());
        BigInteger before = venue.tokenBalance(dave.address());
        venue.withdraw(operator, 1, w.withdrawalId(), w.account().toLowerHex(), w.destination().toLowerHex(),
                venue.token(), w.amount(), w.forcedRef(), batch.withdrawalProof(0));
        assertEquals(before.add(BigInteger.valueOf(3_000 * USD)), venue.tokenBalance(dave.address()));
        chain.increaseTime(600);
        Chain.ChainException refused = org.junit.jupiter.api.Assertions.assertThrows(Chain.ChainException.class,
                () -> venue.freeze(operator, 0));
        assertTrue(refused.is("BadRequest()"), refused.getMessage());
    }

    private static void assertThrowsAlreadyPaid(org.junit.jupiter.api.function.Executable call) {
        Chain.ChainException e = org.junit.jupiter.api.Assertions.assertThrows(Chain.ChainException.class, call);
        assertTrue(e.is("AlreadyPaid()"), e.getMessage());
    }
}
