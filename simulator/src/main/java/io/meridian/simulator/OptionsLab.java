package io.meridian.simulator;

import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.pricing.options.GeneralizedBlackScholes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The options part of a stress run ({@code --options}): a BTC option chain on the venue's index, its agents, the
 * volatility response and what the report says about the option books.
 *
 * <p>Chain: calls and puts at 80%, 90%, 100% and 110% of the start price (40,000 .. 55,000), one expiry 30 days after
 * the start, initial volatility 60%; tick 0.1 USD, lot 0.01 BTC (one lot-tick is 1,000 USDC minor units). Ids from
 * {@link #FIRST_ID}: the call of strike k is {@code FIRST_ID + 2k}, its put the next id.
 *
 * <p>Agents (accounts from 100,000, clear of every population the CLI can ask for): one option market maker
 * (100,000); {@link #PUT_WRITER_PAIRS} pairs of put writers (100,100..), each pair one standard and one portfolio
 * account with the same capital, strike, size rule and opening second; {@link #COVERED_CALL_WRITERS} covered-call
 * writers in portfolio margin (100,500..).
 */
final class OptionsLab {
    static final int FIRST_ID = 10;
    static final double BTC_PER_LOT = 0.01;
    /** BTC-PERP lots (0.001 BTC) in one option lot (0.01 BTC). */
    static final long PERP_LOTS_PER_OPTION_LOT = 10;
    static final long MINOR_UNITS_PER_TICK_LOT = 1_000;
    static final double[] STRIKE_MULTIPLES = {0.8, 0.9, 1.0, 1.1};
    static final double INITIAL_VOL = Scenario.INITIAL_OPTION_VOL;
    static final long EXPIRY_AFTER_NANOS = 30L * 24 * 3_600 * 1_000_000_000L;
    static final int PUT_WRITER_PAIRS = 6;
    static final int COVERED_CALL_WRITERS = 4;
    static final long MAKER = 100_000;
    static final long FIRST_PUT_WRITER = 100_100;
    static final long FIRST_COVERED_CALL = 100_500;
    /** Simulated seconds between the volatility response's marks. */
    static final int MARK_EVERY = 10;
    /** Highest leverage of a covered-call writer; the test's survival argument depends on it. */
    static final double MAX_COVERED_LEVERAGE = 1.5;
    private static final double NANOS_PER_YEAR = 365.0 * 24 * 3_600 * 1_000_000_000L;

    private final long expiry;
    private final double[] strikes = new double[STRIKE_MULTIPLES.length];
    private final List<Writer> writers = new ArrayList<>();
    private final Map<Long, Long> worstEquity = new HashMap<>();
    private final Map<Long, Long> largestPosition = new HashMap<>();
    private long[] startMarks;
    private double[] startVols;
    private long[] bottomMarks;
    private double[] bottomVols;
    private long startIndexTicks;
    private long bottomIndexTicks = Long.MAX_VALUE;
    private long bottomSecond;
    private double bottomVolMultiple;
    private final List<StressRunner.OptionSample> samples = new ArrayList<>();

    /** An option writer as the report sees it. */
    private record Writer(long account, String role, boolean portfolio, int instrument, long capital) {
    }

    OptionsLab(long startNanos) {
        this.expiry = startNanos + EXPIRY_AFTER_NANOS;
        for (int k = 0; k < strikes.length; k++) {
            strikes[k] = Math.round(SimulatorSetup.START_TICKS * 0.1 * STRIKE_MULTIPLES[k]);
        }
    }

    static int call(int k) {
        return FIRST_ID + 2 * k;
    }

    static int put(int k) {
        return FIRST_ID + 2 * k + 1;
    }

    private int seriesCount() {
        return 2 * strikes.length;
    }

    private String symbol(int instrument) {
        int k = (instrument - FIRST_ID) / 2;
        return "BTC-" + (long) strikes[k] + "-" + ((instrument - FIRST_ID) % 2 == 0 ? "C" : "P");
    }

    /** Lists the chain and funds the agents; returns them in the order they act. Draws from {@code random}. */
    List<Agents.Agent> build(SimVenue venue, SplittableRandom random) {
        int[] ids = new int[seriesCount()];
        for (int k = 0; k < strikes.length; k++) {
            for (OptionRight right : new OptionRight[] {OptionRight.CALL, OptionRight.PUT}) {
                int id = right == OptionRight.CALL ? call(k) : put(k);
                ids[id - FIRST_ID] = id;
                String strike = Long.toString((long) strikes[k]);
                Command c = venue.command();
                c.type = CommandType.ADD_INSTRUMENT;
                c.instrumentSpec = InstrumentSpec.option(id, "BTC-" + strike + "-" + right.code(), "BTC", "USDC", 6,
                        "0.1", "0.01", "1", expiry);
                c.optionSpec = OptionSpec.of(SimulatorSetup.INDEX, strike, right)
                        .withInitialVolPpm(Math.round(INITIAL_VOL * 1_000_000));
                venue.submit(c);
                venue.tickLotValue(id, MINOR_UNITS_PER_TICK_LOT);
            }
        }
        List<Agents.Agent> agents = new ArrayList<>();
        venue.submit(venue.command().deposit(MAKER, SimulatorSetup.USDC, 50_000_000 * SimulatorSetup.USD));
        agents.add(new Agents.OptionMarketMaker(MAKER, ids, 1_000, 4));
        for (int pair = 0; pair < PUT_WRITER_PAIRS; pair++) {
            long capital = random.nextLong(20_000, 50_001);
            // 80% or 90% strike; 60-90% of the capital as standard initial margin: a 30% fall costs a 90%-strike
            // writer more than its capital, so every one of them must be liquidated (the test relies on it).
            int k = random.nextBoolean() ? 0 : 1;
            double fraction = random.nextDouble(0.6, 0.9);
            int openAt = (int) random.nextLong(1, 6);
            for (int regime = 0; regime < 2; regime++) {
                long account = FIRST_PUT_WRITER + 2L * pair + regime;
                boolean portfolio = regime == 1;
                venue.submit(venue.command().deposit(account, SimulatorSetup.USDC, capital * SimulatorSetup.USD));
                agents.add(new Agents.PutWriter(account, put(k), strikes[k], portfolio, fraction, openAt));
                writers.add(new Writer(account, "put writers", portfolio, put(k), capital));
            }
        }
        for (int i = 0; i < COVERED_CALL_WRITERS; i++) {
            long account = FIRST_COVERED_CALL + i;
            long capital = random.nextLong(20_000, 50_001);
            double leverage = random.nextDouble(1.0, MAX_COVERED_LEVERAGE);
            venue.submit(venue.command().deposit(account, SimulatorSetup.USDC, capital * SimulatorSetup.USD));
            agents.add(new Agents.CoveredCallWriter(account, call(3), leverage, (int) random.nextLong(1, 6)));
            writers.add(new Writer(account, "covered calls", true, call(3), capital));
        }
        return agents;
    }

    /**
     * The volatility response: every {@link #MARK_EVERY} seconds, a {@code SET_MARK_PRICE} on each option at its
     * Black-76 price at the engine's index with volatility {@code 60% x scenario.volMultiple(t)}; the engine implies
     * that volatility for the strike and reprices from it. Per strike the in-the-money option goes first and the
     * out-of-the-money one last, so the volatility the strike keeps is implied from the price with no intrinsic
     * value in it (the one a tick of rounding moves least).
     */
    void postMarks(SimVenue venue, MarketScript scenario, double t, int step) {
        if (step == 0 || step % MARK_EVERY != 0) {
            return;
        }
        double spot = venue.engine().view().indexPrice(SimulatorSetup.INDEX) / 100.0;
        if (spot <= 0) {
            return;
        }
        double tte = (expiry - venue.time()) / NANOS_PER_YEAR;
        double vol = INITIAL_VOL * scenario.volMultiple(t);
        for (int k = 0; k < strikes.length; k++) {
            boolean callOutOfTheMoney = strikes[k] >= spot;
            mark(venue, callOutOfTheMoney ? put(k) : call(k), spot, strikes[k], tte, vol);
            mark(venue, callOutOfTheMoney ? call(k) : put(k), spot, strikes[k], tte, vol);
        }
    }

    private static void mark(SimVenue venue, int instrument, double spot, double strike, double tte, double vol) {
        OptionRight type = (instrument - FIRST_ID) % 2 == 0 ? OptionRight.CALL : OptionRight.PUT;
        double price = GeneralizedBlackScholes.price(type, spot, strike, tte, 0, 0, vol);
        Command c = venue.command();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = instrument;
        c.price = Math.max(1, Math.round(price / 0.1));
        venue.submit(c);
    }

    /**
     * After every step: the writers' worst equity and largest positions, the marks at the start and the bottom; a
     * sample when the runner takes one.
     */
    void observe(SimVenue venue, MarketScript scenario, double t, int step, long indexTicks, boolean sample) {
        Engine engine = venue.engine();
        for (Writer w : writers) {
            long equity = engine.view().marginState(w.account(), SimulatorSetup.USDC).equity;
            worstEquity.merge(w.account(), equity, Math::min);
            largestPosition.merge(w.account(), Math.abs(engine.view().positions(w.instrument()).size(w.account())), Math::max);
        }
        if (step == 0) {
            startIndexTicks = indexTicks;
            startMarks = marks(engine);
            startVols = vols(engine);
        }
        if (indexTicks < bottomIndexTicks) {
            bottomIndexTicks = indexTicks;
            bottomSecond = step;
            bottomMarks = marks(engine);
            bottomVols = vols(engine);
            bottomVolMultiple = scenario.volMultiple(t);
        }
        if (sample) {
            int atmPut = put(2);
            int liquidated = 0;
            for (Writer w : writers) {
                liquidated += venue.liquidationsByAccount.containsKey(w.account()) ? 1 : 0;
            }
            samples.add(new StressRunner.OptionSample(step, scenario.volMultiple(t) * INITIAL_VOL,
                    engine.view().book(atmPut).markPrice(), engine.view().optionMarkVolatility(atmPut), liquidated));
        }
    }

    private long[] marks(Engine engine) {
        long[] marks = new long[seriesCount()];
        for (int i = 0; i < marks.length; i++) {
            marks[i] = engine.view().book(FIRST_ID + i).markPrice();
        }
        return marks;
    }

    private double[] vols(Engine engine) {
        double[] vols = new double[seriesCount()];
        for (int i = 0; i < vols.length; i++) {
            vols[i] = engine.view().optionMarkVolatility(FIRST_ID + i);
        }
        return vols;
    }

    StressRunner.OptionsReport report(SimVenue venue) {
        List<StressRunner.OptionAccount> accounts = new ArrayList<>();
        for (Writer w : writers) {
            accounts.add(new StressRunner.OptionAccount(w.account(), w.role(), w.portfolio(), symbol(w.instrument()),
                    w.capital() * SimulatorSetup.USD, largestPosition.getOrDefault(w.account(), 0L),
                    venue.liquidationsByAccount.getOrDefault(w.account(), 0L),
                    worstEquity.getOrDefault(w.account(), 0L),
                    venue.engine().view().marginState(w.account(), SimulatorSetup.USDC).equity,
                    venue.deficitsByAccount.getOrDefault(w.account(), 0L)));
        }
        List<StressRunner.SeriesMarks> series = new ArrayList<>();
        for (int i = 0; i < seriesCount(); i++) {
            series.add(new StressRunner.SeriesMarks(symbol(FIRST_ID + i), startMarks[i], startVols[i], bottomMarks[i],
                    bottomVols[i]));
        }
        return new StressRunner.OptionsReport(accounts, series, startIndexTicks, bottomIndexTicks, bottomSecond,
                bottomVolMultiple, List.copyOf(samples));
    }
}
