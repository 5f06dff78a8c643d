package io.meridian.simulator.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks: "nice" numbers (1, 2 or 5 times a power of ten) for values, and round clock intervals (seconds, minutes,
 * hours, days) for time, with their labels. Pure functions.
 */
final class Ticks {
    /** Time steps an axis may use, in seconds. */
    private static final long[] TIME_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800,
        21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000};
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A tick: where (in data units) and what it says. */
    record Tick(double value, String label) {
    }

    /** A value range and its ticks; {@code low} and {@code high} are the axis ends. */
    record Scale(double low, double high, List<Tick> ticks) {
    }

    private Ticks() {
    }

    /** The smallest of 1, 2 and 5 times a power of ten that is at least {@code raw} (> 0). */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /**
     * A value axis over the data's {@code min .. max} (widened to take in 0 when {@code includeZero}): ends on multiples
     * of a nice step of at least {@code minStep} (1 for counts; 0 for any), about {@code target} ticks. A flat range is
     * widened around its value.
     */
    static Scale values(double min, double max, int target, boolean includeZero, double minStep) {
        if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            min = 0;
            max = 1;
        }
        if (includeZero) {
            min = Math.min(min, 0);
            max = Math.max(max, 0);
        }
        if (max - min <= Math.abs(max) * 1e-12) {
            double pad = max == 0 ? 1 : Math.abs(max) * 0.01;
            min = includeZero && min == 0 ? 0 : min - pad;
            max = max + pad;
        }
        double step = Math.max(minStep, niceStep((max - min) / Math.max(1, target)));
        double low = Math.floor(min / step + 1e-9) * step;
        double high = Math.ceil(max / step - 1e-9) * step;
        int decimals = decimals(step);
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; low + i * step <= high + step * 1e-6; i++) {
            double v = low + i * step;
            ticks.add(new Tick(v, number(v, decimals)));
        }
        return new Scale(low, high, ticks);
    }

    /** Decimals that show a multiple of {@code step} exactly (at most 6). */
    static int decimals(double step) {
        int d = 0;
        while (d < 6 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-6 * step * Math.pow(10, d)) {
            d++;
        }
        return d;
    }

    /** A number with thousands separators and {@code decimals} places; never "-0". */
    static String number(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%,." + decimals + "f", v);
        return s.matches("-[0,.]*") ? s.substring(1) : s;
    }

    /**
     * A time axis over {@code 0 .. span} seconds from {@code startEpochSeconds}: ticks on round UTC clock times
     * (multiples of 1 s .. 30 days, about {@code target} of them). With {@code startEpochSeconds} < 0 the ticks are
     * seconds from the start instead, labelled as numbers.
     */
    static Scale time(double span, long startEpochSeconds, int target) {
        span = Math.max(span, 1);
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long candidate : TIME_STEPS) {
            if (span / candidate <= target) {
                step = candidate;
                break;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        if (startEpochSeconds < 0) {
            for (long t = 0; t <= span + 1e-9; t += step) {
                ticks.add(new Tick(t, number(t, 0)));
            }
            return new Scale(0, span, ticks);
        }
        boolean days = startEpochSeconds / 86_400 != (startEpochSeconds + (long) Math.ceil(span)) / 86_400;
        DateTimeFormatter format = days ? DAY_TIME : step < 60 ? TIME_SECONDS : TIME;
        long first = Math.floorDiv(startEpochSeconds + step - 1, step) * step;
        for (long t = first; t - startEpochSeconds <= span + 1e-9; t += step) {
            ticks.add(new Tick(t - startEpochSeconds, format.format(Instant.ofEpochSecond(t))));
        }
        return new Scale(0, span, ticks);
    }
}
