package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.engine.SequencedCommands;
import io.meridian.journal.Sequencer;
import io.meridian.model.Command;
import io.meridian.node.access.MirrorFeed;

import java.util.Map;

/**
 * The node's own journal as its {@link CommandLog}: a command is stamped with the next sequence, journaled, and applied
 * at the batch's group commit; a new order without an id gets its sequence as its id, and a request by address names
 * the address's account before it is journaled ({@link SequencedCommands}, the rule the cluster follows too). Engine
 * thread only.
 */
final class JournalLog implements CommandLog {
    private final Sequencer sequencer;
    private final EngineCollector collector;
    private final MirrorFeed mirrorFeed;
    private final boolean snapshotReplica;

    JournalLog(Sequencer sequencer, EngineCollector collector, MirrorFeed mirrorFeed, boolean snapshotReplica) {
        this.sequencer = sequencer;
        this.collector = collector;
        this.mirrorFeed = mirrorFeed;
        this.snapshotReplica = snapshotReplica;
        sequencer.onApplied(collector);
    }

    Sequencer sequencer() {
        return sequencer;
    }

    @Override
    public Engine engine() {
        return sequencer.engine();
    }

    @Override
    public void submit(Command c, EngineLoop.Reply reply) {
        // Before it is journaled, so that the journal and the gateway's mirror see the account and order id the
        // engine will use.
        long sequence = sequencer.writer().nextSequence();
        SequencedCommands.prepare(sequencer.engine(), c, sequence);
        collector.expect(sequence, reply);
        mirrorFeed.submitted(sequence, c);
        sequencer.submit(c);
    }

    @Override
    public void flush() {
        sequencer.flush();
    }

    @Override
    public int pending() {
        return sequencer.pending();
    }

    @Override
    public void idle() {
    }

    @Override
    public boolean drivesTime() {
        return false;
    }

    @Override
    public Map<String, Object> status() {
        return EngineHealth.status(sequencer, snapshotReplica);
    }

    @Override
    public Sequencer.StartReport startReport() {
        return sequencer.startReport();
    }

    @Override
    public void close() {
        sequencer.close();
    }
}
