package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import static io.meridian.engine.EngineFixture.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Engine#apply} returns: the command's own order (fills, what rests, cancellation), its reject, and the
 * engine's idempotency by client order id (a resend is answered with the original's outcome and changes nothing).
 */
class CommandOutcomeTest {
    private static Command limit(long account, long orderId, long clientOrderId, Side side, long price, long quantity,
                                 TimeInForce tif) {
        Command c = new Command().limit(account, BTC, orderId, side, price, quantity, tif);
        c.clientOrderId = clientOrderId;
        return c;
    }

    private static CommandOutcome apply(EngineFixture f, Command c) {
        return f.apply(c);
    }

    @Test
    void aTakerSeesItsFillsAndWhatRests() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        apply(f, limit(9, 100, 0, Side.SELL, 600_000, 3, TimeInForce.GTC));
        CommandOutcome outcome = apply(f, limit(1, 101, 55, Side.BUY, 600_000, 5, TimeInForce.GTC));
        assertTrue(outcome.accepted());
        assertFalse(outcome.duplicate());
        assertEquals(1, outcome.account());
        assertEquals(101, outcome.orderId());
        assertEquals(55, outcome.clientOrderId());
        assertEquals(3, outcome.filledQuantity());
        assertEquals(2, outcome.restingQuantity());
        assertFalse(outcome.canceled());
    }

    @Test
    void anIocRemainderIsCanceledAndNothingRests() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        apply(f, limit(9, 100, 0, Side.SELL, 600_000, 3, TimeInForce.GTC));
        CommandOutcome outcome = apply(f, limit(1, 101, 0, Side.BUY, 600_000, 5, TimeInForce.IOC));
        assertEquals(3, outcome.filledQuantity());
        assertEquals(0, outcome.restingQuantity());
        assertTrue(outcome.canceled());
    }

    @Test
    void aRejectIsReported() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        CommandOutcome outcome = apply(f, limit(1, 101, 0, Side.BUY, 600_000, 50_000, TimeInForce.GTC));
        assertFalse(outcome.accepted());
        assertEquals(RejectReason.INSUFFICIENT_MARGIN, outcome.reject());
    }

    @Test
    void aResendIsAnsweredWithTheOriginalAndChangesNothing() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        apply(f, limit(9, 100, 0, Side.SELL, 600_000, 3, TimeInForce.GTC));
        CommandOutcome first = apply(f, limit(1, 101, 55, Side.BUY, 600_000, 5, TimeInForce.GTC)).copy();
        long openBefore = f.engine.view().book(BTC).openOrders();
        f.recorder.clear();
        // The same client order id again (a new exchange order id, as a gateway would stamp a resend).
        CommandOutcome resend = apply(f, limit(1, 102, 55, Side.BUY, 600_000, 5, TimeInForce.GTC));
        assertTrue(resend.duplicate());
        assertEquals(first.sequence(), resend.originalSequence());
        assertEquals(101, resend.orderId());
        assertEquals(3, resend.filledQuantity());
        assertEquals(2, resend.restingQuantity());
        assertNull(resend.reject());
        assertEquals(openBefore, f.engine.view().book(BTC).openOrders());
        assertEquals(0, f.recorder.events().size(), "no event but commandCompleted: " + f.recorder.events());
        // Another account's order with the same client order id is its own.
        CommandOutcome other = apply(f, limit(9, 103, 55, Side.SELL, 700_000, 1, TimeInForce.GTC));
        assertFalse(other.duplicate());
        assertEquals(103, other.orderId());
    }

    @Test
    void aRejectedOrderIsRememberedAsRejected() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        apply(f, limit(1, 101, 7, Side.BUY, 600_000, 50_000, TimeInForce.GTC));
        CommandOutcome resend = apply(f, limit(1, 102, 7, Side.BUY, 600_000, 1, TimeInForce.GTC));
        assertTrue(resend.duplicate());
        assertEquals(RejectReason.INSUFFICIENT_MARGIN, resend.reject());
    }

    @Test
    void anUnauthorisedCommandReservesNoClientOrderId() {
        EngineFixture f = EngineFixture.traderAndMarketMaker();
        // Someone else's request by an address that has no account: refused before anything is recorded.
        Command forged = limit(1, 101, 9, Side.BUY, 600_000, 1, TimeInForce.GTC);
        forged.address = new byte[20];
        forged.address[19] = 1;
        forged.signature = new byte[65];
        assertFalse(apply(f, forged).accepted());
        CommandOutcome real = apply(f, limit(1, 102, 9, Side.BUY, 600_000, 1, TimeInForce.GTC));
        assertFalse(real.duplicate());
        assertTrue(real.accepted());
    }

    @Test
    void resendsAreStateAndReplayAlike() {
        EngineFixture a = EngineFixture.traderAndMarketMaker();
        EngineFixture b = EngineFixture.traderAndMarketMaker();
        for (EngineFixture f : new EngineFixture[] {a, b}) {
            apply(f, limit(1, 101, 5, Side.BUY, 600_000, 1, TimeInForce.GTC));
        }
        assertEquals(a.engine.stateHash(), b.engine.stateHash());
        // One engine saw an order with a client order id, the other the same order without: different state.
        EngineFixture c = EngineFixture.traderAndMarketMaker();
        apply(c, limit(1, 101, 0, Side.BUY, 600_000, 1, TimeInForce.GTC));
        assertFalse(a.engine.stateHash() == c.engine.stateHash());
    }
}
