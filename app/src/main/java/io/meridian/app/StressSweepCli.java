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

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian stress sweep}: runs a grid of risk parameters over crash replays and seeds ({@link StressSweep}) and
 * writes {@code sweep.csv} and {@code sweep.md} to {@code --out} (default {@code sweep-results}). Prints the ranked
 * table; exit 0 when every run kept its invariants, 1 otherwise (or when the results cannot be written), 2 for bad
 * arguments or a malformed candle file.
 */
@Command(name = "sweep", description = {"Run a grid of risk parameters over crash replays and seeds, write sweep.csv"
        + " and sweep.md to --out and print the ranked table (docs/stress.md).", "Every list option takes values"
        + " separated by commas; the grid is their product. Exit 0 when every run kept its invariants, 1 otherwise (or"
        + " when the results cannot be written), 2 for bad arguments or a malformed candle file."})
final class StressSweepCli extends Cli.Command {
    @Option(names = "--files", paramLabel = "NAME|FILE,...", description = "packaged crashes by name or CSV files"
            + " (default: the four packaged crashes)")
    String filesText;
    @Option(names = "--seeds", paramLabel = "N,...", description = "default 1")
    String seedsText;
    @Option(names = "--margin", paramLabel = "X,...", description = "multipliers of the default margin brackets' rates"
            + " (default 1)")
    String marginText;
    @Option(names = "--step-share", paramLabel = "P,...", description = "most of a position one liquidation step closes,"
            + " percent (default 25)")
    String stepShareText;
    @Option(names = "--insurance-fund", paramLabel = "USDC,...", description = "the fund at the start, whole USDC"
            + " (default 250000)")
    String fundText;
    @Option(names = "--band", paramLabel = "P,...", description = "the perpetual's price band around the mark, percent"
            + " (default 10; 0 none)")
    String bandText;
    @Option(names = "--dynamic-risk", paramLabel = "off,on", description = "off, on, or both (default off):"
            + " volatility-driven margin under the lab's governance")
    String dynamicText;
    @Option(names = "--risk-ceiling", paramLabel = "X,...", description = "with dynamic risk: the highest multiplier its"
            + " bounds allow (default 3)")
    String ceilingText;
    @Option(names = "--reference-vol", paramLabel = "P,...", description = "with dynamic risk: the realised volatility at"
            + " which the multiplier is 1, percent a year (default 60)")
    String referenceText;
    @Option(names = "--speed", paramLabel = "S", description = "seconds of candle time per step, 1 .. 3600 (default 60:"
            + " sweeps trade detail for breadth)")
    long speed = 60;
    @Option(names = "--threads", paramLabel = "N", description = "runs at once, 1 .. 64 (default: the machine's cores)")
    int threads = Math.min(64, Runtime.getRuntime().availableProcessors());
    @Option(names = "--backstop", paramLabel = "USDC", description = "the backstop account's capital, whole USDC"
            + " (default 0: the fund and ADL take the losses)")
    long backstop;
    @Option(names = "--out", paramLabel = "DIR", description = "where sweep.csv and sweep.md go (default sweep-results)")
    Path outDir = Path.of("sweep-results");
    @Option(names = "--population", paramLabel = "realistic|classic", description = "the crowd (default realistic)")
    String populationName = "realistic";

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "stress", "sweep"), out, err);
    }

    @Override
    public Integer call() {
        List<String> files = CandleReplay.BUILTIN;
        List<Long> seeds = List.of(1L);
        List<Double> margins = List.of(1.0);
        List<Long> steps = List.of(250_000L);
        List<Long> funds = List.of(250_000L);
        List<Long> bands = List.of(100_000L);
        List<Boolean> dynamic = List.of(false);
        List<Long> ceilings = List.of(io.meridian.simulator.DynamicRisk.DEFAULT.bounds().ceilingPpm());
        List<Long> references = List.of(io.meridian.simulator.DynamicRisk.DEFAULT.policy().referenceVolatilityPpm());
        boolean realistic;
        try {
            if (filesText != null) {
                files = list(filesText, s -> s);
            }
            if (seedsText != null) {
                seeds = list(seedsText, Long::parseLong);
            }
            if (marginText != null) {
                margins = list(marginText, Double::parseDouble);
            }
            if (stepShareText != null) {
                steps = list(stepShareText, s -> percentPpm(s, 0.0001, 100));
            }
            if (fundText != null) {
                funds = list(fundText, s -> bounded(Long.parseLong(s), 0, 1_000_000_000_000L, "--insurance-fund"));
            }
            if (bandText != null) {
                bands = list(bandText, s -> percentPpm(s, 0, 100));
            }
            if (dynamicText != null) {
                dynamic = list(dynamicText, StressSweepCli::onOff);
            }
            if (ceilingText != null) {
                ceilings = list(ceilingText, s -> multiplierPpm(s));
            }
            if (referenceText != null) {
                references = list(referenceText, s -> percentPpm(s, 1, 10_000));
            }
            bounded(speed, 1, 3_600, "--speed");
            bounded(threads, 1, 64, "--threads");
            bounded(backstop, 0, 1_000_000_000_000L, "--backstop");
            if (!populationName.equals("realistic") && !populationName.equals("classic")) {
                throw new IllegalArgumentException("--population is realistic or classic");
            }
            realistic = populationName.equals("realistic");
        } catch (NumberFormatException e) {
            throw usage("not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
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
            throw usage(e.getMessage());
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
