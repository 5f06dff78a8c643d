package io.meridian.pricing.options;

/**
 * Price and sensitivities of one European option (one unit of underlying), all as partial derivatives of the
 * generalised Black-Scholes value with respect to its inputs, the others held fixed.
 *
 * @param price    the option value, in the currency of spot and strike
 * @param delta    dV/dS
 * @param gamma    d2V/dS2
 * @param vega     dV/d(vol), per 1.00 of volatility (divide by 100 for one vol point)
 * @param theta    -dV/dT per year: the change in value as one year passes (r, b, vol fixed); negative when the
 *                 option loses value with time
 * @param rho      dV/dr per 1.00 of rate, the cost of carry b held fixed (so for Black-76, b = 0, it is -T V)
 * @param carryRho dV/db per 1.00 of carry, r held fixed; with a dividend yield q (b = r - q) the textbook
 *                 Black-Scholes rho, q held fixed, is {@code rho + carryRho}
 */
public record OptionGreeks(double price, double delta, double gamma, double vega, double theta, double rho,
                           double carryRho) {
    /** Days in the year used by {@link #thetaPerDay()}. */
    public static final double DAYS_PER_YEAR = 365.0;

    /** Theta per calendar day: {@code theta / 365}. */
    public double thetaPerDay() {
        return theta / DAYS_PER_YEAR;
    }
}
