package io.meridian.engine;

import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.event.Event;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.meridian.engine.OptionFixture.EXPIRY;
import static io.meridian.engine.OptionFixture.HOUR;
import static io.meridian.engine.OptionFixture.MINUTE;
import static io.meridian.engine.OptionFixture.S60K;
import static io.meridian.engine.OptionFixture.SECOND;
import static io.meridian.engine.OptionFixture.USD;
import static io.meridian.engine.OptionFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expiry of options in the engine: the settlement price from the index samples of the last 30 minutes, cash
 * settlement of intrinsic value through the ledger (conserved, longs receive what shorts pay), the events, and the
 * instrument closed to trading. Units: see {@link OptionFixture}; one lot settles 100 minor units per index unit.
 */
class OptionExpiryTest {
    private static final int CALL_ITM = 10;
    private static final int CALL_OTM = 11;
    private static final int PUT_ITM = 12;
    private static final int PUT_OTM = 13;

    private final OptionFixture f = OptionFixture.standard(1_000_000);

    /** Lists the four options, prices them at 60,000 and has account 1 buy {@code 2} lots of each from account 2. */
    private void fourOptionsTraded() {
        f.option(CALL_ITM, OptionRight.CALL, "55000");
        f.option(CALL_OTM, OptionRight.CALL, "65000");
        f.option(PUT_ITM, OptionRight.PUT, "65000");
        f.option(PUT_OTM, OptionRight.PUT, "55000");
        f.index(S60K);
        f.trade(CALL_ITM, 1, 2, 52_000, 2);
        f.trade(CALL_OTM, 1, 2, 3_000, 2);
        f.trade(PUT_ITM, 1, 2, 51_000, 2);
        f.trade(PUT_OTM, 1, 2, 2_000, 2);
        assertEquals(List.of(), f.rejects());
    }

    @Test
    void settlesEveryPositionAtIntrinsicValueAndConserves() {
        fourOptionsTraded();
        long clearing = f.engine.view().ledger().balance(SystemAccounts.CLEARING, USDC);
        long long1 = f.engine.view().ledger().balance(1, USDC);
        long short2 = f.engine.view().ledger().balance(2, USDC);
        f.at(EXPIRY - 40 * MINUTE).index(S60K);
        f.at(EXPIRY - 20 * MINUTE).index(S60K);
        f.at(EXPIRY - 10 * MINUTE).index(S60K);
        f.recorder.clear();
        f.at(EXPIRY).tick();

        List<Event.OptionSettled> settled = f.recorder.ofType(Event.OptionSettled.class);
        assertEquals(List.of(CALL_ITM, CALL_OTM, PUT_ITM, PUT_OTM),
                settled.stream().map(Event.OptionSettled::instrument).toList());
        for (Event.OptionSettled s : settled) {
            assertEquals(S60K, s.settlementPrice());
            assertEquals(2, s.openInterest());
            assertEquals(3, s.samples(), "the carried-in sample and the ones at E-20m and E-10m");
        }
        // ITM: 5,000 USD x 0.02 BTC = 100 USD; OTM: nothing.
        assertEquals(List.of(500_000L, 0L, 500_000L, 0L),
                settled.stream().map(Event.OptionSettled::intrinsicValue).toList());
        List<Event.OptionPositionSettled> positions = f.recorder.ofType(Event.OptionPositionSettled.class);
        assertEquals(8, positions.size());
        // Per instrument, account 1 (long 2) then account 2 (short 2); amount = value - premium paid in.
        long[][] expected = {
            {1, 2, 100 * USD, 100 * USD - 104 * USD}, {2, -2, -100 * USD, -100 * USD + 104 * USD},
            {1, 2, 0, -6 * USD}, {2, -2, 0, 6 * USD},
            {1, 2, 100 * USD, 100 * USD - 102 * USD}, {2, -2, -100 * USD, -100 * USD + 102 * USD},
            {1, 2, 0, -4 * USD}, {2, -2, 0, 4 * USD},
        };
        for (int i = 0; i < expected.length; i++) {
            Event.OptionPositionSettled p = positions.get(i);
            assertEquals(List.of(expected[i][0], expected[i][1], expected[i][2], expected[i][3]),
                    List.of(p.account(), p.position(), p.settlementValue(), p.amount()), "position " + i);
        }
        // Longs received what shorts paid, premiums included: the clearing account is where it was.
        assertEquals(clearing, f.engine.view().ledger().balance(SystemAccounts.CLEARING, USDC));
        long paidIn = (104 + 6 + 102 + 4) * USD;
        assertEquals(long1 + 200 * USD - paidIn, f.engine.view().ledger().balance(1, USDC));
        assertEquals(short2 - 200 * USD + paidIn, f.engine.view().ledger().balance(2, USDC));
        assertTrue(f.engine.view().ledger().isConserved());
        for (int id : new int[] {CALL_ITM, CALL_OTM, PUT_ITM, PUT_OTM}) {
            assertEquals(0, f.engine.view().positions(id).openPositions());
            assertEquals(S60K, f.engine.view().optionSettlementPrice(id));
        }
        assertEquals(0, f.engine.view().marginState(1, USDC).initialMargin);
        assertEquals(0, f.engine.view().marginState(2, USDC).maintenanceMargin);
    }

    @Test
    void thePostingsShowLongsReceivingWhatShortsPay() {
        f.option(CALL_ITM, OptionRight.CALL, "55000");
        f.index(S60K);
        f.trade(CALL_ITM, 1, 2, 52_000, 1);
        f.trade(CALL_ITM, 3, 2, 52_000, 1);
        f.at(EXPIRY - 20 * MINUTE).index(S60K);
        f.at(EXPIRY - 10 * MINUTE).index(S60K);
        f.at(EXPIRY - 5 * MINUTE).index(S60K);
        f.recorder.clear();
        f.at(EXPIRY).tick();
        List<Event.PostingApplied> settlement = f.recorder.ofType(Event.PostingApplied.class).stream()
                .filter(p -> p.type() == PostingType.OPTION_SETTLEMENT).toList();
        // Accounts ascending: 1 and 3 are credited 50 USD each from the clearing account, 2 pays 100 USD into it.
        assertEquals(List.of(List.of(SystemAccounts.CLEARING, 1L, 50 * USD), List.of(2L, SystemAccounts.CLEARING,
                100 * USD), List.of(SystemAccounts.CLEARING, 3L, 50 * USD)),
                settlement.stream().map(p -> List.of(p.fromAccount(), p.toAccount(), p.amount())).toList());
    }

    @Test
    void theSettlementPriceIsTheTimeWeightedIndexOfTheLastHalfHour() {
        f.option(CALL_ITM, OptionRight.CALL, "55000");
        f.index(S60K);
        f.trade(CALL_ITM, 1, 2, 52_000, 1);
        // Uneven samples (see SettlementWindowTest for the arithmetic):
        // (6,000,000 x 10 + 6,100,000 x 9 + 5,950,000 x 8 + 6,200,000 x 3) / 30 min = 6,036,666.67 -> 6,036,667.
        f.at(EXPIRY - 45 * MINUTE).index(6_000_000);
        f.at(EXPIRY - 20 * MINUTE).index(6_100_000);
        f.at(EXPIRY - 11 * MINUTE).index(5_950_000);
        f.at(EXPIRY - 3 * MINUTE).index(6_200_000);
        f.recorder.clear();
        f.at(EXPIRY + SECOND).index(9_000_000);
        Event.OptionSettled settled = f.recorder.ofType(Event.OptionSettled.class).get(0);
        assertEquals(6_036_667, settled.settlementPrice(), "the report that reaches expiry comes after settlement");
        assertEquals(4, settled.samples());
        assertEquals(536_667, settled.intrinsicValue());
        Event.OptionPositionSettled position = f.recorder.ofType(Event.OptionPositionSettled.class).get(0);
        assertEquals(53_666_700, position.settlementValue(), "536,667 units x 100 minor units per lot");
    }

    @Test
    void expiryClosesTheOptionAndCancelsItsOrders() {
        fourOptionsTraded();
        long bid = f.limit(3, CALL_OTM, Side.BUY, 1_000, 5);
        long ask = f.limit(4, CALL_OTM, Side.SELL, 9_000, 5);
        f.limit(5, CALL_OTM, Side.BUY, 900, 1);
        f.recorder.clear();
        f.at(EXPIRY + MINUTE).index(S60K);

        List<Event> events = f.recorder.events();
        int expired = indexOf(events, e -> e instanceof Event.OptionExpired x && x.instrument() == CALL_OTM);
        List<Event.OrderCanceled> canceled = f.recorder.ofType(Event.OrderCanceled.class).stream()
                .filter(c -> c.instrument() == CALL_OTM).toList();
        assertEquals(List.of(bid, ask, bid + 2), canceled.stream().map(Event.OrderCanceled::orderId).toList(),
                "accounts ascending");
        assertTrue(canceled.stream().allMatch(c -> c.reason() == CancelReason.CANCEL_ALL));
        assertTrue(expired < events.indexOf(canceled.get(0)));
        assertEquals(0, f.engine.view().book(CALL_OTM).openOrders());
        assertTrue(f.engine.view().isOptionExpired(CALL_OTM));
        assertFalse(f.engine.view().isOptionExpired(OptionFixture.PERP));

        f.recorder.clear();
        f.limit(3, CALL_OTM, Side.BUY, 1_000, 1);
        f.apply(new Command().amend(3, CALL_OTM, bid, 1_100, 0));
        f.setMark(CALL_OTM, 5);
        f.apply(new Command().cancel(3, CALL_OTM, bid));
        assertEquals(List.of(RejectReason.INSTRUMENT_EXPIRED, RejectReason.INSTRUMENT_EXPIRED,
                RejectReason.INSTRUMENT_EXPIRED, RejectReason.UNKNOWN_ORDER), f.rejects());
        // Options listed after an expiry still trade; the perpetual is untouched.
        f.apply(OptionFixture.listing(20, OptionRight.CALL, "60000", EXPIRY + 7 * OptionFixture.DAY));
        f.limit(3, 20, Side.BUY, 1_000, 1);
        f.limit(3, OptionFixture.PERP, Side.BUY, 500_000, 1);
        assertEquals(4, f.rejects().size());
    }

    private static int indexOf(List<Event> events, Predicate<Event> test) {
        for (int i = 0; i < events.size(); i++) {
            if (test.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void withoutAUsableIndexInTheWindowSettlementWaitsForTheNextWindowWithEnoughSamples() {
        OptionFixture stale = new OptionFixture();
        stale.setUp(1_000_000, 5 * MINUTE);
        stale.option(CALL_ITM, OptionRight.CALL, "55000");
        stale.index(S60K);
        stale.trade(CALL_ITM, 1, 2, 52_000, 1);
        stale.at(EXPIRY - 2 * HOUR).index(S60K);
        stale.at(EXPIRY - 50 * MINUTE).tick();
        assertTrue(stale.engine.view().isIndexStale(OptionFixture.INDEX));
        stale.recorder.clear();
        stale.at(EXPIRY).tick();
        assertEquals(1, stale.recorder.ofType(Event.OptionExpired.class).size());
        assertEquals(List.of(), stale.recorder.ofType(Event.OptionSettled.class));
        assertEquals(2, stale.engine.view().positions(CALL_ITM).openPositions(), "the positions wait for a price");
        assertTrue(stale.engine.view().isOptionExpired(CALL_ITM));
        assertEquals(0, stale.engine.view().optionSettlementPrice(CALL_ITM));

        // One hostile print after expiry (the index has one source): it does not settle the option, and the next
        // window [E, E+30m), which holds only it (5 minutes, one sample), is not enough evidence either.
        stale.at(EXPIRY + 10 * MINUTE).index(9_000_000);
        stale.at(EXPIRY + 20 * MINUTE).tick();
        assertEquals(List.of(), stale.recorder.ofType(Event.OptionSettled.class), "one print settles nothing");
        // The window after it, [E+30m, E+60m), gets a print every 5 minutes: six samples covering all of it.
        long[] prices = {6_100_000, 6_110_000, 6_120_000, 6_130_000, 6_140_000, 6_150_000};
        for (int i = 0; i < prices.length; i++) {
            stale.at(EXPIRY + (30 + 5 * i) * MINUTE).index(prices[i]);
        }
        assertEquals(List.of(), stale.recorder.ofType(Event.OptionSettled.class), "not before the window ends");
        stale.at(EXPIRY + 60 * MINUTE).tick();
        Event.OptionSettled settled = stale.recorder.ofType(Event.OptionSettled.class).get(0);
        // (6,100,000 + ... + 6,150,000) x 5 min / 30 min = 6,125,000.
        assertEquals(List.of(6_125_000L, 625_000L, 6L), List.of(settled.settlementPrice(), settled.intrinsicValue(),
                (long) settled.samples()));
        assertEquals(0, stale.engine.view().positions(CALL_ITM).openPositions());
        assertEquals(6_125_000, stale.engine.view().optionSettlementPrice(CALL_ITM));
        assertTrue(stale.engine.view().ledger().isConserved());
    }

    @Test
    void aWindowWithTwoSamplesDoesNotSettleEvenWhenTheyCoverIt() {
        // Staleness one hour: two prints, E-40m (carried in) and E-15m, cover the whole window but are two samples.
        f.option(CALL_ITM, OptionRight.CALL, "55000");
        f.index(S60K);
        f.trade(CALL_ITM, 1, 2, 52_000, 1);
        f.at(EXPIRY - 40 * MINUTE).index(S60K);
        f.at(EXPIRY - 15 * MINUTE).index(9_000_000);
        f.recorder.clear();
        f.at(EXPIRY).tick();
        assertEquals(1, f.recorder.ofType(Event.OptionExpired.class).size());
        assertEquals(List.of(), f.recorder.ofType(Event.OptionSettled.class));
        for (long m = 1; m <= 30; m++) {
            f.at(EXPIRY + m * MINUTE).index(S60K);
        }
        Event.OptionSettled settled = f.recorder.ofType(Event.OptionSettled.class).get(0);
        // [E, E+30m): the expiry tick observed the hostile value, still fresh, at E (one minute), then 29 one-minute
        // samples at 60,000: (9,000,000 + 29 x 6,000,000) / 30 = 6,100,000. One print weighs one thirtieth.
        assertEquals(6_100_000, settled.settlementPrice());
        assertEquals(30, settled.samples());
    }

    @Test
    void theRoundingResidueOfAnExpiryGoesToTheFeePool() {
        // An index with 8 decimals: one lot of 0.001 ETH settles 0.00001 minor units per index unit, so values round.
        OptionFixture eth = new OptionFixture();
        eth.setUp(1_000_000, HOUR);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(1, "ETH-USD", 8, "a").withMaxMovePpmPerSecond(0).withStalenessNanos(HOUR);
        eth.apply(index);
        Command listing = new Command().reset();
        listing.type = CommandType.ADD_INSTRUMENT;
        listing.instrumentSpec = InstrumentSpec.option(30, "ETH-C", "ETH", "USDC", 6, "0.01", "0.001", "1", EXPIRY);
        listing.optionSpec = OptionSpec.of(1, "3000", OptionRight.CALL);
        eth.apply(listing);
        eth.apply(new Command().oracleReport(1, 0, 300_012_345_678L, eth.now()));
        eth.trade(30, 1, 2, 1, 1);
        for (long before : new long[] {20 * MINUTE, 10 * MINUTE, MINUTE}) {
            eth.at(EXPIRY - before).apply(new Command().oracleReport(1, 0, 300_012_345_678L, EXPIRY - before));
        }
        long fees = eth.engine.view().ledger().balance(SystemAccounts.FEE_POOL, USDC);
        eth.recorder.clear();
        eth.at(EXPIRY).tick();
        // Intrinsic 0.12345678 USD x 0.001 ETH = 123.45678 minor units: the long gets 123, the short pays 124.
        List<Event.OptionPositionSettled> settled = eth.recorder.ofType(Event.OptionPositionSettled.class);
        assertEquals(List.of(123L, -124L), settled.stream().map(Event.OptionPositionSettled::settlementValue).toList());
        assertEquals(fees + 1, eth.engine.view().ledger().balance(SystemAccounts.FEE_POOL, USDC));
        assertTrue(eth.engine.view().ledger().isConserved());
    }

    @Test
    void replayGivesTheSameStateHashThroughExpiry() {
        OptionFixture twin = OptionFixture.standard(1_000_000);
        for (OptionFixture x : new OptionFixture[] {f, twin}) {
            x.option(CALL_ITM, OptionRight.CALL, "55000");
            x.option(PUT_ITM, OptionRight.PUT, "65000");
            x.index(S60K);
            x.trade(CALL_ITM, 1, 2, 52_000, 3);
            x.trade(PUT_ITM, 3, 1, 51_000, 1);
            x.marginMode(3, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
            x.at(EXPIRY - 20 * MINUTE).index(6_050_000);
            x.at(EXPIRY - 15 * MINUTE).index(6_050_000);
            x.at(EXPIRY - 5 * MINUTE).index(6_050_000);
            x.at(EXPIRY + MINUTE).tick();
        }
        assertEquals(f.engine.stateHash(), twin.engine.stateHash());
        // The sample of the listing aged out an hour later (the index's staleness limit): only the last 20 minutes'.
        assertEquals(6_050_000, f.engine.view().optionSettlementPrice(CALL_ITM));
    }
}
