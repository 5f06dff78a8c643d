package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An engine with USDC (asset 0, 6 decimals), the index BTC-USD (index 0, 2 decimals, one source, no move limit,
 * one-hour staleness) and BTC-PERP priced from it (instrument 1), with a clock the test moves ({@link #at}).
 *
 * <p>Options listed by {@link #option}: tick 0.1 USD of premium per BTC, lot 0.01 contracts of 1 BTC, so one
 * lot-tick is 1,000 USDC minor units and a premium of 1,500 USD is 15,000 ticks; one lot settles 100 minor units per
 * index unit (0.01 USD) of intrinsic value.
 */
final class OptionFixture {
    static final int USDC = 0;
    static final int INDEX = 0;
    static final int PERP = 1;
    static final long USD = 1_000_000;
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** 2023-11-14T22:13:20Z. */
    static final long START = 1_700_000_000L * SECOND;
    static final long EXPIRY = START + 7 * DAY;
    /** 60,000.00 USD in index units. */
    static final long S60K = 6_000_000;

    final EventRecorder recorder = new EventRecorder(false);
    final Engine engine;
    private long sequence;
    private long now = START;
    private long orderId = 1_000;

    OptionFixture() {
        this(EngineConfig.defaults());
    }

    OptionFixture(EngineConfig config) {
        engine = new Engine(recorder, config);
    }

    /** USDC, the index, BTC-PERP and accounts 1..9 with {@code deposit} USD each; the recorder cleared. */
    static OptionFixture standard(long deposit) {
        OptionFixture f = new OptionFixture();
        f.setUp(deposit, HOUR);
        return f;
    }

    /** As {@link #standard}, with the index going stale {@code stalenessNanos} after its last report. */
    void setUp(long deposit, long stalenessNanos) {
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, "a").withMaxMovePpmPerSecond(0).withStalenessNanos(stalenessNanos);
        apply(index);
        Command perp = new Command().reset();
        perp.type = CommandType.ADD_INSTRUMENT;
        perp.instrumentSpec = InstrumentSpec.perpetual(PERP, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        perp.pricingSpec = PricingSpec.perpetual(INDEX, 6);
        apply(perp);
        for (long account = 1; account <= 9; account++) {
            apply(new Command().deposit(account, USDC, deposit * USD));
        }
        assertEquals(List.of(), rejects(), "set-up");
        recorder.clear();
    }

    /** Moves the clock; later commands carry this timestamp. */
    OptionFixture at(long timestamp) {
        now = timestamp;
        return this;
    }

    long now() {
        return now;
    }

    void apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = now;
        engine.apply(c);
    }

    /** The index's one source reports {@code units} (0.01 USD) now. */
    void index(long units) {
        apply(new Command().oracleReport(INDEX, 0, units, now));
    }

    void tick() {
        Command c = new Command().reset();
        c.type = CommandType.TIME_TICK;
        apply(c);
    }

    static InstrumentSpec optionSpec(int id, OptionRight right, String strike, long expiry) {
        return InstrumentSpec.option(id, "BTC-" + strike + "-" + right.code(), "BTC", "USDC", 6, "0.1", "0.01", "1",
                expiry);
    }

    static Command listing(int id, OptionRight right, String strike, long expiry) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = optionSpec(id, right, strike, expiry);
        c.optionSpec = OptionSpec.of(INDEX, strike, right);
        return c;
    }

    /** Lists an option on the index expiring at {@link #EXPIRY}. */
    void option(int id, OptionRight right, String strike) {
        apply(listing(id, right, strike, EXPIRY));
    }

    /** A resting GTC limit order; returns its id. */
    long limit(long account, int instrument, Side side, long price, long lots) {
        long id = ++orderId;
        apply(new Command().limit(account, instrument, id, side, price, lots, TimeInForce.GTC));
        return id;
    }

    /** {@code buyer} buys {@code lots} from {@code seller} at {@code price} ticks (seller rests, buyer takes). */
    void trade(int instrument, long buyer, long seller, long price, long lots) {
        limit(seller, instrument, Side.SELL, price, lots);
        apply(new Command().limit(buyer, instrument, ++orderId, Side.BUY, price, lots, TimeInForce.IOC));
    }

    void setMark(int instrument, long ticks) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = instrument;
        c.price = ticks;
        apply(c);
    }

    void marginMode(long account, int instrument, MarginMode mode) {
        Command c = new Command().setMarginMode(account, instrument, mode);
        apply(c);
    }

    List<RejectReason> rejects() {
        return recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList();
    }
}
