package io.meridian.engine.audit;

import io.meridian.engine.audit.ShadowAudit.Invariant;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * What {@link ShadowAudit} found: violations as {@code "<invariant>: <detail>"} since the last check (at most
 * {@value #MAX_KEPT} kept between two checks), and since the audit began the count and first violation per invariant
 * and the number of checks.
 *
 * <p>Engine thread only, like the audit.
 */
final class AuditReport {
    private static final int MAX_KEPT = 50;

    private final List<String> found = new ArrayList<>();
    private final EnumMap<Invariant, Long> counts = new EnumMap<>(Invariant.class);
    private final EnumMap<Invariant, String> first = new EnumMap<>(Invariant.class);
    private long checks;

    void violation(Invariant invariant, String detail) {
        String text = invariant.label() + ": " + detail;
        counts.merge(invariant, 1L, Long::sum);
        first.putIfAbsent(invariant, text);
        if (found.size() < MAX_KEPT) {
            found.add(text);
        }
    }

    /** Counts a check as it begins. */
    void startCheck() {
        checks++;
    }

    /** Hands over the violations found since the last call. */
    List<String> drain() {
        List<String> out = List.copyOf(found);
        found.clear();
        return out;
    }

    long violations(Invariant invariant) {
        return counts.getOrDefault(invariant, 0L);
    }

    String firstViolation(Invariant invariant) {
        return first.get(invariant);
    }

    boolean holds() {
        return counts.isEmpty();
    }

    List<Invariant> violated() {
        return List.copyOf(counts.keySet());
    }

    long checks() {
        return checks;
    }
}
