package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.ledger.LedgerView;
import io.meridian.matching.BookView;
import io.meridian.matching.Order;
import io.meridian.matching.OrderBook;
import io.meridian.pricing.IndexAggregator;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.pricing.PricingView;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.PositionBook;
import io.meridian.risk.PositionsView;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginView;
import io.meridian.risk.options.ScenarioTable;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.meridian.engine.EngineFixture.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EngineView} hands out read-only views only (issue 17: nothing outside {@code engine} holds a mutable book,
 * ledger or position). Checked by reflection over what its public methods return, and over what the views' methods
 * return in turn, so that a new query cannot hand out a mutable engine object, nor a view grow a mutating method,
 * without failing here.
 */
class EngineViewTest {
    /** The engine's mutable objects: no query may return one, whether directly, in a collection or through a view. */
    private static final Set<Class<?>> MUTABLE = Set.of(OrderBook.class, Ledger.class, PositionBook.class,
            MarginEngine.class, OptionMarginAccount.class, ScenarioTable.class, InstrumentPricing.class,
            IndexAggregator.class, Engine.class, Markets.class, Options.class, Liquidator.class, Authorisations.class);

    /** Each view and the mutable class behind it. */
    private static final Map<Class<?>, Class<?>> VIEWS = Map.of(BookView.class, OrderBook.class,
            LedgerView.class, Ledger.class, PositionsView.class, PositionBook.class, PricingView.class,
            InstrumentPricing.class, OptionMarginView.class, OptionMarginAccount.class);

    /**
     * The public methods of those classes that belong to the command path only: they change state, or check a command
     * for it, or hand out a mutable part (the option account's scenario table, which reprices).
     */
    private static final Map<Class<?>, Set<String>> COMMAND_PATH = Map.of(
            OrderBook.class, Set.of("setContext", "place", "validate", "placeValidated", "cancel", "cancelAll", "amend",
                    "setMarkPrice", "expireDue"),
            Ledger.class, Set.of("setContext", "addAsset", "post", "deposit", "withdraw", "transfer"),
            PositionBook.class, Set.of("applyFill"),
            InstrumentPricing.class, Set.of("updateMark", "addPremiumSample", "skipPremiumSample", "closeInterval"),
            OptionMarginAccount.class, Set.of("table", "setMode", "setPosition", "addPosition", "clear",
                    "recompute"));

    /**
     * Engine state classes handed out that are not views: read-only by their public API ({@link Order},
     * {@link Position}: getters and computations only, valid until the next command) or a new copy per call
     * ({@link MarginEngine.MarginState}).
     */
    private static final Set<Class<?>> READ_ONLY_OR_COPY = Set.of(Order.class, Position.class,
            MarginEngine.MarginState.class);

    /** Packages whose classes are engine state; model and auth types are values and records. */
    private static final List<String> STATE_PACKAGES = List.of("io.meridian.engine", "io.meridian.matching",
            "io.meridian.ledger", "io.meridian.risk", "io.meridian.pricing");

    @Test
    void noQueryHandsOutAMutableEngineObject() {
        List<String> problems = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> views = new ArrayDeque<>();
        for (Method method : publicMethods(EngineView.class)) {
            check("EngineView." + method.getName(), method.getGenericReturnType(), problems, seen, views);
        }
        while (!views.isEmpty()) {
            Class<?> view = views.pop();
            for (Method method : publicMethods(view)) {
                check(view.getSimpleName() + "." + method.getName(), method.getGenericReturnType(), problems, seen,
                        views);
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(VIEWS.keySet(), new HashSet<>(seen.stream().filter(VIEWS::containsKey).toList()),
                "EngineView hands out every view");
    }

    @Test
    void theViewsHaveNoMutatingMethod() {
        VIEWS.forEach((view, implementation) -> {
            assertTrue(view.isInterface() && view.isAssignableFrom(implementation),
                    implementation.getSimpleName() + " implements " + view.getSimpleName() + ": a view copies nothing");
            Set<String> mutators = COMMAND_PATH.get(implementation);
            for (String mutator : mutators) {
                assertTrue(Arrays.stream(implementation.getMethods()).anyMatch(m -> m.getName().equals(mutator)),
                        implementation.getSimpleName() + "." + mutator + " is listed but does not exist");
            }
            for (Method method : view.getMethods()) {
                assertTrue(!mutators.contains(method.getName()), view.getSimpleName() + "." + method.getName()
                        + " is on the command path of " + implementation.getSimpleName());
                assertTrue(method.getReturnType() != void.class, view.getSimpleName() + "." + method.getName()
                        + " returns nothing: a query returns what it reads");
            }
        });
    }

    @Test
    void theOrdersAndPositionsHandedOutCannotBeChanged() {
        for (Class<?> type : List.of(Order.class, Position.class)) {
            for (Method method : publicMethods(type)) {
                assertTrue(method.getReturnType() != void.class && !method.getName().startsWith("set"),
                        type.getSimpleName() + "." + method.getName() + " looks like a mutator");
            }
            for (Field field : type.getDeclaredFields()) {
                assertTrue(!Modifier.isPublic(field.getModifiers()) || Modifier.isFinal(field.getModifiers()),
                        type.getSimpleName() + "." + field.getName() + " is public and not final");
            }
        }
    }

    @Test
    void theViewsAreTheEngineObjectsThemselvesNotWrappers() {
        EngineFixture fixture = EngineFixture.standard();
        EngineView view = fixture.engine.view();
        assertNotNull(view.book(BTC));
        assertSame(view.book(BTC), view.book(BTC));
        assertSame(view.positions(BTC), view.positions(BTC));
        assertSame(view.ledger(), view.ledger());
        assertSame(view.ledger(), view.ledgerForTests(), "the view is the ledger itself");
    }

    private static List<Method> publicMethods(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter(m -> m.getDeclaringClass() != Object.class)
                .filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
    }

    /** Checks every class named in {@code type} (type arguments, array components and bounds included). */
    private static void check(String where, Type type, List<String> problems, Set<Class<?>> seen,
                              Deque<Class<?>> views) {
        if (type instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), problems, seen, views);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, problems, seen, views);
            }
        } else if (type instanceof GenericArrayType array) {
            check(where, array.getGenericComponentType(), problems, seen, views);
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                check(where, bound, problems, seen, views);
            }
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                check(where, c.getComponentType(), problems, seen, views);
                return;
            }
            if (MUTABLE.contains(c)) {
                problems.add(where + " returns the mutable " + c.getName());
            } else if (VIEWS.containsKey(c)) {
                if (seen.add(c)) {
                    views.push(c);
                }
            } else if (isEngineState(c) && !c.isRecord() && !c.isEnum() && !READ_ONLY_OR_COPY.contains(c)) {
                problems.add(where + " returns " + c.getName() + ", neither a view, a record nor known read-only");
            }
            seen.add(c);
        }
    }

    private static boolean isEngineState(Class<?> c) {
        String name = c.getName();
        return STATE_PACKAGES.stream().anyMatch(p -> name.startsWith(p + "."));
    }
}
