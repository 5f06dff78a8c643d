package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.journal.Sequencer;
import io.meridian.model.Command;

import java.util.Map;

/**
 * Where the engine thread's commands go and where its engine comes from: the node's own journal ({@link JournalLog}:
 * it sequences, journals and applies) or a cluster ({@link ClusterLog}: the members sequence and apply, and the node
 * keeps a replica of their engine). {@link EngineLoop} is the same over both: the gateways, the market data, the
 * history and the answers do not know which it is.
 *
 * <p>Engine thread only, except {@link #close}.
 */
interface CommandLog extends AutoCloseable {
    /** The engine the node reads (the journal's, or the replica of the cluster's). */
    Engine engine();

    /**
     * Sends a command on: stamped and journaled here, or to the cluster. {@code reply} runs on the engine thread when
     * the command has been applied and is durable (committed to the journal, or by the cluster's majority).
     */
    void submit(Command c, EngineLoop.Reply reply);

    /** The end of a batch: the journal commits and applies what was submitted; the cluster client polls. */
    void flush();

    /** Commands submitted and not yet applied. */
    int pending();

    /** Called when the engine thread has nothing to do for a while: a cluster client polls; a journal does nothing. */
    void idle();

    /** True when the log moves time on by itself (the cluster's ticks); else the node submits a tick a second. */
    boolean drivesTime();

    /** What /health shows of the log (snapshots and their replica; or the cluster, its leader and the lag). */
    Map<String, Object> status();

    /**
     * What the start found: the journal's recovery (a cluster gateway's own journal too), or null when the journal
     * began at this start.
     */
    Sequencer.StartReport startReport();

    /** What else the start has to tell the operator (a gateway's journal begun, or a gap in its history). */
    default java.util.List<String> startNotes() {
        return java.util.List.of();
    }

    @Override
    void close();
}
