package io.meridian.engine;

import io.meridian.model.OptionMarginSpec;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.StandardMarginParams;
import io.meridian.risk.options.VolShock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts between the journaled {@link OptionMarginSpec} of {@code SET_OPTION_MARGIN} and the margin library's
 * {@link StandardMarginParams} and {@link PortfolioMarginParams}, whose checks are the only validation: the engine
 * refuses what they refuse, and the gateway uses {@link #problem} to tell a user why before anything is sequenced.
 * Stateless.
 */
public final class OptionMarginSpecs {
    private OptionMarginSpecs() {
    }

    /** The library's documented defaults, as a spec (what every index uses until a SET_OPTION_MARGIN). */
    public static OptionMarginSpec defaults() {
        return of(StandardMarginParams.defaults(), PortfolioMarginParams.defaults());
    }

    /** The spec carrying these parameters. */
    public static OptionMarginSpec of(StandardMarginParams standard, PortfolioMarginParams portfolio) {
        List<OptionMarginSpec.Shock> shocks = new ArrayList<>();
        for (VolShock shock : portfolio.volShocks()) {
            shocks.add(new OptionMarginSpec.Shock(shock.relativePpm(), shock.absolutePpm()));
        }
        return new OptionMarginSpec(standard.shortOptionRatePpm(), standard.shortOptionFloorPpm(),
                standard.futuresRatePpm(), standard.maintenanceFractionPpm(), portfolio.priceMovesPpm(), shocks,
                portfolio.volFloorPpm(), portfolio.volTermDays(), portfolio.volTermExponentPpm(),
                portfolio.shortOptionAddOnPpm(), portfolio.concentrationThresholdMicros(),
                portfolio.concentrationAddOnPpm(), portfolio.deltaBoundMicros(), portfolio.deltaAddOnPpm(),
                portfolio.maintenanceFractionPpm());
    }

    /** Why the spec does not make margin parameters (the first problem found), or empty when it does. */
    public static Optional<String> problem(OptionMarginSpec spec) {
        if (spec == null) {
            return Optional.of("option margin parameters are required");
        }
        Optional<String> standard = StandardMarginParams.check(spec.shortOptionRatePpm(), spec.shortOptionFloorPpm(),
                spec.futuresRatePpm(), spec.standardMaintenancePpm());
        if (standard.isPresent()) {
            return standard;
        }
        if (spec.volShocks() != null) {
            for (OptionMarginSpec.Shock shock : spec.volShocks()) {
                Optional<String> bad = VolShock.check(shock.relativePpm(), shock.absolutePpm());
                if (bad.isPresent()) {
                    return bad;
                }
            }
        }
        return PortfolioMarginParams.check(spec.priceMovesPpm(), shocks(spec), spec.volFloorPpm(), spec.volTermDays(),
                spec.volTermExponentPpm(), spec.shortOptionAddOnPpm(), spec.concentrationThresholdMicros(),
                spec.concentrationAddOnPpm(), spec.deltaBoundMicros(), spec.deltaAddOnPpm(),
                spec.portfolioMaintenancePpm());
    }

    /** The standard-margin part; the spec must have no {@link #problem}. */
    public static StandardMarginParams standard(OptionMarginSpec spec) {
        return new StandardMarginParams(spec.shortOptionRatePpm(), spec.shortOptionFloorPpm(), spec.futuresRatePpm(),
                spec.standardMaintenancePpm());
    }

    /** The portfolio-margin part; the spec must have no {@link #problem}. */
    public static PortfolioMarginParams portfolio(OptionMarginSpec spec) {
        return new PortfolioMarginParams(spec.priceMovesPpm(), shocks(spec), spec.volFloorPpm(), spec.volTermDays(),
                spec.volTermExponentPpm(), spec.shortOptionAddOnPpm(), spec.concentrationThresholdMicros(),
                spec.concentrationAddOnPpm(), spec.deltaBoundMicros(), spec.deltaAddOnPpm(),
                spec.portfolioMaintenancePpm());
    }

    /** The shocks as the library's, or null when the spec has none; each must pass {@link VolShock#check}. */
    private static List<VolShock> shocks(OptionMarginSpec spec) {
        if (spec.volShocks() == null) {
            return null;
        }
        List<VolShock> shocks = new ArrayList<>(spec.volShocks().size());
        for (OptionMarginSpec.Shock shock : spec.volShocks()) {
            shocks.add(new VolShock(shock.relativePpm(), shock.absolutePpm()));
        }
        return shocks;
    }
}
