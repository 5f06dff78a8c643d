package io.meridian.pricing.options;

import java.util.List;

/**
 * The quotes of one expiry of one underlying, the input to {@link SviFitter} and {@link VolSurface#build}.
 *
 * @param tte     time to expiry in years, positive
 * @param forward the forward price for that expiry, positive (log-moneyness is {@code ln(K / forward)})
 * @param quotes  the smile's quotes, copied
 */
public record ExpiryQuotes(double tte, double forward, List<VolQuote> quotes) {
    public ExpiryQuotes {
        if (!(tte > 0.0) || !Double.isFinite(tte)) {
            throw new IllegalArgumentException("expiry tte must be positive and finite: " + tte);
        }
        if (!(forward > 0.0) || !Double.isFinite(forward)) {
            throw new IllegalArgumentException("expiry forward must be positive and finite: " + forward);
        }
        quotes = List.copyOf(quotes);
    }
}
