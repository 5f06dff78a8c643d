package io.meridian.benchmarks.jmh;

import io.meridian.benchmarks.BenchTarget;
import io.meridian.benchmarks.MatchingTarget;
import io.meridian.benchmarks.Workload;

/** The matching module alone ({@code OrderBook} with a no-op listener) replaying a generated workload. */
public class MatchingBenchmark extends ReplayBenchmark {
    @Override
    protected BenchTarget newTarget(Workload workload) {
        return new MatchingTarget(workload);
    }
}
