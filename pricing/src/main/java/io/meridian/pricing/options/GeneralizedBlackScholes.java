package io.meridian.pricing.options;

import io.meridian.model.OptionRight;

/**
 * The generalised Black-Scholes(-Merton) model with cost of carry b (Haug, "The Complete Guide to Option Pricing
 * Formulas", ch. 1): European calls and puts on an underlying at spot S, strike K, time to expiry T in years,
 * risk-free rate r, carry b and volatility v (both rates continuously compounded, per year):
 *
 * <pre>
 *   d1 = (ln(S/K) + (b + v^2/2) T) / (v sqrt(T)),   d2 = d1 - v sqrt(T)
 *   call = S e^((b-r)T) N(d1) - K e^(-rT) N(d2)
 *   put  = K e^(-rT) N(-d2) - S e^((b-r)T) N(-d1)
 * </pre>
 *
 * b = r is Black-Scholes on a non-paying stock, b = r - q Merton's with a continuous yield q, b = 0 Black-76 on a
 * future (S is then the futures price), b = r - rf Garman-Kohlhagen on a currency. The greeks are in
 * {@link OptionGreeks}. Deterministic: StrictMath and {@link NormalDistribution} only.
 *
 * <p>Inputs must be finite with {@code S > 0, K > 0, T > 0, v > 0}; anything else is a caller's bug and throws
 * {@link IllegalArgumentException} (validate at the edge: the {@code meridian option} command in the app does).
 */
public final class GeneralizedBlackScholes {
    private GeneralizedBlackScholes() {
    }

    /** The option value; see the class doc for the formula and the input contract. */
    public static double price(OptionRight type, double spot, double strike, double tte, double rate, double carry,
                               double vol) {
        validate(type, spot, strike, tte, rate, carry, vol);
        double sqrtT = StrictMath.sqrt(tte);
        double stdDev = vol * sqrtT;
        double d1 = d1(spot, strike, tte, carry, vol, stdDev);
        double d2 = d1 - stdDev;
        double fwdValue = spot * StrictMath.exp((carry - rate) * tte);
        double strikeValue = strike * StrictMath.exp(-rate * tte);
        return value(type, fwdValue, strikeValue, d1, d2);
    }

    /** Price and all greeks in one pass; see {@link OptionGreeks} for the definitions and units. */
    public static OptionGreeks greeks(OptionRight type, double spot, double strike, double tte, double rate,
                                      double carry, double vol) {
        validate(type, spot, strike, tte, rate, carry, vol);
        double sqrtT = StrictMath.sqrt(tte);
        double stdDev = vol * sqrtT;
        double d1 = d1(spot, strike, tte, carry, vol, stdDev);
        double d2 = d1 - stdDev;
        double carryDf = StrictMath.exp((carry - rate) * tte);
        double fwdValue = spot * carryDf;
        double strikeValue = strike * StrictMath.exp(-rate * tte);
        double price = value(type, fwdValue, strikeValue, d1, d2);
        double density = NormalDistribution.pdf(d1);
        // S e^((b-r)T) n(d1) = K e^(-rT) n(d2): the one density term shared by gamma, vega and theta.
        double fwdDensity = fwdValue * density;
        double gamma = carryDf * density / (spot * stdDev);
        double vega = fwdDensity * sqrtT;
        double decay = -fwdDensity * vol / (2.0 * sqrtT);
        double delta;
        double theta;
        double carryRho;
        if (type == OptionRight.CALL) {
            double nd1 = NormalDistribution.cdf(d1);
            delta = carryDf * nd1;
            theta = decay - (carry - rate) * fwdValue * nd1 - rate * strikeValue * NormalDistribution.cdf(d2);
            carryRho = tte * fwdValue * nd1;
        } else {
            double nMinusD1 = NormalDistribution.cdf(-d1);
            delta = -carryDf * nMinusD1;
            theta = decay + (carry - rate) * fwdValue * nMinusD1 + rate * strikeValue * NormalDistribution.cdf(-d2);
            carryRho = -tte * fwdValue * nMinusD1;
        }
        // With b held fixed, r only discounts: V = e^(-rT) x (undiscounted value), so dV/dr = -T V.
        double rho = -tte * price;
        return new OptionGreeks(price, delta, gamma, vega, theta, rho, carryRho);
    }

    /**
     * The no-arbitrage lower bound of a European option: the discounted forward intrinsic value,
     * {@code max(0, S e^((b-r)T) - K e^(-rT))} for a call and {@code max(0, K e^(-rT) - S e^((b-r)T))} for a put.
     * The model price tends to it as the volatility tends to 0. Requires finite inputs, S, K > 0, T >= 0.
     */
    public static double lowerBound(OptionRight type, double spot, double strike, double tte, double rate,
                                    double carry) {
        double fwdValue = spot * StrictMath.exp((carry - rate) * tte);
        double strikeValue = strike * StrictMath.exp(-rate * tte);
        double intrinsic = type == OptionRight.CALL ? fwdValue - strikeValue : strikeValue - fwdValue;
        return StrictMath.max(0.0, intrinsic);
    }

    /**
     * The no-arbitrage upper bound: {@code S e^((b-r)T)} for a call, {@code K e^(-rT)} for a put. The model price
     * tends to it as the volatility grows without bound.
     */
    public static double upperBound(OptionRight type, double spot, double strike, double tte, double rate,
                                    double carry) {
        return type == OptionRight.CALL ? spot * StrictMath.exp((carry - rate) * tte) : strike * StrictMath.exp(-rate * tte);
    }

    /**
     * Value from the discounted forward {@code F e^(-rT)} and the discounted strike, never negative; shared with the
     * IV solver.
     */
    static double value(OptionRight type, double fwdValue, double strikeValue, double d1, double d2) {
        double v = type == OptionRight.CALL
                ? fwdValue * NormalDistribution.cdf(d1) - strikeValue * NormalDistribution.cdf(d2)
                : strikeValue * NormalDistribution.cdf(-d2) - fwdValue * NormalDistribution.cdf(-d1);
        // Far out of the money both terms underflow to subnormals and their difference can round below zero.
        return StrictMath.max(0.0, v);
    }

    static double d1(double spot, double strike, double tte, double carry, double vol, double stdDev) {
        return (StrictMath.log(spot / strike) + (carry + 0.5 * vol * vol) * tte) / stdDev;
    }

    private static void validate(OptionRight type, double spot, double strike, double tte, double rate, double carry,
                                 double vol) {
        if (type == null) {
            throw new IllegalArgumentException("option type is required");
        }
        requirePositive("spot", spot);
        requirePositive("strike", strike);
        requirePositive("tte", tte);
        requirePositive("vol", vol);
        if (!Double.isFinite(rate)) {
            throw new IllegalArgumentException("rate must be finite: " + rate);
        }
        if (!Double.isFinite(carry)) {
            throw new IllegalArgumentException("carry must be finite: " + carry);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0.0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite: " + value);
        }
    }
}
