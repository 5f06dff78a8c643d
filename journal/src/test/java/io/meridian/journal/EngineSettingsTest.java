package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.risk.margin.FeeTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine settings pinned with the journal: the file round-trips, refuses damage and unknown content with the reason,
 * and a restart or a replay uses the journal's settings, not the caller's or the code's defaults.
 */
class EngineSettingsTest {
    @TempDir
    Path dir;

    /** Settings that change what the order flow does: at most 3 open orders per account and book. */
    private static final EngineConfig CUSTOM = EngineConfig.defaults().withMaxOpenOrdersPerAccount(3)
            .withLiquidation(LiquidationConfig.defaults().withBackstopAccount(77).withFeePpm(10_000));

    @Test
    void theFileRoundTripsAndRefusesDamageWithTheReason() {
        EngineConfig noTiers = new EngineConfig(16, 8, 100, 5, List.of(), LiquidationConfig.defaults(), 0);
        for (EngineConfig config : List.of(EngineConfig.defaults(), CUSTOM, noTiers,
                new EngineConfig(16, 8, 100, 5, List.of(new FeeTier(-50, 250)), LiquidationConfig.defaults(), 7))) {
            assertEquals(config, EngineSettings.parse(EngineSettings.format(config)));
        }
        String text = EngineSettings.format(CUSTOM);
        assertTrue(text.contains("maxOpenOrdersPerAccount=3\n") && text.contains("liquidation.backstopAccount=77\n"),
                text);
        String[][] bad = {
            {text.replace("maxOpenOrdersPerAccount=3", "maxOpenOrdersPerAccount=4"), "checksum mismatch"},
            {text.substring(0, text.indexOf("crc32c=")), "no crc32c line"},
            {resealed(text.replace("version=2", "version=3")), "unknown version"},
            {resealed(text.replace("maxInstruments=", "maxBooks=")), "unknown setting 'maxBooks'"},
            {resealed(text.replace("optionRepriceIntervalNanos=1000000000\n", "")), "missing setting"},
            {resealed(text.replace("maxOpenOrdersPerAccount=3", "maxOpenOrdersPerAccount=x")), "not an integer"},
            {resealed(text.replace("maxOpenOrdersPerAccount=3", "maxOpenOrdersPerAccount=0")), "capacities"},
            {resealed(text.replace("vipFeeTiers=160:400", "vipFeeTiers=160")), "is not maker:taker"},
        };
        for (String[] c : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineSettings.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[1] + " -> " + e.getMessage());
        }
    }

    /** A version 1 file (before the liquidation waterfall) is read with the new liquidation keys at their defaults. */
    @Test
    void aVersionOneFileIsReadWithDefaultsForTheNewLiquidationKeys() {
        String v1 = "# Meridian engine settings\nversion=1\nmaxInstruments=16\nexpectedOrdersPerBook=8\n"
                + "maxOpenOrdersPerBook=100\nmaxOpenOrdersPerAccount=5\nvipFeeTiers=160:400\n"
                + "liquidation.feePpm=10000\nliquidation.feeCapPpm=500000\nliquidation.targetBufferPpm=100000\n"
                + "liquidation.maxStepUnits=1000000\nliquidation.backstopAccount=77\n"
                + "liquidation.maxStepsPerAccount=64\noptionRepriceIntervalNanos=1000000000\n";
        EngineConfig read = EngineSettings.parse(resealed(v1 + "crc32c=0\n"));
        LiquidationConfig defaults = LiquidationConfig.defaults();
        assertEquals(new LiquidationConfig(10_000, 500_000, defaults.targetPpm(), defaults.maxStepSharePpm(),
                1_000_000, defaults.minFullCloseUnits(), 77, 64, defaults.insuranceFundFloorUnits(),
                defaults.unwindBandPpm(), defaults.unwindSharePpm()), read.liquidation());
        assertEquals(5, read.maxOpenOrdersPerAccount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineSettings.parse(
                resealed(v1.replace("liquidation.targetBufferPpm=100000\n", "") + "crc32c=0\n")));
        assertTrue(e.getMessage().contains("missing setting 'liquidation.targetBufferPpm'"), e.getMessage());
    }

    /** The text with its CRC line recomputed, so only the content is wrong. */
    private static String resealed(String text) {
        String body = text.substring(0, text.indexOf("crc32c="));
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return body + "crc32c=" + HexFormat.of().toHexDigits((int) crc.getValue()) + "\n";
    }

    @Test
    void aRestartAndAReplayUseTheJournalsSettingsNotTheCallers() {
        AtomicLong clock = new AtomicLong(1);
        OrderFlow flow = new OrderFlow(3);
        Command c = new Command();
        long hash;
        try (Sequencer sequencer = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE, CUSTOM,
                new EngineEvents() { }, clock::incrementAndGet, 64)) {
            for (int i = 0; i < 3_000; i++) {
                sequencer.submit(flow.next(c));
            }
            sequencer.flush();
            hash = sequencer.engine().stateHash();
        }
        assertEquals(CUSTOM, EngineSettings.read(dir));
        List<Command> journal = JournalTest.readAll(dir);
        Engine underDefaults = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        journal.forEach(underDefaults::apply);
        assertNotEquals(hash, underDefaults.stateHash(), "the settings change what the same commands do");

        try (Sequencer restarted = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE,
                EngineConfig.defaults(), new EngineEvents() { }, clock::incrementAndGet, 64)) {
            assertEquals(CUSTOM, restarted.engine().view().config(), "the journal's settings, not the caller's");
            assertEquals(hash, restarted.engine().stateHash());
        }
        // What meridian replay does: the pinned settings, then the journal.
        Engine replayed = new Engine(new EngineEvents() { }, EngineSettings.read(dir));
        Replay.replay(dir, replayed);
        assertEquals(hash, replayed.stateHash());
        List<Boolean> pinned = new ArrayList<>();
        JournalVerifier.Result verified = JournalVerifier.verify(dir, null, new JournalVerifier.Listener() {
            @Override
            public void settings(boolean isPinned) {
                pinned.add(isPinned);
            }
        });
        assertTrue(verified.ok(), verified.failure());
        assertEquals(List.of(true), pinned);
    }

    @Test
    void aJournalWithoutSettingsGetsTheCallersPinnedAndADamagedFileStopsTheStart() throws Exception {
        AtomicLong clock = new AtomicLong(1);
        assertNull(EngineSettings.read(dir));
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(),
                new Engine(new EngineEvents() { }, EngineConfig.defaults()), clock::incrementAndGet)) {
            sequencer.submit(new OrderFlow(1).next(new Command()));
        }
        assertNull(EngineSettings.read(dir), "open() takes the caller's engine and pins nothing");
        try (Sequencer sequencer = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE, CUSTOM,
                new EngineEvents() { }, clock::incrementAndGet, 64)) {
            assertEquals(CUSTOM, sequencer.engine().view().config());
        }
        assertEquals(CUSTOM, EngineSettings.read(dir));
        Path file = dir.resolve(EngineSettings.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("=3\n", "=9\n"));
        EngineSettings.SettingsException e = assertThrows(EngineSettings.SettingsException.class, () -> Sequencer.start(dir,
                JournalConfig.defaults(), SnapshotPolicy.NONE, CUSTOM, new EngineEvents() { }, clock::incrementAndGet,
                64));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
}
