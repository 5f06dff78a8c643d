package io.meridian.risk.options;

import java.util.Optional;

/**
 * Standard (per-leg) margin rates of one underlying, in ppm (1% = 10,000). See {@link ScenarioTable} for the
 * formulas; with spot S, a leg's initial requirement per base unit is
 * <ul>
 *   <li>short option: {@code max(shortOptionRate x S - OTM, shortOptionFloor x S) + mark};</li>
 *   <li>long option: 0 (its premium left the balance when it was bought; it backs nothing either);</li>
 *   <li>future, long or short: {@code futuresRate x forward};</li>
 * </ul>
 * and its maintenance requirement is {@code maintenanceFraction} of the rate part, plus the full mark of a short
 * option.
 *
 * @param shortOptionRatePpm     pctA, default 150,000 (15%)
 * @param shortOptionFloorPpm    pctB, default 100,000 (10%); at most pctA
 * @param futuresRatePpm         initial rate of futures notional, default 20,000 (2%, 50x)
 * @param maintenanceFractionPpm maintenance share of the rate parts, default 500,000 (50%: 7.5% of S for an
 *                               at-the-money short option, 1% for futures)
 */
public record StandardMarginParams(long shortOptionRatePpm, long shortOptionFloorPpm, long futuresRatePpm,
                                   long maintenanceFractionPpm) {
    public StandardMarginParams {
        Optional<String> problem = check(shortOptionRatePpm, shortOptionFloorPpm, futuresRatePpm,
                maintenanceFractionPpm);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** 15% / 10% for short options, 2% for futures, maintenance 50% of those (Deribit-like). */
    public static StandardMarginParams defaults() {
        return new StandardMarginParams(150_000, 100_000, 20_000, 500_000);
    }

    /** Why these values do not make standard-margin parameters, or empty when they do. */
    public static Optional<String> check(long shortOptionRatePpm, long shortOptionFloorPpm, long futuresRatePpm,
                                         long maintenanceFractionPpm) {
        if (shortOptionRatePpm <= 0 || shortOptionRatePpm > 1_000_000) {
            return Optional.of("shortOptionRatePpm must be in (0, 1000000]: " + shortOptionRatePpm);
        }
        if (shortOptionFloorPpm <= 0 || shortOptionFloorPpm > shortOptionRatePpm) {
            return Optional.of("shortOptionFloorPpm must be in (0, shortOptionRatePpm = " + shortOptionRatePpm + "]: "
                    + shortOptionFloorPpm);
        }
        if (futuresRatePpm <= 0 || futuresRatePpm > 1_000_000) {
            return Optional.of("futuresRatePpm must be in (0, 1000000]: " + futuresRatePpm);
        }
        if (maintenanceFractionPpm <= 0 || maintenanceFractionPpm > 1_000_000) {
            return Optional.of("maintenanceFractionPpm must be in (0, 1000000]: " + maintenanceFractionPpm);
        }
        return Optional.empty();
    }
}
