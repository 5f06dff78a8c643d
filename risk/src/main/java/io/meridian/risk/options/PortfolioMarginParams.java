package io.meridian.risk.options;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Portfolio-margin parameters of one underlying. Rates are ppm (1% = 10,000), sizes micro base units (1 BTC =
 * 1,000,000). See {@link ScenarioTable} and {@link OptionMarginAccount} for the formulas.
 *
 * <p>The grid is every price move combined with every volatility shock: {@code priceMovesPpm.size() x
 * volShocks.size()} scenarios, in that order (scenario {@code i x shocks + j} is move i with shock j).
 *
 * @param priceMovesPpm                underlying moves, strictly increasing, each in (-1,000,000, 10,000,000],
 *                                     1 to {@value #MAX_MOVES} of them; default -16% .. +16% in 4% steps (9)
 * @param volShocks                    volatility scenarios, distinct, 1 to {@value #MAX_SHOCKS}; default
 *                                     {@link VolShock#DOWN}, {@link VolShock#SAME}, {@link VolShock#UP}
 * @param volFloorPpm                  no shock takes a volatility below min(this, its mark); default 10,000 (1%)
 * @param volTermDays                  the expiry, in days, at which a shock applies as written (g = 1); default 30
 * @param volTermExponentPpm           the exponent of {@code g(T) = (volTermDays / max(days, 1))^exponent}, ppm;
 *                                     default 300,000 (0.3); 0 makes every expiry's shock the same
 * @param shortOptionAddOnPpm          per short option contract, this share of the underlying value of its size;
 *                                     default 10,000 (1%)
 * @param concentrationThresholdMicros per option series, the size (|quantity| x multiplier) above which the
 *                                     concentration add-on applies; default 100 base units
 * @param concentrationAddOnPpm        share of the underlying value of the size beyond the threshold, per series;
 *                                     default 20,000 (2%)
 * @param deltaBoundMicros             |net delta| (in base units) up to which no delta add-on applies; default 100
 * @param deltaAddOnPpm                share of the underlying value of the net delta beyond the bound; default
 *                                     40,000 (4%: it stretches the 16% stress move to 20% for that excess)
 * @param maintenanceFractionPpm       maintenance as a share of the initial risk part; default 800,000 (80%)
 */
public record PortfolioMarginParams(List<Long> priceMovesPpm, List<VolShock> volShocks, long volFloorPpm,
                                    long volTermDays, long volTermExponentPpm, long shortOptionAddOnPpm,
                                    long concentrationThresholdMicros, long concentrationAddOnPpm,
                                    long deltaBoundMicros, long deltaAddOnPpm, long maintenanceFractionPpm) {
    /** At most this many price moves. */
    public static final int MAX_MOVES = 64;
    /** At most this many volatility shocks. */
    public static final int MAX_SHOCKS = 16;
    /** The largest upward move, +1000%. */
    public static final long MAX_MOVE_PPM = 10_000_000;
    private static final long ONE = 1_000_000;

    public PortfolioMarginParams {
        Optional<String> problem = check(priceMovesPpm, volShocks, volFloorPpm, volTermDays, volTermExponentPpm,
                shortOptionAddOnPpm, concentrationThresholdMicros, concentrationAddOnPpm, deltaBoundMicros,
                deltaAddOnPpm, maintenanceFractionPpm);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        priceMovesPpm = List.copyOf(priceMovesPpm);
        volShocks = List.copyOf(volShocks);
    }

    /** The documented defaults (Deribit-like grid: +/-16% in 9 even buckets, volatility down, same and up). */
    public static PortfolioMarginParams defaults() {
        return new PortfolioMarginParams(evenMoves(160_000, 4), List.of(VolShock.DOWN, VolShock.SAME, VolShock.UP),
                10_000, 30, 300_000, 10_000, 100 * ONE, 20_000, 100 * ONE, 40_000, 800_000);
    }

    /**
     * {@code 2 x stepsEachSide + 1} even moves from {@code -maxMovePpm} to {@code +maxMovePpm}, zero included:
     * {@code evenMoves(160_000, 4)} is -16%, -12%, ..., +16%. The step is {@code maxMovePpm / stepsEachSide},
     * rounded down, and the last move is exactly {@code maxMovePpm}.
     */
    public static List<Long> evenMoves(long maxMovePpm, int stepsEachSide) {
        if (maxMovePpm <= 0 || maxMovePpm >= ONE || stepsEachSide < 1 || 2 * stepsEachSide + 1 > MAX_MOVES
                || maxMovePpm / stepsEachSide == 0) {
            throw new IllegalArgumentException("evenMoves needs 0 < maxMovePpm < 1000000 and 1 <= stepsEachSide <= "
                    + (MAX_MOVES - 1) / 2 + " with a step of at least 1 ppm: " + maxMovePpm + ", " + stepsEachSide);
        }
        List<Long> moves = new ArrayList<>();
        long step = maxMovePpm / stepsEachSide;
        for (int i = -stepsEachSide; i <= stepsEachSide; i++) {
            moves.add(i == -stepsEachSide ? -maxMovePpm : i == stepsEachSide ? maxMovePpm : i * step);
        }
        return moves;
    }

    /** The same parameters with another price grid. */
    public PortfolioMarginParams withPriceMoves(List<Long> moves) {
        return new PortfolioMarginParams(moves, volShocks, volFloorPpm, volTermDays, volTermExponentPpm,
                shortOptionAddOnPpm, concentrationThresholdMicros, concentrationAddOnPpm, deltaBoundMicros,
                deltaAddOnPpm, maintenanceFractionPpm);
    }

    /** The same parameters with other volatility shocks. */
    public PortfolioMarginParams withVolShocks(List<VolShock> shocks) {
        return new PortfolioMarginParams(priceMovesPpm, shocks, volFloorPpm, volTermDays, volTermExponentPpm,
                shortOptionAddOnPpm, concentrationThresholdMicros, concentrationAddOnPpm, deltaBoundMicros,
                deltaAddOnPpm, maintenanceFractionPpm);
    }

    /** The same parameters with another volatility term structure of the shocks. */
    public PortfolioMarginParams withVolTerm(long days, long exponentPpm) {
        return new PortfolioMarginParams(priceMovesPpm, volShocks, volFloorPpm, days, exponentPpm,
                shortOptionAddOnPpm, concentrationThresholdMicros, concentrationAddOnPpm, deltaBoundMicros,
                deltaAddOnPpm, maintenanceFractionPpm);
    }

    /** The same parameters with other add-ons. */
    public PortfolioMarginParams withAddOns(long shortOptionPpm, long concentrationThreshold, long concentrationPpm,
                                            long deltaBound, long deltaPpm) {
        return new PortfolioMarginParams(priceMovesPpm, volShocks, volFloorPpm, volTermDays, volTermExponentPpm,
                shortOptionPpm, concentrationThreshold, concentrationPpm, deltaBound, deltaPpm,
                maintenanceFractionPpm);
    }

    /** The same parameters with no add-ons at all: the requirement is the grid's worst loss alone. */
    public PortfolioMarginParams withoutAddOns() {
        return withAddOns(0, 0, 0, 0, 0);
    }

    /** The same parameters with another maintenance fraction. */
    public PortfolioMarginParams withMaintenanceFractionPpm(long fractionPpm) {
        return new PortfolioMarginParams(priceMovesPpm, volShocks, volFloorPpm, volTermDays, volTermExponentPpm,
                shortOptionAddOnPpm, concentrationThresholdMicros, concentrationAddOnPpm, deltaBoundMicros,
                deltaAddOnPpm, fractionPpm);
    }

    /** Number of scenarios: moves x shocks. */
    public int scenarioCount() {
        return priceMovesPpm.size() * volShocks.size();
    }

    /**
     * Why these values do not make portfolio-margin parameters, or empty when they do: the constructor's check, for
     * callers that must reject (a parameter change by command) rather than throw.
     */
    public static Optional<String> check(List<Long> priceMovesPpm, List<VolShock> volShocks, long volFloorPpm,
                                         long volTermDays, long volTermExponentPpm, long shortOptionAddOnPpm,
                                         long concentrationThresholdMicros, long concentrationAddOnPpm,
                                         long deltaBoundMicros, long deltaAddOnPpm, long maintenanceFractionPpm) {
        if (priceMovesPpm == null || priceMovesPpm.isEmpty() || priceMovesPpm.size() > MAX_MOVES) {
            return Optional.of("priceMovesPpm needs 1 to " + MAX_MOVES + " moves: "
                    + (priceMovesPpm == null ? "none" : priceMovesPpm.size()));
        }
        long previous = Long.MIN_VALUE;
        for (Long move : priceMovesPpm) {
            if (move == null) {
                return Optional.of("priceMovesPpm contains null");
            }
            if (move <= -ONE || move > MAX_MOVE_PPM) {
                return Optional.of("each price move must be in (-1000000, " + MAX_MOVE_PPM + "] ppm"
                        + " (a fall of 100% or more leaves no price): " + move);
            }
            if (move <= previous) {
                return Optional.of("priceMovesPpm must be strictly increasing: " + previous + " then " + move);
            }
            previous = move;
        }
        if (volShocks == null || volShocks.isEmpty() || volShocks.size() > MAX_SHOCKS) {
            return Optional.of("volShocks needs 1 to " + MAX_SHOCKS + " shocks: "
                    + (volShocks == null ? "none" : volShocks.size()));
        }
        Set<VolShock> seen = new HashSet<>();
        for (VolShock shock : volShocks) {
            if (shock == null) {
                return Optional.of("volShocks contains null");
            }
            if (!seen.add(shock)) {
                return Optional.of("volShocks has a duplicate: " + shock);
            }
        }
        if (volFloorPpm <= 0 || volFloorPpm > ONE) {
            return Optional.of("volFloorPpm must be in (0, 1000000]: " + volFloorPpm);
        }
        if (volTermDays < 1 || volTermDays > 3650) {
            return Optional.of("volTermDays must be in [1, 3650]: " + volTermDays);
        }
        if (volTermExponentPpm < 0 || volTermExponentPpm > 2 * ONE) {
            return Optional.of("volTermExponentPpm must be in [0, 2000000]: " + volTermExponentPpm);
        }
        Optional<String> rate = rate("shortOptionAddOnPpm", shortOptionAddOnPpm);
        if (rate.isEmpty()) {
            rate = rate("concentrationAddOnPpm", concentrationAddOnPpm);
        }
        if (rate.isEmpty()) {
            rate = rate("deltaAddOnPpm", deltaAddOnPpm);
        }
        if (rate.isPresent()) {
            return rate;
        }
        if (concentrationThresholdMicros < 0) {
            return Optional.of("concentrationThresholdMicros must not be negative: " + concentrationThresholdMicros);
        }
        if (deltaBoundMicros < 0) {
            return Optional.of("deltaBoundMicros must not be negative: " + deltaBoundMicros);
        }
        if (maintenanceFractionPpm <= 0 || maintenanceFractionPpm > ONE) {
            return Optional.of("maintenanceFractionPpm must be in (0, 1000000]: " + maintenanceFractionPpm);
        }
        return Optional.empty();
    }

    private static Optional<String> rate(String name, long ppm) {
        return ppm < 0 || ppm > ONE ? Optional.of(name + " must be in [0, 1000000]: " + ppm) : Optional.empty();
    }
}
