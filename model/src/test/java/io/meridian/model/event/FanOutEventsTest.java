package io.meridian.model.event;

import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FanOutEvents forwards every event (none left to its no-op default), to every listener, in order. */
class FanOutEventsTest {

    @Test
    void everyEventReachesEveryListenerInOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        EngineEvents first = listener("first", seen);
        EngineEvents second = listener("second", seen);
        FanOutEvents fanOut = new FanOutEvents(first, second);
        for (Method method : EngineEvents.class.getDeclaredMethods()) {
            if (!method.isDefault()) {
                continue;
            }
            assertEquals(FanOutEvents.class, FanOutEvents.class.getMethod(method.getName(), method.getParameterTypes())
                    .getDeclaringClass(), method.getName() + " is not forwarded");
            seen.clear();
            method.invoke(fanOut, defaults(method.getParameterTypes()));
            assertEquals(List.of("first " + method.getName(), "second " + method.getName()), seen);
        }
    }

    private static EngineEvents listener(String name, List<String> seen) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("hashCode") ? System.identityHashCode(proxy) : name;
            }
            seen.add(name + " " + method.getName());
            return null;
        };
        return (EngineEvents) Proxy.newProxyInstance(EngineEvents.class.getClassLoader(),
                new Class<?>[] {EngineEvents.class}, handler);
    }

    private static Object[] defaults(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            args[i] = type == long.class ? 0L : type == int.class ? 0 : type == boolean.class ? false : null;
        }
        return args;
    }
}
