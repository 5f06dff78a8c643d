package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a book holds and trades, the mark stays within the mark band of a usable index: seeded random flow of
 * limit orders (resting and immediate, dust to several BTC, anywhere within 30% of the index, with the book's price
 * band off), cancels, oracle reports of a wandering index, and time passing over premium samples and a funding time.
 * Checked after every command: {@code |markUnits - index| <= floor(index x markBandPpm / 1e6)}, and in ticks within
 * half a tick more.
 */
class MarkBandProperties {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final int INDEX = 0;
    private static final long USD = 1_000_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3_600 * SECOND;

    @Property(tries = 40, seed = "15")
    void theMarkStaysWithinTheBandOfAUsableIndex(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed,
                                                 @ForAll @LongRange(min = 1_000, max = 20_000) long markBandPpm) {
        SplittableRandom random = new SplittableRandom(seed);
        Engine engine = new Engine(new EventRecorder(false));
        long[] sequence = {0};
        long now = 7 * HOUR + 50 * 60 * SECOND;
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(engine, sequence, asset, now);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, "a", "b", "c");
        apply(engine, sequence, index, now);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        instrument.pricingSpec = PricingSpec.perpetual(INDEX, 6).withMarkBandPpm(markBandPpm);
        apply(engine, sequence, instrument, now);
        for (long account = 1; account <= 6; account++) {
            apply(engine, sequence, new Command().deposit(account, USDC, 100_000_000 * USD), now);
        }
        long indexUnits = 3_000_000;
        long orderId = 0;
        for (int step = 0; step < 600; step++) {
            int action = random.nextInt(10);
            if (action < 2) {
                now += random.nextLong(0, 15 * SECOND);
                indexUnits = Math.max(100_000, indexUnits + random.nextLong(-30_000, 30_001));
                for (int source = 0; source < 3; source++) {
                    apply(engine, sequence, new Command().oracleReport(INDEX, source, indexUnits, now), now);
                }
            } else if (action < 3) {
                now += random.nextLong(0, 20 * SECOND);
                Command tick = new Command().reset();
                tick.type = CommandType.TIME_TICK;
                apply(engine, sequence, tick, now);
            } else if (action < 4 && orderId > 0) {
                apply(engine, sequence, new Command().cancel(1 + random.nextLong(6), BTC,
                        1 + random.nextLong(orderId)), now);
            } else {
                long account = 1 + random.nextLong(6);
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                long ticks = indexUnits / 10;
                long price = Math.max(1, ticks + random.nextLong(-ticks * 3 / 10, ticks * 3 / 10 + 1));
                long lots = random.nextInt(4) == 0 ? 1 + random.nextLong(5_000) : 1 + random.nextLong(20);
                TimeInForce tif = random.nextInt(3) == 0 ? TimeInForce.IOC : TimeInForce.GTC;
                apply(engine, sequence, new Command().limit(account, BTC, ++orderId, side, price, lots, tif), now);
            }
            if (engine.view().indexPrice(INDEX) > 0 && !engine.view().isIndexStale(INDEX)) {
                long indexPrice = engine.view().indexPrice(INDEX);
                long band = FixedPoint.mulDivFloor(indexPrice, markBandPpm, FixedPoint.PPM);
                long mark = engine.view().pricing(BTC).markUnits();
                long s = step;
                assertTrue(Math.abs(mark - indexPrice) <= band, () -> "seed " + seed + " step " + s + ": mark " + mark
                        + " index " + indexPrice + " band " + band);
                long ticks = engine.view().book(BTC).markPrice();
                assertTrue(Math.abs(ticks * 10 - indexPrice) <= band + 5, () -> "seed " + seed + " step " + s
                        + ": mark " + ticks + " ticks, index " + indexPrice);
            }
        }
    }

    private static void apply(Engine engine, long[] sequence, Command c, long timestamp) {
        c.sequence = ++sequence[0];
        c.timestamp = timestamp;
        engine.apply(c);
    }
}
