package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.risk.MarginEngine;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded crashes and squeezes with leveraged traders, a thin book, an insurance fund with a random floor and
 * sometimes a backstop: after every command value is conserved, no account (the fund, the backstop and the maker
 * included) is left with negative equity, the fee pool is below zero only by the deficits it covered, liquidation
 * fills and takeovers are no worse than bankruptcy, auto-deleveraging happens only when the fund refused the
 * takeover, and the same log replays to the same state hash.
 */
class LiquidationProperties {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final long USD = 1_000_000;
    private static final int TRADERS = 12;
    private static final long MAKER = 9;
    private static final long BACKSTOP = 77;

    @Property(tries = 40)
    void noUncoveredNegativeEquityAndExactReplay(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        run(seed);
    }

    /**
     * Not every random book is leveraged enough for its crash to liquidate anyone (the property holds either way), so
     * that crashes do liquidate is checked on fixed seeds: most of them must.
     */
    @Example
    void mostCrashesLiquidate() {
        int liquidated = 0;
        for (long seed = 1; seed <= 20; seed++) {
            liquidated += run(seed) ? 1 : 0;
        }
        assertTrue(liquidated >= 15, liquidated + " of 20 crashes liquidated");
    }

    /** Runs one generated crash, checking the invariants after every command; returns whether anyone was liquidated. */
    private boolean run(long seed) {
        System.out.println("LiquidationProperties seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        LiquidationConfig settings = random.nextBoolean() ? LiquidationConfig.defaults()
                : LiquidationConfig.defaults().withBackstopAccount(BACKSTOP);
        settings = settings.withMaxStepUnits(random.nextLong(1_000, 100_000))
                .withInsuranceFundFloorUnits(random.nextInt(3) == 0 ? 0 : random.nextLong(0, 40_000))
                .withMaxStepSharePpm(random.nextLong(100_000, 1_000_001));
        List<Command> log = generate(random);
        EventRecorder recorder = new EventRecorder(false);
        Engine engine = new Engine(recorder, EngineConfig.defaults().withLiquidation(settings));
        boolean liquidated = false;
        long coveredByVenue = 0;
        long[] sizes = new long[TRADERS + 1];
        for (Command c : log) {
            boolean markCommand = c.type == CommandType.SET_MARK_PRICE && engine.view().book(BTC) != null;
            for (long account = 1; account <= TRADERS && markCommand; account++) {
                sizes[(int) account] = engine.view().positions(BTC).size(account);
            }
            recorder.clear();
            engine.apply(c);
            String where = "seed " + seed + " after " + c;
            assertTrue(engine.view().ledger().isConserved(), where);
            for (long account = 1; account <= TRADERS; account++) {
                MarginEngine.MarginState state = engine.view().marginState(account, USDC);
                assertTrue(state.equity >= 0, where + ": account " + account + " equity " + state.equity);
                if (engine.view().book(BTC) != null && engine.view().marginMode(account, BTC) == MarginMode.ISOLATED) {
                    MarginEngine.MarginState isolated = engine.view().isolatedState(account, BTC);
                    assertTrue(isolated.equity >= 0, where + ": isolated " + account + " " + isolated.equity);
                }
            }
            // System accounts too: the fund (cash plus its inventory at the mark), the backstop, and the fee pool,
            // which may be below zero only by the deficits it covered explicitly.
            assertTrue(engine.view().insuranceFundState(USDC).equity >= 0, where + ": insurance fund "
                    + engine.view().insuranceFundState(USDC).equity);
            assertTrue(engine.view().marginState(BACKSTOP, USDC).equity >= 0, where + ": backstop");
            assertTrue(engine.view().marginState(MAKER, USDC).equity >= 0, where + ": maker");
            for (Event.DeficitCoveredByVenue covered : recorder.ofType(Event.DeficitCoveredByVenue.class)) {
                coveredByVenue += covered.amount();
            }
            assertTrue(engine.view().ledger().balance(SystemAccounts.FEE_POOL, USDC) >= -coveredByVenue, where);
            checkWaterfall(recorder.events(), markCommand ? sizes : null, engine.view().book(BTC) == null ? 0
                    : engine.view().book(BTC).markPrice(), where);
            liquidated |= !recorder.ofType(Event.LiquidationStarted.class).isEmpty();
        }
        assertEquals(null, engine.view().ledger().recomputeSums());
        Engine twin = new Engine(new EventRecorder(false), EngineConfig.defaults().withLiquidation(settings));
        log.forEach(twin::apply);
        assertEquals(engine.stateHash(), twin.stateHash(), "seed " + seed);
        return liquidated;
    }

    /**
     * Within one command's events: every auto-deleveraging of an account follows the fund's refusal to take it over
     * (its equity after the takeover below its floor plus the inventory's maintenance margin); and in a mark
     * command, every book fill, backstop transfer and fund takeover of a liquidation that started from the position
     * held before the command is at a price no worse than the bankruptcy price computed here from the equity the
     * liquidation started with ({@code sizes}: positions before the command; null: not a mark command).
     */
    private static void checkWaterfall(List<Event> events, long[] sizes, long mark, String where) {
        long refused = 0;
        long account = 0;
        long bankruptcy = 0;
        boolean[] seen = new boolean[TRADERS + 1];
        for (Event event : events) {
            if (event instanceof Event.InsuranceFundBelowFloor cause) {
                assertTrue(cause.fundEquity() < cause.required(), where + ": " + cause);
                refused = cause.account();
            } else if (event instanceof Event.AutoDeleveraged adl) {
                assertEquals(refused, adl.account(), where + ": ADL without the fund below its floor: " + adl);
                if (adl.counterparty() <= TRADERS) {
                    seen[(int) adl.counterparty()] = true;
                }
            } else if (event instanceof Event.OrderFilled filled && filled.account() > 0
                    && filled.account() <= TRADERS) {
                // Its position moved in this command before its own liquidation (if any): not checked.
                seen[(int) filled.account()] |= filled.account() != account;
            } else if (event instanceof Event.LiquidationStarted started && sizes != null
                    && started.account() <= TRADERS && !seen[(int) started.account()]) {
                seen[(int) started.account()] = true;
                long size = sizes[(int) started.account()];
                account = size == 0 ? 0 : started.account();
                // p = mark - E / (size x unit), rounded up for a long and down for a short (100 per tick-lot).
                bankruptcy = size == 0 ? 0 : mark - Math.floorDiv(started.equity(), size * 100);
            } else if (event instanceof Event.LiquidationEnded) {
                account = 0;
            } else if (account != 0) {
                long price;
                Side side;
                long who;
                if (event instanceof Event.LiquidationFill fill) {
                    price = fill.price();
                    side = fill.side();
                    who = fill.account();
                } else if (event instanceof Event.BackstopTransfer transfer) {
                    price = transfer.price();
                    side = transfer.side();
                    who = transfer.account();
                } else if (event instanceof Event.InsuranceFundTakeover takeover) {
                    price = takeover.price();
                    side = takeover.side();
                    who = takeover.account();
                } else {
                    continue;
                }
                if (who == account) {
                    // One tick of rounding either way of the floor division above.
                    assertTrue(side == Side.SELL ? price >= bankruptcy - 1 : price <= bankruptcy + 1,
                            where + ": " + event + " worse than bankruptcy " + bankruptcy);
                }
            }
        }
    }

    private static List<Command> generate(SplittableRandom random) {
        List<Command> log = new ArrayList<>() {
            @Override
            public boolean add(Command c) {
                c.sequence = size() + 1;
                c.timestamp = 1_000_000L * (size() + 1);
                return super.add(c);
            }
        };
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        log.add(asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        log.add(instrument);
        log.add(new Command().deposit(MAKER, USDC, 50_000_000 * USD));
        log.add(new Command().deposit(BACKSTOP, USDC, 5_000_000 * USD));
        log.add(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, random.nextLong(1, 50_000) * USD));
        long fair = 500_000;
        log.add(mark(fair));
        for (long account = 1; account <= TRADERS; account++) {
            log.add(new Command().deposit(account, USDC, random.nextLong(500, 20_000) * USD));
            Command leverage = new Command().setLeverage(account, BTC, (int) random.nextLong(5, 101));
            log.add(leverage);
            if (random.nextInt(4) == 0) {
                Command mode = new Command().setMarginMode(account, BTC, MarginMode.ISOLATED);
                log.add(mode);
            }
        }
        long orderId = 1;
        // Opening: traders take both sides against the maker's quotes around the fair price.
        for (int i = 0; i < 60; i++) {
            long account = random.nextLong(1, TRADERS + 1);
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long lots = random.nextLong(50, 3_000);
            long price = side == Side.BUY ? fair + 10 : fair - 10;
            log.add(new Command().limit(MAKER, BTC, orderId++, side == Side.BUY ? Side.SELL : Side.BUY, price, lots,
                    TimeInForce.GTC));
            log.add(new Command().limit(account, BTC, orderId++, side, price, lots, TimeInForce.IOC));
        }
        // The path: a crash, a squeeze or a flash crash, with a thin book that the maker keeps refreshing.
        int shape = random.nextInt(3);
        for (int step = 0; step < 120; step++) {
            long move = switch (shape) {
                case 0 -> -random.nextLong(0, 2_500);
                case 1 -> random.nextLong(0, 2_500);
                default -> step < 40 ? -random.nextLong(0, 5_000) : random.nextLong(0, 5_000);
            };
            fair = Math.max(50_000, fair + move);
            if (random.nextInt(10) == 0) {
                fair = Math.max(50_000, fair + (shape == 1 ? 1 : -1) * random.nextLong(5_000, 30_000));
            }
            Command cancelAll = new Command().reset();
            cancelAll.type = CommandType.CANCEL_ALL;
            cancelAll.account = MAKER;
            cancelAll.instrument = BTC;
            log.add(cancelAll);
            long spread = random.nextLong(10, 3_000);
            log.add(new Command().limit(MAKER, BTC, orderId++, Side.BUY, fair - spread, random.nextLong(10, 2_000),
                    TimeInForce.GTC));
            log.add(new Command().limit(MAKER, BTC, orderId++, Side.SELL, fair + spread, random.nextLong(10, 2_000),
                    TimeInForce.GTC));
            log.add(mark(fair));
        }
        return log;
    }

    private static Command mark(long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = BTC;
        c.price = price;
        return c;
    }
}
