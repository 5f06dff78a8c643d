package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.meridian.engine.EngineFixture.USD;
import static io.meridian.engine.EngineFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The margin engine keeps, per account and instrument, the venue's view of the account's resting totals and its
 * position between commands (instead of looking both up in every instrument on every check); a kept one must never be
 * stale. Differential: after every command of a random multi-instrument flow (orders resting, filling, amended and
 * canceled; positions opening, flipping and closing, so pooled positions move between accounts; leverage and margin
 * mode changes; accounts' first orders in a book), every account's cross margin state equals the one a freshly
 * restored copy of the engine computes, whose records keep nothing yet.
 */
class MarginViewsProperties {
    private static final int[] INSTRUMENTS = {1, 2, 3};
    private static final int ACCOUNTS = 5;

    @Property(tries = 12)
    void keptViewsGiveTheMarginStateACopyWithoutThemComputes(@ForAll long seed) {
        flow(seed, 500 * USD, 5_000 * USD, 9_900, 10_100, new EventRecorder(false));
    }

    /**
     * The same through liquidations: small balances and a mark that swings by half, so positions leave by liquidation
     * fills and backstop or insurance-fund transfers (which change positions outside the book) as well.
     */
    @Test
    void keptViewsStayCurrentThroughLiquidations() {
        int liquidations = 0;
        for (long seed = 1; seed <= 8; seed++) {
            EventRecorder events = new EventRecorder(false);
            flow(seed, 5 * USD, 40 * USD, 5_000, 15_000, events);
            liquidations += events.ofType(Event.LiquidationStarted.class).size();
        }
        assertTrue(liquidations > 0, "the flow must liquidate someone, or it tests nothing more than the property");
    }

    private static void flow(long seed, long minDeposit, long maxDeposit, int markLow, int markHigh,
                             EventRecorder events) {
        SplittableRandom random = new SplittableRandom(seed);
        Engine engine = new Engine(events);
        long[] sequence = {0};
        java.util.function.Consumer<Command> run = c -> {
            c.sequence = ++sequence[0];
            c.timestamp = 1_000 + sequence[0];
            engine.apply(c);
        };
        run.accept(EngineTest.addAsset());
        for (int instrument : INSTRUMENTS) {
            run.accept(EngineTest.addInstrument(InstrumentSpec.perpetual(instrument, "P" + instrument + "-PERP",
                    "P" + instrument, "USDC", "0.1", "0.001").withPriceBandPpm(0)));
            run.accept(EngineFixture.mark(instrument, 10_000));
        }
        for (long account = 1; account <= ACCOUNTS; account++) {
            run.accept(new Command().deposit(account, USDC, random.nextLong(minDeposit, maxDeposit)));
        }
        long nextOrder = 100;
        for (int i = 0; i < 250; i++) {
            long account = 1 + random.nextInt(ACCOUNTS);
            int instrument = INSTRUMENTS[random.nextInt(INSTRUMENTS.length)];
            int kind = random.nextInt(100);
            Command c;
            if (kind < 4) {
                c = EngineFixture.leverage(account, instrument, 1 + random.nextInt(20));
            } else if (kind < 7) {
                c = EngineFixture.marginMode(account, instrument,
                        random.nextBoolean() ? MarginMode.ISOLATED : MarginMode.CROSS);
            } else if (kind < 10) {
                c = EngineFixture.mark(instrument, markLow + random.nextInt(markHigh - markLow + 1));
            } else if (kind < 22) {
                c = new Command().cancel(account, instrument, 100 + random.nextLong(Math.max(1, nextOrder - 100)));
            } else if (kind < 30) {
                c = new Command().amend(account, instrument, 100 + random.nextLong(Math.max(1, nextOrder - 100)),
                        9_990 + random.nextInt(21), 1 + random.nextInt(30));
            } else {
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                c = new Command().limit(account, instrument, nextOrder++, side, 9_990 + random.nextInt(21),
                        1 + random.nextInt(30), random.nextInt(3) == 0 ? TimeInForce.IOC : TimeInForce.GTC);
            }
            run.accept(c);
            Engine fresh = restored(engine);
            for (long a = 1; a <= ACCOUNTS; a++) {
                MarginEngine.MarginState kept = engine.view().marginState(a, USDC);
                MarginEngine.MarginState computed = fresh.view().marginState(a, USDC);
                assertEquals(state(computed), state(kept), "seed " + seed + ", command " + i + " (" + c.type
                        + "), account " + a);
            }
        }
    }

    private static Engine restored(Engine engine) {
        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(engine, out);
        byte[] bytes = out.toByteArray();
        return EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length), new EventRecorder(false),
                engine.view().config());
    }

    private static String state(MarginEngine.MarginState s) {
        return "balance " + s.balance + ", upnl " + s.unrealizedPnl + ", equity " + s.equity + ", IM "
                + s.initialMargin + ", MM " + s.maintenanceMargin + ", health " + s.health;
    }
}
