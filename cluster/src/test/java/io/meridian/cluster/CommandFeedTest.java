package io.meridian.cluster;

import io.aeron.DirectBufferVector;
import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import io.aeron.logbuffer.BufferClaim;
import io.meridian.engine.Engine;
import io.meridian.journal.CommandCodec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed's rules without a cluster: a subscriber up to date gets each command as it is applied; one that asks for
 * commands the ring holds is served from it; one that asks for older ones, or for -1, gets a snapshot and then what
 * follows; a back-pressured one is left behind and caught up later, in order; the ring drops its oldest commands when
 * full; a follower sends no snapshot.
 */
class CommandFeedTest {
    private final CommandCodec codec = new CommandCodec();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(256);
    private final Engine engine = new Engine(new EngineEvents() { });

    /** A session that records what is offered to it, or pushes back while {@link #full}. */
    private static final class Session implements ClientSession {
        final long id;
        final List<Long> sequences = new ArrayList<>();
        final List<Long> snapshots = new ArrayList<>();
        boolean full;

        Session(long id) {
            this.id = id;
        }

        @Override
        public long offer(DirectBuffer buffer, int offset, int length) {
            if (full) {
                return Publication.BACK_PRESSURED;
            }
            byte kind = buffer.getByte(offset);
            if (kind == ClusterProtocol.APPLIED) {
                sequences.add(buffer.getLong(offset + ClusterProtocol.APPLIED_SEQUENCE_OFFSET, ClusterProtocol.ORDER));
            } else if (kind == ClusterProtocol.SNAPSHOT_CHUNK
                    && buffer.getInt(offset + ClusterProtocol.SNAPSHOT_CHUNK_OFFSET, ClusterProtocol.ORDER) == 0) {
                snapshots.add(buffer.getLong(offset + ClusterProtocol.SNAPSHOT_SEQUENCE_OFFSET, ClusterProtocol.ORDER));
            }
            return 1;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int responseStreamId() {
            return 0;
        }

        @Override
        public String responseChannel() {
            return "";
        }

        @Override
        public byte[] encodedPrincipal() {
            return new byte[0];
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public long offer(DirectBufferVector[] vectors) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long tryClaim(int length, BufferClaim claim) {
            throw new UnsupportedOperationException();
        }
    }

    /** Applies a tick to the engine and hands it to the feed, as the service does. */
    private void apply(CommandFeed feed) {
        Command tick = new Command().reset();
        tick.type = CommandType.TIME_TICK;
        tick.sequence = engine.lastSequence() + 1;
        tick.timestamp = tick.sequence * 1_000;
        engine.apply(tick);
        int length = codec.encode(tick, payload, 0, payload.capacity());
        feed.onApplied(tick.sequence, tick.timestamp, 0, 0, payload, 0, length);
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            list.add(s);
        }
        return list;
    }

    @Test
    void subscribersThatNeedASnapshotAtOnceShareOneAndTheSubscribersAreBounded() {
        CommandFeed feed = new CommandFeed(64 * 1024, 0);
        for (int i = 0; i < 5; i++) {
            apply(feed);
        }
        List<Session> sessions = new ArrayList<>();
        for (long id = 1; id <= CommandFeed.MAX_SUBSCRIBERS; id++) {
            Session session = new Session(id);
            sessions.add(session);
            assertTrue(feed.subscribe(session, -1), "subscriber " + id);
        }
        Session extra = new Session(1_000);
        assertTrue(!feed.subscribe(extra, -1), "one subscriber over the bound is refused");
        assertTrue(feed.subscribe(sessions.get(0), -1), "a subscriber may subscribe again");
        feed.doWork(engine, true);
        assertEquals(1, feed.snapshotsMade(), "one snapshot for every subscriber that needed one");
        assertEquals(CommandFeed.MAX_SUBSCRIBERS, feed.snapshotsSent());
        for (Session session : sessions) {
            assertEquals(List.of(5L), session.snapshots, "session " + session.id);
        }
        // The engine moves on: a subscriber that needs a snapshot now gets a new one, at the new sequence.
        apply(feed);
        feed.unsubscribe(2);
        assertTrue(feed.subscribe(extra, -1), "room once a subscriber left");
        feed.doWork(engine, true);
        assertEquals(2, feed.snapshotsMade());
        assertEquals(List.of(6L), extra.snapshots);
        assertEquals(List.of(6L), sessions.get(0).sequences, "an up-to-date subscriber got the command itself");
    }

    @Test
    void subscribersGetEveryCommandInOrderFromTheRingOrASnapshot() {
        CommandFeed feed = new CommandFeed(64 * 1024, 0);
        for (int i = 0; i < 10; i++) {
            apply(feed);
        }
        // Commands the ring holds: served from it, then live.
        Session fromRing = new Session(1);
        feed.subscribe(fromRing, 4);
        feed.doWork(engine, true);
        apply(feed);
        assertEquals(range(5, 11), fromRing.sequences);
        assertTrue(fromRing.snapshots.isEmpty());

        // Nothing yet: a snapshot at the engine's sequence, then what follows.
        Session fresh = new Session(2);
        feed.subscribe(fresh, -1);
        feed.doWork(engine, true);
        apply(feed);
        assertEquals(List.of(11L), fresh.snapshots);
        assertEquals(List.of(12L), fresh.sequences);

        // Back-pressured: left behind, never waited for, then caught up in order.
        fromRing.full = true;
        apply(feed);
        apply(feed);
        feed.doWork(engine, true);
        fromRing.full = false;
        apply(feed);
        assertEquals(range(5, 12), fromRing.sequences, "nothing sent past the gap");
        feed.doWork(engine, true);
        assertEquals(range(5, 15), fromRing.sequences);
        assertEquals(range(12, 15), fresh.sequences);

        // Unsubscribed: nothing more.
        feed.unsubscribe(2);
        apply(feed);
        assertEquals(range(12, 15), fresh.sequences);
        assertEquals(1, feed.subscriberCount());
    }

    /** The ring against a naive list: messages of random lengths, found again by position while held, in order. */
    @Test
    void theRingHoldsTheNewestMessagesInOrder() {
        long seed = System.nanoTime();
        System.out.println("CommandFeedTest ring seed=" + seed);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        FeedRing ring = new FeedRing(4096);
        List<long[]> held = new ArrayList<>();
        org.agrona.concurrent.UnsafeBuffer source = new org.agrona.concurrent.UnsafeBuffer(new byte[4096]);
        List<Long> dropped = new ArrayList<>();
        for (long n = 1; n <= 20_000; n++) {
            int length = 8 + random.nextInt(random.nextInt(10) == 0 ? 1500 : 60);
            source.putLong(0, n);
            long position = ring.append(source, 0, length, (b, o, l) -> dropped.add(b.getLong(o)));
            held.add(new long[] {n, position});
            while (!held.isEmpty() && !dropped.isEmpty() && held.get(0)[0] == dropped.get(0)) {
                held.remove(0);
                dropped.remove(0);
            }
            assertTrue(dropped.isEmpty(), "dropped oldest first");
            assertEquals(held.size(), ring.size());
            long[] pick = held.get(random.nextInt(held.size()));
            assertTrue(ring.holds(pick[1]));
            List<Long> seen = new ArrayList<>();
            ring.forEach(pick[1], (b, o, l) -> seen.add(b.getLong(o)), Integer.MAX_VALUE);
            assertEquals(range(pick[0], n), seen, "from " + pick[0] + " at " + n);
        }
    }

    @Test
    void theRingDropsItsOldestAndOlderRequestsGetASnapshot() {
        CommandFeed feed = new CommandFeed(64 * 1024, 0);
        for (int i = 0; i < 5_000; i++) {
            apply(feed);
        }
        assertTrue(feed.droppedFromRing() > 0 && feed.oldestSequence() > 1, "the ring is bounded");
        // Within what the ring holds after it wrapped: served from the subscriber's own position, in order.
        Session within = new Session(3);
        long from = feed.oldestSequence() + 5;
        feed.subscribe(within, from - 1);
        feed.doWork(engine, true);
        assertEquals(range(from, 5_000), within.sequences);
        assertTrue(within.snapshots.isEmpty());
        feed.unsubscribe(3);
        Session behind = new Session(1);
        feed.subscribe(behind, feed.oldestSequence() - 2);
        feed.doWork(engine, true);
        assertEquals(List.of(5_000L), behind.snapshots);
        apply(feed);
        assertEquals(List.of(5_001L), behind.sequences);

        // A subscriber that falls off the ring while back-pressured starts over from a snapshot.
        behind.full = true;
        for (int i = 0; i < 5_000; i++) {
            apply(feed);
        }
        behind.full = false;
        feed.doWork(engine, true);
        feed.doWork(engine, true);
        assertEquals(List.of(5_000L, 10_001L), behind.snapshots);

        // A follower sends no snapshot (its egress reaches nobody) and treats the subscriber as up to date.
        Session onFollower = new Session(2);
        feed.subscribe(onFollower, -1);
        feed.doWork(engine, false);
        apply(feed);
        assertTrue(onFollower.snapshots.isEmpty());
        assertEquals(List.of(10_002L), onFollower.sequences);
    }
}
