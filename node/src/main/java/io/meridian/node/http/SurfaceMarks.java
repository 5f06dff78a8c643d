package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.pricing.options.ExpiryQuotes;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.risk.options.ScenarioTable;
import io.meridian.pricing.options.SurfaceBuild;
import io.meridian.pricing.options.VolQuote;
import io.meridian.pricing.options.VolSurface;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Option marks from a volatility surface (docs/options.md): implied-volatility quotes per expiry are fitted with raw
 * SVI and checked for butterfly and calendar arbitrage ({@link VolSurface#build}, which refuses rather than repairs),
 * then every listed series of the index is marked at Black-76 on the index (rate and carry 0, as the engine prices) with
 * the surface's volatility at its strike and expiry. The marks go in as SET_MARK_PRICE commands, so they are journaled
 * and the engine keeps each series' implied volatility: from then on, as the index moves, the engine reprices the
 * series at those volatilities until the next surface. This is the edge's work (a market-data process in production,
 * {@code POST /v1/dev/surface} on a dev node); the engine itself never fits. Stateless; runs on a Netty I/O thread.
 */
final class SurfaceMarks {
    /** The engine's year (365 days, {@link ScenarioTable#NANOS_PER_YEAR}), so times to expiry agree with its marks. */
    private static final double NANOS_PER_YEAR = ScenarioTable.NANOS_PER_YEAR;

    /**
     * The highest volatility a quote may give (1,000% a year): far above any traded market's, and low enough that the
     * fit's arithmetic stays finite (a quote of 1e300 once made the fitter fail).
     */
    static final double MAX_VOL = 10.0;

    private SurfaceMarks() {
    }

    /** One quote: the option expiry (epoch nanoseconds, as {@code GET /v1/instruments} gives it), strike, volatility. */
    record Quote(long expiry, BigDecimal strike, double vol) {
    }

    /** The marks to set, or the reason the quotes make no usable surface. */
    record Result(List<Command> marks, String reject) {
    }

    /**
     * @param spot     the index price now
     * @param nowNanos the engine's clock now
     * @param series   the index's listed option series (instrument id to its terms), unexpired
     */
    static Result marks(double spot, long nowNanos, List<Quote> quotes, Map<Integer, OptionSpec> series,
                        Map<Integer, InstrumentSpec> instruments) {
        Map<Long, List<VolQuote>> byExpiry = new TreeMap<>();
        for (Quote q : quotes) {
            if (q.expiry() <= nowNanos) {
                return new Result(List.of(), "quote for expiry " + q.expiry() + " is not in the future");
            }
            double strike = q.strike() == null ? Double.NaN : q.strike().doubleValue();
            if (!(strike > 0) || !Double.isFinite(strike) || !(q.vol() > 0) || !(q.vol() <= MAX_VOL)) {
                return new Result(List.of(), "each quote needs a positive strike and a vol in (0, " + MAX_VOL + "]");
            }
            byExpiry.computeIfAbsent(q.expiry(), k -> new ArrayList<>()).add(VolQuote.vol(strike, q.vol()));
        }
        List<ExpiryQuotes> expiries = new ArrayList<>();
        for (Map.Entry<Long, List<VolQuote>> e : byExpiry.entrySet()) {
            expiries.add(new ExpiryQuotes((e.getKey() - nowNanos) / NANOS_PER_YEAR, spot, e.getValue()));
        }
        SurfaceBuild build;
        try {
            build = VolSurface.build(spot, expiries);
        } catch (IllegalArgumentException e) {
            return new Result(List.of(), e.getMessage());
        }
        if (!build.ok()) {
            return new Result(List.of(), build.reject() + ": " + build.message());
        }
        List<Command> marks = new ArrayList<>();
        for (Map.Entry<Integer, OptionSpec> s : series.entrySet()) {
            InstrumentSpec spec = instruments.get(s.getKey());
            double tte = (spec.expiryTimestamp() - (double) nowNanos) / NANOS_PER_YEAR;
            if (tte <= 0) {
                continue;
            }
            OptionSpec option = s.getValue();
            double strike = option.strike().doubleValue();
            double vol = build.surface().vol(strike, tte);
            OptionRight type = option.right();
            double premium = GeneralizedBlackScholes.price(type, spot, strike, tte, 0, 0, vol);
            if (!Double.isFinite(premium) || premium < 0) {
                // Extreme quotes can fit a surface whose volatility overflows: no mark is better than a wrong one.
                return new Result(List.of(), "the surface gives series " + spec.id() + " no finite price");
            }
            long ticks = BigDecimal.valueOf(premium).divide(spec.tickSize(), 0, RoundingMode.HALF_UP).longValue();
            Command c = new Command().reset();
            c.type = io.meridian.model.CommandType.SET_MARK_PRICE;
            c.instrument = spec.id();
            c.price = Math.max(1, ticks);
            marks.add(c);
        }
        return new Result(marks, null);
    }
}
