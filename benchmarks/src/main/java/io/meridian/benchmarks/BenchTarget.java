package io.meridian.benchmarks;

import io.meridian.model.Command;
import org.HdrHistogram.Histogram;

/**
 * What a benchmark feeds: the matching module alone ({@link MatchingTarget}) or the whole engine
 * ({@link EngineTarget}). Built for one {@link Workload}; single-threaded.
 */
public interface BenchTarget {

    /** Short name for output: "matching" or "engine". */
    String name();

    /** What exactly is measured, one line. */
    String describe();

    /**
     * Brings the target to the workload's starting point (not timed): the first time, books with the pre-fill
     * orders; afterwards, cancels every open order, then applies the pre-fill again. Allocation-free once the
     * target has seen the workload once.
     */
    void prepare();

    /**
     * Whether {@link #run} starts the next commands' look-ups before applying the current one when the books hold
     * enough orders for it to pay (on by default, as the node's sequencer does: {@code Engine.prefetch},
     * {@code Engine.prefetchPays}); off to measure without it. The latency loop ({@link #runRecorded}) never does: it
     * times each command alone.
     */
    void prefetch(boolean on);

    /** Applies every command of the stream in order. The loop a throughput run times. */
    void run(CommandStream commands);

    /** Applies every command of the stream in order, recording the nanoseconds each one takes. */
    void runRecorded(CommandStream commands, Histogram histogram);

    /** Applies these commands in order, as a stream (encoding them first: for tests and one-off runs). */
    default void run(Command[] commands) {
        run(CommandStream.of(commands));
    }

    /** A value that depends on everything the last run did, to keep it observable. */
    long checksum();

    /** One line about what the last run did (trades, open orders, events), for the summary. */
    String lastRunStats();
}
