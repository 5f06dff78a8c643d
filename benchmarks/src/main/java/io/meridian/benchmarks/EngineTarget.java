package io.meridian.benchmarks;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import org.HdrHistogram.Histogram;

/**
 * The whole engine: {@link Engine#apply} with a listener that does minimal real work per event
 * ({@link CountingEvents}). Measures envelope checks, dispatch, matching and event delivery.
 */
public final class EngineTarget implements BenchTarget {
    private final Workload workload;
    private final EngineConfig config;
    private final CountingEvents events;
    private final Engine engine;
    private final long[] accounts;
    private final Command resetCommand = new Command();
    private boolean prepared;
    private boolean prefetch = true;

    public EngineTarget(Workload workload) {
        this(workload, EngineConfig.defaults());
    }

    /** With the engine's capacities from {@code config} (such as {@code expectedOrdersPerBook}). */
    public EngineTarget(Workload workload, EngineConfig config) {
        this.workload = workload;
        this.config = config;
        this.events = new CountingEvents(config.maxInstruments());
        this.engine = new Engine(events, config);
        this.accounts = workload.accounts();
        for (Command c : workload.setup()) {
            RejectReason reject = engine.apply(c).reject();
            if (reject != null) {
                throw new IllegalStateException("the engine rejected the workload's setup: " + reject);
            }
        }
    }

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public String describe() {
        return "whole engine (Engine.apply, listener counting events and tracking L2/L3 sequences)";
    }

    @Override
    public void prepare() {
        if (prepared) {
            for (long account : accounts) {
                Command c = resetCommand.reset();
                c.type = CommandType.CANCEL_ALL;
                c.account = account;
                c.instrument = Command.ALL_INSTRUMENTS;
                c.sequence = engine.lastSequence() + 1;
                c.timestamp = engine.lastTimestamp();
                engine.apply(c);
            }
        }
        prepared = true;
        if (workload.firstSequence() != engine.lastSequence() + 1) {
            workload.stamp(engine.lastSequence() + 1, engine.lastTimestamp() + Workload.TIMESTAMP_STEP);
        }
        run(workload.prefillStream());
        events.clear();
    }

    @Override
    public void prefetch(boolean on) {
        prefetch = on;
    }

    /**
     * As the node's sequencer applies a batch: when the books hold enough orders, the next commands' look-ups are
     * started before the current one runs, one step each ({@code Engine.prefetch}).
     */
    @Override
    public void run(CommandStream commands) {
        Engine e = engine;
        boolean ahead = prefetch && e.prefetchPays();
        for (int i = 0, n = commands.size(); i < n; i++) {
            if (ahead) {
                for (int step = Engine.PREFETCH_STEPS; step >= 1; step--) {
                    if (i + step < n) {
                        e.prefetch(commands.instrumentAt(i + step), commands.orderIdAt(i + step), step);
                    }
                }
            }
            e.apply(commands.get(i));
        }
    }

    /**
     * Times each command alone, without prefetching the next: the clock read around a command waits for the reads in
     * flight, so no overlap could happen here and the next command's misses would be charged to this one.
     */
    @Override
    public void runRecorded(CommandStream commands, Histogram histogram) {
        Engine e = engine;
        for (int i = 0, n = commands.size(); i < n; i++) {
            long start = System.nanoTime();
            e.apply(commands.get(i));
            histogram.recordValue(System.nanoTime() - start);
        }
    }

    @Override
    public long checksum() {
        return events.checksum + events.events;
    }

    @Override
    public String lastRunStats() {
        long l2 = 0;
        for (int i = 0; i < workload.instrumentCount(); i++) {
            l2 = Math.max(l2, events.lastL2Sequence[i]);
        }
        return events.completed + " commands completed, " + events.events + " events (" + events.accepted
                + " accepted, " + events.fills + " fills, " + events.trades + " trades, " + events.amended
                + " amended, " + events.canceled + " canceled, " + events.rejected + " rejected"
                + (events.lastReject == null ? "" : ", last reject " + events.lastReject) + "), highest L2 sequence "
                + l2;
    }

    /** Commands the engine rejected since the last {@link #prepare}. */
    long rejected() {
        return events.rejected;
    }

    Engine engine() {
        return engine;
    }
}
