package io.meridian.simulator;

import io.meridian.model.MarginBracket;
import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The venue's risk parameters a stress run can vary (the sweep's axes, docs/stress.md "Sweeps"):
 *
 * @param marginMultiplier        scales every initial and maintenance rate of the default margin brackets (the
 *                                Binance USDT-M BTCUSDT table): 2 halves every tier's maximum leverage, 0.5 doubles it;
 *                                rates are capped at 100%
 * @param liquidationStepSharePpm a partial liquidation step closes at most this share of the position (ppm)
 * @param markBandPpm             the perpetual's price band around the mark (ppm; 0: none)
 * @param dynamicRisk             risk parameters that follow realised volatility (issue 19 item 5): governance bounds
 *                                for the perpetual at the start and the lab's controller during the run
 *                                ({@link RiskController}); the brackets above are then the listed ones it multiplies
 * @param dynamic                 the bounds and the controller's rule when {@code dynamicRisk} is on
 */
public record RiskParameters(double marginMultiplier, long liquidationStepSharePpm, long markBandPpm,
                             boolean dynamicRisk, DynamicRisk dynamic) {
    /** The lab's own: default brackets, steps of at most a quarter of the position, a 10% band, static. */
    public static final RiskParameters DEFAULT = new RiskParameters(1.0, 250_000, 100_000, false);

    /** With the default dynamic-risk settings ({@link DynamicRisk#DEFAULT}) for when {@code dynamicRisk} is on. */
    public RiskParameters(double marginMultiplier, long liquidationStepSharePpm, long markBandPpm, boolean dynamicRisk) {
        this(marginMultiplier, liquidationStepSharePpm, markBandPpm, dynamicRisk, DynamicRisk.DEFAULT);
    }

    public RiskParameters {
        if (!(marginMultiplier >= 0.1 && marginMultiplier <= 10)) {
            throw new IllegalArgumentException("margin multiplier must be 0.1 .. 10: " + marginMultiplier);
        }
        if (liquidationStepSharePpm < 1 || liquidationStepSharePpm > 1_000_000) {
            throw new IllegalArgumentException("liquidation step share must be 1 .. 1,000,000 ppm");
        }
        if (markBandPpm < 0 || markBandPpm > 1_000_000) {
            throw new IllegalArgumentException("mark band must be 0 .. 1,000,000 ppm");
        }
        if (dynamic == null) {
            throw new IllegalArgumentException("the dynamic-risk settings are required (DynamicRisk.DEFAULT)");
        }
    }

    /**
     * The margin brackets of the perpetual, or null for the engine's default table (multiplier 1). Each tier keeps its
     * notional floor; both rates are multiplied and capped at 100%, the initial kept above the maintenance.
     */
    List<MarginBracket> marginBrackets(int settlementScale) {
        if (marginMultiplier == 1.0) {
            return null;
        }
        List<MarginBracket> brackets = new ArrayList<>();
        for (MarginTier tier : MarginSchedule.binanceUsdtMBtcUsdt(settlementScale).tiers()) {
            long maintenance = Math.min(999_999, Math.max(1, Math.round(tier.maintenanceRatePpm() * marginMultiplier)));
            long initial = Math.min(1_000_000, Math.max(maintenance + 1,
                    Math.round(tier.initialRatePpm() * marginMultiplier)));
            brackets.add(new MarginBracket(tier.notionalFloor(), maintenance, initial));
        }
        return brackets;
    }

    /** As a sweep's table shows it: {@code margin x1.5, step 25%, band 10%}, then {@code , dynamic} when on. */
    public String label() {
        return String.format(Locale.ROOT, "margin x%s, step %s%%, band %s%%%s", trim(marginMultiplier),
                trim(liquidationStepSharePpm / 10_000.0), trim(markBandPpm / 10_000.0),
                dynamicRisk ? ", dynamic" + (dynamic.equals(DynamicRisk.DEFAULT) ? "" : " " + dynamic.label()) : "");
    }

    /** These parameters with the volatility-driven ones switched on or off. */
    public RiskParameters withDynamicRisk(boolean on) {
        return new RiskParameters(marginMultiplier, liquidationStepSharePpm, markBandPpm, on, dynamic);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
