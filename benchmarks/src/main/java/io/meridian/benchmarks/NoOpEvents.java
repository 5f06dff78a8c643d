package io.meridian.benchmarks;

import io.meridian.model.EngineEvents;

/** Ignores every event: the listener of the matching-only benchmark, which measures the books alone. */
final class NoOpEvents implements EngineEvents {
}
