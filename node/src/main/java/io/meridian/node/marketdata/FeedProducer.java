package io.meridian.node.marketdata;

import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The engine thread's end of the market-data path: it claims the ring's slots for events, decides subscriptions
 * (snapshot and registration in one step, the caps), and when the ring overflowed drops events until it can
 * resynchronise every stream. Nothing here waits for the publisher or does anything per subscriber per event.
 * Engine thread only (the subscription methods run in the engine loop's queries, so in order with the commands).
 */
public final class FeedProducer {
    private static final String BUSY = "market data busy: too many subscription changes queued; retry";

    private final Subscriptions subscriptions;
    private final Supplier<Engine> engine;
    /** Null until {@link #start}: nothing is handed over before the gateway can subscribe anyone. */
    private MarketFeed feed;
    private FeedRing ring;
    /** Whether events are being dropped (the ring was full) until the streams are resynchronised. */
    private boolean lost;
    /** Runs on the engine thread right after an overflow's resync is queued (fresh tickers and predicted funding). */
    private Runnable afterResync = () -> { };

    public FeedProducer(StreamLimits limits, Supplier<Engine> engine) {
        this.subscriptions = new Subscriptions(limits);
        this.engine = engine;
    }

    /** Starts the publisher thread. */
    public void start(StreamLimits limits, FeedFormats formats, MarketFeed.Resyncer resyncer) {
        feed = new MarketFeed(limits, formats, resyncer);
        ring = feed.ring();
        feed.start();
    }

    public MarketFeed feed() {
        return feed;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** What to run on the engine thread right after the streams were resynchronised after an overflow. */
    public void afterResync(Runnable r) {
        this.afterResync = r;
    }

    /** {@code c} stamped with the engine's last sequence and command time. */
    private static Control stamped(Control c, Engine e) {
        return e == null ? c : c.stampTime(e.lastSequence(), e.view().lastTimestamp());
    }

    public void close() {
        if (feed != null) {
            feed.close();
        }
    }

    /** A cleared slot of {@code kind}, or null while events are dropped (the ring is full, or was and is not resynced). */
    public FeedSlot claim(int kind) {
        if (ring == null) {
            return null;
        }
        FeedSlot slot = lost ? null : ring.claim();
        if (slot == null) {
            if (!lost) {
                lost = true;
                feed.stats().overflow();
            }
            feed.stats().dropped();
            return null;
        }
        slot.kind = kind;
        return slot;
    }

    /**
     * At the end of each batch: hands what the batch produced to the publisher (one wake-up), and after an overflow,
     * once the ring has room for half its size, first resynchronises every stream: a fresh snapshot of each book at its
     * subscribers' greatest depth, a {@code resync} message on each account stream, placed before any later event.
     */
    public void batchEnd() {
        if (ring == null) {
            return;
        }
        if (lost && ring.free() >= ring.capacity() / 2) {
            lost = false;
            Engine e = engine.get();
            subscriptions.booksWithDepth().forEach((instrument, depth) -> ring.control(stamped(Control.resyncBook(
                    new Control.Book(instrument, depth, e.view().book(instrument).snapshot(depth))), e)));
            for (long account : subscriptions.accounts()) {
                ring.control(stamped(Control.resyncAccount(account), e));
            }
            ring.control(stamped(Control.resyncChannels(), e));
            afterResync.run();
        }
        ring.publish();
    }

    /**
     * Snapshot plus registration, in one step: refused (an error frame, false) over a cap or when too many changes are
     * queued for the publisher. A connection that holds the book already gets a fresh snapshot (a resync). The depth
     * served may be deeper than asked ({@link Subscriptions#servedDepth}); the snapshot says which.
     */
    public boolean subscribe(Engine e, Subscriber s, int instrument, int depth, Long requestId) {
        String refusal = subscriptions.holdsBook(s, instrument) ? null : subscriptions.refusal(s);
        if (refusal == null) {
            depth = subscriptions.servedDepth(instrument, depth);
            BookSnapshot snapshot = e.view().book(instrument).snapshot(depth);
            if (ring.control(stamped(Control.subscribe(s, new Control.Book(instrument, depth, snapshot)), e))) {
                subscriptions.addBook(s, instrument, depth);
                return true;
            }
            refusal = BUSY;
        }
        s.releaseSnapshot();
        subscriptions.countRefusal();
        s.refuse(Subscriptions.REFUSED, refusal, requestId);
        return false;
    }

    /**
     * The account's order, fill and balance events go to {@code s} from now on, after a {@code subscribed} message
     * (unless refused: an error frame). {@code address} is how the client named the account (null: by id).
     */
    public boolean subscribeAccount(Engine e, Subscriber s, long account, String address, Long requestId) {
        boolean held = subscriptions.holdsAccount(s, account);
        String refusal = held ? null : subscriptions.refusal(s);
        if (refusal == null) {
            if (ring.control(stamped(Control.subscribeAccount(s, account, address).requestId(requestId), e))) {
                subscriptions.addAccount(s, account);
                return true;
            }
            refusal = BUSY;
        }
        subscriptions.countRefusal();
        s.refuse(Subscriptions.REFUSED, refusal, requestId);
        return false;
    }

    /**
     * A public channel other than the book ({@link Channels}) of the instrument goes to {@code s} from now on, after a
     * {@code subscribed} message and, for the ticker and funding, {@code state} (the channel's state now). Held
     * already: the {@code subscribed} message and the state again.
     */
    public boolean subscribeChannel(Engine e, Subscriber s, int channel, int instrument, FeedSlot state,
                                    Long requestId) {
        boolean held = subscriptions.holdsChannel(s, channel, instrument);
        String refusal = held ? null : subscriptions.refusal(s);
        if (refusal == null) {
            if (ring.control(stamped(Control.subscribeChannel(s, channel, instrument, state).requestId(requestId),
                    e))) {
                subscriptions.addChannel(s, channel, instrument);
                return true;
            }
            refusal = BUSY;
        }
        subscriptions.countRefusal();
        s.refuse(Subscriptions.REFUSED, refusal, requestId);
        return false;
    }

    /** Stops one public channel's stream; {@code done} as {@link #unsubscribeBook}. */
    public void unsubscribeChannel(Subscriber s, int channel, int instrument, CompletableFuture<Boolean> done) {
        if (!subscriptions.removeChannel(s, channel, instrument)
                || !ring.control(Control.unsubscribeChannel(s, channel, instrument, done))) {
            done.complete(Boolean.TRUE);
        }
    }

    /** Stops one book stream; {@code done} completes once no message of it follows (at once if not held). */
    public void unsubscribeBook(Subscriber s, int instrument, CompletableFuture<Boolean> done) {
        if (!subscriptions.removeBook(s, instrument) || !ring.control(Control.unsubscribeBook(s, instrument, done))) {
            done.complete(Boolean.TRUE);
        }
    }

    /** Stops one account stream; {@code done} as above. */
    public void unsubscribeAccount(Subscriber s, long account, CompletableFuture<Boolean> done) {
        if (!subscriptions.removeAccount(s, account) || !ring.control(Control.unsubscribeAccount(s, account, done))) {
            done.complete(Boolean.TRUE);
        }
    }

    /** Stops every stream of {@code s}; {@code done} as above. */
    public void unsubscribeAll(Subscriber s, CompletableFuture<Boolean> done) {
        if (!subscriptions.removeAll(s) || !ring.control(Control.remove(s, done))) {
            done.complete(Boolean.TRUE);
        }
    }

    /** A slow consumer caught up: a fresh snapshot of each book it holds, at its place in the stream (true). */
    public boolean resync(Engine e, Subscriber s, long episode) {
        List<Control.Book> books = new ArrayList<>();
        subscriptions.booksOf(s).forEach((instrument, depth) ->
                books.add(new Control.Book(instrument, depth, e.view().book(instrument).snapshot(depth))));
        return ring.control(stamped(Control.resyncSubscriber(s, episode, books), e));
    }
}
