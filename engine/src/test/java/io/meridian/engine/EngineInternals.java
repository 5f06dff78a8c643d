package io.meridian.engine;

import io.meridian.ledger.Ledger;

/**
 * The engine's own mutable parts, for tests in other packages that must change what no command can (the audit's
 * tests post into the ledger to prove each invariant catches money moved without a cause). Queries get read-only
 * views from {@link Engine#view()}; nothing outside the engine's tests reaches these.
 */
public final class EngineInternals {
    private EngineInternals() {
    }

    /** The engine's ledger, which can post. Engine thread, between commands. */
    public static Ledger ledger(Engine engine) {
        return engine.view().ledgerForTests();
    }
}
