package io.meridian.benchmarks.jmh;

import io.meridian.benchmarks.BenchTarget;
import io.meridian.benchmarks.PeerShapeGenerator;
import io.meridian.benchmarks.Workload;
import io.meridian.benchmarks.WorkloadGenerator;

/** Builds the workloads the JMH benchmarks replay: {@value #COMMANDS} commands after the pre-fill, seed 1. */
final class ReplayState {
    /** Commands per benchmark invocation; also the {@code @OperationsPerInvocation} of the replay methods. */
    static final int COMMANDS = 1_000_000;
    static final long SEED = 1;

    private ReplayState() {
    }

    static Workload workload(String shape) {
        switch (shape) {
            case "single":
                return WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(SEED, COMMANDS));
            case "multi":
                return WorkloadGenerator.generate(WorkloadGenerator.Config.multiInstrument(SEED, COMMANDS));
            case "exchange-core":
                return PeerShapeGenerator.generate(SEED, COMMANDS);
            default:
                throw new IllegalArgumentException("unknown workload " + shape + " (single, multi or exchange-core)");
        }
    }

    /**
     * Prepares the target and replays the stream once, so that capacities have grown and the reset path of
     * {@link BenchTarget#prepare} is what every measured invocation goes through.
     */
    static <T extends BenchTarget> T warmed(T target, Workload workload) {
        target.prepare();
        target.run(workload.stream());
        return target;
    }
}
