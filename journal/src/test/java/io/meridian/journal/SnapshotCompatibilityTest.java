package io.meridian.journal;

import io.meridian.model.StateHasher;
import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A snapshot written by an earlier build loads in this one, with the state hash it was written with, and continues
 * to the same state. The fixture {@code snapshots/v2-rich-venue.snap} (snapshot file format version 2) holds
 * {@link RichVenue}'s state at the end of its set-up; {@code v2-rich-venue.properties} records its sequence, timestamp
 * and state hash, alice's session id, and the state hash after {@link RichVenue#tail}. Both were written once and are
 * loaded unchanged by every later build: the format's evolution rules (docs/journal.md, "Snapshots") keep them
 * loadable, and this test is what holds every later build to them.
 *
 * <p>To write the fixture again (only while no node depends on the format, e.g. when the first version changes
 * before release), from the repository root:
 * <pre>
 * mvn -o -pl journal -am test -Dtest=SnapshotCompatibilityTest -Dsurefire.failIfNoSpecifiedTests=false -Dsnapshot.regenerate=true
 * </pre>
 * which writes both files into {@code journal/src/test/resources/snapshots/} and then runs the test on them.
 */
class SnapshotCompatibilityTest {
    static final String NAME = "v2-rich-venue";
    private static final Path SOURCE = Path.of("src", "test", "resources", "snapshots");

    @TempDir
    Path dir;

    @Test
    void theCheckedInSnapshotLoadsToItsStateHashAndContinuesToTheRecordedOne() throws IOException {
        if (Boolean.getBoolean("snapshot.regenerate")) {
            regenerate();
        }
        Properties expected = properties();
        long sequence = Long.parseLong(expected.getProperty("sequence"));
        Files.write(dir.resolve(SnapshotStore.fileName(sequence)), fixture());
        List<String> skipped = new ArrayList<>();
        EventRecorder events = new EventRecorder(false);
        SnapshotStore.Loaded loaded = new SnapshotStore(dir).loadNewest(events, Long.MAX_VALUE, skipped);
        assertNotNull(loaded, "the checked-in snapshot does not load: " + skipped);
        Engine engine = loaded.engine();
        assertEquals(expected.getProperty("stateHash"), StateHasher.hex(engine.stateHash()));
        assertEquals(Long.parseLong(expected.getProperty("timestamp")), engine.lastTimestamp());

        for (Command c : RichVenue.tail(sequence, engine.lastTimestamp(),
                Long.parseLong(expected.getProperty("sessionId")))) {
            engine.apply(c);
        }
        assertEquals(List.of(), events.ofType(Event.CommandRejected.class), "the tail applies without a reject");
        assertEquals(expected.getProperty("finalStateHash"), StateHasher.hex(engine.stateHash()),
                "the loaded snapshot continues to the recorded state");
    }

    /** The fixture's bytes: the snapshot file as written (header and payload). */
    static byte[] fixture() throws IOException {
        if (Files.exists(SOURCE.resolve(NAME + ".snap")) && Boolean.getBoolean("snapshot.regenerate")) {
            return Files.readAllBytes(SOURCE.resolve(NAME + ".snap"));
        }
        try (InputStream in = SnapshotCompatibilityTest.class.getResourceAsStream("/snapshots/" + NAME + ".snap")) {
            assertNotNull(in, "the fixture snapshots/" + NAME + ".snap is on the test classpath");
            return in.readAllBytes();
        }
    }

    static Properties properties() throws IOException {
        Properties properties = new Properties();
        String text;
        if (Boolean.getBoolean("snapshot.regenerate")) {
            text = Files.readString(SOURCE.resolve(NAME + ".properties"), StandardCharsets.UTF_8);
        } else {
            try (InputStream in = SnapshotCompatibilityTest.class.getResourceAsStream("/snapshots/" + NAME
                    + ".properties")) {
                assertNotNull(in, "the fixture snapshots/" + NAME + ".properties is on the test classpath");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Builds the venue, writes its snapshot and the expected hashes into the source tree. */
    private static void regenerate() {
        List<Command> setup = RichVenue.setup();
        EventRecorder events = new EventRecorder(false);
        Engine engine = new Engine(events, RichVenue.config());
        for (Command c : setup) {
            engine.apply(c);
        }
        assertEquals(List.of(), events.ofType(Event.CommandRejected.class), "the set-up applies without a reject");
        try {
            Path temp = Files.createTempDirectory("meridian-fixture");
            SnapshotStore store = new SnapshotStore(temp);
            SnapshotStore.Info info = store.persist(store.capture(engine, null));
            Files.createDirectories(SOURCE);
            Files.write(SOURCE.resolve(NAME + ".snap"), Files.readAllBytes(info.path()));
            Files.delete(info.path());
            Files.delete(temp);
            long sessionId = RichVenue.sessionId(setup);
            String stateHash = StateHasher.hex(engine.stateHash());
            long timestamp = engine.lastTimestamp();
            for (Command c : RichVenue.tail(engine.lastSequence(), timestamp, sessionId)) {
                engine.apply(c);
            }
            assertEquals(List.of(), events.ofType(Event.CommandRejected.class), "the tail applies without a reject");
            String text = "# " + NAME + ".snap: RichVenue's set-up, snapshotted (SnapshotCompatibilityTest writes both"
                    + " files; see its javadoc).\n"
                    + "sequence=" + info.sequence() + "\n"
                    + "timestamp=" + timestamp + "\n"
                    + "stateHash=" + stateHash + "\n"
                    + "sessionId=" + sessionId + "\n"
                    + "# After RichVenue.tail(sequence, timestamp, sessionId):\n"
                    + "finalStateHash=" + StateHasher.hex(engine.stateHash()) + "\n";
            Files.writeString(SOURCE.resolve(NAME + ".properties"), text, StandardCharsets.UTF_8);
            System.out.println("wrote " + SOURCE.resolve(NAME + ".snap") + " (" + Files.size(SOURCE.resolve(NAME
                    + ".snap")) + " bytes) and " + NAME + ".properties");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listener that keeps nothing (the fuzz test loads the fixture many times). */
    static EngineEvents quiet() {
        return new EngineEvents() { };
    }
}
