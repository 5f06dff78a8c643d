package io.meridian.engine;

import io.meridian.matching.BookView;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImpactPrice} (long arithmetic, no allocation) against a naive {@link BigInteger} walk of the same book: seeded
 * random books of resting orders, impact notionals from dust to more than the book holds, both sides.
 */
class ImpactPriceProperties {
    private static final int USDC = 0;
    private static final int BTC = 1;

    @Property(tries = 60, seed = "15")
    void matchesABigIntegerReference(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Engine engine = new Engine(new EventRecorder(false));
        long[] sequence = {0};
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(engine, sequence, asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        apply(engine, sequence, instrument);
        apply(engine, sequence, new Command().deposit(1, USDC, 1_000_000_000L * 1_000_000L));
        long orderId = 0;
        int orders = random.nextInt(1, 60);
        for (int i = 0; i < orders; i++) {
            boolean bid = random.nextBoolean();
            long price = bid ? random.nextLong(1, 300_000) : random.nextLong(300_001, 1_000_000);
            long lots = random.nextInt(4) == 0 ? random.nextLong(1, 5_000) : random.nextLong(1, 20);
            apply(engine, sequence, new Command().limit(1, BTC, ++orderId, bid ? Side.BUY : Side.SELL, price, lots,
                    TimeInForce.GTC));
        }
        BookView book = engine.view().book(BTC);
        assertTrue(book.depth(Side.BUY) + book.depth(Side.SELL) > 0, "seed " + seed + ": the orders rest");
        int filled = 0;
        long perTickLot = book.spec().minorUnitsPerTickLot();
        for (int k = 0; k < 20; k++) {
            long notional = random.nextInt(3) == 0 ? random.nextLong(1, 1_000_000)
                    : random.nextLong(1, 500_000_000_000L);
            long unitsPerTick = random.nextBoolean() ? 10 : random.nextLong(1, 1L << 20);
            for (Side side : Side.values()) {
                long expected = reference(book, side, notional, perTickLot, unitsPerTick);
                assertEquals(expected, ImpactPrice.of(book, side, notional, perTickLot, unitsPerTick),
                        "seed " + seed + " " + side + " notional " + notional + " units/tick " + unitsPerTick);
                filled += expected > 0 ? 1 : 0;
            }
        }
        assertTrue(filled > 0, "seed " + seed + ": some notionals fill");
    }

    /** The average fill price of {@code notional} walking {@code side}, with exact big integers; 0 if it cannot fill. */
    private static long reference(BookView book, Side side, long notional, long perTickLot, long unitsPerTick) {
        BigInteger remaining = BigInteger.valueOf(notional);
        BigInteger lots = BigInteger.ZERO;
        for (int level = 0; level < book.depth(side); level++) {
            BigInteger perLot = BigInteger.valueOf(book.levelPrice(side, level)).multiply(BigInteger.valueOf(perTickLot));
            BigInteger value = perLot.multiply(BigInteger.valueOf(book.levelQuantity(side, level)));
            if (value.compareTo(remaining) < 0) {
                remaining = remaining.subtract(value);
                lots = lots.add(BigInteger.valueOf(book.levelQuantity(side, level)));
                continue;
            }
            // filled lots = lots + remaining / perLot; average in index units = notional x unitsPerTick / (perTickLot
            // x filled lots).
            BigInteger numerator = BigInteger.valueOf(notional).multiply(BigInteger.valueOf(unitsPerTick)).multiply(perLot);
            BigInteger denominator = lots.multiply(perLot).add(remaining).multiply(BigInteger.valueOf(perTickLot));
            BigInteger[] qr = numerator.divideAndRemainder(denominator);
            BigInteger result = side == Side.SELL && qr[1].signum() != 0 ? qr[0].add(BigInteger.ONE) : qr[0];
            return result.longValueExact();
        }
        return 0;
    }

    private static void apply(Engine engine, long[] sequence, Command c) {
        c.sequence = ++sequence[0];
        c.timestamp = 1_000_000_000L;
        engine.apply(c);
    }
}
