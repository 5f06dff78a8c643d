package io.meridian.engine;

import io.meridian.risk.MarginEngine;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.ScenarioTable;

import java.util.Arrays;

/**
 * The margin engine's portfolio-risk hook ({@link MarginEngine.PortfolioRisk}): the initial and maintenance margin of
 * an account's options, and of the futures margined with them, from its {@link OptionMarginAccount} on each underlying
 * plus the net option value, and with resting orders from the what-if account at the worst-case positions (see
 * "Margin" in {@link Options}); also the per-position maintenance the liquidation engine sizes its steps with. Reads
 * which instrument is which series, and which accounts are in portfolio margin, from the {@link OptionRegistry} it is
 * built with (before the margin engine, which is built with this hook); owns only the scratch of the computation in
 * progress, which is empty between computations and so never hashed or snapshotted.
 *
 * <p>Engine thread only. One computation at a time: begin, add per instrument, finish. Allocates only when an account
 * adds more instruments than any before it.
 */
final class OptionMarginHook implements MarginEngine.PortfolioRisk {
    /** Option series by instrument id; null for other instruments (the array {@link Options} lists into). */
    private final OptionSeries[] options;
    /** For futures priced from an index with options: its underlying, else null (as {@link Options} registers). */
    private final OptionUnderlying[] futureUnderlying;
    private final OptionRegistry registry;

    // One margin computation at a time (see MarginEngine.PortfolioRisk): its account and instruments.
    private long hookAccount;
    private int hookCount;
    private int[] hookInstruments = new int[8];
    private long[] hookSizes = new long[8];
    private long[] hookBuys = new long[8];
    private long[] hookSells = new long[8];

    OptionMarginHook(OptionRegistry registry) {
        this.options = registry.series;
        this.futureUnderlying = registry.futureUnderlying;
        this.registry = registry;
    }

    @Override
    public boolean isPortfolio(long account) {
        return registry.isPortfolio(account);
    }

    @Override
    public void begin(long account, int asset) {
        hookAccount = account;
        hookCount = 0;
    }

    @Override
    public void add(int instrument, long size, long buys, long sells) {
        if (hookCount == hookInstruments.length) {
            int n = hookCount * 2;
            hookInstruments = Arrays.copyOf(hookInstruments, n);
            hookSizes = Arrays.copyOf(hookSizes, n);
            hookBuys = Arrays.copyOf(hookBuys, n);
            hookSells = Arrays.copyOf(hookSells, n);
        }
        hookInstruments[hookCount] = instrument;
        hookSizes[hookCount] = size;
        hookBuys[hookCount] = buys;
        hookSells[hookCount] = sells;
        hookCount++;
    }

    /**
     * Per underlying among the instruments added: maintenance from the account's legs, initial from its legs or, with
     * resting orders, from the what-if account at the worst-case positions; both plus the net option value (class
     * doc of {@link Options}).
     */
    @Override
    public void finish(MarginEngine.MarginState out) {
        for (int i = 0; i < hookCount; i++) {
            OptionUnderlying u = underlyingOf(hookInstruments[i]);
            if (u == null || !u.table.isPriced() || seenBefore(u, i)) {
                continue;
            }
            boolean orders = false;
            for (int j = i; j < hookCount; j++) {
                orders |= underlyingOf(hookInstruments[j]) == u && (hookBuys[j] != 0 || hookSells[j] != 0);
            }
            OptionMarginAccount held = u.accounts.get(hookAccount);
            long initial = 0;
            long maintenance = 0;
            if (held != null) {
                long value = held.netOptionValue();
                maintenance = Math.addExact(held.maintenanceMargin(), value);
                initial = orders ? 0 : Math.addExact(held.initialMargin(), value);
            }
            if (orders) {
                initial = worstCaseInitial(u, held, i);
            }
            out.initialMargin = Math.addExact(out.initialMargin, initial);
            out.maintenanceMargin = Math.addExact(out.maintenanceMargin, maintenance);
        }
    }

    private boolean seenBefore(OptionUnderlying u, int i) {
        for (int j = 0; j < i; j++) {
            if (underlyingOf(hookInstruments[j]) == u) {
                return true;
            }
        }
        return false;
    }

    private OptionUnderlying underlyingOf(int instrument) {
        OptionSeries series = options[instrument];
        return series != null ? series.underlying : futureUnderlying[instrument];
    }

    private int tableSeriesOf(OptionUnderlying u, int instrument) {
        OptionSeries series = options[instrument];
        return series != null ? series.series : Options.futureSeriesOf(u, instrument);
    }

    /** Initial margin with every series of u that has resting orders at its worst-case position. */
    private long worstCaseInitial(OptionUnderlying u, OptionMarginAccount held, int from) {
        OptionMarginAccount whatIf = u.scratch;
        whatIf.clear();
        whatIf.setMode(registry.modeOf(hookAccount));
        try {
            if (held != null) {
                for (int k = 0; k < held.legCount(); k++) {
                    whatIf.setPosition(held.legSeries(k), held.legQuantity(k));
                }
            }
            for (int j = from; j < hookCount; j++) {
                int instrument = hookInstruments[j];
                if (underlyingOf(instrument) != u || hookBuys[j] == 0 && hookSells[j] == 0) {
                    continue;
                }
                int tableSeries = tableSeriesOf(u, instrument);
                if (tableSeries >= 0) {
                    whatIf.setPosition(tableSeries, worstSide(u.table, tableSeries, hookSizes[j], hookBuys[j],
                            hookSells[j]));
                }
            }
            return Math.addExact(whatIf.initialMargin(), whatIf.netOptionValue());
        } finally {
            whatIf.clear();
        }
    }

    /**
     * Of {@code size + buys} and {@code size - sells}, the position that costs more on its own under standard margin
     * (a long option its value, a short option or a future its risk part); the larger size on a tie.
     */
    private static long worstSide(ScenarioTable table, int tableSeries, long size, long buys, long sells) {
        long up = Math.addExact(size, buys);
        long down = Math.subtractExact(size, sells);
        long upCost = standaloneCost(table, tableSeries, up);
        long downCost = standaloneCost(table, tableSeries, down);
        if (upCost != downCost) {
            return upCost > downCost ? up : down;
        }
        return Math.abs(up) >= Math.abs(down) ? up : down;
    }

    private static long standaloneCost(ScenarioTable table, int tableSeries, long quantity) {
        boolean option = table.spec(tableSeries).isOption();
        if (option && quantity > 0) {
            return Math.multiplyExact(quantity, table.markValueDown(tableSeries));
        }
        return Math.multiplyExact(Math.abs(quantity), table.standardInitialRisk(tableSeries));
    }

    /**
     * The maintenance margin a position of {@code size} lots carries on its own, for the liquidation engine's choice
     * of what to close and how much: a short option's (or a future's) maintenance risk part, a long option's value.
     * -1 when the instrument is not margined here.
     */
    long legMaintenance(int instrument, long size) {
        OptionUnderlying u = underlyingOf(instrument);
        int tableSeries = u == null ? -1 : tableSeriesOf(u, instrument);
        if (tableSeries < 0 || !u.table.isPriced()) {
            return -1;
        }
        if (options[instrument] != null && size > 0) {
            return Math.multiplyExact(size, u.table.markValueDown(tableSeries));
        }
        return Math.multiplyExact(Math.abs(size), u.table.standardMaintenanceRisk(tableSeries));
    }
}
