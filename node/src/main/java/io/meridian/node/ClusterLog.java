package io.meridian.node;

import io.meridian.cluster.ClusterProtocol;
import io.meridian.cluster.CommandFeed;
import io.meridian.cluster.ClusterReplica;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.journal.Sequencer;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.node.access.MirrorFeed;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A cluster as the node's {@link CommandLog}: the node is a gateway with no journal. Commands go to the members
 * through a {@link ClusterReplica} (exactly once across leader changes); the node's engine is the replica's, which
 * applies every command the cluster applies, from every gateway, with the members' sequence and time, and fires the
 * same events: the market data, the account streams and the history come from it as on a single node. A command's
 * reply runs when the replica applies it, after the cluster committed it.
 *
 * <p>The replica starts from a snapshot of the leader's engine (the constructor waits for it). If it ever has to start
 * over from a snapshot later (it fell further behind than the cluster keeps), what the node derived from the events
 * in between (history, book streams) would be wrong: it fails instead, as a journal write failure does, and the node is
 * to be restarted (docs/operations.md).
 *
 * <p>Engine thread only (the constructor excepted, before the engine thread starts).
 */
final class ClusterLog implements CommandLog, ClusterReplica.Listener {
    /** How long a new gateway waits for the cluster's snapshot. */
    static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Stands for a command whose sender waits for no reply (the bootstrap's), so it still counts as pending. */
    private static final EngineLoop.Reply NO_REPLY = result -> { };

    private final ClusterTarget target;
    private final MirrorFeed mirrorFeed;
    private final ClusterReplica replica;
    private final ClusterMemberProbe memberProbe;
    /** Commands sent and not yet applied (or refused by the cluster), by client sequence, with their replies. */
    private final Long2ObjectHashMap<EngineLoop.Reply> inFlight = new Long2ObjectHashMap<>();
    private boolean started;
    private long highestAcknowledgedSequence;
    private long feedRefusals;

    /**
     * Connects to the cluster with a client media driver under {@code directory}, and waits until the replica has the
     * cluster's engine. The engine's events go to {@code events}.
     *
     * @throws IllegalStateException when no snapshot came within {@link #START_TIMEOUT_NANOS}
     */
    ClusterLog(ClusterTarget target, File directory, EngineEvents events, MirrorFeed mirrorFeed) {
        this.target = target;
        this.mirrorFeed = mirrorFeed;
        this.replica = new ClusterReplica(target.clientId(), target.ingressEndpoints(), directory, events, this,
                START_TIMEOUT_NANOS);
        try {
            pollUntil(replica::isReady, START_TIMEOUT_NANOS, () -> "no snapshot from the cluster at "
                    + target.ingressEndpoints() + " within " + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NANOS) + " s"
                    + (feedRefusals > 0 ? " (the leader refused this gateway's feed subscription " + feedRefusals
                    + " time(s): it serves as many gateways as it may, " + CommandFeed.MAX_SUBSCRIBERS + ")" : ""));
        } catch (IllegalStateException e) {
            replica.close();
            throw e;
        }
        memberProbe = new ClusterMemberProbe(target);
        started = true;
    }

    @Override
    public Engine engine() {
        return replica.engine();
    }

    @Override
    public void submit(Command c, EngineLoop.Reply reply) {
        inFlight.put(replica.send(c), reply == null ? NO_REPLY : reply);
    }

    @Override
    public void flush() {
        poll();
    }

    @Override
    public void idle() {
        poll();
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
            if (replica.poll() == 0) {
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
        status.put("unacknowledged", replica.client().pending());
        status.put("timeoutResends", replica.client().timeoutResends());
        status.put("resubscriptions", replica.gaps());
        status.put("receivingSnapshotBytes", replica.receivingSnapshotBytes());
        status.put("abandonedSnapshots", replica.abandonedSnapshots());
        status.put("feedRefusals", feedRefusals);
        status.put("memberStates", memberProbe.members());
        return java.util.Collections.unmodifiableMap(status);
    }

    @Override
    public Sequencer.StartReport startReport() {
        return null;
    }

    @Override
    public void close() {
        memberProbe.close();
        replica.close();
    }

    // ------------------------------------------------------------------------------------------------ the replica

    @Override
    public void onReset(Engine engine) {
        if (started) {
            throw new IllegalStateException("the gateway's replica fell behind what the cluster keeps and was reset "
                    + "to a snapshot at sequence " + engine.lastSequence() + ": restart the gateway");
        }
    }

    @Override
    public void beforeApply(Command command) {
        mirrorFeed.submitted(command.sequence, command);
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
