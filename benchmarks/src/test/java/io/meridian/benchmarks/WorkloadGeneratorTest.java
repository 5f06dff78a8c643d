package io.meridian.benchmarks;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadGeneratorTest {

    private static String render(Workload w) {
        StringBuilder sb = new StringBuilder();
        for (Command c : w.prefill()) {
            sb.append(c).append('\n');
        }
        for (Command c : w.commands()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sameSeedSameCommandsOtherSeedOtherCommands() {
        Workload a = WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(42, 20_000));
        Workload b = WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(42, 20_000));
        Workload c = WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(43, 20_000));
        assertEquals(render(a), render(b));
        assertEquals(a.description(), b.description());
        assertNotEquals(render(a), render(c));
    }

    @Test
    void singleInstrumentShapeAndMix() {
        Workload w = WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(1, 100_000));
        assertEquals(1, w.instrumentCount());
        assertEquals(1_000, w.accounts().length);
        assertEquals(1_000, w.prefill().length);
        assertEquals(100_000, w.commands().length);
        int gtc = 0;
        int ioc = 0;
        int cancel = 0;
        int amend = 0;
        for (Command c : w.commands()) {
            if (c.type == CommandType.PLACE_ORDER) {
                if (c.timeInForce == TimeInForce.GTC) {
                    gtc++;
                } else {
                    ioc++;
                }
            } else if (c.type == CommandType.CANCEL_ORDER) {
                cancel++;
            } else {
                assertEquals(CommandType.AMEND_ORDER, c.type);
                assertEquals(0, c.quantity, "amends keep the quantity");
                amend++;
            }
        }
        assertEquals(9_000, gtc, 600);
        assertEquals(3_000, ioc, 400);
        assertEquals(6_000, cancel, 500);
        assertEquals(82_000, amend, 1_000);
        // Consecutive sequence numbers: ADD_ASSET, the single ADD_INSTRUMENT, a DEPOSIT per account, then the rest.
        for (int i = 0; i < w.setup().length; i++) {
            assertEquals(i + 1, w.setup()[i].sequence);
        }
        assertEquals(w.setup().length + 1, w.prefill()[0].sequence);
        assertEquals(w.setup().length + 1 + w.prefill().length, w.commands()[0].sequence);
    }

    @Test
    void everyCommandIsAcceptedAndBothTargetsAgree() {
        Workload w = WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(7, 50_000));
        EngineTarget engine = new EngineTarget(w);
        MatchingTarget matching = new MatchingTarget(w);
        for (int round = 0; round < 2; round++) {
            engine.prepare();
            engine.run(w.commands());
            assertEquals(0, engine.rejected(), "round " + round + ": " + engine.lastRunStats());
            matching.prepare();
            matching.run(w.commands());
        }
        assertEquals(engine.engine().view().book(0).openOrders(), matching.book(0).openOrders());
        assertEquals(engine.engine().view().book(0).tradeCount(), matching.book(0).tradeCount());
        assertEquals(engine.engine().view().book(0).bestBid(), matching.book(0).bestBid());
        assertTrue(matching.book(0).tradeCount() > 1_000, "the stream trades");
        int open = matching.book(0).openOrders();
        assertTrue(open > 800 && open < 1_200, "the book stays near its target size: " + open);
    }

    @Test
    void multiInstrumentSpreadsOverInstruments() {
        Workload w = WorkloadGenerator.generate(new WorkloadGenerator.Config(3, 16, 500, 1_600, 40_000));
        assertEquals(16, w.instrumentCount());
        int[] perInstrument = new int[16];
        for (Command c : w.commands()) {
            perInstrument[c.instrument]++;
        }
        for (int count : perInstrument) {
            assertEquals(2_500, count, 400);
        }
        EngineTarget engine = new EngineTarget(w);
        engine.prepare();
        engine.run(w.commands());
        assertEquals(0, engine.rejected(), engine.lastRunStats());
    }

    @Test
    void theExchangeCoreShapeHasItsMixAndIsAcceptedWhole() {
        Workload w = PeerShapeGenerator.generate(1, 200_000);
        int moves = 0;
        int places = 0;
        for (Command c : w.commands()) {
            moves += c.type == io.meridian.model.CommandType.AMEND_ORDER && c.price != 0 ? 1 : 0;
            places += c.type == io.meridian.model.CommandType.PLACE_ORDER ? 1 : 0;
        }
        // exchange-core's own generator at 1,000 orders: about 71% moves and 15% new orders (docs/performance.md).
        assertEquals(0.71, moves / 200_000.0, 0.03, w.description());
        assertEquals(0.15, places / 200_000.0, 0.03, w.description());
        EngineTarget engine = new EngineTarget(w);
        MatchingTarget matching = new MatchingTarget(w);
        engine.prepare();
        engine.run(w.stream());
        matching.prepare();
        matching.run(w.stream());
        assertEquals(0, engine.rejected(), engine.lastRunStats());
        assertEquals(engine.engine().view().book(0).tradeCount(), matching.book(0).tradeCount());
        int open = matching.book(0).openOrders();
        assertTrue(open > 800 && open < 1_200, "the book stays near 1,000 orders: " + open);
    }
}
