package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.NormalDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-contract margin numbers of every series on one underlying, recomputed once per index (or surface) move,
 * so that an account's requirement is integer sums over its legs ({@link OptionMarginAccount}).
 *
 * <p><b>Units.</b> Money is a {@code long} count of the settlement asset's minor units ({@code settlementScale}
 * decimals: USDC 6). A per-contract value {@code x} computed by the model in settlement currency becomes minor units
 * once, as {@code ceil(x x multiplier x 10^scale)} or {@code floor(...)}, always the way that hurts the account that
 * holds it. Deltas and sizes are {@code long} micro base units (1 BTC = 1,000,000). Time is an argument, epoch
 * nanoseconds; a year is 365 days ({@link #NANOS_PER_YEAR}).
 *
 * <p><b>What {@link #reprice} computes</b>, per live series, at spot S (the index), with the mark source's volatility
 * v, carry b and rate r, and time to expiry T:
 * <ul>
 *   <li><i>mark</i>: the option's value per contract, {@code GeneralizedBlackScholes.price(type, S, K, T, r, b, v)},
 *       as {@code markUp = ceil} and {@code markDown = floor}; an expired option (T <= 0) is worth its intrinsic
 *       value; a future has no mark here (its profit and loss is in the account's equity);</li>
 *   <li><i>scenario P&amp;L</i>: for each scenario (move m, shock k) of {@link PortfolioMarginParams}, the change in
 *       value of one long contract, {@code V(S (1 + m), shocked v) - V(S, v)}, T, r and b unchanged; for a future
 *       {@code F m} with its forward {@code F = S e^(bT)} ({@code F = S} for a perpetual). Stored twice:
 *       {@code pnlDown = floor} (what a long is credited) and {@code pnlUp = ceil} (what a short, holding minus one
 *       contract, is charged), so an account's sum is its P&amp;L rounded against it, exactly, in any order;</li>
 *   <li><i>delta</i>: {@code round(dV/dS x multiplier x 1e6)} micro base units: {@code e^((b-r)T) N(d1)} for a
 *       call, {@code -e^((b-r)T) N(-d1)} for a put, {@code e^(bT)} for a future; an expired option's is 1 (call) or
 *       -1 (put) when in the money, else 0;</li>
 *   <li><i>standard risk parts</i>, per contract, rounded up: a short option's
 *       {@code max(pctA x S - OTM, pctB x S)}, with {@code OTM = max(0, K - S)} for a call and {@code max(0, S - K)}
 *       for a put, and a future's {@code futuresRate x F}; maintenance uses the same times the maintenance
 *       fraction ({@link StandardMarginParams}).</li>
 * </ul>
 *
 * <p><b>Check, then apply.</b> {@link #reprice} computes into a second set of arrays and swaps them in only when every
 * series priced; otherwise it returns a {@link RepriceStatus} with {@link #lastRejectMessage()} and the table is as
 * it was. Every successful reprice (and parameter change) advances {@link #epoch()}; accounts compare it with the
 * epoch they summed at and re-sum lazily.
 *
 * <p><b>Cost.</b> A reprice is one Black-Scholes price per series and scenario (about 27 per option with the default
 * grid) and allocates nothing once the arrays have their size. Series are never removed, but a series nobody holds
 * can be {@link #retire retired} (after its expiry, say) and is then skipped.
 *
 * <p><b>Snapshots.</b> Everything here is derived from the series list, the parameters and the inputs of the last
 * reprice (spot, time, marks): a replica that registers the same series and reprices with the same inputs holds the
 * same numbers, bit for bit ({@link #hashInto}). A snapshot still writes the priced numbers themselves
 * ({@link #writeSnapshot}): a series added to a priced table is priced with the mark source as it is then, which may
 * have moved since the last reprice, so the inputs alone do not always give the numbers back.
 *
 * <p><b>Threading.</b> One thread (the engine's); no locks, no clock, no I/O.
 */
public final class ScenarioTable {
    /** Nanoseconds in a 365-day year, the unit of time to expiry. */
    public static final long NANOS_PER_YEAR = 365L * 86_400L * 1_000_000_000L;
    /** The largest settlement scale (decimal places of the minor unit). */
    public static final int MAX_SETTLEMENT_SCALE = 18;
    /** The largest index price accepted by {@link #reprice}. */
    public static final double MAX_SPOT = 1e15;
    /** The largest mark volatility accepted (1000%, the implied-volatility solver's upper end). */
    public static final double MAX_VOL = 10.0;
    /** What {@link #addSeries} returns when the new series cannot be priced. */
    public static final int REJECTED = -1;
    /** Per-contract values must stay below 2^62 minor units, so that sums have headroom before checked overflow. */
    private static final double LIMIT = 0x1p62;
    private static final double DAYS_PER_YEAR = 365.0;

    private final int settlementScale;
    private final double moneyScale;
    private StandardMarginParams standard;
    private PortfolioMarginParams portfolio;
    private double[] moves;
    private VolShock[] shocks;
    private int scenarios;
    private final double[] shockedVols = new double[PortfolioMarginParams.MAX_SHOCKS];

    private int seriesCount;
    private SeriesSpec[] specs = new SeriesSpec[16];
    private long[] sizeMicros = new long[16];
    private boolean[] retired = new boolean[16];
    private int[] holders = new int[16];

    private ScenarioPrices front = new ScenarioPrices();
    private ScenarioPrices back = new ScenarioPrices();
    private boolean priced;
    private double spot;
    private long nowNanos;
    private double rate;
    private MarkSource marks;
    private long epoch;
    private String lastRejectMessage = "";

    /**
     * An empty, unpriced table. Register series with {@link #addSeries}, then {@link #reprice} before the first
     * margin query.
     *
     * @param settlementScale decimal places of the settlement asset's minor unit, 0..{@value #MAX_SETTLEMENT_SCALE}
     */
    public ScenarioTable(int settlementScale, StandardMarginParams standard, PortfolioMarginParams portfolio) {
        if (settlementScale < 0 || settlementScale > MAX_SETTLEMENT_SCALE) {
            throw new IllegalArgumentException("settlementScale must be in [0, " + MAX_SETTLEMENT_SCALE + "]: "
                    + settlementScale);
        }
        if (standard == null || portfolio == null) {
            throw new IllegalArgumentException("standard and portfolio parameters are required");
        }
        this.settlementScale = settlementScale;
        this.moneyScale = StrictMath.pow(10.0, settlementScale);
        installParams(standard, portfolio);
    }

    private void installParams(StandardMarginParams standard, PortfolioMarginParams portfolio) {
        this.standard = standard;
        this.portfolio = portfolio;
        this.moves = new double[portfolio.priceMovesPpm().size()];
        for (int i = 0; i < moves.length; i++) {
            moves[i] = portfolio.priceMovesPpm().get(i) / 1e6;
        }
        this.shocks = portfolio.volShocks().toArray(new VolShock[0]);
        this.scenarios = portfolio.scenarioCount();
    }

    /**
     * Registers a series and returns its id (0, 1, 2, ... in registration order). When the table is already priced,
     * the series is priced at once with the inputs of the last reprice; if that fails (the mark source has no valid
     * volatility for it) nothing is registered and the result is {@link #REJECTED}, with
     * {@link #lastRejectMessage()}. Allocates when the arrays grow.
     */
    public int addSeries(SeriesSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("series spec is required");
        }
        int id = seriesCount;
        if (specs.length <= id) {
            int n = specs.length * 2;
            specs = Arrays.copyOf(specs, n);
            sizeMicros = Arrays.copyOf(sizeMicros, n);
            retired = Arrays.copyOf(retired, n);
            holders = Arrays.copyOf(holders, n);
        }
        specs[id] = spec;
        sizeMicros[id] = spec.sizeMicros();
        retired[id] = false;
        holders[id] = 0;
        front.ensure(id + 1, scenarios);
        if (priced) {
            // The new row is not referenced by any account yet, so it may be written in the live arrays.
            RepriceStatus status = priceSeries(front, id, spot, nowNanos, rate, marks);
            if (status != RepriceStatus.OK) {
                specs[id] = null;
                return REJECTED;
            }
        }
        seriesCount = id + 1;
        return id;
    }

    /**
     * Reprices every live series at index price {@code spot} and time {@code nowNanos} with {@code marks}; see the
     * class doc. Check, then apply: on anything but {@link RepriceStatus#OK} the table is unchanged. Allocates nothing
     * once the arrays have grown to the series count.
     *
     * @param spot     the index, settlement currency per base unit, positive and at most {@value #MAX_SPOT}
     * @param nowNanos the valuation time, epoch nanoseconds (from the command, never a clock)
     */
    public RepriceStatus reprice(double spot, long nowNanos, MarkSource marks) {
        if (marks == null) {
            throw new IllegalArgumentException("mark source is required");
        }
        if (!(spot > 0.0) || !(spot <= MAX_SPOT)) {
            lastRejectMessage = "index price must be positive and at most " + MAX_SPOT + ": " + spot;
            return RepriceStatus.INVALID_SPOT;
        }
        double r = marks.rate();
        if (!Double.isFinite(r)) {
            lastRejectMessage = "rate must be finite: " + r;
            return RepriceStatus.INVALID_MARKS;
        }
        back.ensure(seriesCount, scenarios);
        for (int i = 0; i < seriesCount; i++) {
            if (retired[i]) {
                continue;
            }
            RepriceStatus status = priceSeries(back, i, spot, nowNanos, r, marks);
            if (status != RepriceStatus.OK) {
                return status;
            }
        }
        ScenarioPrices swap = front;
        front = back;
        back = swap;
        this.spot = spot;
        this.nowNanos = nowNanos;
        this.rate = r;
        this.marks = marks;
        this.priced = true;
        epoch++;
        return RepriceStatus.OK;
    }

    /**
     * Replaces the parameters. A priced table is repriced at once with the inputs of the last reprice (same check,
     * then apply: on a reject the old parameters stay); an unpriced one just takes them. Accounts re-sum at their
     * next query (the epoch advances). Allocates when the grid grows.
     */
    public RepriceStatus setParams(StandardMarginParams standard, PortfolioMarginParams portfolio) {
        if (standard == null || portfolio == null) {
            throw new IllegalArgumentException("standard and portfolio parameters are required");
        }
        StandardMarginParams oldStandard = this.standard;
        PortfolioMarginParams oldPortfolio = this.portfolio;
        installParams(standard, portfolio);
        if (!priced) {
            front.ensure(seriesCount, scenarios);
            epoch++;
            return RepriceStatus.OK;
        }
        RepriceStatus status = reprice(spot, nowNanos, marks);
        if (status != RepriceStatus.OK) {
            installParams(oldStandard, oldPortfolio);
        }
        return status;
    }

    /**
     * Stops pricing a series nobody holds (an expired and settled option, say): returns false, and does nothing,
     * while any account holds it. A retired series cannot be held again.
     */
    public boolean retire(int series) {
        checkSeries(series);
        if (holders[series] > 0) {
            return false;
        }
        retired[series] = true;
        return true;
    }

    private RepriceStatus priceSeries(ScenarioPrices into, int i, double s, long now, double r, MarkSource source) {
        SeriesSpec spec = specs[i];
        double factor = spec.multiplier() * moneyScale;
        int row = i * scenarios;
        double tte = spec.expiryNanos() == SeriesSpec.PERPETUAL ? 0.0 : yearsBetween(now, spec.expiryNanos());
        if (spec.kind() == SeriesKind.FUTURE) {
            double b = 0.0;
            double growth = 1.0;
            if (tte > 0.0) {
                b = source.carry(tte);
                growth = StrictMath.exp(b * tte);
                if (!Double.isFinite(b) || !Double.isFinite(growth)) {
                    return rejectMarks("future " + i + ": carry " + b + " at T = " + tte + " gives no finite forward");
                }
            }
            double forward = s * growth;
            for (int j = 0; j < moves.length; j++) {
                double pnl = forward * moves[j] * factor;
                if (!(StrictMath.abs(pnl) < LIMIT)) {
                    return overflow(i, pnl);
                }
                long down = (long) StrictMath.floor(pnl);
                long up = (long) StrictMath.ceil(pnl);
                for (int k = 0; k < shocks.length; k++) {
                    into.pnlDown[row + j * shocks.length + k] = down;
                    into.pnlUp[row + j * shocks.length + k] = up;
                }
            }
            double notional = forward * factor;
            double initial = notional * (standard.futuresRatePpm() / 1e6);
            if (!(notional < LIMIT)) {
                return overflow(i, notional);
            }
            into.markDown[i] = 0;
            into.markUp[i] = 0;
            into.deltaMicros[i] = (long) StrictMath.rint(growth * spec.multiplier() * 1e6);
            into.initialRisk[i] = (long) StrictMath.ceil(initial);
            into.maintenanceRisk[i] = (long) StrictMath.ceil(initial * (standard.maintenanceFractionPpm() / 1e6));
            into.vol[i] = 0.0;
            into.carry[i] = b;
            return RepriceStatus.OK;
        }
        OptionRight type = spec.kind().right();
        double strike = spec.strike();
        double v0;
        double delta;
        double vol = 0.0;
        double b = 0.0;
        if (tte <= 0.0) {
            v0 = intrinsic(type, s, strike);
            delta = v0 > 0.0 ? (type == OptionRight.CALL ? 1.0 : -1.0) : 0.0;
            for (int j = 0; j < moves.length; j++) {
                double pnl = (intrinsic(type, s * (1.0 + moves[j]), strike) - v0) * factor;
                if (!(StrictMath.abs(pnl) < LIMIT)) {
                    return overflow(i, pnl);
                }
                for (int k = 0; k < shocks.length; k++) {
                    into.pnlDown[row + j * shocks.length + k] = (long) StrictMath.floor(pnl);
                    into.pnlUp[row + j * shocks.length + k] = (long) StrictMath.ceil(pnl);
                }
            }
        } else {
            vol = source.vol(strike, tte);
            b = source.carry(tte);
            if (!(vol > 0.0) || !(vol <= MAX_VOL)) {
                return rejectMarks("series " + i + " (strike " + strike + ", T = " + tte
                        + "): volatility must be positive and at most " + MAX_VOL + ": " + vol);
            }
            if (!Double.isFinite(b)) {
                return rejectMarks("series " + i + ": carry must be finite: " + b);
            }
            double sqrtT = StrictMath.sqrt(tte);
            double carryDf = StrictMath.exp((b - r) * tte);
            if (!Double.isFinite(carryDf) || !Double.isFinite(StrictMath.exp(-r * tte))) {
                return rejectMarks("series " + i + ": rate " + r + " and carry " + b + " overflow at T = " + tte);
            }
            v0 = GeneralizedBlackScholes.price(type, s, strike, tte, r, b, vol);
            double d1 = (StrictMath.log(s / strike) + (b + 0.5 * vol * vol) * tte) / (vol * sqrtT);
            delta = type == OptionRight.CALL ? carryDf * NormalDistribution.cdf(d1)
                    : -carryDf * NormalDistribution.cdf(-d1);
            double g = termFactor(tte);
            for (int k = 0; k < shocks.length; k++) {
                shockedVols[k] = shocks[k].apply(vol, g, volFloor());
            }
            for (int j = 0; j < moves.length; j++) {
                double shockedSpot = s * (1.0 + moves[j]);
                for (int k = 0; k < shocks.length; k++) {
                    double value = GeneralizedBlackScholes.price(type, shockedSpot, strike, tte, r, b, shockedVols[k]);
                    double pnl = (value - v0) * factor;
                    if (!(StrictMath.abs(pnl) < LIMIT)) {
                        return overflow(i, pnl);
                    }
                    into.pnlDown[row + j * shocks.length + k] = (long) StrictMath.floor(pnl);
                    into.pnlUp[row + j * shocks.length + k] = (long) StrictMath.ceil(pnl);
                }
            }
        }
        double mark = v0 * factor;
        double otm = type == OptionRight.CALL ? StrictMath.max(0.0, strike - s) : StrictMath.max(0.0, s - strike);
        double risk = StrictMath.max(standard.shortOptionRatePpm() / 1e6 * s - otm,
                standard.shortOptionFloorPpm() / 1e6 * s) * factor;
        if (!(mark < LIMIT) || !(risk < LIMIT)) {
            return overflow(i, StrictMath.max(mark, risk));
        }
        into.markDown[i] = (long) StrictMath.floor(mark);
        into.markUp[i] = (long) StrictMath.ceil(mark);
        into.deltaMicros[i] = (long) StrictMath.rint(delta * spec.multiplier() * 1e6);
        into.initialRisk[i] = (long) StrictMath.ceil(risk);
        into.maintenanceRisk[i] = (long) StrictMath.ceil(risk * (standard.maintenanceFractionPpm() / 1e6));
        into.vol[i] = vol;
        into.carry[i] = b;
        return RepriceStatus.OK;
    }

    /**
     * The shock multiplier g(T) of {@link VolShock}: {@code (termDays / max(days, 1))^exponent}, evaluated as
     * {@code exp(exponent x ln(termDays / days))} because StrictMath.pow allocates on JDK 17 and this runs per series
     * on every reprice.
     */
    double termFactor(double tte) {
        double days = StrictMath.max(1.0, tte * DAYS_PER_YEAR);
        return StrictMath.exp(portfolio.volTermExponentPpm() / 1e6 * StrictMath.log(portfolio.volTermDays() / days));
    }

    private double volFloor() {
        return portfolio.volFloorPpm() / 1e6;
    }

    private RepriceStatus rejectMarks(String message) {
        lastRejectMessage = message;
        return RepriceStatus.INVALID_MARKS;
    }

    private RepriceStatus overflow(int series, double value) {
        lastRejectMessage = "series " + series + ": a per-contract value of " + value
                + " minor units does not fit (limit 2^62); lower the multiplier or the settlement scale";
        return RepriceStatus.OVERFLOW;
    }

    /** Intrinsic value of an option at spot s: {@code max(0, s - K)} for a call, {@code max(0, K - s)} for a put. */
    static double intrinsic(OptionRight type, double s, double strike) {
        return type == OptionRight.CALL ? StrictMath.max(0.0, s - strike) : StrictMath.max(0.0, strike - s);
    }

    /** Years from {@code now} to {@code expiry} (negative once expired), exact in the nanosecond difference. */
    static double yearsBetween(long now, long expiry) {
        long diff = expiry - now;
        if (((expiry ^ now) & (expiry ^ diff)) < 0) {
            // The long difference overflowed: instants centuries apart, where the double difference is precise enough.
            return ((double) expiry - (double) now) / NANOS_PER_YEAR;
        }
        return diff / (double) NANOS_PER_YEAR;
    }

    void adjustHolders(int series, int change) {
        holders[series] += change;
    }

    void checkSeries(int series) {
        if (series < 0 || series >= seriesCount) {
            throw new IllegalArgumentException("unknown series " + series + " (table has " + seriesCount + ")");
        }
    }

    ScenarioPrices prices() {
        return front;
    }

    long sizeMicrosOf(int series) {
        return sizeMicros[series];
    }

    boolean isOptionSeries(int series) {
        return specs[series].isOption();
    }

    /** Decimal places of the settlement minor unit. */
    public int settlementScale() {
        return settlementScale;
    }

    /** {@code 10^settlementScale} as a double: minor units per unit of settlement currency. */
    public double moneyScale() {
        return moneyScale;
    }

    public StandardMarginParams standardParams() {
        return standard;
    }

    public PortfolioMarginParams portfolioParams() {
        return portfolio;
    }

    /** Scenarios per series: moves x shocks. */
    public int scenarioCount() {
        return scenarios;
    }

    /** The price move of scenario s, ppm. */
    public long scenarioMovePpm(int scenario) {
        return portfolio.priceMovesPpm().get(scenario / shocks.length);
    }

    /** The volatility shock of scenario s. */
    public VolShock scenarioVolShock(int scenario) {
        return shocks[scenario % shocks.length];
    }

    /** Series registered so far (retired ones included). */
    public int seriesCount() {
        return seriesCount;
    }

    public SeriesSpec spec(int series) {
        checkSeries(series);
        return specs[series];
    }

    public boolean isRetired(int series) {
        checkSeries(series);
        return retired[series];
    }

    boolean isRetiredUnchecked(int series) {
        return retired[series];
    }

    /** Accounts holding a non-zero position in the series. */
    public int holders(int series) {
        checkSeries(series);
        return holders[series];
    }

    /** True after the first successful {@link #reprice}. */
    public boolean isPriced() {
        return priced;
    }

    /** Index price of the last successful reprice (0 before the first). */
    public double spot() {
        return spot;
    }

    /** Valuation time of the last successful reprice. */
    public long nowNanos() {
        return nowNanos;
    }

    /** Advances on every successful reprice and parameter change. */
    public long epoch() {
        return epoch;
    }

    /** Why the last reprice or addSeries was rejected; empty before any reject. */
    public String lastRejectMessage() {
        return lastRejectMessage;
    }

    /** An option's mark value per contract in minor units, rounded up (what a short owes); 0 for a future. */
    public long markValueUp(int series) {
        checkSeries(series);
        return front.markUp[series];
    }

    /** An option's mark value per contract in minor units, rounded down (what a long is credited); 0 for a future. */
    public long markValueDown(int series) {
        checkSeries(series);
        return front.markDown[series];
    }

    /** The mark volatility the series was last priced with (0 for futures and expired options). */
    public double markVol(int series) {
        checkSeries(series);
        return front.vol[series];
    }

    /** Delta per contract (per lot for a future) in micro base units. */
    public long deltaMicros(int series) {
        checkSeries(series);
        return front.deltaMicros[series];
    }

    /** Standard initial risk part per contract (short option or future, either side), minor units, rounded up. */
    public long standardInitialRisk(int series) {
        checkSeries(series);
        return front.initialRisk[series];
    }

    /** Standard maintenance risk part per contract, minor units, rounded up. */
    public long standardMaintenanceRisk(int series) {
        checkSeries(series);
        return front.maintenanceRisk[series];
    }

    /**
     * The scenario P&amp;L of one contract in minor units: rounded down when {@code forLong}, up otherwise (a short
     * position's P&amp;L is minus this times its size).
     */
    public long scenarioPnl(int series, int scenario, boolean forLong) {
        checkSeries(series);
        if (scenario < 0 || scenario >= scenarios) {
            throw new IllegalArgumentException("scenario must be in [0, " + scenarios + "): " + scenario);
        }
        int at = series * scenarios + scenario;
        return forLong ? front.pnlDown[at] : front.pnlUp[at];
    }

    /**
     * Feeds the table's state in a fixed order: parameters, the series (kind, strike and multiplier bits, expiry,
     * retired), the last reprice's inputs, and every priced number. Equal hashes on two replicas mean equal margins.
     */
    public void hashInto(StateHasher hasher) {
        hasher.add(settlementScale).add(standard.toString()).add(portfolio.toString()).add(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            SeriesSpec spec = specs[i];
            hasher.add(spec.kind()).add(Double.doubleToLongBits(spec.strike())).add(spec.expiryNanos())
                    .add(Double.doubleToLongBits(spec.multiplier())).add(retired[i]);
        }
        hasher.add(priced).add(Double.doubleToLongBits(spot)).add(nowNanos).add(Double.doubleToLongBits(rate));
        if (!priced) {
            return;
        }
        for (int i = 0; i < seriesCount; i++) {
            if (retired[i]) {
                // Not repriced any more: its rows hold whatever the last reprice before retirement left.
                continue;
            }
            hasher.add(front.markDown[i]).add(front.markUp[i]).add(front.deltaMicros[i]).add(front.initialRisk[i])
                    .add(front.maintenanceRisk[i]).add(Double.doubleToLongBits(front.vol[i]));
            for (int s = 0, at = i * scenarios; s < scenarios; s++, at++) {
                hasher.add(front.pnlDown[at]).add(front.pnlUp[at]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    private static final SeriesKind[] KINDS = SeriesKind.values();

    /**
     * Writes the table (inside its owner's section, whose version covers this layout; the settlement scale is the
     * owner's to write): the parameters, every series (spec and whether retired), whether priced, the last reprice's
     * inputs (spot, time, rate), the epoch and the last reject message, and when priced every series' numbers (marks,
     * delta, risk parts, volatility, carry, the scenario rows). Holder counts are rebuilt by the accounts that hold the
     * series (their {@link OptionMarginAccount#setPosition}), and the mark source is the owner's to give back.
     */
    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(standard.shortOptionRatePpm());
        out.writeVarLong(standard.shortOptionFloorPpm());
        out.writeVarLong(standard.futuresRatePpm());
        out.writeVarLong(standard.maintenanceFractionPpm());
        out.writeCount(portfolio.priceMovesPpm().size());
        for (long move : portfolio.priceMovesPpm()) {
            out.writeVarLong(move);
        }
        out.writeCount(portfolio.volShocks().size());
        for (VolShock shock : portfolio.volShocks()) {
            out.writeVarLong(shock.relativePpm());
            out.writeVarLong(shock.absolutePpm());
        }
        out.writeVarLong(portfolio.volFloorPpm());
        out.writeVarLong(portfolio.volTermDays());
        out.writeVarLong(portfolio.volTermExponentPpm());
        out.writeVarLong(portfolio.shortOptionAddOnPpm());
        out.writeVarLong(portfolio.concentrationThresholdMicros());
        out.writeVarLong(portfolio.concentrationAddOnPpm());
        out.writeVarLong(portfolio.deltaBoundMicros());
        out.writeVarLong(portfolio.deltaAddOnPpm());
        out.writeVarLong(portfolio.maintenanceFractionPpm());
        out.writeCount(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            SeriesSpec spec = specs[i];
            out.writeEnum(spec.kind());
            out.writeDouble(spec.strike());
            out.writeVarLong(spec.expiryNanos());
            out.writeDouble(spec.multiplier());
            out.writeBoolean(retired[i]);
        }
        out.writeBoolean(priced);
        out.writeDouble(spot);
        out.writeVarLong(nowNanos);
        out.writeDouble(rate);
        out.writeVarLong(epoch);
        out.writeString(lastRejectMessage);
        if (!priced) {
            return;
        }
        front.writeSnapshot(out, seriesCount, scenarios);
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this table, which must be new (no series), with {@code marks} as
     * the mark source of the last reprice (the owner's). Parameters, series specs and values are checked as they are
     * when they come in; a damaged table is refused ({@link io.meridian.model.snapshot.SnapshotFormatException}).
     */
    public void readSnapshot(SnapshotReader in, MarkSource marks) {
        if (seriesCount != 0 || priced) {
            throw new IllegalStateException("a snapshot is restored into a new table only");
        }
        try {
            StandardMarginParams standardParams = new StandardMarginParams(in.readVarLong(), in.readVarLong(),
                    in.readVarLong(), in.readVarLong());
            int moveCount = in.readCount(1);
            List<Long> moves = new ArrayList<>(moveCount);
            for (int i = 0; i < moveCount; i++) {
                moves.add(in.readVarLong());
            }
            int shockCount = in.readCount(2);
            List<VolShock> shockList = new ArrayList<>(shockCount);
            for (int i = 0; i < shockCount; i++) {
                shockList.add(new VolShock(in.readVarLong(), in.readVarLong()));
            }
            PortfolioMarginParams portfolioParams = new PortfolioMarginParams(moves, shockList, in.readVarLong(),
                    in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                    in.readVarLong(), in.readVarLong(), in.readVarLong());
            installParams(standardParams, portfolioParams);
            int count = in.readCount(19);
            if (specs.length < count) {
                int n = Math.max(count, specs.length * 2);
                specs = Arrays.copyOf(specs, n);
                sizeMicros = Arrays.copyOf(sizeMicros, n);
                retired = Arrays.copyOf(retired, n);
                holders = Arrays.copyOf(holders, n);
            }
            for (int i = 0; i < count; i++) {
                SeriesSpec spec = new SeriesSpec(in.readRequiredEnum(KINDS, "series kind"), in.readDouble(),
                        in.readVarLong(), in.readDouble());
                specs[i] = spec;
                sizeMicros[i] = spec.sizeMicros();
                retired[i] = in.readBoolean();
            }
            seriesCount = count;
            priced = in.readBoolean();
            spot = in.readDouble();
            nowNanos = in.readVarLong();
            rate = in.readDouble();
            epoch = in.readVarLong();
            lastRejectMessage = in.readString();
            this.marks = priced ? marks : null;
            if ((long) count * (7 + 2L * scenarios) > in.remaining() && priced) {
                throw in.fail("the table's " + count + " priced series do not fit the " + in.remaining() + " bytes left");
            }
            front.ensure(count, scenarios);
            if (!priced) {
                return;
            }
            front.readSnapshot(in, count, scenarios);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw in.fail("option margin table: " + e.getMessage());
        }
    }
}
