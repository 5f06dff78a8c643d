package io.meridian.node.http;

import io.meridian.engine.Engine;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.OptionGreeks;
import io.meridian.risk.options.OptionMarginView;
import io.meridian.risk.options.ScenarioTable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/greeks}: an account's option positions with their greeks, and the sums per underlying index (net
 * delta, gamma, vega, theta per day), priced as the engine marks them: Black-76 on the index (rate and carry 0) at
 * each series' mark volatility, at the engine's current time. Greeks are for the whole position, in base units of the
 * underlying (delta in base units, gamma per unit of index price, vega per 1.00 of volatility, theta per day, all in
 * the settlement currency). A series the engine has not priced yet (no usable index) is listed without greeks and
 * left out of the sums; expired series are left out. Runs on the engine thread (through {@code engine.query}).
 *
 * <p>{@code margin} has, per index where the account holds option legs, the engine's option requirements of those
 * positions in both regimes, whatever the account's mode: what portfolio margin saves (or would) on this book. Each is
 * the margin library's requirement plus the net option value, as the engine counts it against equity (options.md,
 * "Margin"); resting orders and the perpetuals' own margin are not in it ({@code GET /v1/balances} has the total).
 */
final class PortfolioGreeks {
    /** The engine's year (365 days, {@link ScenarioTable#NANOS_PER_YEAR}), so times to expiry agree with its marks. */
    private static final double NANOS_PER_YEAR = ScenarioTable.NANOS_PER_YEAR;

    private PortfolioGreeks() {
    }

    /**
     * @param indexDecimals price decimals per index id
     * @param assetScales   decimals per asset symbol (the settlement assets' amounts)
     */
    static Map<String, Object> of(Engine e, long account, Map<Integer, InstrumentSpec> instruments,
                                  Map<Integer, OptionSpec> terms, Map<Integer, Integer> indexDecimals,
                                  Map<String, Integer> assetScales) {
        List<Map<String, Object>> positions = new ArrayList<>();
        Map<Integer, double[]> sums = new TreeMap<>();
        for (Map.Entry<Integer, OptionSpec> series : terms.entrySet()) {
            int instrument = series.getKey();
            OptionSpec option = series.getValue();
            InstrumentSpec spec = instruments.get(instrument);
            long lots = e.view().positions(instrument).size(account);
            if (lots == 0 || e.view().isOptionExpired(instrument)) {
                continue;
            }
            double base = BigDecimal.valueOf(lots).multiply(spec.lotSize()).multiply(spec.contractMultiplier())
                    .doubleValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instrument", instrument);
            m.put("symbol", spec.symbol());
            m.put("index", option.indexId());
            m.put("size", BigDecimal.valueOf(lots).multiply(spec.lotSize()).stripTrailingZeros().toPlainString());
            long indexUnits = e.view().indexPrice(option.indexId());
            double vol = e.view().optionMarkVolatility(instrument);
            double tte = (spec.expiryTimestamp() - (double) e.lastTimestamp()) / NANOS_PER_YEAR;
            if (indexUnits > 0 && vol > 0 && tte > 0) {
                double spot = BigDecimal.valueOf(indexUnits, indexDecimals.getOrDefault(option.indexId(), 0)).doubleValue();
                OptionRight type = option.right();
                OptionGreeks g = GeneralizedBlackScholes.greeks(type, spot, option.strike().doubleValue(), tte, 0, 0, vol);
                double[] position = {base * g.delta(), base * g.gamma(), base * g.vega(), base * g.thetaPerDay()};
                m.put("markVolatility", vol);
                m.put("delta", position[0]);
                m.put("gamma", position[1]);
                m.put("vega", position[2]);
                m.put("thetaPerDay", position[3]);
                double[] sum = sums.computeIfAbsent(option.indexId(), k -> new double[4]);
                for (int i = 0; i < 4; i++) {
                    sum[i] += position[i];
                }
            }
            positions.add(m);
        }
        List<Map<String, Object>> byIndex = new ArrayList<>();
        for (Map.Entry<Integer, double[]> sum : sums.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", sum.getKey());
            m.put("delta", sum.getValue()[0]);
            m.put("gamma", sum.getValue()[1]);
            m.put("vega", sum.getValue()[2]);
            m.put("thetaPerDay", sum.getValue()[3]);
            byIndex.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
        body.put("sequence", e.lastSequence());
        body.put("positions", positions);
        body.put("net", byIndex);
        body.put("margin", margins(e, account, instruments, terms, assetScales));
        return body;
    }

    private static List<Map<String, Object>> margins(Engine e, long account, Map<Integer, InstrumentSpec> instruments,
                                                     Map<Integer, OptionSpec> terms, Map<String, Integer> assetScales) {
        // The settlement asset of each index's options (one per index: the engine refuses a second).
        Map<Integer, String> settle = new TreeMap<>();
        terms.forEach((id, option) -> settle.putIfAbsent(option.indexId(), instruments.get(id).settlementAsset()));
        List<Map<String, Object>> margins = new ArrayList<>();
        for (Map.Entry<Integer, String> index : settle.entrySet()) {
            OptionMarginView held = e.view().optionMarginAccount(account, index.getKey());
            Integer scale = assetScales.get(index.getValue());
            if (held == null || held.legCount() == 0 || scale == null || e.view().indexPrice(index.getKey()) <= 0) {
                continue;
            }
            long value = held.netOptionValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index.getKey());
            m.put("settle", index.getValue());
            m.put("mode", e.view().isPortfolioMargin(account) ? "portfolio" : "standard");
            m.put("initialMargin", money(held.initialMargin() + value, scale));
            m.put("maintenanceMargin", money(held.maintenanceMargin() + value, scale));
            m.put("standardInitialMargin", money(held.standardInitialMargin() + value, scale));
            m.put("standardMaintenanceMargin", money(held.standardMaintenanceMargin() + value, scale));
            m.put("portfolioInitialMargin", money(held.portfolioInitialMargin() + value, scale));
            m.put("portfolioMaintenanceMargin", money(held.portfolioMaintenanceMargin() + value, scale));
            margins.add(m);
        }
        return margins;
    }

    private static String money(long minor, int scale) {
        return BigDecimal.valueOf(minor, scale).toPlainString();
    }
}
