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
 * <p>Kinds: {@link #SUBSCRIBE} (a book stream and its snapshot), {@link #SUBSCRIBE_ACCOUNT}, {@link #UNSUBSCRIBE_BOOK},
 * {@link #UNSUBSCRIBE_ACCOUNT}, {@link #REMOVE} (every stream of a connection), {@link #RESYNC_SUBSCRIBER} (fresh
 * snapshots for a slow consumer that caught up), {@link #RESYNC_BOOK} and {@link #RESYNC_ACCOUNT} (after the hand-off
 * ring overflowed). {@code done}, when set, completes on the publisher thread once the change is in effect and every
 * message from before it has been handed to the connection's I/O thread, so an answer written after that (the
 * {@code unsubscribed} acknowledgement) follows them.
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

    public static Control subscribe(Subscriber s, Book book) {
        return new Control(SUBSCRIBE, s, book.instrument(), 0, 0, List.of(book), null);
    }

    public static Control subscribeAccount(Subscriber s, long account) {
        return new Control(SUBSCRIBE_ACCOUNT, s, 0, account, 0, List.of(), null);
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
        return kind == SUBSCRIBE || kind == SUBSCRIBE_ACCOUNT;
    }
}
