package io.meridian.node.http;

import io.meridian.engine.Engine;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.node.codec.Times;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.OptionGreeks;
import io.meridian.risk.options.ScenarioTable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meridian.node.codec.Decimals.price;

/**
 * {@code GET /v1/options?index=N}: the live option chain on an index, by expiry then strike: each series' book top
 * (best bid and ask with sizes), its mark and the mark volatility the engine marks it at, and the Black-76 greeks of
 * one contract at that volatility and the index now (delta, gamma per unit of the index, vega per volatility point,
 * theta per day), as the account greeks route computes them for positions. Read on the engine thread; expired series
 * are left out. Public market data.
 */
final class OptionChain {
    private static final double NANOS_PER_YEAR = ScenarioTable.NANOS_PER_YEAR;

    private OptionChain() {
    }

    static Map<String, Object> of(Engine e, int indexId, int indexDecimals, Map<Integer, InstrumentSpec> instruments,
                                  Map<Integer, OptionSpec> terms) {
        long indexUnits = e.view().indexPrice(indexId);
        double spot = indexUnits > 0 ? BigDecimal.valueOf(indexUnits, indexDecimals).doubleValue() : 0;
        List<Map.Entry<Integer, OptionSpec>> series = new ArrayList<>();
        for (Map.Entry<Integer, OptionSpec> s : terms.entrySet()) {
            if (s.getValue().indexId() == indexId && !e.view().isOptionExpired(s.getKey())) {
                series.add(s);
            }
        }
        series.sort(Comparator.<Map.Entry<Integer, OptionSpec>>comparingLong(s -> instruments.get(s.getKey())
                .expiryTimestamp()).thenComparing(s -> s.getValue().strike()).thenComparing(s -> s.getValue().right()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Integer, OptionSpec> s : series) {
            InstrumentSpec spec = instruments.get(s.getKey());
            OptionSpec option = s.getValue();
            var book = e.view().book(spec.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instrument", spec.id());
            m.put("symbol", spec.symbol());
            Times.put(m, "expiry", spec.expiryTimestamp());
            m.put("strike", option.strike().stripTrailingZeros().toPlainString());
            m.put("right", option.right().name().toLowerCase(java.util.Locale.ROOT));
            MarketDataRoutes.putTop(m, book, spec);
            m.put("mark", book.markPrice() > 0 ? price(book.markPrice(), spec) : null);
            double vol = e.view().optionMarkVolatility(spec.id());
            double tte = (spec.expiryTimestamp() - (double) e.lastTimestamp()) / NANOS_PER_YEAR;
            boolean priced = spot > 0 && vol > 0 && tte > 0;
            OptionGreeks g = priced ? GeneralizedBlackScholes.greeks(option.right(), spot,
                    option.strike().doubleValue(), tte, 0, 0, vol) : null;
            m.put("markVolatility", priced ? vol : null);
            m.put("delta", priced ? g.delta() : null);
            m.put("gamma", priced ? g.gamma() : null);
            m.put("vega", priced ? g.vega() : null);
            m.put("thetaPerDay", priced ? g.thetaPerDay() : null);
            rows.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("index", indexId);
        body.put("sequence", e.lastSequence());
        body.put("indexPrice", indexUnits > 0 ? BigDecimal.valueOf(indexUnits, indexDecimals).toPlainString() : null);
        body.put("series", rows);
        return body;
    }
}
