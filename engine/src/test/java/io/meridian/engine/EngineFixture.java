package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;

import java.util.List;

/**
 * An engine fed like a sequencer would (sequence + 1 and a later timestamp per command) with an event recorder, plus
 * short builders for the account commands the tests send. {@link #standard} sets up USDC (asset 0) and BTC-PERP
 * (instrument 1, tick 0.1 USD, lot 0.001 BTC, no price band).
 */
final class EngineFixture {
    static final int USDC = 0;
    static final int BTC = 1;
    /** 1 USDC in minor units. */
    static final long USD = 1_000_000;

    final EventRecorder recorder = new EventRecorder(false);
    final Engine engine = new Engine(recorder);
    private long sequence;

    static EngineFixture standard() {
        EngineFixture fixture = new EngineFixture();
        fixture.apply(addAsset(new AssetSpec(USDC, "USDC", 6)));
        fixture.apply(addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0)));
        return fixture;
    }

    /**
     * {@link #standard} with account 1 (a trader, 10,000 USDC) and account 9 (a market maker, 1,000,000 USDC) funded,
     * and the recorder cleared.
     */
    static EngineFixture traderAndMarketMaker() {
        EngineFixture fixture = standard();
        fixture.apply(new Command().deposit(1, USDC, 10_000 * USD));
        fixture.apply(new Command().deposit(9, USDC, 1_000_000 * USD));
        fixture.recorder.clear();
        return fixture;
    }

    CommandOutcome apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = 1_000 + sequence;
        return engine.apply(c);
    }

    List<RejectReason> rejects() {
        return recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList();
    }

    static Command addAsset(AssetSpec spec) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = spec;
        return c;
    }

    static Command addInstrument(InstrumentSpec spec) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = spec;
        return c;
    }

    static Command mark(int instrument, long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = instrument;
        c.price = price;
        return c;
    }

    static Command leverage(long account, int instrument, int leverage) {
        Command c = new Command().setLeverage(account, instrument, leverage);
        return c;
    }

    static Command marginMode(long account, int instrument, MarginMode mode) {
        Command c = new Command().setMarginMode(account, instrument, mode);
        return c;
    }

    static Command adjustIsolated(long account, int instrument, long amount) {
        Command c = new Command().reset();
        c.type = CommandType.ADJUST_ISOLATED_MARGIN;
        c.account = account;
        c.instrument = instrument;
        c.amount = amount;
        return c;
    }

    static Command link(long owner, long sub) {
        Command c = new Command().reset();
        c.type = CommandType.LINK_SUBACCOUNT;
        c.account = owner;
        c.counterparty = sub;
        return c;
    }

    static Command collateral(int asset, int settlementAsset, long price, long weightPpm) {
        Command c = new Command().reset();
        c.type = CommandType.SET_COLLATERAL;
        c.asset = asset;
        c.settlementAsset = settlementAsset;
        c.price = price;
        c.collateralWeightPpm = weightPpm;
        return c;
    }
}
