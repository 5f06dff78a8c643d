package io.meridian.engine;

import io.meridian.model.RiskBounds;
import io.meridian.risk.margin.MarginTier;

import java.util.List;

/**
 * An instrument's risk parameters in force and the next announced change ({@link EngineView#riskScale}).
 *
 * @param instrument        the instrument
 * @param multiplierPpm     the risk multiplier in force (1,000,000 = as listed)
 * @param tiers             the margin tiers in force (the listed ones times the multiplier)
 * @param positionLimit     the position limit in force, lots (0 = none)
 * @param priceBandPpm      the price band in force, ppm (0 = none)
 * @param bounds            the governance bounds, or null when the instrument has none (its multiplier cannot change)
 * @param changedAt         when the multiplier in force took effect (command clock ns; 0 = never changed)
 * @param nextMultiplierPpm the announced change, 0 when none
 * @param nextAt            when it takes effect (command clock ns), 0 when none
 * @param volatilityPpm     the realised volatility of the instrument's index (annualised ppm; 0 = none yet)
 */
public record RiskScaleView(int instrument, long multiplierPpm, List<MarginTier> tiers, long positionLimit,
                            long priceBandPpm, RiskBounds bounds, long changedAt, long nextMultiplierPpm, long nextAt,
                            long volatilityPpm) {
    public RiskScaleView {
        tiers = List.copyOf(tiers);
    }
}
