package io.meridian.node;

import io.meridian.cluster.ClusterProtocol;
import io.meridian.cluster.CommandFeed;
import io.meridian.cluster.ClusterReplica;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.journal.Sequencer;
import io.meridian.journal.SnapshotPolicy;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.node.access.MirrorFeed;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A cluster as the node's {@link CommandLog}: the node is a gateway. Commands go to the members through a
 * {@link ClusterReplica} (exactly once across leader changes); the node's engine is the replica's, which applies every
 * command the cluster applies, from every gateway, with the members' sequence and time, and fires the same events: the
 * market data, the account streams and the history come from it as on a single node. A command's reply runs when the
 * replica applies it, after the cluster committed it.
 *
 * <p><b>Its journal.</b> The gateway journals what the replica applies ({@link GatewayJournal}, under the data
 * directory), so a restart rebuilds the engine and the history by replaying it as a node does, and the replica goes on
 * from its end. The constructor waits until the replica has caught up with the cluster: from the journal's end when
 * the cluster still holds what follows (its ring of recent commands), else from a snapshot of the leader's engine
 * (always on a first start); a snapshot after a journal is a gap in the history, which the journal records and
 * /health shows.
 *
 * <p>If the replica has to start over from a snapshot later (it fell further behind than the cluster keeps), what the
 * node derived from the events in between (history, book streams) would be wrong: it fails instead, as a journal write
 * failure does, and the node is to be restarted (docs/operations.md); the restart continues from the journal.
 *
 * <p><b>Bounded.</b> At most {@code maxInFlight} of the gateway's commands wait for the cluster (the client's
 * unacknowledged messages are these, and at most one subscription): beyond that a request is refused at once with
 * {@link RejectReason#CLUSTER_BACKLOG}, never sent.
 *
 * <p>Engine thread only (the constructor excepted, before the engine thread starts).
 */
final class ClusterLog implements CommandLog, ClusterReplica.Listener {
    /** How long a gateway's start waits for the cluster to bring its replica up to date. */
    static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Stands for a command whose sender waits for no reply (the bootstrap's), so it still counts as pending. */
    private static final EngineLoop.Reply NO_REPLY = result -> { };
    /** The answer to a command refused because too many wait for the cluster: nothing was sent or applied. */
    private static final EngineLoop.Result BACKLOG = new EngineLoop.Result(0, 0, RejectReason.CLUSTER_BACKLOG, 0, 0,
            false);

    private final ClusterTarget target;
    private final MirrorFeed mirrorFeed;
    private final GatewayJournal journal;
    private final ClusterReplica replica;
    private final int maxInFlight;
    private final ClusterMemberProbe memberProbe;
    /** Commands sent and not yet applied (or refused by the cluster), by client sequence, with their replies. */
    private final Long2ObjectHashMap<EngineLoop.Reply> inFlight = new Long2ObjectHashMap<>();
    private final List<String> startNotes = new ArrayList<>();
    private boolean started;
    private long highestAcknowledgedSequence;
    private long refused;
    private long feedRefusals;

    /**
     * Recovers the gateway's journal in {@code dataDirectory} (its events, the history's rebuild, to {@code events}),
     * connects to the cluster with a client media driver under it, and waits until the replica has caught up.
     *
     * @throws IllegalStateException when the journal cannot be recovered or continued, or the cluster did not bring
     *                               the replica up to date within {@link #START_TIMEOUT_NANOS}
     */
    ClusterLog(ClusterTarget target, Path dataDirectory, SnapshotPolicy snapshots, int maxInFlight, EngineEvents events,
               MirrorFeed mirrorFeed, LongSupplier clock) {
        this.target = target;
        this.mirrorFeed = mirrorFeed;
        this.maxInFlight = maxInFlight;
        this.journal = GatewayJournal.open(dataDirectory.resolve(GatewayJournal.DIRECTORY), snapshots, events, clock);
        long journalEnd = journal.engine() == null ? -1 : journal.engine().lastSequence();
        try {
            this.replica = new ClusterReplica(target.clientId(), target.ingressEndpoints(),
                    dataDirectory.resolve("cluster-client").toFile(), events, this, START_TIMEOUT_NANOS,
                    journal.engine());
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        try {
            pollUntil(replica::caughtUp, START_TIMEOUT_NANOS, () -> "the cluster at " + target.ingressEndpoints()
                    + " did not bring this gateway up to date within "
                    + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NANOS) + " s (" + (replica.isReady()
                    ? "at sequence " + replica.lastSequence() : journalEnd < 0 ? "no snapshot came"
                    : "nothing came after its journal's sequence " + journalEnd) + ")"
                    + (feedRefusals > 0 ? "; the leader refused this gateway's feed subscription " + feedRefusals
                    + " time(s): it serves as many gateways as it may, " + CommandFeed.MAX_SUBSCRIBERS : ""));
        } catch (RuntimeException e) {
            replica.close();
            journal.close();
            throw e;
        }
        memberProbe = new ClusterMemberProbe(target);
        started = true;
    }

    @Override
    public Engine engine() {
        return replica.engine();
    }

    /**
     * Sends the command, or refuses it at once ({@link RejectReason#CLUSTER_BACKLOG}, unsent) when {@code maxInFlight}
     * commands already wait for the cluster. The bootstrap's commands ({@code reply} null), a fixed few that the start
     * waits for, are not bounded.
     */
    @Override
    public void submit(Command c, EngineLoop.Reply reply) {
        if (reply != null && inFlight.size() >= maxInFlight) {
            refused++;
            reply.complete(BACKLOG);
            return;
        }
        inFlight.put(replica.send(c), reply == null ? NO_REPLY : reply);
    }

    @Override
    public void flush() {
        poll();
        journal.flush();
    }

    @Override
    public void idle() {
        flush();
    }

    /** Polls until a poll finds nothing, at most a bounded number of times (the ring's requests wait meanwhile). */
    private void poll() {
        for (int i = 0; i < 64 && replica.poll() > 0; i++) {
            // keep draining what has arrived
        }
    }

    /**
     * Waits (engine thread, or before it starts) until every command sent has been applied: the bootstrap's commands
     * must be in the engine before the node checks them.
     */
    void awaitApplied(long timeoutNanos) {
        pollUntil(inFlight::isEmpty, timeoutNanos, () -> inFlight.size() + " commands not applied by the cluster in time");
    }

    /** Polls the replica until {@code done}, or fails with {@code why} after {@code timeoutNanos}. */
    private void pollUntil(BooleanSupplier done, long timeoutNanos, Supplier<String> why) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(why.get());
            }
            int work = replica.poll();
            journal.flush();
            if (work == 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public int pending() {
        return inFlight.size();
    }

    @Override
    public boolean drivesTime() {
        return true;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", "cluster");
        status.put("members", target.ingressEndpoints());
        status.put("leader", replica.client().leaderMemberId());
        status.put("leaderChanges", replica.client().leaderChanges());
        status.put("reconnects", replica.client().reconnects());
        status.put("appliedSequence", replica.lastSequence());
        // The replica's lag behind what the cluster last told this gateway it had applied (an acknowledgement's).
        status.put("lag", Math.max(0, highestAcknowledgedSequence - replica.lastSequence()));
        status.put("inFlight", inFlight.size());
        status.put("maxInFlight", maxInFlight);
        // Requests refused unsent because maxInFlight commands were waiting (CLUSTER_BACKLOG).
        status.put("refused", refused);
        status.put("unacknowledged", replica.client().pending());
        status.put("timeoutResends", replica.client().timeoutResends());
        status.put("resubscriptions", replica.gaps());
        status.put("receivingSnapshotBytes", replica.receivingSnapshotBytes());
        status.put("abandonedSnapshots", replica.abandonedSnapshots());
        status.put("journal", journal.status());
        status.put("feedRefusals", feedRefusals);
        status.put("memberStates", memberProbe.members());
        return java.util.Collections.unmodifiableMap(status);
    }

    /** What the gateway's journal recovery found; null when the journal began at this start. */
    @Override
    public Sequencer.StartReport startReport() {
        return journal.startReport();
    }

    @Override
    public List<String> startNotes() {
        return List.copyOf(startNotes);
    }

    @Override
    public void close() {
        try {
            memberProbe.close();
            replica.close();
        } finally {
            journal.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the replica

    /**
     * At the start, the cluster's snapshot begins the journal (a first start, or a gap after the journal: recorded and
     * reported); once started, a reset is a failure: what the node derived from the events in between is lost.
     */
    @Override
    public void onReset(Engine engine) {
        if (started) {
            throw new IllegalStateException("the gateway's replica fell behind what the cluster keeps and was reset "
                    + "to a snapshot at sequence " + engine.lastSequence() + ": restart the gateway (it continues from"
                    + " its journal, and shows the commands it could not get as a gap in its history)");
        }
        GatewayJournal.Gap gap = journal.begin(engine);
        startNotes.add(gap == null ? "journal begun at the cluster's snapshot at sequence " + engine.lastSequence()
                : "history gap: " + gap);
    }

    /**
     * The command goes into the journal, and once started into the authorisation mirror, before the engine applies it
     * (what the start applies reaches the mirror as a node's replay does: the mirror is loaded from the engine after).
     */
    @Override
    public void beforeApply(Command command) {
        journal.record(command);
        if (started) {
            mirrorFeed.submitted(command.sequence, command);
        }
    }

    @Override
    public void onApplied(Command command, CommandOutcome outcome, long ownSequence) {
        if (ownSequence != 0) {
            EngineLoop.Reply reply = inFlight.remove(ownSequence);
            if (reply != null) {
                reply.complete(EngineLoop.Result.of(outcome));
            }
        }
    }

    @Override
    public void onAck(long clientSequence, long engineSequence, int status) {
        highestAcknowledgedSequence = Math.max(highestAcknowledgedSequence, engineSequence);
        if (status == ClusterProtocol.STATUS_FEED_FULL) {
            // The replica subscribes again when it hears nothing; the start's timeout message says why.
            feedRefusals++;
            return;
        }
        if (status == ClusterProtocol.STATUS_MALFORMED) {
            // The cluster could not decode it: nothing was applied, and nothing will be.
            EngineLoop.Reply reply = inFlight.remove(clientSequence);
            if (reply != null) {
                reply.complete(new EngineLoop.Result(0, 0, RejectReason.UNKNOWN_COMMAND, 0, 0, false));
            }
        }
    }
}
