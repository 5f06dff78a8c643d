package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.risk.MarginEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sub-accounts, transfers between them, and the liquidation price query. */
class AccountsTest {
    private static final int USDC = EngineFixture.USDC;
    private static final int BTC = EngineFixture.BTC;
    private static final long USD = EngineFixture.USD;

    private EngineFixture fx;
    private Engine engine;

    @BeforeEach
    void setUp() {
        fx = EngineFixture.traderAndMarketMaker();
        engine = fx.engine;
    }

    private void apply(Command c) {
        fx.apply(c);
    }

    private static Command link(long owner, long sub) {
        return EngineFixture.link(owner, sub);
    }

    private List<RejectReason> rejects() {
        return fx.rejects();
    }

    /** Registers BTC (asset 1, 8 decimals) as collateral for USDC at 65,000 with a 5% haircut. */
    private void btcBacksUsdc() {
        apply(EngineFixture.addAsset(new AssetSpec(1, "BTC", 8)));
        apply(EngineFixture.collateral(1, USDC, 65_000 * USD, 950_000));
    }

    @Test
    void ownersMoveValueBetweenTheirSubAccounts() {
        apply(link(1, 2));
        apply(link(1, 3));
        apply(new Command().transfer(1, 2, USDC, 4_000 * USD));
        apply(new Command().transfer(2, 3, USDC, 1_000 * USD));
        assertEquals(6_000 * USD, engine.view().ledger().balance(1, USDC));
        assertEquals(3_000 * USD, engine.view().ledger().balance(2, USDC));
        assertEquals(1_000 * USD, engine.view().ledger().balance(3, USDC));
        assertEquals(1, engine.view().owner(3));
        assertEquals(List.of(), rejects());
        List<Event.PostingApplied> postings = fx.recorder.ofType(Event.PostingApplied.class);
        assertEquals(List.of(PostingType.TRANSFER, PostingType.TRANSFER),
                postings.stream().map(Event.PostingApplied::type).toList());
        assertEquals(List.of(1L, 2L, 2L, 3L), fx.recorder.ofType(Event.AccountUpdated.class).stream()
                .map(Event.AccountUpdated::account).toList());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void linkingAndTransfersAreRefusedOutsideOneFamily() {
        apply(link(1, 2));
        apply(link(1, 2));
        apply(link(2, 4));
        apply(link(5, 1));
        apply(link(5, 9));
        apply(link(1, 1));
        apply(link(0, 6));
        apply(new Command().transfer(1, 9, USDC, 1));
        apply(new Command().transfer(1, 1, USDC, 1));
        apply(new Command().transfer(1, 2, 7, 1));
        apply(new Command().transfer(1, 2, USDC, 0));
        apply(new Command().transfer(1, 2, USDC, 10_000 * USD + 1));
        assertEquals(List.of(RejectReason.INVALID_SUBACCOUNT, RejectReason.INVALID_SUBACCOUNT,
                RejectReason.INVALID_SUBACCOUNT, RejectReason.INVALID_SUBACCOUNT, RejectReason.INVALID_SUBACCOUNT,
                RejectReason.INVALID_ACCOUNT, RejectReason.INVALID_TRANSFER, RejectReason.INVALID_TRANSFER,
                RejectReason.UNKNOWN_ASSET, RejectReason.INVALID_AMOUNT, RejectReason.INSUFFICIENT_BALANCE), rejects());
    }

    @Test
    void aTransferKeepsTheSendersInitialMarginCovered() {
        apply(link(1, 2));
        apply(new Command().limit(1, BTC, 10, Side.BUY, 650_000, 1_000, TimeInForce.GTC));
        apply(new Command().transfer(1, 2, USDC, 6_750 * USD + 1));
        apply(new Command().transfer(1, 2, USDC, 6_750 * USD));
        assertEquals(List.of(RejectReason.WITHDRAWAL_BREACHES_MARGIN), rejects());
        assertEquals(3_250 * USD, engine.view().ledger().balance(1, USDC));
    }

    @Test
    void liquidationPriceIsWhereEquityMeetsMaintenanceMargin() {
        apply(new Command().limit(9, BTC, 10, Side.SELL, 650_000, 1_000, TimeInForce.GTC));
        apply(new Command().limit(1, BTC, 11, Side.BUY, 650_000, 1_000, TimeInForce.IOC));
        long liquidation = engine.view().liquidationPrice(1, BTC);
        // 1 BTC long at 65,000 backed by about 9,967 USDC: liquidated somewhere below 55,500 and well above 50,000.
        assertTrue(liquidation > 500_000 && liquidation < 555_000, "liquidation price " + liquidation);
        setMark(liquidation + 1);
        MarginEngine.MarginState above = engine.view().marginState(1, USDC);
        assertTrue(above.equity > above.maintenanceMargin, "safe one tick above");
        assertTrue(fx.recorder.ofType(Event.LiquidationStarted.class).isEmpty());
        setMark(liquidation);
        Event.LiquidationStarted started = fx.recorder.ofType(Event.LiquidationStarted.class).get(0);
        assertEquals(1, started.account());
        assertTrue(started.equity() <= started.maintenanceMargin(), "liquidatable at the price");
        assertEquals(0, engine.view().liquidationPrice(2, BTC), "no position, no price");
    }

    @Test
    void feeTiersReplaceTheInstrumentsRates() {
        Command tier = new Command().reset();
        tier.type = CommandType.SET_FEE_TIER;
        tier.account = 9;
        tier.feeTier = 4;
        apply(tier);
        assertEquals(4, engine.view().feeTier(9));
        // Maker in the market-maker tier (-0.005%), taker in tier 0 (the instrument's 0.05%): 1 BTC at 65,000.
        apply(new Command().limit(9, BTC, 10, Side.SELL, 650_000, 1_000, TimeInForce.GTC));
        apply(new Command().limit(1, BTC, 11, Side.BUY, 650_000, 1_000, TimeInForce.IOC));
        assertEquals(1_000_000 * USD + 3_250_000, engine.view().ledger().balance(9, USDC), "3.25 USDC rebate");
        assertEquals(10_000 * USD - 32_500_000, engine.view().ledger().balance(1, USDC));
        tier.feeTier = 5;
        apply(tier);
        tier.feeTier = -1;
        apply(tier);
        Command greedy = EngineTest.addInstrument(InstrumentSpec.perpetual(2, "ETH-PERP", "ETH", "USDC", "0.01", "0.01")
                .withFeesPpm(-300, 300));
        apply(greedy);
        assertEquals(List.of(RejectReason.INVALID_FEE_TIER, RejectReason.INVALID_FEE_TIER,
                RejectReason.INVALID_INSTRUMENT), rejects(), "a 0.03% rebate would exceed the VIP taker fee of 0.025%");
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void otherAssetsBackMarginAtTheirWeightButAreNotCash() {
        btcBacksUsdc();
        apply(new Command().deposit(5, 1, 100_000_000L));
        // 1 BTC at 65,000 with a 5% haircut backs 61,750 USDC of margin, though the account holds no USDC at all.
        assertEquals(61_750 * USD, engine.view().marginState(5, USDC).equity);
        apply(new Command().limit(5, BTC, 10, Side.BUY, 650_000, 1_000, TimeInForce.GTC));
        assertEquals(3_250 * USD, engine.view().marginState(5, USDC).initialMargin);
        apply(new Command().withdraw(5, USDC, 1));
        apply(new Command().withdraw(5, 1, 100_000_000L));
        apply(new Command().withdraw(5, 1, 90_000_000L));
        // 0.1 BTC left backs 6,175 USDC; taking 0.05 more would leave 3,087.5 against 3,250 of initial margin.
        apply(new Command().withdraw(5, 1, 5_000_000L));
        apply(EngineFixture.collateral(1, USDC, 65_000 * USD, 0));
        apply(EngineFixture.collateral(1, 1, 65_000 * USD, 950_000));
        assertEquals(List.of(RejectReason.INSUFFICIENT_BALANCE, RejectReason.WITHDRAWAL_BREACHES_MARGIN,
                RejectReason.WITHDRAWAL_BREACHES_MARGIN, RejectReason.INVALID_COLLATERAL,
                RejectReason.INVALID_COLLATERAL), rejects());
        assertEquals(10_000_000L, engine.view().ledger().balance(5, 1));
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void lossesBeyondTheSettlementBalanceAreCarriedByCollateral() {
        btcBacksUsdc();
        apply(new Command().deposit(5, 1, 100_000_000L));
        apply(new Command().limit(9, BTC, 10, Side.SELL, 650_000, 1_000, TimeInForce.GTC));
        apply(new Command().limit(5, BTC, 11, Side.BUY, 650_000, 1_000, TimeInForce.IOC));
        apply(new Command().limit(9, BTC, 12, Side.BUY, 640_000, 1_000, TimeInForce.GTC));
        apply(new Command().limit(5, BTC, 13, Side.SELL, 640_000, 1_000, TimeInForce.IOC));
        // Lost 1,000 USDC plus fees with no USDC: the USDC balance is negative, a loan against the BTC.
        long usdc = engine.view().ledger().balance(5, USDC);
        assertEquals(-(1_000 * USD + 32_500_000 + 32_000_000), usdc);
        assertEquals(61_750 * USD + usdc, engine.view().marginState(5, USDC).equity);
        assertEquals(List.of(), rejects());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    private void setMark(long price) {
        apply(EngineFixture.mark(BTC, price));
    }
}
