package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.pricing.PricingView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, the mark price under manipulation: one test per pattern a hostile trader can use with little money
 * (dust quotes far away, a wash print far away, layering that never trades, a one-sided book, an empty book), and
 * the reported attack end to end. The index stays flat at 30,000 with every source agreeing; the book's price band
 * is off (0) unless a test says otherwise, so the mark's own defences are what is tested.
 *
 * <p>Units as in {@link IndexMarkFundingTest}: tick 0.1 USD, lot 0.001 BTC, index with 2 decimals (10 units per
 * tick); 30,000.00 USD = 3,000,000 index units = 300,000 ticks. The default mark band is 0.5% = 15,000 units.
 */
class MarkManipulationTest {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final int INDEX = 0;
    private static final long USD = 1_000_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3_600 * SECOND;
    private static final long ONE_BTC = 1_000;
    private static final long INDEX_UNITS = 3_000_000;
    private static final long BAND_UNITS = 15_000;
    /** The start: 01:00, so p1 = index x (1 + 0.01% x 7/8) = 3,000,262 units until the first premium sample. */
    private static final long START = HOUR;
    private static final long HONEST = 1;
    private static final long COUNTERPARTY = 2;
    private static final long MANIPULATOR = 3;
    private static final long ACCOMPLICE = 4;
    private static final long MAKER = 9;

    private final EventRecorder recorder = new EventRecorder(false);
    private final Engine engine = new Engine(recorder);
    private long sequence;
    private long orderId = 100;
    private long now;

    private void apply(Command c, long timestamp) {
        c.sequence = ++sequence;
        c.timestamp = timestamp;
        now = timestamp;
        engine.apply(c);
    }

    /** USDC, a three-source BTC index flat at 30,000, BTC-PERP priced from it with {@code priceBandPpm}. */
    private void setUp(long priceBandPpm) {
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset, START);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, "a", "b", "c");
        apply(index, START);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(priceBandPpm);
        instrument.pricingSpec = PricingSpec.perpetual(INDEX, 6);
        apply(instrument, START);
        apply(new Command().deposit(COUNTERPARTY, USDC, 1_000_000 * USD), START);
        apply(new Command().deposit(MANIPULATOR, USDC, 1_000_000 * USD), START);
        apply(new Command().deposit(ACCOMPLICE, USDC, 1_000_000 * USD), START);
        apply(new Command().deposit(MAKER, USDC, 10_000_000 * USD), START);
        report(START);
        assertEquals(List.of(), rejects(), "set-up");
    }

    private void report(long timestamp) {
        for (int source = 0; source < 3; source++) {
            apply(new Command().oracleReport(INDEX, source, INDEX_UNITS, timestamp), timestamp);
        }
    }

    private void tick(long timestamp) {
        Command c = new Command().reset();
        c.type = CommandType.TIME_TICK;
        apply(c, timestamp);
    }

    /** The index reported every 10 s and a time tick every second, from {@code from} for {@code seconds}. */
    private void runFlatIndex(long from, int seconds) {
        for (int s = 1; s <= seconds; s++) {
            long t = from + s * SECOND;
            if (s % 10 == 0) {
                report(t);
            } else {
                tick(t);
            }
            assertWithinBand();
        }
    }

    private void limit(long account, Side side, long price, long lots, TimeInForce tif, long timestamp) {
        apply(new Command().limit(account, BTC, ++orderId, side, price, lots, tif), timestamp);
    }

    private List<RejectReason> rejects() {
        return recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList();
    }

    private PricingView pricing() {
        return engine.view().pricing(BTC);
    }

    /**
     * p1 at the last command's time: the index with the predicted funding basis for the part of the interval left,
     * clamped to the band (the predicted rate follows premium samples of the book, so it is clamped like the book).
     */
    private long fundingBasis() {
        long interval = PricingSpec.DEFAULT_FUNDING_INTERVAL_NANOS;
        long remaining = Math.min(pricing().nextFundingTime() - now, interval);
        long rate = FixedPoint.mulDivFloor(pricing().predictedRate(), remaining, interval);
        long basis = FixedPoint.mulDivFloor(INDEX_UNITS, rate, 1_000_000_000L);
        return INDEX_UNITS + Math.max(-BAND_UNITS, Math.min(BAND_UNITS, basis));
    }

    /** |mark - index| <= band, in index units (the mark's rounding to a tick adds at most half a tick, 5 units). */
    private void assertWithinBand() {
        long units = pricing().markUnits();
        assertTrue(Math.abs(units - INDEX_UNITS) <= BAND_UNITS, "mark " + units + " is further than the band from"
                + " the index");
        assertTrue(Math.abs(engine.view().book(BTC).markPrice() * 10 - INDEX_UNITS) <= BAND_UNITS + 5,
                "mark " + engine.view().book(BTC).markPrice() + " ticks");
    }

    @Test
    void dustQuotesFarAwayAreNotSeen() {
        setUp(0);
        // 0.002 BTC bid at 36,050 and 0.01 BTC offered at 36,100: 72 and 361 USDC, far below the 10,000 USDC impact
        // notional, so neither side has an impact price and the basis is never sampled.
        limit(MANIPULATOR, Side.BUY, 360_500, 2, TimeInForce.GTC, START);
        limit(MANIPULATOR, Side.SELL, 361_000, 10, TimeInForce.GTC, START);
        runFlatIndex(START, 200);
        assertEquals(0, pricing().emaBasis());
        assertEquals(fundingBasis(), pricing().markUnits(), "the mark is p1: the book component is missing");
    }

    @Test
    void aWashPrintFarAwayCountsOnlyUpToTheBand() {
        setUp(0);
        // The manipulator and an accomplice print 0.001 BTC at 36,000 (+20%); p3 is clamped to index + 0.5% and,
        // with no book component, the median of p1, p1 and p3 is p1.
        limit(ACCOMPLICE, Side.SELL, 360_000, 1, TimeInForce.GTC, START);
        limit(MANIPULATOR, Side.BUY, 360_000, 1, TimeInForce.IOC, START);
        assertEquals(360_000, engine.view().book(BTC).lastTradePrice());
        runFlatIndex(START, 30);
        assertEquals(fundingBasis(), pricing().markUnits());
        // Even with an honest deep book at the index, the print cannot pull the mark beyond the band: the median of
        // p1, the book at the index and the clamped print is within it.
        limit(MAKER, Side.BUY, 299_990, ONE_BTC, TimeInForce.GTC, START + 31 * SECOND);
        limit(MAKER, Side.SELL, 300_010, ONE_BTC, TimeInForce.GTC, START + 31 * SECOND);
        runFlatIndex(START + 31 * SECOND, 300);
        assertTrue(Math.abs(pricing().markUnits() - INDEX_UNITS) <= 300, "mark " + pricing().markUnits());
    }

    @Test
    void layeringThatNeverTradesMovesTheMarkAtMostToTheBand() {
        setUp(0);
        // Real size, never meant to trade: 1 BTC a side 10% above the index (33,000+ USDC, enough for the impact
        // notional), after an honest print at the index. The sampled basis is clamped to the band, so the book
        // component reaches index + 0.5% and no further; the same impact prices raise the funding premium to its
        // cap, and p1 is clamped to the band as well. The mark ends at the band's edge, never beyond.
        limit(MAKER, Side.SELL, 300_000, 1, TimeInForce.GTC, START);
        limit(COUNTERPARTY, Side.BUY, 300_000, 1, TimeInForce.IOC, START);
        limit(MANIPULATOR, Side.BUY, 330_000, ONE_BTC, TimeInForce.GTC, START);
        limit(MANIPULATOR, Side.SELL, 330_100, ONE_BTC, TimeInForce.GTC, START);
        runFlatIndex(START, 600);
        assertEquals(BAND_UNITS, pricing().emaBasis(), "the clamped samples pull the EMA to the band and no further");
        assertEquals(pricing().cap(), pricing().predictedRate(), "the premium is real: the rate is at its cap");
        assertEquals(INDEX_UNITS + BAND_UNITS, fundingBasis(), "p1 is clamped to the band");
        assertEquals(INDEX_UNITS + BAND_UNITS, pricing().markUnits(), "median(index + band, index + band, index)");
        // Ten layered ask levels from 10% up and the bid pulled: one-sided, so the basis is no longer sampled.
        apply(new Command().cancel(MANIPULATOR, BTC, orderId - 1), START + 601 * SECOND);
        for (int level = 0; level < 10; level++) {
            limit(MANIPULATOR, Side.SELL, 330_200 + level * 100, ONE_BTC, TimeInForce.GTC, START + 601 * SECOND);
        }
        assertEquals(List.of(), rejects());
        runFlatIndex(START + 601 * SECOND, 60);
        assertEquals(BAND_UNITS, pricing().emaBasis());
    }

    @Test
    void aOneSidedBookIsNotSampled() {
        setUp(0);
        // 5 BTC bid 10% above the index, nothing offered: no impact ask, so no basis sample however deep the bids.
        // (The bids do raise the funding premium, through p1, which stays within the band.)
        limit(MANIPULATOR, Side.BUY, 330_000, 5 * ONE_BTC, TimeInForce.GTC, START);
        runFlatIndex(START, 200);
        assertEquals(0, pricing().emaBasis());
        assertEquals(fundingBasis(), pricing().markUnits());
        // An offer too thin for the impact notional still leaves it one-sided.
        limit(MANIPULATOR, Side.SELL, 330_100, 10, TimeInForce.GTC, START + 201 * SECOND);
        runFlatIndex(START + 201 * SECOND, 60);
        assertEquals(0, pricing().emaBasis());
    }

    @Test
    void anEmptyBookMarksAtTheFundingBasisPrice() {
        setUp(0);
        runFlatIndex(START, 120);
        assertEquals(0, pricing().emaBasis());
        assertEquals(fundingBasis(), pricing().markUnits());
        // 6 h 58 min before the 08:00 funding, with the interest rate alone (0.01%):
        // 3,000,000 x floor(100,000 x 25,080 / 28,800) / 1e9 = 261.2 units above the index.
        assertEquals(3_000_261, pricing().markUnits());
        assertEquals(300_026, engine.view().book(BTC).markPrice(), "rounded half up to ticks");
    }

    /**
     * The reported attack: with the index flat at 30,000 the manipulator rests 0.002 BTC bid near 36,050 and 0.01
     * BTC offered near 36,100 and prints 0.001 BTC at 36,000; before the fix the mark drifted to 34,000-36,000
     * within about 150 s and liquidated an honest 1 BTC short opened at 30,000 with about 13% margin. Now the mark
     * stays within the band of the index and the short keeps its position.
     */
    @Test
    void theReportedAttackLiquidatesNobody() {
        setUp(0);
        // The honest short: 1 BTC sold at 30,000 with 3,900 USDC (13%) of margin.
        apply(new Command().deposit(HONEST, USDC, 3_900 * USD), START);
        limit(COUNTERPARTY, Side.BUY, 300_000, ONE_BTC, TimeInForce.GTC, START);
        limit(HONEST, Side.SELL, 300_000, ONE_BTC, TimeInForce.IOC, START);
        assertEquals(-ONE_BTC, engine.view().positions(BTC).size(HONEST));
        // The attack.
        limit(ACCOMPLICE, Side.SELL, 360_000, 1, TimeInForce.GTC, START + SECOND);
        limit(MANIPULATOR, Side.BUY, 360_000, 1, TimeInForce.IOC, START + SECOND);
        limit(MANIPULATOR, Side.BUY, 360_500, 2, TimeInForce.GTC, START + SECOND);
        limit(MANIPULATOR, Side.SELL, 361_000, 10, TimeInForce.GTC, START + SECOND);
        assertEquals(List.of(), rejects());
        runFlatIndex(START + SECOND, 300);
        assertEquals(-ONE_BTC, engine.view().positions(BTC).size(HONEST), "the honest short is still open");
        assertEquals(List.of(), recorder.ofType(Event.LiquidationStarted.class));
        assertTrue(engine.view().book(BTC).markPrice() <= 301_500, "mark " + engine.view().book(BTC).markPrice());
        assertTrue(engine.view().ledger().isConserved());
    }

    /** The first line of defence: with the default 5% price band the far-away quotes never reach the book. */
    @Test
    void theDefaultPriceBandRejectsTheFarQuotes() {
        setUp(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").priceBandPpm());
        limit(MANIPULATOR, Side.BUY, 360_500, 2, TimeInForce.GTC, START);
        limit(MANIPULATOR, Side.SELL, 361_000, 10, TimeInForce.GTC, START);
        limit(ACCOMPLICE, Side.SELL, 360_000, 1, TimeInForce.GTC, START);
        limit(MANIPULATOR, Side.BUY, 314_000, 2, TimeInForce.GTC, START);
        assertEquals(List.of(RejectReason.PRICE_OUTSIDE_BAND, RejectReason.PRICE_OUTSIDE_BAND,
                RejectReason.PRICE_OUTSIDE_BAND), rejects(), "4.7% above the mark is inside the 5% band");
    }
}
