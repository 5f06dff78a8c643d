package io.meridian.engine;

import io.meridian.auth.ClientOrderIds;
import io.meridian.matching.Order;
import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.FanOutEvents;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.meridian.engine.EngineFixture.BTC;
import static io.meridian.engine.EngineFixture.USD;
import static io.meridian.engine.EngineFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client order id texts in the engine ({@link ClientOrderTexts}; docs/auth.md, "Client order ids"): a text order keeps
 * its text while open, every event about it is preceded by the text, a text whose key is not the command's is refused
 * with INVALID_CLIENT_ORDER_ID, resends by the same text are duplicates, and the texts are in the state hash and
 * snapshots only while there are some. A property drives random orders and checks the table against the books after
 * every command and the announcements against every event.
 */
class ClientOrderTextsTest {
    private static final String UUID_TEXT = "550e8400-e29b-41d4-a716-446655440000";

    /**
     * Records the announcements and checks each order event against them: an event about an order placed with a text
     * is preceded by exactly that text, any other by nothing.
     */
    private static final class Announcements implements EngineEvents {
        /** The text of every order placed with one (filled in as the commands are sent). */
        final Map<Long, String> expected = new HashMap<>();
        final List<String> failures = new ArrayList<>();
        final List<String> told = new ArrayList<>();
        private long pendingOrder;
        private String pendingText;
        int checked;

        @Override
        public void clientOrderText(long orderId, String text) {
            if (pendingText != null) {
                failures.add("two announcements in a row: " + pendingOrder + " then " + orderId);
            }
            pendingOrder = orderId;
            pendingText = text;
            told.add(orderId + "=" + text);
        }

        private void event(String what, long orderId) {
            String text = pendingText != null && pendingOrder == orderId ? pendingText : null;
            if (pendingText != null && pendingOrder != orderId) {
                failures.add(what + " of " + orderId + " after the text of " + pendingOrder);
            }
            pendingText = null;
            String want = expected.get(orderId);
            if (!java.util.Objects.equals(want, text)) {
                failures.add(what + " of order " + orderId + ": told " + text + ", expected " + want);
            }
            checked++;
        }

        @Override
        public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                  long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                                  long quantity, long triggerPrice) {
            event("accepted", orderId);
        }

        @Override
        public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                                long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                                Liquidity liquidity) {
            event("filled", orderId);
        }

        @Override
        public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                  long account, long canceledQuantity, CancelReason reason) {
            event("canceled", orderId);
        }

        @Override
        public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                 long account, long expiredQuantity) {
            event("expired", orderId);
        }

        @Override
        public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                   long account, long triggerPrice, long triggeredAt) {
            event("triggered", orderId);
        }

        @Override
        public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                 long account, long price, long quantity, long remaining, long triggerPrice) {
            event("amended", orderId);
        }

        @Override
        public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            if (pendingText != null && pendingOrder != orderId) {
                failures.add("reject of " + orderId + " after the text of " + pendingOrder);
            }
            pendingText = null;
        }
    }

    /** An engine fed as a sequencer would, reporting to {@link #told}. */
    private static final class Venue {
        final Announcements told = new Announcements();
        final Engine engine = new Engine(new FanOutEvents(told));
        long sequence;

        CommandOutcome apply(Command c) {
            c.sequence = ++sequence;
            c.timestamp = 1_000 + sequence;
            if (c.type == CommandType.PLACE_ORDER) {
                c.orderId = c.sequence;
                if (c.clientOrderText != null) {
                    told.expected.put(c.orderId, c.clientOrderText);
                }
            }
            return engine.apply(c);
        }

        static Venue funded() {
            Venue v = new Venue();
            v.apply(EngineFixture.addAsset(new io.meridian.model.AssetSpec(USDC, "USDC", 6)));
            v.apply(EngineFixture.addInstrument(io.meridian.model.InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC",
                    "0.1", "0.001").withPriceBandPpm(0)));
            v.apply(new Command().deposit(1, USDC, 1_000_000 * USD));
            v.apply(new Command().deposit(9, USDC, 1_000_000 * USD));
            return v;
        }
    }

    private static Command order(long account, Side side, long price, long quantity, TimeInForce tif, String text) {
        Command c = new Command().limit(account, BTC, 0, side, price, quantity, tif);
        if (text != null) {
            c.clientOrderText = text;
            c.clientOrderId = ClientOrderIds.key(text);
        }
        return c;
    }

    @Test
    void aTextOrderKeepsItsTextWhileOpenAndEveryEventTellsIt() {
        Venue v = Venue.funded();
        long hashWithout = v.engine.stateHash();
        CommandOutcome placed = v.apply(order(9, Side.SELL, 500_000, 10, TimeInForce.GTC, UUID_TEXT));
        long ask = placed.orderId();
        assertNull(placed.reject());
        assertEquals(UUID_TEXT, v.engine.view().clientOrderText(ask));
        Order resting = v.engine.view().book(BTC).order(ask);
        assertEquals(ClientOrderIds.key(UUID_TEXT), resting.clientOrderId(), "the book knows it by its key");
        assertNotEquals(hashWithout, v.engine.stateHash());

        // A numeric order costs nothing; a partial fill keeps the text, the last fill drops it.
        long bid = v.apply(order(1, Side.BUY, 500_000, 4, TimeInForce.GTC, null)).orderId();
        assertNull(v.engine.view().clientOrderText(bid));
        assertEquals(1, v.engine.view().clientOrderTextCount());
        v.apply(order(1, Side.BUY, 500_000, 6, TimeInForce.IOC, "taker-1"));
        assertNull(v.engine.view().clientOrderText(ask), "filled: gone");
        assertEquals(0, v.engine.view().clientOrderTextCount(), "the IOC taker never rested");
        assertEquals(List.of(ask + "=" + UUID_TEXT, ask + "=" + UUID_TEXT, (v.sequence) + "=taker-1", ask + "="
                + UUID_TEXT, v.sequence + "=taker-1"), v.told.told);
        assertEquals(List.of(), v.told.failures);

        // Canceled by its text's key: the cancel tells the text, and the entry goes.
        long gtc = v.apply(order(9, Side.SELL, 510_000, 3, TimeInForce.GTC, "cancel/me:1")).orderId();
        Command cancel = new Command().cancel(9, BTC, 0);
        cancel.clientOrderId = ClientOrderIds.key("cancel/me:1");
        cancel.clientOrderText = "cancel/me:1";
        assertNull(v.apply(cancel).reject());
        assertNull(v.engine.view().book(BTC).order(gtc));
        assertEquals(0, v.engine.view().clientOrderTextCount());
        assertEquals(List.of(), v.told.failures);
    }

    @Test
    void aTextWhoseKeyIsNotTheCommandsIsRefusedBeforeAnythingElse() {
        Venue v = Venue.funded();
        Command wrong = order(9, Side.SELL, 500_000, 1, TimeInForce.GTC, "abc");
        wrong.clientOrderId = 12;
        assertEquals(RejectReason.INVALID_CLIENT_ORDER_ID, v.apply(wrong).reject());
        Command malformed = order(9, Side.SELL, 500_000, 1, TimeInForce.GTC, null);
        malformed.clientOrderText = "a b";
        malformed.clientOrderId = 5;
        assertEquals(RejectReason.INVALID_CLIENT_ORDER_ID, v.apply(malformed).reject());
        Command tooLong = order(9, Side.SELL, 500_000, 1, TimeInForce.GTC, null);
        tooLong.clientOrderText = "x".repeat(37);
        assertEquals(RejectReason.INVALID_CLIENT_ORDER_ID, v.apply(tooLong).reject());
        // A plain-number text is that number: "77" and the number 77 are one client order id.
        Command numberText = order(9, Side.SELL, 500_000, 1, TimeInForce.GTC, "77");
        assertEquals(77, numberText.clientOrderId);
        assertNull(v.apply(numberText).reject());
        Command numeric = order(9, Side.SELL, 500_100, 1, TimeInForce.GTC, null);
        numeric.clientOrderId = 77;
        assertTrue(v.apply(numeric).duplicate(), "a resend of the same client order id");
        assertNull(v.engine.view().book(BTC).order(v.sequence));
        // The refused texts were never told: only the accepted "77" was.
        assertEquals(List.of((v.sequence - 1) + "=77"), v.told.told);
        assertEquals(List.of(), v.told.failures);
        assertEquals(2029, RejectReason.INVALID_CLIENT_ORDER_ID.code());
    }

    @Test
    void aResendOfTheSameTextIsADuplicateAnsweredWithTheOriginal() {
        Venue v = Venue.funded();
        CommandOutcome first = v.apply(order(9, Side.SELL, 500_000, 2, TimeInForce.GTC, UUID_TEXT)).copy();
        CommandOutcome again = v.apply(order(9, Side.SELL, 500_000, 2, TimeInForce.GTC, UUID_TEXT));
        assertTrue(again.duplicate());
        assertEquals(first.orderId(), again.orderId());
        assertEquals(1, v.engine.view().book(BTC).openOrdersOf(9).size());
        // Another account's same text is its own order.
        assertFalse(v.apply(order(1, Side.BUY, 490_000, 2, TimeInForce.GTC, UUID_TEXT)).duplicate());
        assertEquals(2, v.engine.view().clientOrderTextCount());
    }

    @Test
    void textsAreInSnapshotsOnlyWhileThereAreSomeAndRestoreToTheSameHash() {
        Venue v = Venue.funded();
        v.apply(order(1, Side.BUY, 480_000, 2, TimeInForce.GTC, null));
        byte[] before = snapshot(v.engine);
        long gtc = v.apply(order(9, Side.SELL, 520_000, 2, TimeInForce.GTC, UUID_TEXT)).orderId();
        Command stop = order(9, Side.SELL, 0, 2, TimeInForce.IOC, "stop-1");
        stop.orderType = OrderType.STOP_MARKET;
        stop.triggerPrice = 450_000;
        long stopId = v.apply(stop).orderId();
        byte[] with = snapshot(v.engine);
        assertTrue(with.length > before.length + UUID_TEXT.length());
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(with, 0, with.length), new EngineEvents() { },
                v.engine.view().config());
        assertEquals(v.engine.stateHash(), restored.stateHash());
        assertEquals(UUID_TEXT, restored.view().clientOrderText(gtc));
        assertEquals("stop-1", restored.view().clientOrderText(stopId));

        // Canceled: no section again, and the bytes are those of a snapshot without texts (the same state otherwise).
        Command cancelAll = new Command().reset();
        cancelAll.type = CommandType.CANCEL_ALL;
        cancelAll.account = 9;
        cancelAll.instrument = Command.ALL_INSTRUMENTS;
        v.apply(cancelAll);
        assertEquals(0, v.engine.view().clientOrderTextCount());
        byte[] after = snapshot(v.engine);
        Engine again = EngineSnapshotFormat.read(new SnapshotReader(after, 0, after.length), new EngineEvents() { },
                v.engine.view().config());
        assertEquals(v.engine.stateHash(), again.stateHash());
        assertEquals(0, again.view().clientOrderTextCount());
        assertFalse(contains(after, UUID_TEXT), "no text left in the snapshot");
    }

    @Property(tries = 200)
    void theTableHoldsExactlyTheOpenTextOrdersAndEveryEventTellsTheText(
            @ForAll @Size(min = 1, max = 120) List<@IntRange(min = 0, max = 999) Integer> steps) {
        Venue v = Venue.funded();
        List<Long> placed = new ArrayList<>();
        for (int step : steps) {
            int kind = step % 10;
            Side side = step % 2 == 0 ? Side.BUY : Side.SELL;
            long price = 499_990 + (step / 10) % 21;
            String text = switch ((step / 7) % 4) {
                case 0 -> null;
                case 1 -> new UUID(step, step * 31L).toString();
                case 2 -> Long.toString(1 + step % 50);
                default -> "t-" + (step % 40);
            };
            long account = step % 3 == 0 ? 1 : 9;
            Command c;
            if (kind < 5) {
                c = order(account, side, price, 1 + step % 7, kind == 4 ? TimeInForce.IOC : TimeInForce.GTC, text);
                if (kind == 3) {
                    c.timeInForce = TimeInForce.GTD;
                    c.expireAt = v.sequence + 1_000 + 3 + step % 5;
                }
                if (kind == 2 && step % 4 == 0) {
                    c.displayQuantity = 1;
                    c.quantity = 5;
                }
            } else if (kind < 7 && !placed.isEmpty()) {
                long id = placed.get(step % placed.size());
                c = new Command().cancel(account, BTC, id);
            } else if (kind == 7 && text != null) {
                c = new Command().cancel(account, BTC, 0);
                c.clientOrderText = text;
                c.clientOrderId = ClientOrderIds.key(text);
            } else if (kind == 8) {
                c = order(account, side, 0, 1 + step % 3, TimeInForce.IOC, text);
                c.orderType = side == Side.BUY ? OrderType.STOP_MARKET : OrderType.TAKE_PROFIT_MARKET;
                c.triggerPrice = price;
                c.price = 0;
            } else {
                c = EngineFixture.mark(BTC, price);
            }
            CommandOutcome outcome = v.apply(c);
            if (c.type == CommandType.PLACE_ORDER && !outcome.duplicate()) {
                placed.add(c.orderId);
            }
            assertTableMatchesBooks(v);
        }
        assertEquals(List.of(), v.told.failures);
        byte[] bytes = snapshot(v.engine);
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length), new EngineEvents() { },
                v.engine.view().config());
        assertEquals(v.engine.stateHash(), restored.stateHash());
    }

    /** Every open order placed with a text has it, and the table holds nothing else. */
    private static void assertTableMatchesBooks(Venue v) {
        int withText = 0;
        for (long account : new long[] {1, 9}) {
            for (Order o : v.engine.view().book(BTC).openOrdersOf(account)) {
                String expected = v.told.expected.get(o.orderId());
                assertEquals(expected, v.engine.view().clientOrderText(o.orderId()), "order " + o.orderId());
                withText += expected == null ? 0 : 1;
            }
        }
        assertEquals(withText, v.engine.view().clientOrderTextCount(), "no text of an order that ended is kept");
    }

    private static byte[] snapshot(Engine engine) {
        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(engine, out);
        return out.toByteArray();
    }

    private static boolean contains(byte[] bytes, String text) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
    }
}
