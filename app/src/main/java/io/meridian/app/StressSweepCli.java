package io.meridian.app;

import io.meridian.simulator.CandleCsv;
import io.meridian.simulator.CandleReplay;
import io.meridian.simulator.Population;
import io.meridian.simulator.StressSweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code meridian stress sweep}: runs a grid of risk parameters over crash replays and seeds ({@link StressSweep}) and
 * writes {@code sweep.csv} and {@code sweep.md} to {@code --out} (default {@code sweep-results}). Prints the ranked
 * table; exit 0 when every run kept its invariants, 1 otherwise (or when the results cannot be written), 2 for bad
 * arguments or a malformed candle file.
 */
final class StressSweepCli {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: meridian stress sweep [--files NAME|FILE,...] [--seeds N,...] [--margin X,...] [--step-share P,...]",
            "                             [--insurance-fund USDC,...] [--band P,...] [--dynamic-risk off,on]",
            "                             [--risk-ceiling X,...] [--reference-vol P,...]",
            "                             [--speed S] [--threads N] [--backstop USDC] [--out DIR]",
            "                             [--population realistic|classic]",
            "  --files         packaged crashes by name or CSV files (default: the four packaged crashes)",
            "  --seeds         default 1",
            "  --margin        multipliers of the default margin brackets' rates (default 1)",
            "  --step-share    most of a position one liquidation step closes, percent (default 25)",
            "  --insurance-fund  the fund at the start, whole USDC (default 250000)",
            "  --band          the perpetual's price band around the mark, percent (default 10; 0 none)",
            "  --dynamic-risk  off, on, or both (default off): volatility-driven margin under the lab's governance",
            "  --risk-ceiling  with dynamic risk: the highest multiplier its bounds allow (default 3)",
            "  --reference-vol with dynamic risk: the realised volatility at which the multiplier is 1, percent a",
            "                  year (default 60)",
            "  --speed         seconds of candle time per step (default 60: sweeps trade detail for breadth)",
            "  --threads       runs at once (default: the machine's cores)",
            "  --backstop      the backstop account's capital, whole USDC (default 0: the fund and ADL take the losses)");

    private StressSweepCli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = CandleReplay.BUILTIN;
        List<Long> seeds = List.of(1L);
        List<Double> margins = List.of(1.0);
        List<Long> steps = List.of(250_000L);
        List<Long> funds = List.of(250_000L);
        List<Long> bands = List.of(100_000L);
        List<Boolean> dynamic = List.of(false);
        List<Long> ceilings = List.of(io.meridian.simulator.DynamicRisk.DEFAULT.bounds().ceilingPpm());
        List<Long> references = List.of(io.meridian.simulator.DynamicRisk.DEFAULT.policy().referenceVolatilityPpm());
        long speed = 60;
        int threads = Runtime.getRuntime().availableProcessors();
        long backstop = 0;
        Path outDir = Path.of("sweep-results");
        boolean realistic = true;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--files" -> files = list(value, s -> s);
                    case "--seeds" -> seeds = list(value, Long::parseLong);
                    case "--margin" -> margins = list(value, Double::parseDouble);
                    case "--step-share" -> steps = list(value, s -> percentPpm(s, 0.0001, 100));
                    case "--insurance-fund" -> funds = list(value, s -> bounded(Long.parseLong(s), 0, 1_000_000_000_000L,
                            "--insurance-fund"));
                    case "--band" -> bands = list(value, s -> percentPpm(s, 0, 100));
                    case "--dynamic-risk" -> dynamic = list(value, StressSweepCli::onOff);
                    case "--risk-ceiling" -> ceilings = list(value, s -> multiplierPpm(s));
                    case "--reference-vol" -> references = list(value, s -> percentPpm(s, 1, 10_000));
                    case "--speed" -> speed = bounded(Long.parseLong(value), 1, 3_600, "--speed");
                    case "--threads" -> threads = (int) bounded(Long.parseLong(value), 1, 64, "--threads");
                    case "--backstop" -> backstop = bounded(Long.parseLong(value), 0, 1_000_000_000_000L, "--backstop");
                    case "--out" -> outDir = Path.of(value);
                    case "--population" -> {
                        if (!value.equals("realistic") && !value.equals("classic")) {
                            throw new IllegalArgumentException("--population is realistic or classic");
                        }
                        realistic = value.equals("realistic");
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (NumberFormatException e) {
            err.println("stress sweep: not a number: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("stress sweep: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<CandleReplay> replays = new ArrayList<>();
        for (String file : files) {
            try {
                replays.add(CandleReplay.open(file, speed));
            } catch (CandleCsv.CandleException e) {
                err.println("error: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("error: " + file + ": " + e.getMessage());
                return 2;
            }
        }
        Population population = realistic ? Population.realistic(3, 40, 40, 60) : Population.classic(3, 40, 40, 60);
        List<StressSweep.Row> rows;
        long started = System.nanoTime();
        try {
            rows = StressSweep.run(replays, seeds, new StressSweep.Grid(margins, steps, funds, bands, dynamic,
                    dynamicSettings(ceilings, references)), population, backstop, threads);
        } catch (IllegalArgumentException e) {
            err.println("stress sweep: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("stress sweep: interrupted");
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> markdown = StressSweep.markdown(rows);
        try {
            Files.createDirectories(outDir);
            Files.write(outDir.resolve("sweep.csv"), StressSweep.csv(rows));
            Files.write(outDir.resolve("sweep.md"), markdown);
        } catch (IOException e) {
            err.println("stress sweep: cannot write " + outDir + ": " + e.getMessage());
            return 1;
        }
        for (String line : markdown) {
            if (line.isEmpty()) {
                break;
            }
            out.println(line);
        }
        long violated = rows.stream().filter(r -> !r.invariantsHeld()).count();
        out.printf(Locale.ROOT, "%d runs on %d thread(s) in %.1f s; results: %s, %s%n", rows.size(), threads, seconds,
                outDir.resolve("sweep.csv"), outDir.resolve("sweep.md"));
        out.println(violated == 0 ? "invariants=ok runs=" + rows.size() : "invariants=violated runs=" + violated);
        return violated == 0 ? 0 : 1;
    }

    /** A comma-separated list of at most 20 values. */
    private static <T> List<T> list(String text, Function<String, T> parse) {
        String[] parts = text.split(",", -1);
        if (parts.length > 20) {
            throw new IllegalArgumentException("at most 20 values per axis: " + text);
        }
        List<T> values = new ArrayList<>();
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("an empty value in '" + text + "'");
            }
            values.add(parse.apply(part.trim()));
        }
        return values;
    }

    /** A percentage between {@code min} and {@code max} as ppm ({@code 25} -> 250,000), or an argument error. */
    static long percentPpm(String text, double min, double max) {
        double percent = Double.parseDouble(text);
        if (!(percent >= min && percent <= max)) {
            throw new IllegalArgumentException("a percentage must be " + min + " .. " + max + ": " + text);
        }
        return Math.round(percent * 10_000);
    }

    private static long bounded(long value, long min, long max, String option) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + " .. " + max);
        }
        return value;
    }

    /** The default dynamic-risk settings with each ceiling and reference volatility (ceilings first). */
    static List<io.meridian.simulator.DynamicRisk> dynamicSettings(List<Long> ceilings, List<Long> references) {
        io.meridian.simulator.DynamicRisk base = io.meridian.simulator.DynamicRisk.DEFAULT;
        List<io.meridian.simulator.DynamicRisk> settings = new ArrayList<>();
        for (long ceiling : ceilings) {
            for (long reference : references) {
                io.meridian.model.RiskBounds b = base.bounds();
                settings.add(new io.meridian.simulator.DynamicRisk(new io.meridian.model.RiskBounds(b.floorPpm(),
                        ceiling, b.maxChangePerHourPpm(), b.hysteresisPpm(), b.noticeMillis()),
                        new io.meridian.engine.VolatilityRiskPolicy(reference, base.policy().stepPpm(),
                                base.policy().minimumLeadMillis())));
            }
        }
        return settings;
    }

    /** A multiplier such as {@code 2.5} as ppm, 1.1 .. 10 (above the default floor of 1 by more than the dead band). */
    static long multiplierPpm(String text) {
        double x = Double.parseDouble(text);
        if (!(x >= 1.1 && x <= 10)) {
            throw new IllegalArgumentException("a risk ceiling must be 1.1 .. 10: " + text);
        }
        return Math.round(x * 1_000_000);
    }

    /** {@code on} or {@code off}. */
    static Boolean onOff(String text) {
        if (text.equals("off") || text.equals("on")) {
            return text.equals("on");
        }
        throw new IllegalArgumentException("--dynamic-risk is on or off");
    }
}
