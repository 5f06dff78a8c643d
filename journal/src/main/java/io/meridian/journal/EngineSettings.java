package io.meridian.journal;

import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.risk.margin.FeeTier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The engine settings a journal was created with ({@link EngineConfig}: capacities, VIP fee tiers, liquidation
 * settings, the option reprice interval), pinned in the journal's directory as {@value #FILE_NAME}. The same commands
 * give the same state only under the same settings, so a replay, a verification or a restart from the journal's
 * start must use these, not whatever the code's defaults are by then.
 *
 * <p><b>Format</b> (stable across versions, readable by a person): UTF-8 lines {@code key=value}, a {@code #} comment,
 * {@code version=2} first and {@code crc32c=<hex>} last (the CRC of every byte before that line). Every key is
 * required; unknown keys are refused. A version 1 file (before the liquidation waterfall) is still read: the
 * liquidation keys added in version 2 take their defaults and its {@code liquidation.targetBufferPpm} is dropped.
 * Fee tiers are {@code maker:taker} ppm pairs separated by commas. Written to a temporary file, forced, then moved
 * into place.
 *
 * <p>Stateless; callers are the journal's single writer (at creation) and readers.
 */
public final class EngineSettings {
    /** The file in a journal directory. */
    public static final String FILE_NAME = "engine-settings.txt";
    private static final int VERSION = 2;
    /** Keys added in version 2 (the liquidation waterfall); a version 1 file gets their defaults. */
    private static final List<String> NEW_IN_2 = List.of("liquidation.targetPpm", "liquidation.maxStepSharePpm",
            "liquidation.minFullCloseUnits", "liquidation.insuranceFundFloorUnits", "liquidation.unwindBandPpm",
            "liquidation.unwindSharePpm");
    /** A version 1 key that version 2 dropped (its buffer over MM became {@code targetPpm} between MM and IM). */
    private static final String DROPPED_IN_2 = "liquidation.targetBufferPpm";

    private EngineSettings() {
    }

    /** Whether the journal in {@code directory} has pinned settings. */
    public static boolean exists(Path directory) {
        return Files.exists(directory.resolve(FILE_NAME));
    }

    /** A settings file that cannot be used: damaged, another version, or values the engine refuses. */
    public static final class SettingsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SettingsException(String message) {
            super(message);
        }
    }

    /**
     * The settings pinned in {@code directory}, or null when it has none (a journal made before they were pinned).
     *
     * @throws SettingsException when the file is there but unusable (nothing is guessed: the operator decides)
     */
    public static EngineConfig read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("engine settings " + file + " unusable: " + e.getMessage());
        }
    }

    /** Pins {@code config} in {@code directory} durably (replacing any earlier file). */
    public static void write(Path directory, EngineConfig config) {
        Path file = directory.resolve(FILE_NAME);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try {
            Files.writeString(temporary, format(config), StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Journal.forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The file's text for {@code config}. */
    static String format(EngineConfig config) {
        StringBuilder body = new StringBuilder();
        body.append("# Meridian engine settings, pinned when this journal was created: replays and restarts use them.\n");
        body.append("version=").append(VERSION).append('\n');
        for (Map.Entry<String, String> entry : values(config).entrySet()) {
            body.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        return body + "crc32c=" + crc(body.toString()) + "\n";
    }

    private static Map<String, String> values(EngineConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("maxInstruments", Integer.toString(config.maxInstruments()));
        values.put("expectedOrdersPerBook", Integer.toString(config.expectedOrdersPerBook()));
        values.put("maxOpenOrdersPerBook", Integer.toString(config.maxOpenOrdersPerBook()));
        values.put("maxOpenOrdersPerAccount", Integer.toString(config.maxOpenOrdersPerAccount()));
        List<String> tiers = new ArrayList<>();
        for (FeeTier tier : config.vipFeeTiers()) {
            tiers.add(tier.makerPpm() + ":" + tier.takerPpm());
        }
        values.put("vipFeeTiers", String.join(",", tiers));
        LiquidationConfig liquidation = config.liquidation();
        values.put("liquidation.feePpm", Long.toString(liquidation.feePpm()));
        values.put("liquidation.feeCapPpm", Long.toString(liquidation.feeCapPpm()));
        values.put("liquidation.targetPpm", Long.toString(liquidation.targetPpm()));
        values.put("liquidation.maxStepSharePpm", Long.toString(liquidation.maxStepSharePpm()));
        values.put("liquidation.maxStepUnits", Long.toString(liquidation.maxStepUnits()));
        values.put("liquidation.minFullCloseUnits", Long.toString(liquidation.minFullCloseUnits()));
        values.put("liquidation.backstopAccount", Long.toString(liquidation.backstopAccount()));
        values.put("liquidation.maxStepsPerAccount", Integer.toString(liquidation.maxStepsPerAccount()));
        values.put("liquidation.insuranceFundFloorUnits", Long.toString(liquidation.insuranceFundFloorUnits()));
        values.put("liquidation.unwindBandPpm", Long.toString(liquidation.unwindBandPpm()));
        values.put("liquidation.unwindSharePpm", Long.toString(liquidation.unwindSharePpm()));
        values.put("optionRepriceIntervalNanos", Long.toString(config.optionRepriceIntervalNanos()));
        return values;
    }

    /**
     * The settings in {@code text}.
     *
     * @throws IllegalArgumentException naming the problem: a damaged file (CRC), another version, a missing, unknown
     *                                  or malformed value, or values the engine refuses
     */
    static EngineConfig parse(String text) {
        int crcLine = text.lastIndexOf("crc32c=");
        if (crcLine < 0 || crcLine > 0 && text.charAt(crcLine - 1) != '\n') {
            throw new IllegalArgumentException("no crc32c line");
        }
        String body = text.substring(0, crcLine);
        String stored = text.substring(crcLine + "crc32c=".length()).strip();
        if (!stored.equals(crc(body))) {
            throw new IllegalArgumentException("checksum mismatch (the file was changed or damaged)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: '" + line + "'");
            }
            if (values.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("'" + line.substring(0, eq) + "' appears twice");
            }
        }
        String version = values.remove("version");
        boolean first = "1".equals(version);
        if (!first && !Integer.toString(VERSION).equals(version)) {
            throw new IllegalArgumentException("unknown version (this build reads versions 1 and " + VERSION + ")");
        }
        Map<String, String> expected = values(EngineConfig.defaults());
        if (first) {
            // Version 1: the liquidation keys of version 2 take their defaults; its targetBufferPpm has no successor.
            for (String key : NEW_IN_2) {
                values.put(key, expected.get(key));
            }
            if (values.remove(DROPPED_IN_2) == null) {
                throw new IllegalArgumentException("missing setting '" + DROPPED_IN_2 + "'");
            }
        }
        for (String key : values.keySet()) {
            if (!expected.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
        }
        for (String key : expected.keySet()) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("missing setting '" + key + "'");
            }
        }
        try {
            List<FeeTier> tiers = new ArrayList<>();
            String tierText = values.get("vipFeeTiers");
            if (!tierText.isEmpty()) {
                for (String tier : tierText.split(",")) {
                    String[] parts = tier.split(":");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("vipFeeTiers: '" + tier + "' is not maker:taker");
                    }
                    tiers.add(new FeeTier(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
                }
            }
            LiquidationConfig liquidation = new LiquidationConfig(number(values, "liquidation.feePpm"),
                    number(values, "liquidation.feeCapPpm"), number(values, "liquidation.targetPpm"),
                    number(values, "liquidation.maxStepSharePpm"), number(values, "liquidation.maxStepUnits"),
                    number(values, "liquidation.minFullCloseUnits"), number(values, "liquidation.backstopAccount"),
                    Math.toIntExact(number(values, "liquidation.maxStepsPerAccount")),
                    number(values, "liquidation.insuranceFundFloorUnits"), number(values, "liquidation.unwindBandPpm"),
                    number(values, "liquidation.unwindSharePpm"));
            return new EngineConfig(Math.toIntExact(number(values, "maxInstruments")),
                    Math.toIntExact(number(values, "expectedOrdersPerBook")),
                    Math.toIntExact(number(values, "maxOpenOrdersPerBook")),
                    Math.toIntExact(number(values, "maxOpenOrdersPerAccount")), tiers, liquidation,
                    number(values, "optionRepriceIntervalNanos"));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a value is out of range: " + e.getMessage());
        }
    }

    private static long number(Map<String, String> values, String key) {
        try {
            return Long.parseLong(values.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not an integer: '" + values.get(key) + "'");
        }
    }

    private static String crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue()).toLowerCase(Locale.ROOT);
    }
}
