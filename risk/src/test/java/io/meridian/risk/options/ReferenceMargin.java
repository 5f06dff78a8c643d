package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;

import java.math.BigInteger;
import java.util.List;

/**
 * The naive reference for the differential tests: the documented formulas evaluated from scratch for one list of
 * legs, repricing every leg in every scenario with {@link GeneralizedBlackScholes} (no table, no incremental state,
 * sums in BigInteger). It rounds each per-contract number the documented way, so it must agree with
 * {@link OptionMarginAccount} exactly.
 */
final class ReferenceMargin {
    /** One leg: what it is and how much of it. */
    record Leg(SeriesSpec spec, long quantity) {
    }

    /** Everything the reference computes for one book. */
    record Result(long standardInitial, long standardMaintenance, long portfolioInitial, long portfolioMaintenance,
                  long worstLoss, long netOptionValue, long netDeltaMicros, long[] scenarioPnl) {
    }

    private ReferenceMargin() {
    }

    static Result compute(List<Leg> legs, int scale, StandardMarginParams std, PortfolioMarginParams pm, double spot,
                          long now, MarkSource marks) {
        double money = StrictMath.pow(10.0, scale);
        int moves = pm.priceMovesPpm().size();
        int shocks = pm.volShocks().size();
        BigInteger[] pnl = new BigInteger[moves * shocks];
        java.util.Arrays.fill(pnl, BigInteger.ZERO);
        BigInteger stdInitial = BigInteger.ZERO;
        BigInteger stdMaintenance = BigInteger.ZERO;
        BigInteger optionValue = BigInteger.ZERO;
        BigInteger delta = BigInteger.ZERO;
        BigInteger shortMicros = BigInteger.ZERO;
        BigInteger concentration = BigInteger.ZERO;
        double rate = marks.rate();
        for (Leg leg : legs) {
            long q = leg.quantity();
            if (q == 0) {
                continue;
            }
            SeriesSpec spec = leg.spec();
            BigInteger bq = BigInteger.valueOf(q);
            BigInteger size = bq.abs();
            double factor = spec.multiplier() * money;
            double tte = spec.expiryNanos() == SeriesSpec.PERPETUAL ? 0.0
                    : (spec.expiryNanos() - now) / (double) ScenarioTable.NANOS_PER_YEAR;
            if (!spec.isOption()) {
                double carry = tte > 0 ? marks.carry(tte) : 0.0;
                double growth = tte > 0 ? StrictMath.exp(carry * tte) : 1.0;
                double forward = spot * growth;
                for (int i = 0; i < moves; i++) {
                    double move = pm.priceMovesPpm().get(i) / 1e6;
                    double value = forward * move * factor;
                    for (int k = 0; k < shocks; k++) {
                        pnl[i * shocks + k] = pnl[i * shocks + k].add(bq.multiply(rounded(value, q > 0)));
                    }
                }
                double initial = forward * factor * (std.futuresRatePpm() / 1e6);
                stdInitial = stdInitial.add(size.multiply(ceil(initial)));
                stdMaintenance = stdMaintenance.add(size.multiply(ceil(initial * (std.maintenanceFractionPpm() / 1e6))));
                delta = delta.add(bq.multiply(BigInteger.valueOf((long) StrictMath.rint(growth * spec.multiplier() * 1e6))));
                continue;
            }
            OptionRight type = spec.kind().right();
            double strike = spec.strike();
            double v0;
            double optionDelta;
            if (tte <= 0) {
                v0 = intrinsic(type, spot, strike);
                optionDelta = v0 > 0 ? (type == OptionRight.CALL ? 1 : -1) : 0;
            } else {
                double vol = marks.vol(strike, tte);
                double carry = marks.carry(tte);
                v0 = GeneralizedBlackScholes.price(type, spot, strike, tte, rate, carry, vol);
                optionDelta = GeneralizedBlackScholes.greeks(type, spot, strike, tte, rate, carry, vol).delta();
            }
            for (int i = 0; i < moves; i++) {
                double shockedSpot = spot * (1.0 + pm.priceMovesPpm().get(i) / 1e6);
                for (int k = 0; k < shocks; k++) {
                    double value;
                    if (tte <= 0) {
                        value = intrinsic(type, shockedSpot, strike);
                    } else {
                        double vol = marks.vol(strike, tte);
                        double g = StrictMath.exp(pm.volTermExponentPpm() / 1e6
                                * StrictMath.log(pm.volTermDays() / StrictMath.max(1.0, tte * 365.0)));
                        VolShock shock = pm.volShocks().get(k);
                        double shocked = StrictMath.max(StrictMath.min(pm.volFloorPpm() / 1e6, vol),
                                vol * (1.0 + shock.relativePpm() / 1e6 * g) + shock.absolutePpm() / 1e6 * g);
                        value = GeneralizedBlackScholes.price(type, shockedSpot, strike, tte, rate, marks.carry(tte),
                                shocked);
                    }
                    double change = (value - v0) * factor;
                    pnl[i * shocks + k] = pnl[i * shocks + k].add(bq.multiply(rounded(change, q > 0)));
                }
            }
            double mark = v0 * factor;
            BigInteger micros = size.multiply(BigInteger.valueOf(spec.sizeMicros()));
            concentration = concentration.add(micros.subtract(BigInteger.valueOf(pm.concentrationThresholdMicros()))
                    .max(BigInteger.ZERO));
            if (q > 0) {
                optionValue = optionValue.add(bq.multiply(floor(mark)));
            } else {
                BigInteger owed = size.multiply(ceil(mark));
                optionValue = optionValue.subtract(owed);
                double otm = type == OptionRight.CALL ? StrictMath.max(0.0, strike - spot)
                        : StrictMath.max(0.0, spot - strike);
                double risk = StrictMath.max(std.shortOptionRatePpm() / 1e6 * spot - otm,
                        std.shortOptionFloorPpm() / 1e6 * spot) * factor;
                stdInitial = stdInitial.add(size.multiply(ceil(risk))).add(owed);
                stdMaintenance = stdMaintenance.add(size.multiply(ceil(risk * (std.maintenanceFractionPpm() / 1e6))))
                        .add(owed);
                shortMicros = shortMicros.add(micros);
            }
            delta = delta.add(bq.multiply(BigInteger.valueOf((long) StrictMath.rint(optionDelta * spec.multiplier()
                    * 1e6))));
        }
        BigInteger min = pnl[0];
        for (BigInteger p : pnl) {
            min = min.min(p);
        }
        long worst = min.signum() < 0 ? min.negate().longValueExact() : 0;
        long excess = StrictMath.max(0, delta.abs().longValueExact() - pm.deltaBoundMicros());
        double units = pm.shortOptionAddOnPpm() * shortMicros.doubleValue()
                + pm.concentrationAddOnPpm() * concentration.doubleValue() + pm.deltaAddOnPpm() * (double) excess;
        double addOn = units * (spot * money / 1e12);
        long value = optionValue.longValueExact();
        long initial = StrictMath.max(0, worst + (long) StrictMath.ceil(addOn) - value);
        long maintenance = StrictMath.max(0, (long) StrictMath.ceil(pm.maintenanceFractionPpm() / 1e6
                * (worst + addOn)) - value);
        long[] vector = new long[pnl.length];
        for (int s = 0; s < pnl.length; s++) {
            vector[s] = pnl[s].longValueExact();
        }
        return new Result(stdInitial.longValueExact(), stdMaintenance.longValueExact(), initial,
                StrictMath.min(initial, maintenance), worst, value, delta.longValueExact(), vector);
    }

    private static BigInteger rounded(double value, boolean forLong) {
        return forLong ? floor(value) : ceil(value);
    }

    private static BigInteger floor(double value) {
        return BigInteger.valueOf((long) StrictMath.floor(value));
    }

    private static BigInteger ceil(double value) {
        return BigInteger.valueOf((long) StrictMath.ceil(value));
    }

    private static double intrinsic(OptionRight type, double spot, double strike) {
        return type == OptionRight.CALL ? StrictMath.max(0.0, spot - strike) : StrictMath.max(0.0, strike - spot);
    }
}
