package io.meridian.node.marketdata;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine thread's registry of who holds what: the depths of an instrument's book (the deepest is the edge the
 * engine sends; at most {@link Subscriptions#MAX_DEPTHS} + 1 different depths are served) and the other channels.
 */
class SubscriptionsTest {
    private final MarketFeed feed = new MarketFeed(StreamLimits.defaults(), new FeedFormats(), (s, e) -> { });

    private Subscriber subscriber() {
        return Subscriber.of(new EmbeddedChannel(), feed);
    }

    @Test
    void depthsAreCountedAndCappedPerInstrument() {
        Subscriptions subscriptions = new Subscriptions(StreamLimits.defaults().withCaps(64, 100_000, 4));
        List<Subscriber> subscribers = new ArrayList<>();
        for (int depth = 1; depth <= Subscriptions.MAX_DEPTHS; depth++) {
            Subscriber s = subscriber();
            subscribers.add(s);
            assertEquals(depth, subscriptions.servedDepth(1, depth));
            subscriptions.addBook(s, 1, depth * 2);
        }
        assertEquals(2 * Subscriptions.MAX_DEPTHS, subscriptions.maxDepth(1));
        // 32 depths served: a new one is served at the next deeper one, or at the deepest of all.
        assertEquals(6, subscriptions.servedDepth(1, 5));
        assertEquals(4, subscriptions.servedDepth(1, 4), "a depth served already");
        assertEquals(Subscriptions.DEEPEST, subscriptions.servedDepth(1, 2 * Subscriptions.MAX_DEPTHS + 1));
        assertEquals(7, subscriptions.servedDepth(2, 7), "another instrument has its own");
        Subscriber deepest = subscriber();
        subscriptions.addBook(deepest, 1, Subscriptions.DEEPEST);
        assertEquals(Subscriptions.DEEPEST, subscriptions.maxDepth(1));
        assertEquals(Subscriptions.DEEPEST, subscriptions.servedDepth(1, 999));

        // Leaving and changing depth move the deepest.
        assertTrue(subscriptions.removeBook(deepest, 1));
        assertEquals(2 * Subscriptions.MAX_DEPTHS, subscriptions.maxDepth(1));
        subscriptions.addBook(subscribers.get(Subscriptions.MAX_DEPTHS - 1), 1, 4);
        assertEquals(2 * Subscriptions.MAX_DEPTHS - 2, subscriptions.maxDepth(1));
        assertEquals(5, subscriptions.servedDepth(1, 5), "moved to a depth served already: 31 depths, room for one more");
        for (Subscriber s : subscribers) {
            assertTrue(subscriptions.removeAll(s));
        }
        assertEquals(0, subscriptions.maxDepth(1));
        assertFalse(subscriptions.hasBook(1));
    }

    @Test
    void theOtherChannelsAreHeldPerInstrument() {
        Subscriptions subscriptions = new Subscriptions(StreamLimits.defaults().withCaps(3, 100, 4));
        Subscriber s = subscriber();
        subscriptions.addChannel(s, Channels.TRADES, 1);
        subscriptions.addChannel(s, Channels.TICKER, 2);
        assertTrue(subscriptions.has(Channels.TRADES, 1));
        assertTrue(subscriptions.hasBookOr(Channels.TRADES, 1));
        assertFalse(subscriptions.hasBookOr(Channels.LIQUIDATIONS, 1));
        assertFalse(subscriptions.hasBook(1));
        assertEquals(List.of(2), subscriptions.instrumentsWith(Channels.TICKER));
        subscriptions.addBook(s, 1, 5);
        assertEquals("at most 3 subscriptions per connection", subscriptions.refusal(s), "every channel counts");
        assertTrue(subscriptions.removeChannel(s, Channels.TRADES, 1));
        assertFalse(subscriptions.removeChannel(s, Channels.TRADES, 1));
        assertTrue(subscriptions.hasBookOr(Channels.TRADES, 1), "the book carries the trades");
        assertTrue(subscriptions.removeAll(s));
        assertFalse(subscriptions.has(Channels.TICKER, 2));
        assertEquals(List.of(), subscriptions.instrumentsWith(Channels.TICKER));
    }
}
