package io.meridian.risk;

import io.meridian.risk.margin.MarginModel;

/**
 * One registered instrument as the margin engine sees it ({@link MarginEngine#addInstrument}): its settlement asset,
 * margin model, positions, taker fee, default leverage and position limit, and whether its positions are margined by
 * the model or by the {@link MarginEngine.PortfolioRisk} ({@link MarginEngine#setExternalMargin}).
 *
 * <p>Engine thread only. Fields are read directly on the hot path (every margin check and recompute).
 */
final class InstrumentRisk {
    /** An instrument margined by its model. */
    static final byte MODEL = 0;
    /** An instrument always margined by the {@link MarginEngine.PortfolioRisk} (an option). */
    static final byte EXTERNAL_ALWAYS = 1;
    /**
     * An instrument margined by the {@link MarginEngine.PortfolioRisk} for accounts in portfolio margin only (a linked
     * future).
     */
    static final byte EXTERNAL_IN_PORTFOLIO = 2;

    /** {@link #MODEL}, {@link #EXTERNAL_ALWAYS} or {@link #EXTERNAL_IN_PORTFOLIO}. */
    byte margining = MODEL;
    final int asset;
    /** The model the instrument was listed with: a user's leverage choice is checked against its tiers. */
    final MarginModel listedModel;
    /** The model in force: the listed one, or a scaled one under a risk multiplier ({@link MarginEngine#setRiskLimits}). */
    MarginModel model;
    final PositionBook positions;
    final long takerFeePpm;
    final int defaultLeverage;
    /** The position limit in force (lots, 0 = none). */
    long positionLimit;

    InstrumentRisk(int asset, MarginModel model, PositionBook positions, long takerFeePpm,
                   int defaultLeverage, long positionLimit) {
        this.positionLimit = positionLimit;
        this.asset = asset;
        this.listedModel = model;
        this.model = model;
        this.positions = positions;
        this.takerFeePpm = takerFeePpm;
        this.defaultLeverage = defaultLeverage;
    }

    /** This instrument under other limits ({@link MarginEngine#setRiskLimits}): itself, or a copy for another listed model. */
    InstrumentRisk withLimits(MarginModel listed, MarginModel inForce, long limit) {
        InstrumentRisk risk = listedModel == listed ? this
                : new InstrumentRisk(asset, listed, positions, takerFeePpm, defaultLeverage, limit);
        risk.margining = margining;
        risk.model = inForce;
        risk.positionLimit = limit;
        return risk;
    }
}
