package io.meridian.benchmarks.jmh;

import io.meridian.benchmarks.BenchTarget;
import io.meridian.benchmarks.CommandStream;
import io.meridian.benchmarks.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Replays a generated workload through a {@link BenchTarget}: each invocation applies the whole stream of
 * {@value ReplayState#COMMANDS} commands to a target reset to the pre-filled state (cancel-all per account,
 * re-stamp, pre-fill; not timed), so the score is commands per second and, with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes per command. Subclasses choose the target.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public abstract class ReplayBenchmark {
    @Param({"single", "multi", "exchange-core"})
    public String workload;
    /** Whether the target starts the next command's look-ups before applying the current one (as the node does). */
    @Param({"true"})
    public boolean prefetch;

    private CommandStream commands;
    private BenchTarget target;

    /** The target under measurement, built once per trial. */
    protected abstract BenchTarget newTarget(Workload workload);

    @Setup(Level.Trial)
    public void build() {
        Workload replay = ReplayState.workload(workload);
        commands = replay.stream();
        target = ReplayState.warmed(newTarget(replay), replay);
        target.prefetch(prefetch);
    }

    @Setup(Level.Invocation)
    public void reset() {
        target.prepare();
    }

    @Benchmark
    @OperationsPerInvocation(ReplayState.COMMANDS)
    public long replay() {
        target.run(commands);
        return target.checksum();
    }
}
