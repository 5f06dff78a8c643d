package io.meridian.pricing.options;

/**
 * Where an arbitrage check failed and by how much.
 *
 * @param k     the log-moneyness of the worst point; +/-infinity for a wing-slope breach
 * @param value the negative quantity: g(k) for a butterfly, the total-variance (or wing-slope) decrease for a
 *              calendar spread
 */
public record ArbitrageViolation(double k, double value) {
}
