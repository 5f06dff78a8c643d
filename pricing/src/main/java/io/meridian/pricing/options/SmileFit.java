package io.meridian.pricing.options;

/**
 * The outcome of {@link SviFitter#fit}: a smile free of butterfly arbitrage on the check grid, or a reject code
 * with a reason. {@code smile} is the fitted smile even when rejected for arbitrage (so the caller can inspect
 * it), and null when there was too little to fit.
 *
 * @param smile      the fitted smile, or null
 * @param rmse       the weighted root-mean-square error of the fit in total variance (NaN when not fitted)
 * @param reject     null when accepted
 * @param message    "ok" or the reason
 */
public record SmileFit(Smile smile, double rmse, SurfaceReject reject, String message) {
    /** True when the fit was accepted. */
    public boolean ok() {
        return reject == null;
    }
}
