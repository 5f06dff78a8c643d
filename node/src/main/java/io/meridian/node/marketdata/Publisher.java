package io.meridian.node.marketdata;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The publisher thread: takes the engine's events from the {@link FeedRing}, encodes each message once and hands the
 * same bytes to every subscriber of its stream, so neither the engine thread nor a crowd of subscribers multiplies
 * the work (docs/api.md, "WebSocket" and "Slow consumers").
 *
 * <p><b>Streams.</b> A book stream per subscribed instrument: the level changes of one command become one delta
 * ({@code first}, {@code last}, {@code prev}: see {@code MarketData}), and trades, marks, liquidations, expiries and
 * settlements go as they come. An account stream per subscribed account. Messages keep their order within a stream;
 * between the streams of one connection, a batch of commands' messages may arrive stream by stream.
 *
 * <p><b>Fan-outs.</b> Every message of a stream since the last fan-out is framed into one buffer; at the fan-out that
 * buffer goes to each subscriber of the stream as a retained duplicate (one reference, no copy), and each I/O thread
 * gets one task for all its connections that have something new. Fan-outs follow each other at once while few
 * subscribers take them, and further apart the more do ({@link #FANOUT_NANOS_PER_SUBSCRIBER}), so a crowd of
 * subscribers costs about what a few do. A subscriber over its bound is handled by the slow-consumer policy
 * ({@link Subscriber}).
 *
 * <p><b>Changes</b> ({@link Control}) apply exactly at their place among the events; the stream's buffer is handed out
 * first, so a new subscriber's snapshot is followed only by later messages, and nothing of a stream follows its
 * {@code unsubscribed} acknowledgement. Publisher thread only, apart from {@link #hold} and {@link #stop}.
 */
final class Publisher implements Runnable {
    static final String SLOW_CONSUMER = "slow_consumer";
    static final String FEED_OVERFLOW = "feed_overflow";
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The pause between two fan-outs per subscriber handed something in the last one, and its cap: a fan-out costs
     * each subscriber a queue entry here and a write on its I/O thread, so with many subscribers the messages of more
     * commands are gathered into each fan-out instead. A few subscribers get their messages at once (10 of them: after
     * at most 0.2 ms), a thousand every 20 ms; either way the fan-outs cost about the same CPU per second.
     */
    static final long FANOUT_NANOS_PER_SUBSCRIBER = TimeUnit.MICROSECONDS.toNanos(20);
    static final long MAX_FANOUT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MarketFeed feed;
    private final FeedRing ring;
    private final FeedFormats formats;
    private final FeedStats stats;
    private final Map<Integer, BookStream> books = new HashMap<>();
    private final Map<Long, AccountStream> accounts = new HashMap<>();
    /** Streams with framed messages waiting for the end of the batch. */
    private final ArrayList<Stream> touched = new ArrayList<>();
    /** Book streams with level changes of the command being read. */
    private final ArrayList<BookStream> inCommand = new ArrayList<>();
    /** Hands queued frames to the subscribers' I/O threads, with the slow-consumer policy. */
    private final Fanout fanout;
    private final JsonBytes text = new JsonBytes(4096);
    private final JsonBytes frame = new JsonBytes(4096);
    private final Thread thread;
    private long processed = -1;
    /** When the last fan-out was, and how many subscribers it handed something to. */
    private long lastFanout = System.nanoTime();
    private int lastOffers;
    private volatile boolean running = true;
    private volatile boolean held;

    private abstract static class Stream {
        final JsonBytes chunk = new JsonBytes(1024);
        boolean touched;
    }

    private static final class Member {
        final Subscriber subscriber;
        int depth;

        Member(Subscriber subscriber, int depth) {
            this.subscriber = subscriber;
            this.depth = depth;
        }
    }

    private static final class BookStream extends Stream {
        final int instrument;
        final FeedFormats.Instrument format;
        final ArrayList<Member> members = new ArrayList<>();
        /** The {@code last} of the previous message (delta or snapshot), -1 before any. */
        long lastSent = -1;
        boolean inCommand;
        long first;
        long last;
        long[] bids = new long[32];
        int bidCount;
        long[] asks = new long[32];
        int askCount;

        BookStream(int instrument, FeedFormats.Instrument format) {
            this.instrument = instrument;
            this.format = format;
        }

        Member member(Subscriber s) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).subscriber == s) {
                    return members.get(i);
                }
            }
            return null;
        }
    }

    private static final class AccountStream extends Stream {
        final long account;
        final ArrayList<Subscriber> members = new ArrayList<>();

        AccountStream(long account) {
            this.account = account;
        }
    }

    Publisher(MarketFeed feed, FeedFormats formats) {
        this.feed = feed;
        this.ring = feed.ring();
        this.formats = formats;
        this.stats = feed.stats();
        this.fanout = new Fanout(feed.limits().maxPendingBytes(), stats);
        this.thread = new Thread(this, "meridian-market-data");
        thread.setDaemon(true);
        ring.consumerThread(thread);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void hold(boolean hold) {
        held = hold;
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (running) {
            if (held) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, PARK_NANOS);
                continue;
            }
            boolean worked = false;
            long available = ring.published();
            for (long seq = processed + 1; seq <= available; seq++) {
                applyControls(seq - 1);
                FeedSlot slot = ring.slot(seq);
                try {
                    handle(slot);
                } catch (RuntimeException e) {
                    error(e);
                }
                processed = seq;
                worked = true;
            }
            ring.consumed(processed);
            worked |= applyControls(processed);
            if (touched.isEmpty() && fanout.idle()) {
                if (!worked) {
                    ring.await(processed, PARK_NANOS);
                }
                continue;
            }
            long now = System.nanoTime();
            long due = lastFanout + Math.min(MAX_FANOUT_GAP_NANOS, lastOffers * FANOUT_NANOS_PER_SUBSCRIBER);
            if (now - due >= 0) {
                endBatch();
                lastFanout = now;
            } else if (!worked) {
                // Not woken by the engine meanwhile (that is for an idle publisher): what comes is gathered.
                java.util.concurrent.locks.LockSupport.parkNanos(this, due - now);
            }
        }
    }

    private void error(RuntimeException e) {
        if (stats.errors.getAndIncrement() == 0) {
            System.err.println("market data: publisher error (the event is skipped; later ones are counted): " + e);
            e.printStackTrace();
        }
    }

    private boolean applyControls(long upTo) {
        boolean any = false;
        Control c;
        while ((c = ring.nextControl(upTo)) != null) {
            any = true;
            try {
                apply(c);
            } catch (RuntimeException e) {
                error(e);
                if (c.done != null) {
                    c.done.completeExceptionally(e);
                }
            }
        }
        return any;
    }

    private void handle(FeedSlot s) {
        switch (s.kind) {
            case FeedSlot.LEVEL -> level(s);
            case FeedSlot.COMMAND_END -> commandEnd();
            case FeedSlot.TRADE, FeedSlot.MARK, FeedSlot.LIQUIDATION, FeedSlot.EXPIRY, FeedSlot.SETTLEMENT,
                 FeedSlot.RISK_SCALE, FeedSlot.PROPOSAL -> {
                BookStream book = books.get(s.instrument);
                if (book == null || s.kind == FeedSlot.SETTLEMENT && book.format.indexUnit() == null) {
                    return;
                }
                FeedEncoder.instrumentEvent(text.clear(), s, book.format);
                append(book);
            }
            default -> {
                AccountStream account = accounts.get(s.account);
                if (account == null) {
                    return;
                }
                FeedFormats.Instrument f = s.kind == FeedSlot.BALANCE ? null : formats.of(s.instrument);
                if (s.kind != FeedSlot.BALANCE && (f == null
                        || s.kind == FeedSlot.ACCOUNT_SETTLEMENT && f.indexUnit() == null)) {
                    return;
                }
                FeedEncoder.accountEvent(text.clear(), s, f, formats.assetScale(s.asset));
                append(account);
            }
        }
    }

    /** Frames {@link #text} into the stream's buffer for this batch. */
    private void append(Stream stream) {
        stream.chunk.textFrame(text);
        if (!stream.touched) {
            stream.touched = true;
            touched.add(stream);
        }
    }

    private void level(FeedSlot s) {
        BookStream book = books.get(s.instrument);
        if (book == null) {
            return;
        }
        if (!book.inCommand) {
            book.inCommand = true;
            book.first = s.a;
            inCommand.add(book);
        }
        book.last = s.a;
        if (s.side == FeedSlot.BUY) {
            if (2 * book.bidCount + 2 > book.bids.length) {
                book.bids = java.util.Arrays.copyOf(book.bids, book.bids.length * 2);
            }
            book.bids[2 * book.bidCount] = s.price;
            book.bids[2 * book.bidCount + 1] = s.quantity;
            book.bidCount++;
        } else {
            if (2 * book.askCount + 2 > book.asks.length) {
                book.asks = java.util.Arrays.copyOf(book.asks, book.asks.length * 2);
            }
            book.asks[2 * book.askCount] = s.price;
            book.asks[2 * book.askCount + 1] = s.quantity;
            book.askCount++;
        }
    }

    /** One delta per book the command changed. */
    private void commandEnd() {
        for (int i = 0; i < inCommand.size(); i++) {
            BookStream book = inCommand.get(i);
            if (!book.inCommand) {
                continue;
            }
            long prev = book.lastSent >= 0 ? book.lastSent : book.first - 1;
            FeedEncoder.delta(text.clear(), book.instrument, book.first, book.last, prev, book.bids, book.bidCount,
                    book.asks, book.askCount, book.format);
            append(book);
            book.lastSent = book.last;
            discardCommand(book);
        }
        inCommand.clear();
    }

    private static void discardCommand(BookStream book) {
        book.inCommand = false;
        book.bidCount = 0;
        book.askCount = 0;
    }

    private void endBatch() {
        fanout.startBatch();
        for (int i = 0; i < touched.size(); i++) {
            Stream stream = touched.get(i);
            stream.touched = false;
            flush(stream);
        }
        touched.clear();
        fanout.dispatch();
        lastOffers = fanout.offers();
    }

    /** Hands the stream's framed messages to every subscriber that may take them now. */
    private void flush(Stream stream) {
        int n = stream.chunk.length();
        if (n == 0) {
            return;
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n, n);
        buf.writeBytes(stream.chunk.array(), 0, n);
        stream.chunk.clear();
        try {
            if (stream instanceof BookStream book) {
                for (int i = 0; i < book.members.size(); i++) {
                    Subscriber s = book.members.get(i).subscriber;
                    if (!s.stale) {
                        fanout.offer(s, buf, n);
                    }
                }
            } else {
                List<Subscriber> members = ((AccountStream) stream).members;
                for (int i = 0; i < members.size(); i++) {
                    fanout.offer(members.get(i), buf, n);
                }
            }
        } finally {
            buf.release();
        }
    }

    private void apply(Control c) {
        Subscriber s = c.subscriber;
        switch (c.kind) {
            case Control.SUBSCRIBE -> subscribe(s, c.books.get(0));
            case Control.SUBSCRIBE_ACCOUNT -> {
                AccountStream account = accounts.computeIfAbsent(c.account, AccountStream::new);
                if (!account.members.contains(s)) {
                    account.members.add(s);
                    s.accounts.add(c.account);
                }
            }
            case Control.UNSUBSCRIBE_BOOK -> removeBook(s, c.instrument);
            case Control.UNSUBSCRIBE_ACCOUNT -> removeAccount(s, c.account);
            case Control.REMOVE -> {
                for (Integer instrument : new ArrayList<>(s.books)) {
                    removeBook(s, instrument);
                }
                for (Long account : new ArrayList<>(s.accounts)) {
                    removeAccount(s, account);
                }
            }
            case Control.RESYNC_SUBSCRIBER -> resyncSubscriber(s, c);
            case Control.RESYNC_BOOK -> resyncBook(c.books.get(0));
            case Control.RESYNC_ACCOUNT -> {
                AccountStream account = accounts.get(c.account);
                if (account != null) {
                    flush(account);
                    frame.clear();
                    FeedEncoder.resyncAccount(text.clear(), c.account, FEED_OVERFLOW, "the node's market-data queue"
                            + " overflowed and messages of this stream were lost; read the account's state over REST");
                    frame.textFrame(text);
                    for (int i = 0; i < account.members.size(); i++) {
                        fanout.offerOwn(account.members.get(i), frame);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown change " + c.kind);
        }
        if (c.done != null) {
            // Whatever came before the change is on its way to the I/O threads before the caller's answer.
            fanout.dispatch();
            c.done.complete(Boolean.TRUE);
        }
    }

    private void subscribe(Subscriber s, Control.Book b) {
        s.releaseSnapshot();
        BookStream book = books.get(b.instrument());
        if (book == null) {
            FeedFormats.Instrument format = formats.of(b.instrument());
            if (format == null) {
                return;
            }
            book = new BookStream(b.instrument(), format);
            books.put(b.instrument(), book);
        }
        flush(book);
        Member member = book.member(s);
        if (member == null) {
            book.members.add(new Member(s, b.depth()));
            s.books.add(b.instrument());
        } else {
            member.depth = b.depth();
        }
        book.lastSent = b.snapshot().l2Sequence();
        if (!s.stale) {
            // A conflated subscriber gets this book's snapshot with its resync instead.
            FeedEncoder.snapshot(text.clear(), b.snapshot(), b.depth(), book.format);
            frame.clear().textFrame(text);
            fanout.offerOwn(s, frame);
        }
    }

    private void removeBook(Subscriber s, int instrument) {
        BookStream book = books.get(instrument);
        if (book == null) {
            return;
        }
        flush(book);
        Member member = book.member(s);
        if (member != null) {
            book.members.remove(member);
            s.books.remove(instrument);
        }
        if (book.members.isEmpty()) {
            // The engine stops sending its events; a later subscription starts again from its snapshot.
            books.remove(instrument);
            discardCommand(book);
        }
    }

    private void removeAccount(Subscriber s, long id) {
        AccountStream account = accounts.get(id);
        if (account == null) {
            return;
        }
        flush(account);
        if (account.members.remove(s)) {
            s.accounts.remove(id);
        }
        if (account.members.isEmpty()) {
            accounts.remove(id);
        }
    }

    /** A conflated subscriber caught up: a resync message and a fresh snapshot per book stream, then the deltas. */
    private void resyncSubscriber(Subscriber s, Control c) {
        if (!s.stale || s.episodes != c.episode) {
            return;
        }
        frame.clear();
        for (Control.Book b : c.books) {
            BookStream book = books.get(b.instrument());
            Member member = book == null ? null : book.member(s);
            if (member == null) {
                continue;
            }
            flush(book);
            book.lastSent = b.snapshot().l2Sequence();
            FeedEncoder.resyncBook(text.clear(), b.instrument(), SLOW_CONSUMER, "slow consumer: messages of this"
                    + " stream were dropped while the connection could not keep up; a fresh snapshot follows");
            frame.textFrame(text);
            FeedEncoder.snapshot(text.clear(), b.snapshot(), member.depth, book.format);
            frame.textFrame(text);
        }
        s.stale = false;
        s.resolved = c.episode;
        stats.resyncs.incrementAndGet();
        if (frame.length() > 0) {
            fanout.offerOwn(s, frame);
        }
    }

    /** After an overflow: every subscriber of the book gets a resync message and a fresh snapshot. */
    private void resyncBook(Control.Book b) {
        BookStream book = books.get(b.instrument());
        if (book == null) {
            return;
        }
        discardCommand(book);
        inCommand.remove(book);
        flush(book);
        book.lastSent = b.snapshot().l2Sequence();
        for (int i = 0; i < book.members.size(); i++) {
            Member member = book.members.get(i);
            if (member.subscriber.stale) {
                continue;
            }
            FeedEncoder.resyncBook(text.clear(), b.instrument(), FEED_OVERFLOW, "the node's market-data queue"
                    + " overflowed and messages of this stream were lost; a fresh snapshot follows");
            frame.clear().textFrame(text);
            FeedEncoder.snapshot(text.clear(), b.snapshot(), member.depth, book.format);
            frame.textFrame(text);
            fanout.offerOwn(member.subscriber, frame);
        }
        stats.resyncs.incrementAndGet();
    }
}
