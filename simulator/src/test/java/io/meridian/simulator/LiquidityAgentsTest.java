package io.meridian.simulator;

import io.meridian.matching.BookView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realistic crowd's rules, each on a venue of its own: the Avellaneda-Stoikov maker's spread and size follow
 * realised volatility (wider and smaller as it rises, pulled above the ceiling), its quotes lean against its
 * inventory; the leverage distribution parses strictly and draws by its weights; and a realistic replay of a real crash
 * keeps every invariant, with the stop-loss traders flat at the end (stopped out or liquidated).
 */
class LiquidityAgentsTest {
    private static final long START = SimulatorSetup.START_TICKS;

    /** A venue with the index published at {@code START} and one maker with the lab's parameters. */
    private static final class Lab {
        final SimVenue venue = new SimVenue(SimulatorSetup.engineConfig(0), SimulatorSetup.USDC,
                SimulatorSetup.MINOR_UNITS_PER_TICK_LOT);
        final LiquidityAgents.AvellanedaStoikovMaker maker;
        long time = 1_700_000_000L * 1_000_000_000L;
        long step;

        Lab() {
            venue.setTime(time);
            List<Agents.Agent> agents = SimulatorSetup.build(venue, new SplittableRandom(1), 0, 0,
                    new Population(1, 0, 0, 0, true, 0, 0, Population.LeverageDistribution.DEFAULT), 1);
            maker = (LiquidityAgents.AvellanedaStoikovMaker) agents.get(0);
        }

        /** One step: the sources report {@code index}, the maker acts, a tick follows. */
        BookView step(long index) {
            time += 1_000_000_000L;
            venue.setTime(time);
            for (int source = 0; source < SimulatorSetup.SOURCES.length; source++) {
                venue.submit(venue.command().oracleReport(SimulatorSetup.INDEX, source,
                        index * SimulatorSetup.UNITS_PER_TICK, time));
            }
            maker.act(venue, new SplittableRandom(step), new Agents.Market(SimulatorSetup.BTC_PERP, index, 1.0, step++));
            io.meridian.model.Command tick = venue.command();
            tick.type = io.meridian.model.CommandType.TIME_TICK;
            venue.submit(tick);
            return venue.engine().view().book(SimulatorSetup.BTC_PERP);
        }
    }

    @Test
    void theMakersSpreadWidensAndItsSizeShrinksAsVolatilityRisesThenItPulls() {
        Lab lab = new Lab();
        BookView book = null;
        for (int i = 0; i < 5; i++) {
            book = lab.step(START);
        }
        long calmSpread = book.bestAsk() - book.bestBid();
        long calmSize = book.levelQuantity(io.meridian.model.Side.BUY, 0);
        // Calm (the lab's calm volatility): half-spread about 2 bp plus a basis point of risk, 400 lots a level.
        assertTrue(calmSpread >= 2 * START * 2 / 10_000 && calmSpread <= 2 * START * 5 / 10_000, "calm spread " + calmSpread);
        assertEquals(400, calmSize);
        // Swings of 0.3% a second: volatility about 20 times calm after a while.
        long index = START;
        for (int i = 0; i < 20; i++) {
            index = i % 2 == 0 ? Math.round(index * 1.003) : Math.round(index / 1.003);
            book = lab.step(index);
        }
        double sigmas = lab.maker.sigma() / SimulatorSetup.AS_CALM_SIGMA;
        assertTrue(sigmas > 5 && sigmas < SimulatorSetup.AS_PULL_SIGMAS, "volatility " + sigmas + " x calm");
        long wideSpread = book.bestAsk() - book.bestBid();
        assertTrue(wideSpread > 10 * calmSpread, "spread " + wideSpread + " against calm " + calmSpread);
        long size = book.levelQuantity(io.meridian.model.Side.BUY, 0);
        assertTrue(size < calmSize / 5, "size " + size);
        // Swings of 1% a second: above the ceiling, every quote is pulled.
        for (int i = 0; i < 20; i++) {
            index = i % 2 == 0 ? Math.round(index * 1.01) : Math.round(index / 1.01);
            book = lab.step(index);
        }
        assertTrue(lab.maker.sigma() > SimulatorSetup.AS_PULL_SIGMAS * SimulatorSetup.AS_CALM_SIGMA);
        assertEquals(0, book.bestBid());
        assertEquals(0, book.bestAsk());
    }

    @Test
    void theLeverageDistributionParsesStrictlyAndDrawsByWeight() {
        Population.LeverageDistribution d = Population.LeverageDistribution.parse("2:1,50:3");
        SplittableRandom random = new SplittableRandom(7);
        int fifty = 0;
        for (int i = 0; i < 10_000; i++) {
            fifty += d.draw(random) == 50 ? 1 : 0;
        }
        assertTrue(Math.abs(fifty - 7_500) < 300, "50x drawn " + fifty + " times in 10,000 (weight 3 of 4)");
        assertEquals("2:1,50:3", d.toString());
        for (String bad : List.of("", "5", "5:", "0:1", "101:1", "5:0", "5:-1", "x:1", "5:NaN", "2:1,,3:1")) {
            assertThrows(IllegalArgumentException.class, () -> Population.LeverageDistribution.parse(bad), bad);
        }
    }

    @Test
    void aRealisticReplayOfARealCrashKeepsTheInvariantsAndStopsFire() throws Exception {
        CandleReplay replay = CandleReplay.builtin("btcusdt-2020-03-12-1m", 120);
        Population population = new Population(2, 10, 10, 10, true, 20, 2, Population.LeverageDistribution.DEFAULT);
        StressRunner.Result a = StressRunner.run(replay, 3, replay.steps(), population, 0, 20_000, false);
        StressRunner.Result b = StressRunner.run(replay, 3, replay.steps(), population, 0, 20_000, false);
        assertEquals(a.stateHash(), b.stateHash(), "deterministic");
        assertTrue(a.invariantsHold(), a.violations().toString());
        assertEquals(2 + 10 + 10 + 10 + 20 + 2, a.accounts());
        assertTrue(a.liquidations() > 0, "a 52% crash liquidates someone");
    }

    /** A long with its stop 5% down at a round 500: a fall through the stop closes it at once, before liquidation. */
    @Test
    void aStopLossTradersStopSitsOnARoundPriceAndClosesThePosition() {
        Lab lab = new Lab();
        lab.venue.submit(lab.venue.command().deposit(2_000, SimulatorSetup.USDC, 10_000 * SimulatorSetup.USD));
        lab.venue.submit(lab.venue.command().setLeverage(2_000, SimulatorSetup.BTC_PERP, 5));
        LiquidityAgents.StopLossTrader trader = new LiquidityAgents.StopLossTrader(2_000, 5,
                io.meridian.model.Side.BUY, 3, 0.05, SimulatorSetup.STOP_ROUND_TICKS);
        long index = START;
        long opened = 0;
        for (int i = 0; i < 75; i++) {
            // Flat for five steps, then down 0.1% a step (the maker keeps quoting, smaller and wider): the stop (47,500
            // at a 50,000 start) is crossed near step 57.
            index = i < 5 ? START : Math.round(index * 0.999);
            lab.step(index);
            trader.act(lab.venue, new SplittableRandom(i), new Agents.Market(SimulatorSetup.BTC_PERP, index, 1.0, i));
            long size = lab.venue.engine().view().positions(SimulatorSetup.BTC_PERP).size(2_000);
            if (i == 3) {
                opened = size;
                assertTrue(opened > 0, "the trader opened a long");
                List<io.meridian.matching.Order> orders = lab.venue.engine().view().book(SimulatorSetup.BTC_PERP)
                        .openOrdersOf(2_000);
                assertEquals(1, orders.size());
                assertEquals(io.meridian.model.OrderType.STOP_MARKET, orders.get(0).type());
                assertEquals(475_000, orders.get(0).triggerPrice(), "5% under 50,000, on a multiple of 500 (ticks 5,000)");
                assertEquals(io.meridian.model.TriggerSource.MARK, orders.get(0).triggerSource());
            }
            if (index > 475_000) {
                assertEquals(opened, size, "still open above the stop at " + index);
            }
        }
        assertTrue(index < 475_000);
        assertEquals(0, lab.venue.engine().view().positions(SimulatorSetup.BTC_PERP).size(2_000), "stopped out");
        assertEquals(0, lab.venue.liquidations, "by its stop, not by a liquidation");
    }
}
