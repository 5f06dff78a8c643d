package io.meridian.risk.options;

import io.meridian.model.StateHasher;

import java.util.Arrays;

/**
 * One account's option and future positions on one underlying, and their margin in settlement minor units, under
 * standard or portfolio margin ({@link OptionMarginMode}). The numbers per contract come from the account's
 * {@link ScenarioTable}; the account only sums them, in {@code long}s, exactly.
 *
 * <p><b>Equity convention (the integrator's contract).</b> Option premiums move in cash when an option trades, so the
 * requirements here are meant to be compared with the <i>cash equity</i> of the underlying: balance plus the
 * unrealised P&amp;L of its futures, <b>without</b> any option's mark value. The requirements carry the options
 * instead: a short option's mark value (the cost of buying it back) is part of its requirement; a long option's value
 * backs nothing under standard margin and offsets the requirement under portfolio margin. An engine that marks
 * options into equity instead adds {@link #netOptionValue()} to both sides.
 *
 * <p><b>Standard margin</b> ({@link StandardMarginParams}), per leg, no offsets, with the per-contract numbers of the
 * table:
 * <pre>
 *   initial     = sum over short options |q| x (initialRisk + markUp) + sum over futures |q| x initialRisk
 *   maintenance = sum over short options |q| x (maintenanceRisk + markUp) + sum over futures |q| x maintenanceRisk
 * </pre>
 * Long options add nothing: their premium was paid in full.
 *
 * <p><b>Portfolio margin</b> ({@link PortfolioMarginParams}), over the scenarios s of the table's grid:
 * <pre>
 *   P&amp;L(s)    = sum over legs q x pnlDown(s) for q &gt; 0, q x pnlUp(s) for q &lt; 0  (exact; against the account)
 *   worstLoss = max(0, max over s of -P&amp;L(s))
 *   h         = S x 10^scale x (shortOptionAddOn x shortMicros + concentrationAddOn x concentrationMicros
 *                               + deltaAddOn x max(0, |netDeltaMicros| - deltaBound)) / 1e12
 *   optionValue = sum over long options q x markDown - sum over short options |q| x markUp
 *   initial     = max(0, worstLoss + ceil(h) - optionValue)
 *   maintenance = min(initial, max(0, ceil(maintenanceFraction x (worstLoss + h)) - optionValue))
 * </pre>
 * where {@code shortMicros} is the size of all short options ({@code |q| x multiplier}, in micro base units),
 * {@code concentrationMicros} the sum over option series of {@code max(0, |q| x sizeMicros - threshold)}, and
 * {@code netDeltaMicros} the sum of {@code q x deltaMicros} over every leg, futures included. The add-ons are
 * rounded once, together, so the requirement never falls when every position grows (a property test checks it).
 *
 * <p><b>Incremental.</b> The account keeps its sums (and, in portfolio mode, its scenario P&amp;L vector) for the
 * table epoch it last summed at. A position change while that epoch is current adjusts them by the change, in
 * O(scenarios); a query after a reprice re-sums every leg, in O(legs x scenarios). Integer sums make both give the
 * same numbers, bit for bit, in any order, which a differential test checks against a naive reference. Neither
 * allocates once the vector has its size.
 *
 * <p><b>Errors.</b> An unknown or retired series is a bug of the caller ({@link IllegalArgumentException}); a query
 * before the table was ever priced is {@link IllegalStateException}; a sum beyond a long is
 * {@link ArithmeticException} (position limits must prevent it) and leaves the account to re-sum at the next query.
 *
 * <p><b>Threading.</b> The table's thread only.
 */
public final class OptionMarginAccount implements OptionMarginView {
    private static final double LIMIT = 0x1p62;

    private final ScenarioTable table;
    private OptionMarginMode mode;
    private int[] legSeries = new int[8];
    private long[] legQuantity = new long[8];
    private int legs;
    /** Advances on every change of positions or mode; with the table epoch it keys the cached results. */
    private long version;

    private long syncedEpoch = -1;
    private boolean vectorMaintained;
    private long[] scenarioPnl = new long[0];
    private long[] scratch = new long[0];
    private long netOptionValue;
    private long shortOptionValue;
    private long netDeltaMicros;
    private long standardInitialRisk;
    private long standardMaintenanceRisk;
    private long shortOptionMicros;
    private long concentrationMicros;

    private long pmEpoch = -1;
    private long pmVersion = -1;
    private long worstLoss;
    private int worstScenario;
    private double addOnExact;
    private long portfolioInitial;
    private long portfolioMaintenance;

    /** An account with no positions, margined in {@code mode} against {@code table}. */
    public OptionMarginAccount(ScenarioTable table, OptionMarginMode mode) {
        if (table == null || mode == null) {
            throw new IllegalArgumentException("table and mode are required");
        }
        this.table = table;
        this.mode = mode;
    }

    public ScenarioTable table() {
        return table;
    }

    public OptionMarginMode mode() {
        return mode;
    }

    /** Switches standard / portfolio margin; the next query re-sums. A no-op when the mode is the same. */
    public void setMode(OptionMarginMode newMode) {
        if (newMode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (newMode != mode) {
            mode = newMode;
            syncedEpoch = -1;
            version++;
        }
    }

    /** The signed quantity held in a series (contracts for an option, lots for a future); 0 when none. */
    public long position(int series) {
        int at = Arrays.binarySearch(legSeries, 0, legs, series);
        return at >= 0 ? legQuantity[at] : 0;
    }

    /** Number of series with a non-zero position. */
    @Override
    public int legCount() {
        return legs;
    }

    /** The series of leg i, legs in increasing series id. */
    public int legSeries(int i) {
        checkLeg(i);
        return legSeries[i];
    }

    /** The signed quantity of leg i. */
    public long legQuantity(int i) {
        checkLeg(i);
        return legQuantity[i];
    }

    /**
     * Sets the position in a series to {@code quantity} (signed: positive long, negative short; 0 closes it), as
     * after a fill, a liquidation or a settlement. O(scenarios) when the account is summed at the table's current
     * epoch, O(log legs) otherwise (the next query re-sums); allocates only when the account holds a new series
     * beyond its current capacity.
     *
     * @throws IllegalArgumentException for an unknown series, a retired series with a non-zero quantity, or
     *                                  {@code Long.MIN_VALUE}
     */
    public void setPosition(int series, long quantity) {
        table.checkSeries(series);
        if (quantity == Long.MIN_VALUE) {
            throw new IllegalArgumentException("quantity out of range: " + quantity);
        }
        int at = Arrays.binarySearch(legSeries, 0, legs, series);
        long old = at >= 0 ? legQuantity[at] : 0;
        if (old == quantity) {
            return;
        }
        if (quantity != 0 && table.isRetiredUnchecked(series)) {
            throw new IllegalArgumentException("series " + series + " is retired");
        }
        if (at >= 0 && quantity != 0) {
            legQuantity[at] = quantity;
        } else if (at >= 0) {
            System.arraycopy(legSeries, at + 1, legSeries, at, legs - at - 1);
            System.arraycopy(legQuantity, at + 1, legQuantity, at, legs - at - 1);
            legs--;
            table.adjustHolders(series, -1);
        } else {
            insertLeg(-at - 1, series, quantity);
            table.adjustHolders(series, 1);
        }
        version++;
        long epoch = table.epoch();
        if (syncedEpoch == epoch) {
            // Unsynced while the sums move: if a checked operation throws, the next query re-sums from the legs.
            syncedEpoch = -1;
            contribute(series, old, false);
            contribute(series, quantity, true);
            syncedEpoch = epoch;
        }
    }

    /** Adds {@code change} to the position in a series; see {@link #setPosition}. */
    public void addPosition(int series, long change) {
        setPosition(series, Math.addExact(position(series), change));
    }

    /** Closes every position (so that the table's holder counts fall), e.g. before the account is dropped. */
    public void clear() {
        for (int i = 0; i < legs; i++) {
            table.adjustHolders(legSeries[i], -1);
        }
        legs = 0;
        syncedEpoch = -1;
        version++;
    }

    private void insertLeg(int at, int series, long quantity) {
        if (legs == legSeries.length) {
            legSeries = Arrays.copyOf(legSeries, legs * 2);
            legQuantity = Arrays.copyOf(legQuantity, legs * 2);
        }
        System.arraycopy(legSeries, at, legSeries, at + 1, legs - at);
        System.arraycopy(legQuantity, at, legQuantity, at + 1, legs - at);
        legSeries[at] = series;
        legQuantity[at] = quantity;
        legs++;
    }

    /** Initial margin in the account's mode, minor units, rounded up; compare with cash equity (class doc). */
    @Override
    public long initialMargin() {
        return mode == OptionMarginMode.PORTFOLIO ? portfolioInitialMargin() : standardInitialMargin();
    }

    /** Maintenance margin in the account's mode, minor units, rounded up; at most {@link #initialMargin()}. */
    @Override
    public long maintenanceMargin() {
        return mode == OptionMarginMode.PORTFOLIO ? portfolioMaintenanceMargin() : standardMaintenanceMargin();
    }

    /** Standard initial margin, whatever the mode: O(1) after the sums are current. */
    @Override
    public long standardInitialMargin() {
        sync();
        return Math.addExact(standardInitialRisk, shortOptionValue);
    }

    /** Standard maintenance margin, whatever the mode. */
    @Override
    public long standardMaintenanceMargin() {
        sync();
        return Math.addExact(standardMaintenanceRisk, shortOptionValue);
    }

    /**
     * Portfolio initial margin, whatever the mode: O(scenarios) in portfolio mode; in standard mode a what-if that
     * sums the legs' vectors afresh, O(legs x scenarios).
     */
    @Override
    public long portfolioInitialMargin() {
        portfolio();
        return portfolioInitial;
    }

    /** Portfolio maintenance margin, whatever the mode. */
    @Override
    public long portfolioMaintenanceMargin() {
        portfolio();
        return portfolioMaintenance;
    }

    /** The grid's worst loss, {@code max(0, -min P&L(s))}, minor units. */
    public long worstLoss() {
        portfolio();
        return worstLoss;
    }

    /** The scenario with the lowest P&amp;L (the first of equals); see {@link ScenarioTable#scenarioMovePpm}. */
    public int worstScenario() {
        portfolio();
        return worstScenario;
    }

    /** The account's P&amp;L in scenario s, minor units, rounded against it. */
    public long scenarioPnl(int scenario) {
        portfolio();
        if (scenario < 0 || scenario >= table.scenarioCount()) {
            throw new IllegalArgumentException("scenario must be in [0, " + table.scenarioCount() + "): " + scenario);
        }
        return (vectorMaintained ? scenarioPnl : scratch)[scenario];
    }

    /** All portfolio add-ons, rounded up once: {@code ceil(h)} of the class doc. */
    public long addOns() {
        portfolio();
        return (long) StrictMath.ceil(addOnExact);
    }

    /** The short-option add-on alone, rounded up (for display; {@link #addOns()} rounds the sum once). */
    public long shortOptionAddOn() {
        sync();
        return ceilMoney(table.portfolioParams().shortOptionAddOnPpm() * (double) shortOptionMicros);
    }

    /** The concentration add-on alone, rounded up (for display). */
    public long concentrationAddOn() {
        sync();
        return ceilMoney(table.portfolioParams().concentrationAddOnPpm() * (double) concentrationMicros);
    }

    /** The delta add-on alone, rounded up (for display). */
    public long deltaAddOn() {
        sync();
        return ceilMoney(table.portfolioParams().deltaAddOnPpm() * (double) excessDeltaMicros());
    }

    /**
     * The options' value in minor units: long options at their mark rounded down, minus short options at their mark
     * rounded up.
     */
    @Override
    public long netOptionValue() {
        sync();
        return netOptionValue;
    }

    /** Net delta of every leg, futures included, in micro base units. */
    public long netDeltaMicros() {
        sync();
        return netDeltaMicros;
    }

    /**
     * Re-sums every leg from the table now, as the first query after a reprice does, and computes the requirement
     * of the account's mode; returns its initial margin. For benchmarks and tests; queries do this by themselves.
     */
    public long recompute() {
        syncedEpoch = -1;
        pmEpoch = -1;
        return initialMargin();
    }

    /** Feeds the mode and the legs (series, quantity) in series order. */
    public void hashInto(StateHasher hasher) {
        hasher.add(mode).add(legs);
        for (int i = 0; i < legs; i++) {
            hasher.add(legSeries[i]).add(legQuantity[i]);
        }
    }

    private void checkLeg(int i) {
        if (i < 0 || i >= legs) {
            throw new IllegalArgumentException("leg must be in [0, " + legs + "): " + i);
        }
    }

    private long excessDeltaMicros() {
        return StrictMath.max(0L, Math.absExact(netDeltaMicros) - table.portfolioParams().deltaBoundMicros());
    }

    /** ceil(ppm x micros x S x 10^scale / 1e12) for one add-on term already multiplied out as ppm x micros. */
    private long ceilMoney(double ppmTimesMicros) {
        double value = ppmTimesMicros * unitValue();
        if (!(value < LIMIT)) {
            throw new ArithmeticException("add-on of " + value + " minor units overflows");
        }
        return (long) StrictMath.ceil(value);
    }

    /** Minor units per ppm x micro base unit at the table's spot. */
    private double unitValue() {
        return table.spot() * table.moneyScale() / 1e12;
    }

    /** Brings the sums to the table's epoch, re-summing every leg when it moved. */
    private void sync() {
        long epoch = table.epoch();
        if (syncedEpoch == epoch) {
            return;
        }
        if (!table.isPriced()) {
            throw new IllegalStateException("the scenario table has not been priced yet: reprice it first");
        }
        netOptionValue = 0;
        shortOptionValue = 0;
        netDeltaMicros = 0;
        standardInitialRisk = 0;
        standardMaintenanceRisk = 0;
        shortOptionMicros = 0;
        concentrationMicros = 0;
        vectorMaintained = mode == OptionMarginMode.PORTFOLIO;
        if (vectorMaintained) {
            if (scenarioPnl.length != table.scenarioCount()) {
                scenarioPnl = new long[table.scenarioCount()];
            } else {
                Arrays.fill(scenarioPnl, 0);
            }
        }
        for (int i = 0; i < legs; i++) {
            contribute(legSeries[i], legQuantity[i], true);
        }
        syncedEpoch = epoch;
    }

    /** Adds ({@code add}) or removes the sums of one leg of {@code quantity} in {@code series}. */
    private void contribute(int series, long quantity, boolean add) {
        if (quantity == 0) {
            return;
        }
        ScenarioPrices p = table.prices();
        long size = Math.absExact(quantity);
        if (table.isOptionSeries(series)) {
            long micros = Math.multiplyExact(size, table.sizeMicrosOf(series));
            long threshold = table.portfolioParams().concentrationThresholdMicros();
            concentrationMicros = sum(concentrationMicros, StrictMath.max(0L, micros - threshold), add);
            if (quantity > 0) {
                netOptionValue = sum(netOptionValue, Math.multiplyExact(quantity, p.markDown[series]), add);
            } else {
                long owed = Math.multiplyExact(size, p.markUp[series]);
                netOptionValue = sum(netOptionValue, -owed, add);
                shortOptionValue = sum(shortOptionValue, owed, add);
                standardInitialRisk = sum(standardInitialRisk, Math.multiplyExact(size, p.initialRisk[series]), add);
                standardMaintenanceRisk = sum(standardMaintenanceRisk,
                        Math.multiplyExact(size, p.maintenanceRisk[series]), add);
                shortOptionMicros = sum(shortOptionMicros, micros, add);
            }
        } else {
            standardInitialRisk = sum(standardInitialRisk, Math.multiplyExact(size, p.initialRisk[series]), add);
            standardMaintenanceRisk = sum(standardMaintenanceRisk,
                    Math.multiplyExact(size, p.maintenanceRisk[series]), add);
        }
        netDeltaMicros = sum(netDeltaMicros, Math.multiplyExact(quantity, p.deltaMicros[series]), add);
        if (vectorMaintained) {
            addVector(scenarioPnl, series, quantity, add);
        }
    }

    /**
     * {@code into[s] += quantity x pnl(series, s)} ({@code -=} when removing), with the floor row for a long position
     * and the ceiling row for a short: the row follows the position's sign, not the sign of the change.
     */
    private void addVector(long[] into, int series, long quantity, boolean add) {
        ScenarioPrices p = table.prices();
        int n = into.length;
        long[] row = quantity > 0 ? p.pnlDown : p.pnlUp;
        long factor = add ? quantity : -quantity;
        int base = series * n;
        for (int s = 0; s < n; s++) {
            into[s] = Math.addExact(into[s], Math.multiplyExact(factor, row[base + s]));
        }
    }

    private static long sum(long total, long term, boolean add) {
        return add ? Math.addExact(total, term) : Math.subtractExact(total, term);
    }

    /** Computes the portfolio numbers for the current epoch and positions, if not already done. */
    private void portfolio() {
        sync();
        if (pmEpoch == syncedEpoch && pmVersion == version) {
            return;
        }
        long[] vector;
        if (vectorMaintained) {
            vector = scenarioPnl;
        } else {
            int n = table.scenarioCount();
            if (scratch.length != n) {
                scratch = new long[n];
            } else {
                Arrays.fill(scratch, 0);
            }
            for (int i = 0; i < legs; i++) {
                addVector(scratch, legSeries[i], legQuantity[i], true);
            }
            vector = scratch;
        }
        int worst = 0;
        for (int s = 1; s < vector.length; s++) {
            if (vector[s] < vector[worst]) {
                worst = s;
            }
        }
        worstScenario = worst;
        worstLoss = vector[worst] < 0 ? Math.negateExact(vector[worst]) : 0;
        PortfolioMarginParams pm = table.portfolioParams();
        double units = pm.shortOptionAddOnPpm() * (double) shortOptionMicros
                + pm.concentrationAddOnPpm() * (double) concentrationMicros
                + pm.deltaAddOnPpm() * (double) excessDeltaMicros();
        addOnExact = units * unitValue();
        if (!(addOnExact < LIMIT)) {
            throw new ArithmeticException("portfolio add-ons of " + addOnExact + " minor units overflow");
        }
        long initial = Math.subtractExact(Math.addExact(worstLoss, (long) StrictMath.ceil(addOnExact)), netOptionValue);
        portfolioInitial = StrictMath.max(0L, initial);
        double fraction = pm.maintenanceFractionPpm() / 1e6;
        long maintenanceRisk = (long) StrictMath.ceil(fraction * (worstLoss + addOnExact));
        long maintenance = StrictMath.max(0L, Math.subtractExact(maintenanceRisk, netOptionValue));
        portfolioMaintenance = StrictMath.min(portfolioInitial, maintenance);
        pmEpoch = syncedEpoch;
        pmVersion = version;
    }
}
