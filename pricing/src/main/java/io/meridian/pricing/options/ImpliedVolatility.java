package io.meridian.pricing.options;

import io.meridian.model.OptionRight;

/**
 * Implied volatility of a European option under {@link GeneralizedBlackScholes}: the v in
 * [{@link #MIN_VOL}, {@link #MAX_VOL}] whose model price equals a given price.
 *
 * <p><b>Method.</b> The price is first checked against the no-arbitrage bounds (see {@link ImpliedVolFailure}).
 * Then the solver works on the time value {@code tv = price - lowerBound}, which by put-call parity is the price of
 * the out-of-the-money option of the same strike, so a deep in-the-money price is solved as the equivalent
 * out-of-the-money one and no accuracy is lost to the intrinsic value inside the model. It solves
 * {@code h(v) = ln(otmPrice(v)) - ln(tv) = 0} by Newton's method safeguarded by bisection: a bracket
 * [lo, hi] that always contains the root is narrowed at every step, and any Newton step that leaves the bracket or
 * cannot be computed (underflowed price, zero vega) is replaced by the bracket's midpoint. The logarithm makes
 * {@code h} close to concave in v, so Newton converges fast even for deep out-of-the-money prices that are
 * exponentially small in 1/v. The start is the larger of Manaster-Koehler's {@code sqrt(2 |ln(F/K)| / T)} and the
 * Brenner-Subrahmanyam at-the-money estimate. It stops when {@code |h| <= 1e-14} (a relative price error of
 * 1e-14), when a step moves v by at most 1e-15 relative, or after {@link #MAX_ITERATIONS} steps, returning the
 * iterate with the smallest {@code |h|}. Deterministic: StrictMath only, no randomness, bounded work.
 *
 * <p><b>Accuracy.</b> The solved v reprices to the given price within the precision of the price itself. How well
 * that pins v down is {@code priceError / vega}: where the time value is a tiny fraction of the price (deep in the
 * money, very short expiry, low vol) the price does not determine v closely, and where the time value is zero in
 * double precision the result is {@link ImpliedVolFailure#BELOW_LOWER_BOUND}.
 */
public final class ImpliedVolatility {
    /** The smallest volatility the solver returns: 1e-9 per year. */
    public static final double MIN_VOL = 1e-9;
    /** The largest volatility the solver returns: 10.0 = 1000% per year. */
    public static final double MAX_VOL = 10.0;
    /** The cap on Newton/bisection steps; the bracket alone would reach 1e-15 relative in about 60. */
    public static final int MAX_ITERATIONS = 100;
    private static final double LOG_TOLERANCE = 1e-14;
    private static final double STEP_TOLERANCE = 1e-15;
    private static final double SQRT_2PI = 2.506628274631000502415765284811;

    private ImpliedVolatility() {
    }

    /**
     * The implied volatility of a European option, or the reason there is none. Never throws.
     *
     * @param price the option's price, in the currency of spot and strike
     */
    public static ImpliedVolResult solve(OptionRight type, double price, double spot, double strike, double tte,
                                         double rate, double carry) {
        if (type == null) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.INVALID_INPUT, "option type is required");
        }
        if (!Double.isFinite(price) || !Double.isFinite(spot) || !Double.isFinite(strike) || !Double.isFinite(tte)
                || !Double.isFinite(rate) || !Double.isFinite(carry)) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.INVALID_INPUT, "inputs must be finite numbers");
        }
        if (!(spot > 0.0) || !(strike > 0.0)) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.INVALID_INPUT, "spot and strike must be positive");
        }
        if (!(tte > 0.0)) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.NON_POSITIVE_TIME,
                    "time to expiry must be positive: " + tte);
        }
        double fwdValue = spot * StrictMath.exp((carry - rate) * tte);
        double strikeValue = strike * StrictMath.exp(-rate * tte);
        if (!Double.isFinite(fwdValue) || !Double.isFinite(strikeValue) || !(fwdValue > 0.0) || !(strikeValue > 0.0)) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.INVALID_INPUT,
                    "rate, carry and time overflow the discounted forward or strike");
        }
        double intrinsic = type == OptionRight.CALL ? fwdValue - strikeValue : strikeValue - fwdValue;
        double lower = StrictMath.max(0.0, intrinsic);
        double upper = type == OptionRight.CALL ? fwdValue : strikeValue;
        if (!(price > lower)) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.BELOW_LOWER_BOUND, "price " + price
                    + " is at or below the no-arbitrage lower bound " + lower
                    + " (discounted intrinsic value): no positive volatility gives it");
        }
        if (!(price < upper)) {
            String what = type == OptionRight.CALL ? "S*exp((b-r)T)" : "K*exp(-rT)";
            return ImpliedVolResult.rejected(ImpliedVolFailure.ABOVE_UPPER_BOUND, "price " + price
                    + " is at or above the no-arbitrage upper bound " + what + " = " + upper
                    + ": no finite volatility gives it");
        }
        // Put-call parity: call - put = fwdValue - strikeValue, so the time value is the out-of-the-money price.
        OptionRight otm = fwdValue > strikeValue ? OptionRight.PUT : OptionRight.CALL;
        double target = price - lower;
        return solveOtm(otm, target, fwdValue, strikeValue, spot / strike, tte, carry);
    }

    private static ImpliedVolResult solveOtm(OptionRight otm, double target, double fwdValue, double strikeValue,
                                             double moneyness, double tte, double carry) {
        double sqrtT = StrictMath.sqrt(tte);
        double logForwardMoneyness = StrictMath.log(moneyness) + carry * tte;
        double logTarget = StrictMath.log(target);
        Eval low = eval(otm, MIN_VOL, fwdValue, strikeValue, logForwardMoneyness, sqrtT);
        if (low.price >= target) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.OUT_OF_VOL_RANGE, "price needs a volatility below "
                    + MIN_VOL + " (time value " + target + ")");
        }
        Eval high = eval(otm, MAX_VOL, fwdValue, strikeValue, logForwardMoneyness, sqrtT);
        if (high.price <= target) {
            return ImpliedVolResult.rejected(ImpliedVolFailure.OUT_OF_VOL_RANGE, "price needs a volatility above "
                    + MAX_VOL + " (time value " + target + ")");
        }
        double lo = MIN_VOL;
        double hi = MAX_VOL;
        double manasterKoehler = StrictMath.sqrt(2.0 * StrictMath.abs(logForwardMoneyness) / tte);
        double brennerSubrahmanyam = target * SQRT_2PI / (fwdValue * sqrtT);
        double vol = clamp(StrictMath.max(manasterKoehler, brennerSubrahmanyam), lo, hi);
        double bestVol = vol;
        double bestResidual = Double.POSITIVE_INFINITY;
        for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
            Eval e = eval(otm, vol, fwdValue, strikeValue, logForwardMoneyness, sqrtT);
            if (e.price == target) {
                return ImpliedVolResult.solved(vol, iteration);
            }
            if (e.price < target) {
                lo = vol;
            } else {
                hi = vol;
            }
            double residual = e.price > 0.0 ? StrictMath.log(e.price) - logTarget : Double.NEGATIVE_INFINITY;
            if (StrictMath.abs(residual) < bestResidual) {
                bestResidual = StrictMath.abs(residual);
                bestVol = vol;
            }
            if (StrictMath.abs(residual) <= LOG_TOLERANCE) {
                return ImpliedVolResult.solved(vol, iteration);
            }
            // Newton on h(v) = ln(price(v)) - ln(target): h' = vega / price.
            double next = Double.NaN;
            if (e.price > 0.0 && e.vega > 0.0) {
                next = vol - residual * e.price / e.vega;
            }
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (StrictMath.abs(next - vol) <= STEP_TOLERANCE * vol) {
                return ImpliedVolResult.solved(next, iteration);
            }
            vol = next;
        }
        return ImpliedVolResult.solved(bestVol, MAX_ITERATIONS);
    }

    /** Price and vega of the out-of-the-money option at one volatility. */
    private static Eval eval(OptionRight otm, double vol, double fwdValue, double strikeValue,
                             double logForwardMoneyness, double sqrtT) {
        double stdDev = vol * sqrtT;
        double d1 = logForwardMoneyness / stdDev + 0.5 * stdDev;
        double d2 = d1 - stdDev;
        double price = GeneralizedBlackScholes.value(otm, fwdValue, strikeValue, d1, d2);
        double vega = fwdValue * NormalDistribution.pdf(d1) * sqrtT;
        return new Eval(StrictMath.max(0.0, price), vega);
    }

    private static double clamp(double v, double lo, double hi) {
        return StrictMath.max(lo, StrictMath.min(hi, v));
    }

    private record Eval(double price, double vega) {
    }
}
