package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionChains;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.StandardMarginParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options through the journal and snapshots: a chain listed from {@link OptionChains}, traded (one account in
 * portfolio margin with a perpetual on the same index), sampled through its 30-minute settlement window and settled.
 * The journaled log replays to the live state hash, and an engine snapshotted inside the settlement window, loaded
 * and fed the rest of the journal reaches the same hash with the same events, settlement included.
 */
class OptionExpiryJournalTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long START = 1_700_000_000L * SECOND;
    private static final long EXPIRY = START + 6 * 60 * MINUTE;
    private static final long USD = 1_000_000;

    @TempDir
    Path temp;

    private final List<Command> log = new ArrayList<>();
    private long now = START;
    private long orderId;

    private void add(Command c) {
        c.sequence = log.size() + 1;
        c.timestamp = now;
        log.add(c);
    }

    private void report(long units) {
        add(new Command().oracleReport(0, 0, units, now));
    }

    private void trade(long buyer, long seller, int instrument, long price, long lots) {
        add(new Command().limit(seller, instrument, ++orderId, Side.SELL, price, lots, TimeInForce.GTC));
        add(new Command().limit(buyer, instrument, ++orderId, Side.BUY, price, lots, TimeInForce.IOC));
    }

    /** The parameters the scenario ends with: a +/-20% grid in 4% steps. */
    private static final OptionMarginSpec LATER_MARGIN = OptionMarginSpecs.of(StandardMarginParams.defaults(),
            PortfolioMarginParams.defaults().withPriceMoves(PortfolioMarginParams.evenMoves(200_000, 5)));

    private static Command margin(OptionMarginSpec spec) {
        Command c = new Command().reset();
        c.type = CommandType.SET_OPTION_MARGIN;
        c.indexId = 0;
        c.optionMarginSpec = spec;
        return c;
    }

    private List<Command> scenario() {
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(0, "USDC", 6);
        add(asset);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(0, "BTC-USD", 2, "a").withMaxMovePpmPerSecond(0).withStalenessNanos(20 * MINUTE);
        add(index);
        // Parameters before the first option (they wait for its listing), then a change while accounts hold options.
        add(margin(OptionMarginSpecs.of(StandardMarginParams.defaults(),
                PortfolioMarginParams.defaults().withMaintenanceFractionPpm(900_000))));
        Command perp = new Command().reset();
        perp.type = CommandType.ADD_INSTRUMENT;
        perp.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        perp.pricingSpec = PricingSpec.perpetual(0, 6);
        add(perp);
        // Calls on even ids from 10, puts on odd: strikes 55,000, 60,000 and 65,000.
        OptionChains.generate(OptionChains.Config.of("BTC", 0, "USDC", 6, "0.1", "0.01", "1", List.of(EXPIRY),
                OptionChains.StrikeGrid.around("60000", "5000", 1), 10)).forEach(this::add);
        for (long account = 1; account <= 4; account++) {
            add(new Command().deposit(account, 0, 500_000 * USD));
        }
        report(6_000_000);
        trade(1, 2, 10, 52_000, 3);
        trade(2, 3, 13, 9_000, 2);
        trade(3, 1, 14, 4_000, 4);
        trade(4, 2, 1, 600_000, 20);
        Command portfolio = new Command().setMarginMode(2, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        add(portfolio);
        add(margin(LATER_MARGIN));
        add(new Command().limit(3, 12, ++orderId, Side.BUY, 1_000, 5, TimeInForce.GTC));
        // Through the day and into the window: reports every 10 minutes on a walk, time ticks in between.
        long units = 6_000_000;
        for (now = START + 10 * MINUTE; now < EXPIRY; now += 5 * MINUTE) {
            if ((now - START) % (10 * MINUTE) == 0) {
                units += ((now - START) / MINUTE % 7 - 3) * 4_000;
                report(units);
            } else {
                Command tick = new Command().reset();
                tick.type = CommandType.TIME_TICK;
                add(tick);
            }
        }
        now = EXPIRY + MINUTE;
        report(units + 50_000);
        add(new Command().limit(1, 10, ++orderId, Side.BUY, 1_000, 1, TimeInForce.GTC));
        return log;
    }

    @Test
    void aSnapshotInsideTheSettlementWindowContinuesThroughExpiryToTheSameHash() {
        List<Command> commands = scenario();
        EventRecorder liveEvents = new EventRecorder(false);
        Engine live = new Engine(liveEvents, EngineConfig.defaults());
        int inWindow = -1;
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            if (inWindow < 0 && c.timestamp >= EXPIRY - 15 * MINUTE) {
                inWindow = i;
            }
            live.apply(c);
        }
        List<Event.OptionSettled> settled = liveEvents.ofType(Event.OptionSettled.class);
        assertEquals(6, settled.size(), "every option of the chain settles");
        assertTrue(settled.get(0).samples() >= 3, "samples: " + settled.get(0).samples());
        assertTrue(live.view().ledger().isConserved());
        assertEquals(List.of(RejectReason.INSTRUMENT_EXPIRED), liveEvents
                .ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        long finalHash = live.stateHash();

        Path journal = temp.resolve("options");
        try (JournalWriter writer = JournalWriter.open(journal, JournalConfig.defaults())) {
            for (Command c : commands) {
                writer.append(c);
            }
        }
        Engine replayed = new Engine(new EventRecorder(false), EngineConfig.defaults());
        assertEquals(commands.size(), Replay.replay(journal, replayed).commands());
        assertEquals(finalHash, replayed.stateHash(), "journal replay");
        assertEquals(LATER_MARGIN, replayed.view().optionMarginSpec(0), "the parameters come back from the journal");

        EventRecorder partialEvents = new EventRecorder(false);
        Engine partial = new Engine(partialEvents, EngineConfig.defaults());
        for (int i = 0; i <= inWindow; i++) {
            partial.apply(commands.get(i));
        }
        SnapshotStore store = new SnapshotStore(journal);
        store.persist(store.capture(partial, null));
        List<String> skipped = new ArrayList<>();
        EventRecorder loadedEvents = new EventRecorder(false);
        SnapshotStore.Loaded loaded = store.loadNewest(loadedEvents, Long.MAX_VALUE, skipped);
        assertNotNull(loaded, skipped.toString());
        assertEquals(partial.stateHash(), loaded.engine().stateHash());
        assertEquals(LATER_MARGIN, loaded.engine().view().optionMarginSpec(0), "and from a snapshot");
        assertTrue(loaded.engine().lastTimestamp() >= EXPIRY - 15 * MINUTE
                && loaded.engine().lastTimestamp() < EXPIRY, "the snapshot is inside the window");
        Replay.replay(journal, loaded.engine());
        assertEquals(finalHash, loaded.engine().stateHash(), "snapshot in the window + journal");
        long snapshotSequence = inWindow + 1;
        List<Event> tail = liveEvents.events().stream().filter(e -> e.sequence() > snapshotSequence).toList();
        assertEquals(tail, loadedEvents.events(), "the loaded engine fires the live run's events, settlement included");
    }
}
