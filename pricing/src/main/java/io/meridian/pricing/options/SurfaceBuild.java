package io.meridian.pricing.options;

/**
 * The outcome of {@link VolSurface#build} or {@link VolSurface#fromSmiles}: a surface, or a reject code and a
 * reason naming the expiry (and log-moneyness) at fault.
 *
 * @param surface the surface, null when rejected
 * @param reject  null when accepted
 * @param message "ok" or the reason
 */
public record SurfaceBuild(VolSurface surface, SurfaceReject reject, String message) {
    static SurfaceBuild rejected(SurfaceReject reject, String message) {
        return new SurfaceBuild(null, reject, message);
    }

    /** True when a surface was built. */
    public boolean ok() {
        return reject == null;
    }
}
