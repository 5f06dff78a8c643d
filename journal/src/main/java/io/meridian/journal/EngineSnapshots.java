package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.EngineSnapshotFormat;
import io.meridian.model.EngineEvents;
import io.meridian.model.snapshot.SnapshotFormatException;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

/**
 * An engine to bytes and back: the payload of a snapshot file ({@link SnapshotStore}) and of a cluster snapshot. The
 * payload is a sequence of sections (docs/journal.md, "Snapshots"): first the engine's settings (tag
 * {@link EngineSnapshotFormat#SETTINGS}: the text of {@link EngineSettings}, with its own checksum), then the
 * engine's components as {@link EngineSnapshotFormat} writes them. Reading makes a new engine with those settings
 * and the given listener, and restores every component into it; a payload this build cannot restore is refused with
 * a {@link SnapshotFormatException} that says what and where.
 *
 * <p>Stateless and thread-safe. The engine must not be applying a command while it is written.
 */
public final class EngineSnapshots {
    /** Format version of the settings section. */
    static final int SETTINGS_VERSION = 1;
    /**
     * The largest {@code maxInstruments} a snapshot may ask for: the engine sizes arrays by it before anything else is
     * read, and a venue with more instruments than this does not exist.
     */
    static final int MAX_INSTRUMENTS = 1 << 20;

    private EngineSnapshots() {
    }

    /** Writes {@code engine} (settings, then components) after whatever {@code out} holds. */
    public static void write(Engine engine, SnapshotWriter out) {
        out.beginSection(EngineSnapshotFormat.SETTINGS, SETTINGS_VERSION);
        out.writeString(EngineSettings.format(engine.view().config()));
        out.endSection();
        EngineSnapshotFormat.write(engine, out);
    }

    /**
     * A new engine, reporting to {@code events}, restored from {@code length} bytes of {@code payload} at
     * {@code offset} as {@link #write} wrote them.
     *
     * @throws SnapshotFormatException when the bytes are not a snapshot this build can restore
     */
    public static Engine read(byte[] payload, int offset, int length, EngineEvents events) {
        SnapshotReader in = new SnapshotReader(payload, offset, length);
        SnapshotReader settings = in.openSection(EngineSnapshotFormat.SETTINGS, SETTINGS_VERSION, "settings");
        EngineConfig config;
        try {
            config = EngineSettings.parse(settings.readString());
        } catch (IllegalArgumentException e) {
            throw settings.fail("engine settings: " + e.getMessage());
        }
        settings.expectEnd("settings");
        if (config.maxInstruments() > MAX_INSTRUMENTS) {
            throw settings.fail("engine settings ask for " + config.maxInstruments() + " instruments");
        }
        return EngineSnapshotFormat.read(in, events, config);
    }
}
