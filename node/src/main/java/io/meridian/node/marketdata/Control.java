package io.meridian.node.marketdata;

import io.meridian.model.BookSnapshot;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A change of who hears what, from the engine thread to the publisher thread ({@link FeedRing#control}), stamped with
 * its place in the event stream: the publisher applies it after every event claimed before it and before every event
 * claimed after it. That is what keeps the subscription contract: a snapshot taken on the engine thread between two
 * commands reaches the subscriber exactly between the deltas it already reflects and the ones it does not.
 *
 * <p>Kinds: {@link #SUBSCRIBE} (a book stream and its snapshot), {@link #SUBSCRIBE_ACCOUNT}, {@link #SUBSCRIBE_CHANNEL}
 * (trades, ticker, funding or liquidations of an instrument, with the ticker's or the predicted funding's state now),
 * {@link #UNSUBSCRIBE_BOOK}, {@link #UNSUBSCRIBE_ACCOUNT}, {@link #UNSUBSCRIBE_CHANNEL}, {@link #REMOVE} (every stream of
 * a connection), {@link #RESYNC_SUBSCRIBER} (fresh snapshots for a slow consumer that caught up), {@link #RESYNC_BOOK},
 * {@link #RESYNC_ACCOUNT} and {@link #RESYNC_CHANNELS} (after the hand-off ring overflowed). {@code done}, when set,
 * completes on the publisher thread once the change is in effect and every message from before it has been handed to
 * the connection's I/O thread, so an answer written after that (the {@code unsubscribed} acknowledgement) follows
 * them. Each change carries the engine's last sequence and time when it was made ({@link #stampTime}), for the
 * messages it makes.
 */
public final class Control {
    public static final int SUBSCRIBE = 1;
    public static final int SUBSCRIBE_ACCOUNT = 2;
    public static final int UNSUBSCRIBE_BOOK = 3;
    public static final int UNSUBSCRIBE_ACCOUNT = 4;
    public static final int REMOVE = 5;
    public static final int RESYNC_SUBSCRIBER = 6;
    public static final int RESYNC_BOOK = 7;
    public static final int RESYNC_ACCOUNT = 8;
    public static final int SUBSCRIBE_CHANNEL = 9;
    public static final int UNSUBSCRIBE_CHANNEL = 10;
    public static final int RESYNC_CHANNELS = 11;

    /** A book snapshot for one instrument at one depth. */
    public record Book(int instrument, int depth, BookSnapshot snapshot) {
    }

    final int kind;
    final Subscriber subscriber;
    final int instrument;
    final long account;
    final long episode;
    final List<Book> books;
    final CompletableFuture<Boolean> done;
    /** A public channel ({@link Channels}) for the channel kinds. */
    int channel;
    /** The subscribe request's id, echoed on its {@code subscribed} message (null: none). */
    Long requestId;
    /** The address an account stream was asked for by (as the client wrote it), or null. */
    String address;
    /** The channel's state at the subscription: a ticker or the predicted funding (a {@link FeedSlot}), or null. */
    FeedSlot state;
    /** The engine's last sequence and command time (epoch nanoseconds) when the change was made. */
    long sequence;
    long timestamp;
    /** The last event claimed before this change (set by {@link FeedRing#control}). */
    long stamp;

    private Control(int kind, Subscriber subscriber, int instrument, long account, long episode, List<Book> books,
                    CompletableFuture<Boolean> done) {
        this.kind = kind;
        this.subscriber = subscriber;
        this.instrument = instrument;
        this.account = account;
        this.episode = episode;
        this.books = books;
        this.done = done;
    }

    /** Sets the engine's last sequence and command time for the messages this change makes; returns this. */
    public Control stampTime(long lastSequence, long lastTimestamp) {
        this.sequence = lastSequence;
        this.timestamp = lastTimestamp;
        return this;
    }

    /** The subscribe request's id for the {@code subscribed} message; returns this. */
    public Control requestId(Long id) {
        this.requestId = id;
        return this;
    }

    public static Control subscribe(Subscriber s, Book book) {
        return new Control(SUBSCRIBE, s, book.instrument(), 0, 0, List.of(book), null);
    }

    public static Control subscribeAccount(Subscriber s, long account) {
        return new Control(SUBSCRIBE_ACCOUNT, s, 0, account, 0, List.of(), null);
    }

    /**
     * A stream of a public channel other than the book; {@code state} is the ticker or the predicted funding now (null
     * for trades and liquidations), sent to the subscriber after its {@code subscribed} message.
     */
    public static Control subscribeChannel(Subscriber s, int channel, int instrument, FeedSlot state) {
        Control c = new Control(SUBSCRIBE_CHANNEL, s, instrument, 0, 0, List.of(), null);
        c.channel = channel;
        c.state = state;
        return c;
    }

    /** An account stream, asked for by {@code address} (null: by id). */
    public static Control subscribeAccount(Subscriber s, long account, String address) {
        Control c = subscribeAccount(s, account);
        c.address = address;
        return c;
    }

    public static Control unsubscribeChannel(Subscriber s, int channel, int instrument,
                                             CompletableFuture<Boolean> done) {
        Control c = new Control(UNSUBSCRIBE_CHANNEL, s, instrument, 0, 0, List.of(), done);
        c.channel = channel;
        return c;
    }

    /** After an overflow: every stream of the public channels other than the book lost messages. */
    public static Control resyncChannels() {
        return new Control(RESYNC_CHANNELS, null, 0, 0, 0, List.of(), null);
    }

    public static Control unsubscribeBook(Subscriber s, int instrument, CompletableFuture<Boolean> done) {
        return new Control(UNSUBSCRIBE_BOOK, s, instrument, 0, 0, List.of(), done);
    }

    public static Control unsubscribeAccount(Subscriber s, long account, CompletableFuture<Boolean> done) {
        return new Control(UNSUBSCRIBE_ACCOUNT, s, 0, account, 0, List.of(), done);
    }

    public static Control remove(Subscriber s, CompletableFuture<Boolean> done) {
        return new Control(REMOVE, s, 0, 0, 0, List.of(), done);
    }

    /** A slow consumer's fresh snapshots, one per book stream it holds, for its slow-consumer {@code episode}. */
    public static Control resyncSubscriber(Subscriber s, long episode, List<Book> books) {
        return new Control(RESYNC_SUBSCRIBER, s, 0, 0, episode, books, null);
    }

    /** After an overflow: a fresh snapshot of {@code book.instrument()} at its subscribers' greatest depth. */
    public static Control resyncBook(Book book) {
        return new Control(RESYNC_BOOK, null, book.instrument(), 0, 0, List.of(book), null);
    }

    /** After an overflow: the account's private streams lost messages. */
    public static Control resyncAccount(long account) {
        return new Control(RESYNC_ACCOUNT, null, 0, account, 0, List.of(), null);
    }

    /**
     * Whether the change is refused when the control queue is at its bound: only subscriptions, which a client can
     * ask for at will. Removals and resyncs always go: there can be no more of them than streams in existence.
     */
    boolean bounded() {
        return kind == SUBSCRIBE || kind == SUBSCRIBE_ACCOUNT || kind == SUBSCRIBE_CHANNEL;
    }
}
