package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.FanOutEvents;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options through expiry under the audit: premiums as fills, marks from the index, and cash settlement, whose
 * intrinsic value and amounts the shadow recomputes (a long's payout rounded down, a short's payment up). A settlement
 * price the shadow is told differently breaks the settled accounts' balances.
 */
class ShadowAuditOptionTest {
    private static final int USDC = 0;
    private static final int INDEX = 0;
    private static final int CALL = 10;
    private static final int PUT = 11;
    private static final long USD = 1_000_000;
    private static final long MINUTE = 60_000_000_000L;
    private static final long START = 1_700_000_000_000_000_000L;
    private static final long EXPIRY = START + 24 * 60 * MINUTE;

    private final List<String> violations = new ArrayList<>();
    private final long[] settled = {0};
    private ShadowAudit audit;
    private Engine engine;
    private long sequence;
    private long now = START;

    private void start(long alteredSettlement) {
        EngineConfig config = EngineConfig.defaults();
        audit = new ShadowAudit(config);
        EngineEvents shadow = alteredSettlement == 0 ? audit : (EngineEvents) Proxy.newProxyInstance(
                EngineEvents.class.getClassLoader(), new Class<?>[] {EngineEvents.class}, (proxy, method, args) -> {
                    if (method.getName().equals("optionSettled")) {
                        args[3] = alteredSettlement;
                    }
                    try {
                        return method.invoke(audit, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        EngineEvents counter = new EngineEvents() {
            @Override
            public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                              long settlementValue, long amount) {
                settled[0]++;
            }
        };
        engine = new Engine(new FanOutEvents(shadow, counter), config);
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, "a").withStalenessNanos(60 * MINUTE);
        apply(index);
        apply(new Command().oracleReport(INDEX, 0, 6_000_000, now));
        list(CALL, OptionRight.CALL);
        list(PUT, OptionRight.PUT);
        for (long account = 1; account <= 4; account++) {
            apply(new Command().deposit(account, USDC, 100_000 * USD));
        }
    }

    private void list(int id, OptionRight right) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = InstrumentSpec.option(id, "BTC-60000-" + right.code(), "BTC", "USDC", 6, "0.1", "0.01", "1",
                EXPIRY);
        c.optionSpec = OptionSpec.of(INDEX, "60000", right);
        apply(c);
    }

    private void apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = now;
        audit.onCommand(c);
        engine.apply(c);
        violations.addAll(audit.check(engine));
    }

    private void trade(int instrument, long buyer, long seller, long price, long lots) {
        apply(new Command().limit(seller, instrument, 100 + sequence, Side.SELL, price, lots, TimeInForce.GTC));
        apply(new Command().limit(buyer, instrument, 100 + sequence, Side.BUY, price, lots, TimeInForce.IOC));
    }

    /** Calls and puts change hands, the index drifts up through the settlement window, and the options settle. */
    private void runToSettlement() {
        trade(CALL, 1, 2, 12_345, 37);
        trade(PUT, 3, 4, 9_871, 23);
        trade(CALL, 3, 1, 13_001, 11);
        long units = 6_000_000;
        for (now = EXPIRY - 60 * MINUTE; now <= EXPIRY + MINUTE; now += 5 * MINUTE) {
            units += 1_237;
            apply(new Command().oracleReport(INDEX, 0, units, now));
        }
        Command tick = new Command().reset();
        tick.type = CommandType.TIME_TICK;
        apply(tick);
        violations.addAll(audit.checkAll(engine));
    }

    @Test
    void settlementAgreesWithTheShadow() {
        start(0);
        runToSettlement();
        assertTrue(settled[0] >= 4, "positions settled: " + settled[0]);
        assertEquals(List.of(), violations);
    }

    @Test
    void aSettlementPriceTheShadowSeesDifferentlyBreaksTheBalances() {
        start(6_100_000);
        runToSettlement();
        assertTrue(settled[0] >= 4);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("account-balance: account 1 holds")), violations.toString());
    }
}
