package io.meridian.engine;

import io.meridian.engine.audit.ShadowAudit;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostingType;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.event.FanOutEvents;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random venues with oracle feeds, quoting, taking and hourly funding: value is conserved after every
 * command, every funding settlement pays out no more than it collects (the residue goes to the fee pool), the shadow
 * audit (balances, positions, clearing, fee pool recomputed from the events) agrees with the engine after every
 * command, and two engines fed the same log end with the same state hash.
 */
class IndexMarkFundingProperties {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final long USD = 1_000_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3_600 * SECOND;

    @Property(tries = 30)
    void fundingConservesValueAndReplaysExactly(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        System.out.println("IndexMarkFundingProperties seed=" + seed);
        List<Command> log = generate(seed);
        EventRecorder recorder = new EventRecorder(false);
        ShadowAudit audit = new ShadowAudit(EngineConfig.defaults());
        Engine engine = new Engine(new FanOutEvents(recorder, audit));
        for (Command c : log) {
            audit.onCommand(c);
            engine.apply(c);
            assertTrue(engine.view().ledger().isConserved(), () -> "seed " + seed + " after " + c);
            assertEquals(List.of(), audit.check(engine), "seed " + seed);
        }
        assertEquals(List.of(), audit.checkAll(engine), "seed " + seed);
        assertNull(engine.view().ledger().recomputeSums(), "seed " + seed);
        checkFunding(recorder.events(), seed);
        Engine twin = new Engine(new EventRecorder(false));
        log.forEach(twin::apply);
        assertEquals(engine.stateHash(), twin.stateHash(), "seed " + seed);
    }

    /** Per settlement: collected - paid out = the residue posted CLEARING to FEE_POOL (0 when none), never negative. */
    private static void checkFunding(List<Event> events, long seed) {
        long net = 0;
        boolean open = false;
        int settlements = 0;
        int payments = 0;
        for (Event e : events) {
            if (e instanceof Event.FundingRateApplied) {
                open = true;
                net = 0;
                settlements++;
            } else if (open && e instanceof Event.FundingSettled settled) {
                net += settled.amount();
                payments += settled.amount() != 0 ? 1 : 0;
            } else if (open && e instanceof Event.PostingApplied p && p.type() == PostingType.FUNDING
                    && p.fromAccount() == SystemAccounts.CLEARING && p.toAccount() == SystemAccounts.FEE_POOL) {
                assertEquals(-net, p.amount(), "seed " + seed + ": the residue is what payers paid beyond receipts");
                open = false;
            } else if (open && !(e instanceof Event.PostingApplied p && p.type() == PostingType.FUNDING)) {
                assertEquals(0, net, "seed " + seed + ": no residue posting means an exact split");
                open = false;
            }
        }
        assertTrue(settlements > 0 && payments > 0, "seed " + seed + ": the run crosses funding times and pays funding");
    }

    private static List<Command> generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] clock = {30 * 60 * SECOND};
        List<Command> log = new ArrayList<>() {
            @Override
            public boolean add(Command c) {
                c.sequence = size() + 1;
                c.timestamp = clock[0];
                return super.add(c);
            }
        };
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        log.add(asset);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(0, "BTC-USD", 2, "a", "b", "c", "d").withStalenessNanos(90 * SECOND);
        log.add(index);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        instrument.pricingSpec = PricingSpec.perpetual(0, 6).withFundingInterval(HOUR)
                .withImpactNotional(2_000 * USD);
        log.add(instrument);
        for (long account = 1; account <= 6; account++) {
            log.add(new Command().deposit(account, USDC, 1_000_000 * USD));
        }
        log.add(new Command().deposit(9, USDC, 100_000_000 * USD));
        long fair = 5_000_000;
        long orderId = 1;
        for (int step = 0; step < 1_500; step++) {
            clock[0] += random.nextLong(0, 20 * SECOND);
            int action = random.nextInt(10);
            fair = Math.max(1_000_000, fair + random.nextLong(-10_000, 10_001));
            if (action < 3) {
                int source = random.nextInt(4);
                long price = source == 3 && random.nextInt(4) == 0 ? fair * 3 / 2 : fair + random.nextLong(-2_000, 2_001);
                log.add(new Command().oracleReport(0, source, price, clock[0] - random.nextLong(0, SECOND)));
            } else if (action < 5) {
                long mid = fair / 10;
                long half = random.nextLong(5, 500);
                log.add(new Command().limit(9, BTC, orderId++, Side.BUY, mid - half, random.nextLong(1, 2_000),
                        TimeInForce.GTC));
                log.add(new Command().limit(9, BTC, orderId++, Side.SELL, mid + half, random.nextLong(1, 2_000),
                        TimeInForce.GTC));
            } else if (action < 8) {
                long account = random.nextLong(1, 7);
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                log.add(new Command().market(account, BTC, orderId++, side, random.nextLong(1, 500)));
            } else if (action < 9) {
                log.add(new Command().cancel(9, BTC, random.nextLong(Math.max(1, orderId - 50), orderId + 1)));
            } else {
                Command tick = new Command().reset();
                tick.type = CommandType.TIME_TICK;
                log.add(tick);
            }
        }
        return log;
    }
}
