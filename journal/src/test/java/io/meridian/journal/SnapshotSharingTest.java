package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the snapshot optimisation in {@link EngineSnapshots#UNSHARED_TYPES}: objects of those types (and primitive
 * arrays) are written without back-references, which is only correct if each is reachable from exactly one place in
 * what a snapshot writes. This walks real engines (the order-flow stream with many resting orders, and a stress
 * scenario with oracles, funding and liquidations) along the same edges the snapshot follows (every non-static,
 * non-transient field, except an order's links and Agrona's cached views, which are not written) and fails on any
 * such object found twice.
 */
class SnapshotSharingTest {
    /** Fields the snapshot does not write: an order's links (rebuilt by its containers, see BookSnapshots). */
    private static final Set<String> NOT_WRITTEN = Set.of("io.meridian.matching.Order.level",
            "io.meridian.matching.Order.prev", "io.meridian.matching.Order.next",
            "io.meridian.matching.Order.accountOrders", "io.meridian.matching.Order.accountPrev",
            "io.meridian.matching.Order.accountNext", "io.meridian.matching.Order.triggerHeap");

    @Test
    void typesWrittenWithoutReferencesAreNeverShared() throws IllegalAccessException {
        Engine flowEngine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        OrderFlow flow = new OrderFlow(21);
        Command c = new Command();
        for (long sequence = 1; sequence <= 30_000; sequence++) {
            flow.next(c);
            c.sequence = sequence;
            c.timestamp = CrashWriter.timestamp(sequence);
            flowEngine.apply(c);
        }
        assertUnshared(flowEngine, "order flow");

        StressRunner.CommandLog log = StressRunner.record(Scenario.CRASH_50_VACUUM, 5, 200, 3, 20, 30, 30);
        Engine scenarioEngine = new Engine(new EngineEvents() { }, log.config());
        for (Command command : log.commands()) {
            scenarioEngine.apply(command);
        }
        assertUnshared(scenarioEngine, "crash-50-vacuum");
    }

    private static void assertUnshared(Engine engine, String what) throws IllegalAccessException {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        IdentityHashMap<Object, String> firstPath = new IdentityHashMap<>();
        List<String> shared = new ArrayList<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {engine, "engine"});
        long checked = 0;
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            Object object = top[0];
            String path = (String) top[1];
            if (unshared(object.getClass())) {
                checked++;
                String earlier = firstPath.putIfAbsent(object, path);
                if (earlier != null && shared.size() < 10) {
                    shared.add(object.getClass().getName() + " at " + path + " and at " + earlier);
                }
            }
            if (seen.put(object, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> type = object.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(object); i++) {
                        push(stack, Array.get(object, i), path + "[" + i + "]");
                    }
                }
                continue;
            }
            if (object instanceof Enum<?>) {
                continue;
            }
            if (type.getName().startsWith("java.")) {
                // The JDK's collections are written through their API; anything else from the JDK is a leaf.
                if (object instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        push(stack, e.getKey(), path + ".key");
                        push(stack, e.getValue(), path + "[" + e.getKey() + "]");
                    }
                } else if (object instanceof Collection<?> collection) {
                    int i = 0;
                    for (Object element : collection) {
                        push(stack, element, path + "[" + i++ + "]");
                    }
                }
                continue;
            }
            for (Class<?> c = type; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()
                            || NOT_WRITTEN.contains(c.getName() + "." + field.getName())
                            || (c.getName().startsWith("org.agrona.") && field.getType().getEnclosingClass() == c)) {
                        continue;
                    }
                    field.setAccessible(true);
                    push(stack, field.get(object), path + "." + field.getName());
                }
            }
        }
        assertTrue(checked > 1_000, what + ": walked only " + checked + " unshared-type objects");
        assertTrue(shared.isEmpty(), what + ": shared objects of types written without references: " + shared);
    }

    private static void push(Deque<Object[]> stack, Object value, String path) {
        if (value != null && !(value instanceof EngineEvents)) {
            stack.push(new Object[] {value, path});
        }
    }

    private static boolean unshared(Class<?> type) {
        return type.isArray() && type.getComponentType().isPrimitive()
                || EngineSnapshots.UNSHARED_TYPES.contains(type.getName());
    }
}
