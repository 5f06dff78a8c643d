package io.meridian.pricing.options;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The implied-volatility surface of one underlying: one raw-SVI smile per expiry, free of butterfly arbitrage on
 * each smile's check grid and of calendar arbitrage between consecutive expiries, interpolated in total variance.
 * Immutable; build with {@link #build} (fits quotes) or {@link #fromSmiles} (already fitted smiles).
 *
 * <p><b>Interpolation across expiries</b>, at fixed log-moneyness {@code k = ln(K / F(T))}, with expiries
 * {@code T_1 < ... < T_n} and smiles {@code w_i(k)}:
 * <ul>
 *   <li>{@code T_i <= T <= T_i+1}: linear in T between {@code w_i(k)} and {@code w_i+1(k)};</li>
 *   <li>{@code T < T_1}: {@code w_1(k) T / T_1} (linear from zero variance at T = 0: the first smile's implied
 *       vols);</li>
 *   <li>{@code T > T_n}: {@code w_n(k) T / T_n} (the last smile's implied vols held flat).</li>
 * </ul>
 * Each rule keeps total variance non-decreasing in T wherever the smiles pass the calendar check, so interpolated
 * prices stay free of calendar arbitrage. The forward {@code F(T)} is interpolated linearly in {@code ln F}
 * through {@code (0, ln spot)} and {@code (T_i, ln F_i)} (a constant carry between expiries), and extrapolated
 * beyond {@code T_n} with the last segment's carry. In strike, each SVI smile extrapolates itself (linear wings,
 * slopes bounded by Lee's moment formula when fitted by {@link SviFitter}).
 */
public final class VolSurface {
    private final double spot;
    private final Smile[] smiles;

    private VolSurface(double spot, Smile[] smiles) {
        this.spot = spot;
        this.smiles = smiles;
    }

    /**
     * Fits a smile per expiry with {@link SviFitter}, then checks calendar arbitrage. Expiries may come in any
     * order. Rejects the whole surface at the first expiry that fails (in order of time to expiry).
     */
    public static SurfaceBuild build(double spot, List<ExpiryQuotes> expiries) {
        if (!(spot > 0.0) || !Double.isFinite(spot)) {
            return SurfaceBuild.rejected(SurfaceReject.INVALID_INPUT, "spot must be positive and finite: " + spot);
        }
        if (expiries.isEmpty()) {
            return SurfaceBuild.rejected(SurfaceReject.NO_EXPIRIES, "no expiries");
        }
        List<ExpiryQuotes> sorted = new ArrayList<>(expiries);
        sorted.sort(Comparator.comparingDouble(ExpiryQuotes::tte));
        List<Smile> fitted = new ArrayList<>();
        List<Double> quotedHalfWidths = new ArrayList<>();
        for (ExpiryQuotes expiry : sorted) {
            if (!fitted.isEmpty() && fitted.get(fitted.size() - 1).tte() == expiry.tte()) {
                return duplicate(expiry.tte());
            }
            SmileFit fit = SviFitter.fit(expiry);
            if (!fit.ok()) {
                return SurfaceBuild.rejected(fit.reject(), fit.message());
            }
            fitted.add(fit.smile());
            double maxAbsK = 0.0;
            for (VolQuote q : expiry.quotes()) {
                maxAbsK = StrictMath.max(maxAbsK, StrictMath.abs(StrictMath.log(q.strike() / expiry.forward())));
            }
            quotedHalfWidths.add(maxAbsK);
        }
        return assemble(spot, fitted, quotedHalfWidths);
    }

    /**
     * A surface from smiles already fitted: runs the butterfly check on each smile and the calendar check between
     * consecutive ones (in order of time to expiry; any input order).
     */
    public static SurfaceBuild fromSmiles(double spot, List<Smile> smiles) {
        if (!(spot > 0.0) || !Double.isFinite(spot)) {
            return SurfaceBuild.rejected(SurfaceReject.INVALID_INPUT, "spot must be positive and finite: " + spot);
        }
        if (smiles.isEmpty()) {
            return SurfaceBuild.rejected(SurfaceReject.NO_EXPIRIES, "no expiries");
        }
        List<Smile> sorted = new ArrayList<>(smiles);
        sorted.sort(Comparator.comparingDouble(Smile::tte));
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && sorted.get(i).tte() == sorted.get(i - 1).tte()) {
                return duplicate(sorted.get(i).tte());
            }
            zeros.add(0.0);
            SviParams p = sorted.get(i).params();
            Optional<ArbitrageViolation> butterfly = SmileArbitrage.butterfly(p, SmileArbitrage.gridHalfWidth(p, 0.0));
            if (butterfly.isPresent()) {
                return SurfaceBuild.rejected(SurfaceReject.BUTTERFLY_ARBITRAGE, "expiry " + sorted.get(i).tte()
                        + ": smile has butterfly arbitrage, g(k) = " + butterfly.get().value() + " < 0 at k = "
                        + butterfly.get().k());
            }
        }
        return assemble(spot, sorted, zeros);
    }

    private static SurfaceBuild duplicate(double tte) {
        return SurfaceBuild.rejected(SurfaceReject.DUPLICATE_EXPIRY, "two expiries at tte " + tte);
    }

    private static SurfaceBuild assemble(double spot, List<Smile> sorted, List<Double> quotedHalfWidths) {
        for (int i = 1; i < sorted.size(); i++) {
            Smile earlier = sorted.get(i - 1);
            Smile later = sorted.get(i);
            double halfWidth = StrictMath.max(
                    SmileArbitrage.gridHalfWidth(earlier.params(), quotedHalfWidths.get(i - 1)),
                    SmileArbitrage.gridHalfWidth(later.params(), quotedHalfWidths.get(i)));
            Optional<ArbitrageViolation> calendar = SmileArbitrage.calendar(earlier.params(), later.params(), halfWidth);
            if (calendar.isPresent()) {
                ArbitrageViolation v = calendar.get();
                String where = Double.isInfinite(v.k()) ? "the " + (v.k() > 0 ? "right" : "left")
                        + " wing slope falls by " + (-v.value()) : "total variance falls by " + (-v.value()) + " at k = " + v.k();
                return SurfaceBuild.rejected(SurfaceReject.CALENDAR_ARBITRAGE, "calendar arbitrage between expiries "
                        + earlier.tte() + " and " + later.tte() + ": " + where);
            }
        }
        return new SurfaceBuild(new VolSurface(spot, sorted.toArray(new Smile[0])), null, "ok");
    }

    /** The spot the surface was built with. */
    public double spot() {
        return spot;
    }

    /** The smiles, in order of time to expiry. */
    public List<Smile> smiles() {
        return List.of(smiles);
    }

    /**
     * Total implied variance {@code vol^2 T} at log-moneyness k and time to expiry T, by the rules of the class doc.
     *
     * @throws IllegalArgumentException when k is not finite or tte is not positive and finite
     */
    public double totalVariance(double k, double tte) {
        requireTte(tte);
        if (!Double.isFinite(k)) {
            throw new IllegalArgumentException("k must be finite: " + k);
        }
        Smile first = smiles[0];
        if (tte <= first.tte()) {
            return first.params().totalVariance(k) * (tte / first.tte());
        }
        Smile last = smiles[smiles.length - 1];
        if (tte >= last.tte()) {
            return last.params().totalVariance(k) * (tte / last.tte());
        }
        int i = upperIndex(tte);
        Smile lo = smiles[i - 1];
        Smile hi = smiles[i];
        double t = (tte - lo.tte()) / (hi.tte() - lo.tte());
        double wLo = lo.params().totalVariance(k);
        double wHi = hi.params().totalVariance(k);
        return wLo + t * (wHi - wLo);
    }

    /**
     * The forward price for time to expiry T: linear in ln F through (0, ln spot) and each expiry's
     * (T_i, ln F_i), the last segment extended beyond the last expiry.
     *
     * @throws IllegalArgumentException when tte is not positive and finite
     */
    public double forward(double tte) {
        requireTte(tte);
        double t0;
        double lnF0;
        double t1;
        double lnF1;
        int i = tte >= smiles[smiles.length - 1].tte() ? smiles.length - 1 : upperIndex(tte);
        if (i == 0) {
            t0 = 0.0;
            lnF0 = StrictMath.log(spot);
        } else {
            t0 = smiles[i - 1].tte();
            lnF0 = StrictMath.log(smiles[i - 1].forward());
        }
        t1 = smiles[i].tte();
        lnF1 = StrictMath.log(smiles[i].forward());
        return StrictMath.exp(lnF0 + (lnF1 - lnF0) * (tte - t0) / (t1 - t0));
    }

    /**
     * Implied volatility at a strike and time to expiry: {@code sqrt(totalVariance(ln(K / F(T)), T) / T)}.
     *
     * @throws IllegalArgumentException when the strike is not positive and finite or tte is not positive and finite
     */
    public double vol(double strike, double tte) {
        if (!(strike > 0.0) || !Double.isFinite(strike)) {
            throw new IllegalArgumentException("strike must be positive and finite: " + strike);
        }
        double k = StrictMath.log(strike / forward(tte));
        return StrictMath.sqrt(totalVariance(k, tte) / tte);
    }

    /** The index of the first smile with {@code tte <= T_i}; requires {@code tte <= T_n}. */
    private int upperIndex(double tte) {
        int lo = 0;
        int hi = smiles.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (smiles[mid].tte() < tte) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void requireTte(double tte) {
        if (!(tte > 0.0) || !Double.isFinite(tte)) {
            throw new IllegalArgumentException("tte must be positive and finite: " + tte);
        }
    }
}
