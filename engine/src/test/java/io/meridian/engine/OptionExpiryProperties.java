package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionChains;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random option trading through expiry: a chain of calls and puts on one index, traders with small and large
 * balances placing, taking and canceling orders while the index walks and marks are set, some in portfolio margin.
 * After every command value is conserved; after expiry no option has an open order or a position, every one is
 * settled, the clearing account is back at zero (longs received what shorts paid, premiums included), and the same
 * log replays to the same state hash.
 */
class OptionExpiryProperties {
    private static final int USDC = 0;
    private static final int INDEX = 0;
    private static final long USD = 1_000_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_700_000_000L * SECOND;
    private static final long EXPIRY = START + 2 * 3_600 * SECOND;
    private static final int FIRST = 10;
    private static final int TRADERS = 8;

    @Property(tries = 30)
    void randomTradingThenExpiryConservesAndLeavesNothingOpen(
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        System.out.println("OptionExpiryProperties seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        EngineConfig config = EngineConfig.defaults().withOptionRepriceInterval(random.nextBoolean() ? 0 : 60 * SECOND);
        List<Command> log = new ArrayList<>();
        Engine engine = new Engine(new EventRecorder(false), config);
        Generator generator = new Generator(random, log, engine);
        generator.run();
        for (int id = FIRST; id < FIRST + generator.options; id++) {
            assertEquals(0, engine.view().book(id).openOrders(), "seed " + seed + ": orders left in " + id);
            assertEquals(0, engine.view().positions(id).openPositions(), "seed " + seed + ": positions left in " + id);
            assertTrue(engine.view().optionSettlementPrice(id) > 0, "seed " + seed + ": " + id + " settled");
        }
        assertEquals(0, engine.view().ledger().balance(SystemAccounts.CLEARING, USDC), "seed " + seed);
        assertNull(engine.view().ledger().recomputeSums(), "seed " + seed);
        assertTrue(generator.trades > 0, "seed " + seed + ": something traded");
        Engine twin = new Engine(new EventRecorder(false), config);
        log.forEach(twin::apply);
        assertEquals(engine.stateHash(), twin.stateHash(), "seed " + seed);
    }

    /** Generates commands and applies each to the engine as it goes (orders are priced off the live marks). */
    private static final class Generator {
        private final SplittableRandom random;
        private final List<Command> log;
        private final Engine engine;
        private final List<long[]> placed = new ArrayList<>();
        private long now = START;
        private long index = 6_000_000;
        private long nextOrderId = 1;
        int options;
        long trades;

        Generator(SplittableRandom random, List<Command> log, Engine engine) {
            this.random = random;
            this.log = log;
            this.engine = engine;
        }

        private void apply(Command c) {
            c.sequence = log.size() + 1;
            c.timestamp = now;
            log.add(c);
            engine.apply(c);
            assertTrue(engine.view().ledger().isConserved(), "after " + c);
        }

        void run() {
            Command asset = new Command().reset();
            asset.type = CommandType.ADD_ASSET;
            asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
            apply(asset);
            Command addIndex = new Command().reset();
            addIndex.type = CommandType.ADD_INDEX;
            addIndex.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, "a").withMaxMovePpmPerSecond(0)
                    .withStalenessNanos(3_600 * SECOND);
            apply(addIndex);
            List<Command> chain = OptionChains.generate(OptionChains.Config.of("BTC", INDEX, "USDC", 6, "0.1", "0.01",
                    "1", List.of(EXPIRY), OptionChains.StrikeGrid.around("60000", "5000", 1), FIRST));
            chain.forEach(this::apply);
            options = chain.size();
            for (long account = 1; account <= TRADERS; account++) {
                long deposit = random.nextBoolean() ? random.nextLong(100, 2_000) : random.nextLong(10_000, 200_000);
                apply(new Command().deposit(account, USDC, deposit * USD));
            }
            apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, 1_000 * USD));
            report();
            while (now < EXPIRY + 10 * 60 * SECOND) {
                now += random.nextLong(1, 60) * SECOND;
                step();
            }
            report();
        }

        private void step() {
            int choice = random.nextInt(100);
            if (choice < 25) {
                // Mostly small steps, sometimes a jump of up to 6%: enough to liquidate the small accounts' shorts.
                long permille = choice < 3 ? random.nextLong(-60, 61) : random.nextLong(-8, 9);
                index = Math.max(1_000_000, index + index * permille / 1_000);
                report();
            } else if (choice < 70) {
                order();
            } else if (choice < 80 && !placed.isEmpty()) {
                long[] target = placed.get(random.nextInt(placed.size()));
                apply(new Command().cancel(target[0], (int) target[1], target[2]));
            } else if (choice < 85) {
                int instrument = FIRST + random.nextInt(options);
                long mark = engine.view().book(instrument).markPrice();
                Command c = new Command().reset();
                c.type = CommandType.SET_MARK_PRICE;
                c.instrument = instrument;
                c.price = Math.max(1, mark + mark * random.nextLong(-10, 11) / 100);
                apply(c);
            } else if (choice < 88) {
                Command c = new Command().setMarginMode(1 + random.nextInt(TRADERS), Command.ALL_INSTRUMENTS,
                        random.nextBoolean() ? MarginMode.PORTFOLIO : MarginMode.CROSS);
                apply(c);
            } else {
                Command c = new Command().reset();
                c.type = CommandType.TIME_TICK;
                apply(c);
            }
        }

        private void report() {
            apply(new Command().oracleReport(INDEX, 0, index, now));
        }

        private void order() {
            long account = 1 + random.nextInt(TRADERS);
            int instrument = FIRST + random.nextInt(options);
            long mark = Math.max(10, engine.view().book(instrument).markPrice());
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = Math.max(1, mark + mark * random.nextLong(-20, 21) / 100);
            long lots = random.nextLong(1, 6);
            TimeInForce tif = random.nextInt(3) == 0 ? TimeInForce.IOC : TimeInForce.GTC;
            long id = nextOrderId++;
            long tradesBefore = optionTrades();
            apply(new Command().limit(account, instrument, id, side, price, lots, tif));
            trades += optionTrades() - tradesBefore;
            if (tif == TimeInForce.GTC) {
                placed.add(new long[] {account, instrument, id});
            }
        }

        private long optionTrades() {
            long count = 0;
            for (int id = FIRST; id < FIRST + options; id++) {
                count += engine.view().book(id).tradeCount();
            }
            return count;
        }
    }
}
