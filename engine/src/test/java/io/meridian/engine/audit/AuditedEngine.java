package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A small venue for audit tests: USDC, BTC-PERP (tick 0.1, lot 0.001, 100 minor units per tick-lot, no price band),
 * an engine whose events reach a {@link ShadowAudit} through an optional {@link Mutation} (which may alter an event
 * before the shadow sees it), and a check after every command, collecting the violations.
 */
final class AuditedEngine {
    static final int USDC = 0;
    static final int BTC = 1;
    static final long USD = 1_000_000;
    static final long ONE_BTC = 1_000;
    static final long BACKSTOP = 77;

    /** Rewrites an event's arguments before the shadow sees it (in place); returns false to drop the event. */
    interface Mutation {
        boolean apply(String event, Object[] args);
    }

    final ShadowAudit audit;
    final Engine engine;
    final List<String> violations = new ArrayList<>();
    private long sequence;
    /** Command time before the sequence is added (ns); a test may move it forward. */
    long clock = 1_000;

    AuditedEngine(LiquidationConfig liquidation, Mutation mutation) {
        EngineConfig config = EngineConfig.defaults().withLiquidation(liquidation);
        audit = new ShadowAudit(config);
        engine = new Engine(mutation == null ? audit : mutated(audit, mutation), config);
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        apply(instrument);
    }

    private static EngineEvents mutated(ShadowAudit audit, Mutation mutation) {
        return (EngineEvents) Proxy.newProxyInstance(EngineEvents.class.getClassLoader(),
                new Class<?>[] {EngineEvents.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(audit, args);
                    }
                    if (mutation.apply(method.getName(), args)) {
                        invoke(method, audit, args);
                    }
                    return null;
                });
    }

    private static void invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    void apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = clock + sequence;
        audit.onCommand(c);
        engine.apply(c);
        violations.addAll(audit.check(engine));
    }

    void mark(long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = BTC;
        c.price = price;
        apply(c);
    }

    void leverage(long account, int value) {
        Command c = new Command().setLeverage(account, BTC, value);
        apply(c);
    }

    void deposit(long account, long usdc) {
        apply(new Command().deposit(account, USDC, usdc * USD));
    }

    void fund(long usdc) {
        apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, usdc * USD));
    }

    /** Account {@code buyer} buys {@code lots} from {@code seller} at {@code price} (the seller rests, the buyer takes). */
    void trade(long buyer, long seller, long price, long lots) {
        apply(new Command().limit(seller, BTC, 1_000 + sequence, Side.SELL, price, lots, TimeInForce.GTC));
        apply(new Command().limit(buyer, BTC, 1_000 + sequence, Side.BUY, price, lots, TimeInForce.IOC));
    }

    void bid(long account, long price, long lots) {
        apply(new Command().limit(account, BTC, 5_000 + sequence, Side.BUY, price, lots, TimeInForce.GTC));
    }

    /** The invariant names of the violations collected so far, in order, without repeats. */
    List<String> violatedNames() {
        List<String> names = new ArrayList<>();
        for (String violation : violations) {
            String name = violation.substring(0, violation.indexOf(':'));
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
