package io.meridian.journal;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.util.SplittableRandom;

/**
 * A deterministic stream of engine commands (unstamped) for the journal tests: the same seed gives the same commands,
 * so a test process and a crash-test child process can generate the same stream independently. Setup first (USDC,
 * BTC-PERP without a price band, 20 funded accounts, a mark), then a mix of GTC limits around a drifting price,
 * IOC takers, cancels of earlier orders (some already gone: rejects are part of the log too), mark moves,
 * withdrawals and time ticks.
 */
final class OrderFlow {
    static final int USDC = 0;
    static final int BTC = 1;
    static final int ACCOUNTS = 20;
    private static final long USD = 1_000_000;
    private static final int SETUP = 3 + ACCOUNTS;

    private final SplittableRandom random;
    private long index;
    private long nextOrderId = 1;
    private long centre = 500_000;

    OrderFlow(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes the next command of the stream into {@code c} (reset first) and returns it. */
    Command next(Command c) {
        c.reset();
        long i = index++;
        if (i < SETUP) {
            return setup(c, (int) i);
        }
        int roll = random.nextInt(100);
        long account = 1 + random.nextInt(ACCOUNTS);
        centre = Math.max(400_000, Math.min(600_000, centre + random.nextInt(-20, 21)));
        if (roll < 55) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long offset = 1 + random.nextInt(200);
            long price = side == Side.BUY ? centre - offset : centre + offset;
            return c.limit(account, BTC, nextOrderId++, side, price, 1 + random.nextInt(50), TimeInForce.GTC);
        }
        if (roll < 70) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = side == Side.BUY ? centre + 300 : centre - 300;
            return c.limit(account, BTC, nextOrderId++, side, price, 1 + random.nextInt(20), TimeInForce.IOC);
        }
        if (roll < 88) {
            long target = nextOrderId <= 1 ? 1 : 1 + random.nextLong(nextOrderId - 1);
            // The engine keys orders by id alone; the owner is checked, so a wrong guess is a clean reject.
            return c.cancel(account, BTC, target);
        }
        if (roll < 95) {
            c.type = CommandType.SET_MARK_PRICE;
            c.instrument = BTC;
            c.price = centre;
            return c;
        }
        if (roll < 98) {
            return c.withdraw(account, USDC, (1 + random.nextInt(100)) * USD);
        }
        c.type = CommandType.TIME_TICK;
        return c;
    }

    private static Command setup(Command c, int i) {
        if (i == 0) {
            c.type = CommandType.ADD_ASSET;
            c.assetSpec = new AssetSpec(USDC, "USDC", 6);
            return c;
        }
        if (i == 1) {
            c.type = CommandType.ADD_INSTRUMENT;
            c.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                    .withPriceBandPpm(0);
            return c;
        }
        if (i == 2) {
            c.type = CommandType.SET_MARK_PRICE;
            c.instrument = BTC;
            c.price = 500_000;
            return c;
        }
        return c.deposit(i - 2, USDC, 1_000_000 * USD);
    }
}
