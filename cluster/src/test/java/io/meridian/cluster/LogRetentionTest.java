package io.meridian.cluster;

import io.aeron.cluster.RecordingLog;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.JournalVerifier;
import io.meridian.journal.Replay;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.meridian.cluster.Checkpoints.hashOf;
import static io.meridian.cluster.Checkpoints.sequenceOf;
import static io.meridian.cluster.Checkpoints.stateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log truncation behind snapshots ({@link LogRetention}): three members with small log segments (64 KiB), a snapshot
 * every 300 commands and one snapshot retained truncate their logs as they go (the log recording starts after 0, older
 * snapshot recordings are deleted); every member is stopped and started again, each from its snapshot over its
 * truncated log, and all agree at a checkpoint; a member's export then starts from its snapshot and replays to that
 * checkpoint. And the limit: a member behind the leader's truncated log rejoins only from a copy of another's.
 */
class LogRetentionTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");
    private static final int SEGMENT = 64 * 1024;
    private static final ClusterNode.LogOptions RETAIN_ONE = new ClusterNode.LogOptions(1, SEGMENT, SEGMENT);
    private static final long SNAPSHOT_EVERY = 300;

    @TempDir
    Path temp;

    private final ClusterNode[] members = new ClusterNode[3];

    @AfterEach
    void stop() {
        for (ClusterNode member : members) {
            if (member != null) {
                member.close();
            }
        }
    }

    @Test
    void membersTruncateTheirLogsRestartFromTheirSnapshotsAndExportFromThem() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_280 + random.nextInt(0, 22) * 500;
        System.out.println("LogRetentionTest seed=" + seed + " portBase=" + portBase);
        startAll(portBase, SNAPSHOT_EVERY);
        String endpoints = ClusterNode.ingressEndpoints(HOSTS, portBase);
        String second;
        try (ClusterClient client = new ClusterClient(601, endpoints, temp.resolve("client").toFile(),
                (clientSequence, engineSequence, status) -> { }, TimeUnit.SECONDS.toNanos(60))) {
            setup(client);
            flow(client, random, 2_500);
            for (int id = 0; id < 3; id++) {
                LogRetention retention = members[id].logRetention();
                int member = id;
                await(() -> "member " + member + " truncated its log and deleted old snapshots (" + retention + ")",
                        () -> retention.segmentPurges() > 0
                        && retention.logStartPosition() > 0 && retention.snapshotsDeleted() > 0, client);
                assertEquals(0, retention.failures(), "member " + id);
                System.out.println("member " + id + ": log starts at " + retention.logStartPosition() + " after "
                        + retention.segmentPurges() + " purge(s); " + retention.snapshotsDeleted()
                        + " snapshot recording(s) deleted");
            }
            String first = checkpoint(client, 1);
            System.out.println("checkpoint 1: " + first.trim());

            stopAll();
            for (int id = 0; id < 3; id++) {
                Path member = temp.resolve("node-" + id);
                ArchiveRecording.Descriptor log = logRecording(member);
                assertTrue(log.startPosition() > 0, "member " + id + "'s log starts at " + log.startPosition());
                assertTrue(log.startPosition() % SEGMENT == 0, "whole segments purged: " + log.startPosition());
                List<LogRetention.Snapshot> snapshots = snapshots(member);
                List<LogRetention.Snapshot> kept = new ArrayList<>();
                for (LogRetention.Snapshot snapshot : snapshots) {
                    if (ArchiveRecording.describe(archive(member), snapshot.serviceRecordingId()) != null) {
                        kept.add(snapshot);
                    }
                }
                // At least the newest and one older that retention deleted (how many more depends on the schedule's timing
                // against the flow: three or more usually, two on a loaded machine).
                assertTrue(snapshots.size() >= 2, "member " + id + " took several snapshots: " + snapshots.size());
                // The newest is kept; one taken after the retention's last run may be kept too.
                assertTrue(!kept.isEmpty() && kept.size() <= 2, "member " + id + " keeps " + kept);
                assertEquals(snapshots.get(snapshots.size() - 1), kept.get(kept.size() - 1));
                assertTrue(kept.get(0).logPosition() >= log.startPosition(), "a kept snapshot's log is kept");
                Files.deleteIfExists(member.resolve("started.txt"));
            }

            // Every member starts again from its snapshot over its truncated log, and they agree. No more snapshots
            // now, so that the one the export starts from precedes the checkpoint.
            startAll(portBase, 0);
            flow(client, random, 200);
            second = checkpoint(client, 2);
            System.out.println("checkpoint 2, after a restart of every member: " + second.trim());
            for (int id = 0; id < 3; id++) {
                String started = Files.readString(temp.resolve("node-" + id).resolve("started.txt"));
                assertTrue(started.startsWith("from_snapshot=true"), "member " + id + ": " + started);
            }
        }
        stopAll();

        Path out = temp.resolve("export-0");
        ClusterExport.Result result = ClusterExport.export(temp.resolve("node-0"), out);
        System.out.println("export of member 0: " + result);
        assertTrue(result.fromSnapshot(), "the truncated log is exported from a snapshot");
        assertTrue(result.recordingStart() > 0);
        assertTrue(result.fromPosition() >= result.recordingStart());
        assertEquals(result.snapshotSequence() + 1, result.firstSequence());
        assertTrue(result.snapshotSequence() <= sequenceOf(second), "the snapshot precedes checkpoint 2");
        ClusterExport.Checkpoint passed = result.checkpoints().get(result.checkpoints().size() - 1);
        assertEquals(2, passed.id());
        assertTrue(passed.agrees(), passed.toString());
        assertNotNull(passed.memberFile());

        SnapshotStore.Loaded loaded = new SnapshotStore(out).loadNewest(new EngineEvents() { }, Long.MAX_VALUE,
                new ArrayList<>());
        assertNotNull(loaded, "the export holds its snapshot");
        assertEquals(result.snapshotSequence(), loaded.info().sequence());
        Engine engine = loaded.engine();
        Replay.replay(out, engine, sequenceOf(second));
        assertEquals(sequenceOf(second), engine.lastSequence());
        assertEquals(hashOf(second), StateHasher.hex(engine.stateHash()), "the export replays to checkpoint 2");
        Replay.replay(out, engine);
        assertEquals(result.stateHash(), StateHasher.hex(engine.stateHash()));
        JournalVerifier.Result verified = JournalVerifier.verify(out, null, new JournalVerifier.Listener() { });
        assertTrue(verified.ok(), verified.failure());
    }

    /**
     * The limit, as docs/cluster.md states it: a follower stopped while the leader truncated its log past the
     * follower's end cannot catch up by itself (Aeron 1.46 replicates the log, never a snapshot, to a member behind),
     * while the other two carry on; stopped, given a copy of a stopped current follower's {@code archive/} and
     * {@code cluster/}, it rejoins and agrees.
     */
    @Test
    void aMemberBehindTheLeadersTruncatedLogRejoinsFromACopyOfAnother() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_290 + random.nextInt(0, 22) * 500;
        System.out.println("LogRetentionTest (lagging member) seed=" + seed + " portBase=" + portBase);
        startAll(portBase, SNAPSHOT_EVERY);
        try (ClusterClient client = new ClusterClient(602, ClusterNode.ingressEndpoints(HOSTS, portBase),
                temp.resolve("client").toFile(), (clientSequence, engineSequence, status) -> { },
                TimeUnit.SECONDS.toNanos(60))) {
            setup(client);
            flow(client, random, 300);
            int leader = client.leaderMemberId();
            int lagging = (leader + 1) % 3;
            int healthy = 3 - leader - lagging;
            members[lagging].close();
            members[lagging] = null;
            long stoppedAt = logRecording(temp.resolve("node-" + lagging)).stopPosition();
            LogRetention leaderRetention = members[leader].logRetention();
            flow(client, random, 2_500);
            await("the leader truncated past the stopped member's end", () ->
                    leaderRetention.logStartPosition() > stoppedAt, client);

            startMember(lagging, portBase, SNAPSHOT_EVERY);
            client.checkpoint(1);
            await("checkpoint 1 acknowledged", () -> client.pending() == 0, client);
            Checkpoints.await(temp.resolve("node-" + leader), 1);
            Checkpoints.await(temp.resolve("node-" + healthy), 1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            await("five seconds", () -> System.nanoTime() > until, client);
            assertTrue(Files.notExists(temp.resolve("node-" + lagging).resolve("checkpoint-1.txt")),
                    "a member behind the leader's truncated log does not catch up by itself");

            // The remedy: stop it and a current follower (the cluster pauses without a majority), copy the
            // follower's archive and recording log over the lagging member's, start both.
            members[lagging].close();
            members[lagging] = null;
            members[healthy].close();
            members[healthy] = null;
            Path from = temp.resolve("node-" + healthy);
            Path to = temp.resolve("node-" + lagging);
            for (String part : new String[] {"archive", "cluster"}) {
                replaceTree(from.resolve(part), to.resolve(part));
            }
            startMember(healthy, portBase, SNAPSHOT_EVERY);
            startMember(lagging, portBase, SNAPSHOT_EVERY);
            flow(client, random, 100);
            String line = checkpoint(client, 2);
            System.out.println("checkpoint 2, the lagging member restored from a copy: " + line.trim());
        }
    }

    /** Deletes {@code target} and copies {@code source} (a directory tree) in its place. */
    private static void replaceTree(Path source, Path target) throws IOException {
        try (Stream<Path> old = Files.walk(target)) {
            for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path copy = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
    }

    private static ArchiveRecording.Descriptor logRecording(Path member) {
        try (RecordingLog recordingLog = new RecordingLog(member.resolve("cluster").toFile(), false)) {
            ArchiveRecording.Descriptor log = ArchiveRecording.describe(archive(member),
                    recordingLog.findLastTermRecordingId());
            assertNotNull(log);
            return log;
        }
    }

    private static List<LogRetention.Snapshot> snapshots(Path member) {
        try (RecordingLog recordingLog = new RecordingLog(member.resolve("cluster").toFile(), false)) {
            return LogRetention.snapshots(recordingLog.entries());
        }
    }

    private static void setup(ClusterClient client) throws InterruptedException {
        TestVenue.list(client::send);
        Command c = new Command();
        for (long account = 1; account <= 8; account++) {
            client.send(c.reset().deposit(account, 0, 1_000_000_000_000L));
        }
        await("the setup acknowledged", () -> client.pending() == 0, client);
    }

    private static void flow(ClusterClient client, SplittableRandom random, int count) throws InterruptedException {
        Command c = new Command();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < count; i++) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = 500_000 + (side == Side.BUY ? -1 : 1) * random.nextInt(0, 50) - (side == Side.BUY ? 0 : 20);
            c.reset();
            if (random.nextInt(10) < 2) {
                client.send(c.cancel(1 + random.nextInt(8), 1, 1 + random.nextLong(5_000)));
            } else {
                client.send(c.limit(1 + random.nextInt(8), 1, 0, side, price, 1 + random.nextInt(20), TimeInForce.GTC));
            }
            while (client.pending() > 64) {
                assertTrue(System.nanoTime() < deadline, "the flow stalled");
                client.poll();
            }
        }
        await("the flow acknowledged", () -> client.pending() == 0, client);
    }

    private String checkpoint(ClusterClient client, long id) throws Exception {
        client.checkpoint(id);
        await("checkpoint " + id + " acknowledged", () -> client.pending() == 0, client);
        String line = null;
        for (int member = 0; member < 3; member++) {
            String text = Checkpoints.await(temp.resolve("node-" + member), id);
            if (line == null) {
                line = text;
            }
            assertEquals(stateOf(line), stateOf(text), "member " + member + " at checkpoint " + id);
        }
        return line;
    }

    private void startAll(int portBase, long snapshotEveryCommands) {
        for (int id = 0; id < 3; id++) {
            startMember(id, portBase, snapshotEveryCommands);
        }
    }

    private void startMember(int id, int portBase, long snapshotEveryCommands) {
        members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("node-" + id), EngineConfig.defaults(),
                TimeUnit.MILLISECONDS.toNanos(100), snapshotEveryCommands, 0, RETAIN_ONE);
    }

    private void stopAll() {
        for (int id = 0; id < 3; id++) {
            members[id].close();
            members[id] = null;
        }
    }

    private static void await(String what, BooleanSupplier done, ClusterClient client) throws InterruptedException {
        await(() -> what, done, client);
    }

    /** As above, with the failure's message made when it fails (so that it can tell the state then). */
    private static void await(Supplier<String> what, BooleanSupplier done, ClusterClient client)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            if (client.poll() == 0) {
                Thread.sleep(1);
            }
        }
    }

    /** The archive directory of a member. */
    private static File archive(Path member) {
        return member.resolve("archive").toFile();
    }
}
