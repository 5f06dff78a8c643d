package io.meridian.model;

import java.util.List;

/**
 * The option margin parameters of one underlying index, carried by {@code SET_OPTION_MARGIN} in
 * {@link Command#optionMarginSpec} (the index is {@link Command#indexId}). Rates are ppm (1% = 10,000), sizes micro
 * base units of the underlying (1 BTC = 1,000,000). The formulas are in docs/risk.md ("Option margin"); the margin
 * library's {@code StandardMarginParams} and {@code PortfolioMarginParams} (risk module) hold the same values and own
 * the validation: this record only carries them through the journal, so that a venue's parameters are part of its
 * command log rather than of a config file the log does not record.
 *
 * <p>The first four values are the standard (per-leg) rates, the rest the portfolio-margin grid and add-ons.
 *
 * @param shortOptionRatePpm           a short option's rate of the underlying before its out-of-the-money amount
 *                                     (pctA, default 15%)
 * @param shortOptionFloorPpm          a short option's floor rate of the underlying (pctB, default 10%), at most pctA
 * @param futuresRatePpm               initial rate of a future's notional in an option account (default 2%)
 * @param standardMaintenancePpm       maintenance share of the standard rate parts (default 50%)
 * @param priceMovesPpm                underlying moves, strictly increasing (default -16% .. +16% in 4% steps)
 * @param volShocks                    volatility shocks, each combined with every move (default x0.7, same, x1.5)
 * @param volFloorPpm                  no shock takes a volatility below min(this, its mark) (default 1%)
 * @param volTermDays                  the tenor at which a shock applies as written (default 30 days)
 * @param volTermExponentPpm           shocks scale by {@code (volTermDays / days)^exponent} (default 0.3)
 * @param shortOptionAddOnPpm          per short option contract, this share of its underlying value (default 1%)
 * @param concentrationThresholdMicros per series, the size above which the concentration add-on applies
 * @param concentrationAddOnPpm        share of the underlying value beyond that size (default 2%)
 * @param deltaBoundMicros             |net delta| up to which no delta add-on applies (default 100 base units)
 * @param deltaAddOnPpm                share of the underlying value of the net delta beyond the bound (default 4%)
 * @param portfolioMaintenancePpm      maintenance as a share of the initial risk part (default 80%)
 */
public record OptionMarginSpec(long shortOptionRatePpm, long shortOptionFloorPpm, long futuresRatePpm,
                               long standardMaintenancePpm, List<Long> priceMovesPpm, List<Shock> volShocks,
                               long volFloorPpm, long volTermDays, long volTermExponentPpm, long shortOptionAddOnPpm,
                               long concentrationThresholdMicros, long concentrationAddOnPpm, long deltaBoundMicros,
                               long deltaAddOnPpm, long portfolioMaintenancePpm) {
    /**
     * One volatility scenario: the mark volatility v becomes {@code v x (1 + relative x g) + absolute x g}, floored.
     *
     * @param relativePpm relative change, ppm (+500,000 = x1.5)
     * @param absolutePpm added volatility points, ppm of 1.00 (+50,000 = +5 points)
     */
    public record Shock(long relativePpm, long absolutePpm) {
    }

    /**
     * Copies the lists, which may be null (such a spec is refused by the engine, not here, so that a journal holding
     * one still decodes); their elements may not.
     */
    public OptionMarginSpec {
        priceMovesPpm = priceMovesPpm == null ? null : List.copyOf(priceMovesPpm);
        volShocks = volShocks == null ? null : List.copyOf(volShocks);
    }
}
