package io.meridian.node;

import io.meridian.model.EngineEvents;
import io.meridian.model.event.FanOutEvents;

import java.util.Arrays;

/**
 * Attaches and detaches the listeners of the engine's order events (the FIX and the binary gateways' reports:
 * {@link EngineLoop#orderEvents}), delivered in the order they attached by a {@link FanOutEvents}. Immutable: attaching
 * or detaching makes a new fan-out on the engine thread. The listeners are the gateways' own report objects, never a
 * fan-out themselves (one would be taken apart by the next attach).
 */
final class OrderEventsTee {
    private OrderEventsTee() {
    }

    /** What to hand the events to after {@code listener} attached to (or detached from) {@code current}. */
    static EngineEvents with(EngineEvents current, EngineEvents listener, boolean attach) {
        EngineEvents[] now = current == EngineCollector.NO_EVENTS ? new EngineEvents[0]
                : current instanceof FanOutEvents fan ? fan.listeners() : new EngineEvents[] {current};
        EngineEvents[] next = Arrays.stream(now).filter(l -> l != listener).toArray(EngineEvents[]::new);
        if (attach && listener != null) {
            next = Arrays.copyOf(next, next.length + 1);
            next[next.length - 1] = listener;
        }
        return next.length == 0 ? EngineCollector.NO_EVENTS : next.length == 1 ? next[0] : new FanOutEvents(next);
    }
}
