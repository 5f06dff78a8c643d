package io.meridian.benchmarks.jmh;

import io.meridian.benchmarks.BenchTarget;
import io.meridian.benchmarks.EngineTarget;
import io.meridian.benchmarks.Workload;

/** The whole engine ({@code Engine.apply} with a counting listener) replaying a generated workload. */
public class EngineBenchmark extends ReplayBenchmark {
    @Override
    protected BenchTarget newTarget(Workload workload) {
        return new EngineTarget(workload);
    }
}
