/**
 * European option pricing for the options venue: the generalised Black-Scholes model with cost of carry and its
 * greeks ({@link io.meridian.pricing.options.GeneralizedBlackScholes}), a bracketed implied-volatility solver
 * ({@link io.meridian.pricing.options.ImpliedVolatility}), raw-SVI smiles fitted per expiry and assembled into an
 * arbitrage-checked volatility surface ({@link io.meridian.pricing.options.VolSurface}). The
 * {@code meridian option} command over them lives in the app module.
 *
 * <p>Everything here works in doubles and uses {@link java.lang.StrictMath} only, so a result is bit-for-bit the
 * same on every JVM and platform; a value that enters the engine is rounded once into fixed point with
 * {@link io.meridian.pricing.options.FixedRounding#toFixed(double, int)}. Formulas and units: docs/options.md.
 */
package io.meridian.pricing.options;
