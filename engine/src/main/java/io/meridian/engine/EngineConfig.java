package io.meridian.engine;

/**
 * Sizing of the engine. Capacities are preallocated so that a venue of the expected size never allocates on the
 * command path; limits turn overload into rejects instead of memory exhaustion.
 *
 * @param maxInstruments        instrument ids must be below this
 * @param expectedOrdersPerBook orders and levels preallocated per book
 * @param maxOpenOrdersPerBook  open orders per book above which new orders get {@code BOOK_FULL}
 */
public record EngineConfig(int maxInstruments, int expectedOrdersPerBook, int maxOpenOrdersPerBook) {

    public static EngineConfig defaults() {
        return new EngineConfig(4096, 4096, 10_000_000);
    }

    public EngineConfig {
        if (maxInstruments < 1 || expectedOrdersPerBook < 1 || maxOpenOrdersPerBook < 1) {
            throw new IllegalArgumentException("engine capacities must be positive");
        }
    }

    public EngineConfig withExpectedOrdersPerBook(int orders) {
        return new EngineConfig(maxInstruments, orders, maxOpenOrdersPerBook);
    }
}
