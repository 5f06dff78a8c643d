package io.meridian.node.marketdata;

import io.meridian.node.marketdata.FeedStreams.AccountStream;
import io.meridian.node.marketdata.FeedStreams.BookStream;
import io.meridian.node.marketdata.FeedStreams.ChannelStream;
import io.meridian.node.marketdata.FeedStreams.Group;
import io.meridian.node.marketdata.FeedStreams.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The publisher thread: takes the engine's events from the {@link FeedRing}, encodes each message once and hands the
 * same bytes to every subscriber of its stream, so neither the engine thread nor a crowd of subscribers multiplies
 * the work (docs/api.md, "WebSocket" and "Slow consumers").
 *
 * <p><b>Streams.</b> A book stream per subscribed instrument, split into one group per subscribed depth: the book is
 * kept here as deep as the deepest subscriber ({@link BookWindows}), and each command's change of a group's window
 * becomes one delta for that group ({@code first}, {@code last}, {@code prev}: see {@code MarketData}); a command that
 * changed nothing within a group's window sends that group nothing. Trades, marks, liquidations, expiries and
 * settlements go to every group as they come. A stream per subscribed trades, ticker, funding or liquidations channel
 * of an instrument, and one per subscribed account. Messages keep their order within a stream; between the streams
 * of one connection, a batch of commands' messages may arrive stream by stream.
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
 * {@code unsubscribed} acknowledgement. A subscriber that joins a depth group whose last delta is older than its
 * snapshot (commands since changed nothing in that window) first brings the group's other members to the snapshot's
 * l2 sequence with an empty delta, so every member of a group expects the same {@code prev}. Publisher thread only,
 * apart from {@link #hold} and {@link #stop}.
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
    /** The trades, ticker, funding and liquidations streams, by {@link Channels#key}. */
    private final Map<Long, ChannelStream> channels = new HashMap<>();
    private final Map<Long, AccountStream> accounts = new HashMap<>();
    /** Streams with framed messages waiting for the end of the batch. */
    private final ArrayList<Stream> touched = new ArrayList<>();
    /** Book streams with level changes of the command being read. */
    private final ArrayList<BookStream> inCommand = new ArrayList<>();
    /** Per instrument, the index's price step in the ticker (the tick over the index units per tick). */
    private final Map<Integer, IndexStep> indexSteps = new HashMap<>();
    /** Hands queued frames to the subscribers' I/O threads, with the slow-consumer policy. */
    private final Fanout fanout;
    private final JsonBytes text = new JsonBytes(4096);
    private final JsonBytes frame = new JsonBytes(4096);
    private final BookWindows.Delta delta = new BookWindows.Delta();
    private final BookWindows.Delta empty = new BookWindows.Delta();
    private final Thread thread;
    private long processed = -1;
    /** When the last fan-out was, and how many subscribers it handed something to. */
    private long lastFanout = System.nanoTime();
    private int lastOffers;
    private volatile boolean running = true;
    private volatile boolean held;

    private record IndexStep(long unitsPerTick, DecimalStep step) {
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
            case FeedSlot.LEVEL, FeedSlot.EDGE -> level(s);
            case FeedSlot.COMMAND_END -> commandEnd(s);
            case FeedSlot.TRADE -> {
                toBook(s);
                toChannel(s, Channels.TRADES);
            }
            case FeedSlot.LIQUIDATION -> {
                toBook(s);
                toChannel(s, Channels.LIQUIDATIONS);
            }
            case FeedSlot.MARK, FeedSlot.EXPIRY, FeedSlot.SETTLEMENT, FeedSlot.RISK_SCALE, FeedSlot.PROPOSAL -> toBook(s);
            case FeedSlot.TICKER, FeedSlot.FUNDING -> state(s);
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
                FeedEncoder.accountEvent(text.clear(), s, f, formats.assetScale(s.asset), formats.assetSymbol(s.asset));
                append(account);
            }
        }
    }

    /** A public event to every depth group of the instrument's book stream, as the book channel writes it. */
    private void toBook(FeedSlot s) {
        BookStream book = books.get(s.instrument);
        if (book == null || s.kind == FeedSlot.SETTLEMENT && book.format.indexUnit() == null) {
            return;
        }
        FeedEncoder.instrumentEvent(text.clear(), s, book.format, null);
        for (int i = 0; i < book.groups.size(); i++) {
            append(book.groups.get(i));
        }
    }

    /** A trade or liquidation to the instrument's trades or liquidations stream, named in the message. */
    private void toChannel(FeedSlot s, int channel) {
        ChannelStream stream = channels.get(Channels.key(channel, s.instrument));
        if (stream != null) {
            FeedEncoder.instrumentEvent(text.clear(), s, stream.format, Channels.name(channel));
            append(stream);
        }
    }

    /** A ticker or funding message; the ticker and the predicted funding are kept to repeat after a resync. */
    private void state(FeedSlot s) {
        int channel = s.kind == FeedSlot.TICKER ? Channels.TICKER : Channels.FUNDING;
        ChannelStream stream = channels.get(Channels.key(channel, s.instrument));
        if (stream == null) {
            return;
        }
        encodeState(text.clear(), s, stream);
        if (s.kind == FeedSlot.TICKER || !s.flag) {
            stream.state.clear().bytes(text.array(), 0, text.length());
        }
        append(stream);
    }

    private void encodeState(JsonBytes out, FeedSlot s, ChannelStream stream) {
        if (s.kind == FeedSlot.TICKER) {
            FeedEncoder.ticker(out, s, stream.format, indexStep(s.instrument, s.h, stream.format));
        } else {
            FeedEncoder.funding(out, s, stream.format);
        }
    }

    private DecimalStep indexStep(int instrument, long unitsPerTick, FeedFormats.Instrument f) {
        if (unitsPerTick <= 0) {
            return null;
        }
        IndexStep step = indexSteps.get(instrument);
        if (step == null || step.unitsPerTick() != unitsPerTick) {
            step = new IndexStep(unitsPerTick, DecimalStep.of(f.tick().unit()
                    .divide(BigDecimal.valueOf(unitsPerTick), MathContext.DECIMAL128).stripTrailingZeros()));
            indexSteps.put(instrument, step);
        }
        return step.step();
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
        if (s.kind == FeedSlot.LEVEL) {
            if (!book.inCommand) {
                book.inCommand = true;
                inCommand.add(book);
            }
            book.last = s.a;
        } else if (!book.inCommand) {
            return;
        }
        book.windows.change(s.side, s.price, s.quantity);
    }

    /** One delta per depth group whose window the command changed. */
    private void commandEnd(FeedSlot end) {
        for (int i = 0; i < inCommand.size(); i++) {
            BookStream book = inCommand.get(i);
            if (!book.inCommand) {
                continue;
            }
            for (int g = 0; g < book.groups.size(); g++) {
                Group group = book.groups.get(g);
                book.windows.window(g, delta);
                if (!delta.isEmpty()) {
                    FeedEncoder.delta(text.clear(), book.instrument, end.sequence, end.timestamp, book.last,
                            group.lastSent, delta, book.format);
                    append(group);
                    group.lastSent = book.last;
                }
            }
            discardCommand(book);
        }
        inCommand.clear();
    }

    private static void discardCommand(BookStream book) {
        book.inCommand = false;
        book.windows.endCommand();
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

    /**
     * Hands the stream's framed messages to every subscriber that may take them now: all members of an account stream,
     * the members of a public stream that are not conflated.
     */
    private void flush(Stream stream) {
        int n = stream.chunk.length();
        if (n == 0) {
            return;
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n, n);
        buf.writeBytes(stream.chunk.array(), 0, n);
        stream.chunk.clear();
        boolean all = stream instanceof AccountStream;
        try {
            for (int i = 0; i < stream.members.size(); i++) {
                Subscriber s = stream.members.get(i);
                if (all || !s.stale) {
                    fanout.offer(s, buf, n);
                }
            }
        } finally {
            buf.release();
        }
    }

    private void flushBook(BookStream book) {
        for (int i = 0; i < book.groups.size(); i++) {
            flush(book.groups.get(i));
        }
    }

    private void apply(Control c) {
        Subscriber s = c.subscriber;
        switch (c.kind) {
            case Control.SUBSCRIBE -> subscribe(s, c.books.get(0), c);
            case Control.SUBSCRIBE_ACCOUNT -> {
                AccountStream account = accounts.computeIfAbsent(c.account, AccountStream::new);
                flush(account);
                if (!account.members.contains(s)) {
                    account.members.add(s);
                    s.accounts.add(c.account);
                }
                FeedEncoder.subscribed(text.clear(), "account", "account", c.account, c.address, c.requestId,
                        c.sequence, c.timestamp);
                fanout.offerOwn(s, frame.clear().textFrame(text));
            }
            case Control.SUBSCRIBE_CHANNEL -> subscribeChannel(s, c);
            case Control.UNSUBSCRIBE_BOOK -> removeBook(s, c.instrument);
            case Control.UNSUBSCRIBE_ACCOUNT -> removeAccount(s, c.account);
            case Control.UNSUBSCRIBE_CHANNEL -> removeChannel(s, Channels.key(c.channel, c.instrument));
            case Control.REMOVE -> {
                for (Integer instrument : new ArrayList<>(s.books)) {
                    removeBook(s, instrument);
                }
                for (Long account : new ArrayList<>(s.accounts)) {
                    removeAccount(s, account);
                }
                for (Long key : new ArrayList<>(s.channels)) {
                    removeChannel(s, key);
                }
            }
            case Control.RESYNC_SUBSCRIBER -> resyncSubscriber(s, c);
            case Control.RESYNC_BOOK -> resyncBook(c.books.get(0), c);
            case Control.RESYNC_ACCOUNT -> {
                AccountStream account = accounts.get(c.account);
                if (account != null) {
                    flush(account);
                    FeedEncoder.resyncAccount(text.clear(), c.account, FEED_OVERFLOW, "the node's market-data queue"
                            + " overflowed and messages of this stream were lost; read the account's state over REST",
                            c.sequence, c.timestamp);
                    frame.clear().textFrame(text);
                    for (int i = 0; i < account.members.size(); i++) {
                        fanout.offerOwn(account.members.get(i), frame);
                    }
                }
            }
            case Control.RESYNC_CHANNELS -> {
                for (ChannelStream stream : channels.values()) {
                    flush(stream);
                    FeedEncoder.resyncChannel(text.clear(), stream.channel, stream.instrument, FEED_OVERFLOW,
                            lostMessage(stream.channel, "the node's market-data queue overflowed"), c.sequence,
                            c.timestamp);
                    frame.clear().textFrame(text);
                    for (int i = 0; i < stream.members.size(); i++) {
                        if (!stream.members.get(i).stale) {
                            fanout.offerOwn(stream.members.get(i), frame);
                        }
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

    /** What a resync message of a public channel other than the book says was lost, and where to read the gap. */
    private static String lostMessage(int channel, String cause) {
        return switch (channel) {
            case Channels.TRADES -> cause + ": trades of this stream were dropped; GET /v1/trades/{instrument} has them";
            case Channels.LIQUIDATIONS -> cause + ": liquidations of this stream were dropped";
            case Channels.TICKER -> cause + ": ticker messages were dropped; the current ticker follows";
            default -> cause + ": funding messages were dropped; GET /v1/funding/{instrument} has the applied rates,"
                    + " and the current predicted rate follows";
        };
    }

    private void subscribe(Subscriber s, Control.Book b, Control c) {
        s.releaseSnapshot();
        BookStream book = books.get(b.instrument());
        long l2 = b.snapshot().l2Sequence();
        if (book == null) {
            FeedFormats.Instrument format = formats.of(b.instrument());
            if (format == null) {
                return;
            }
            book = new BookStream(b.instrument(), format);
            books.put(b.instrument(), book);
            book.windows.reset(b.snapshot(), b.depth());
        }
        flushBook(book);
        Group current = book.groupOf(s);
        if (current != null) {
            // A connection that holds the book already: a fresh snapshot, perhaps at another depth.
            current.members.remove(s);
            if (current.members.isEmpty()) {
                book.groups.remove(current);
            }
        }
        Group group = book.group(b.depth());
        if (group == null) {
            group = new Group(b.depth(), l2);
            int at = 0;
            while (at < book.groups.size() && book.groups.get(at).depth < b.depth()) {
                at++;
            }
            book.groups.add(at, group);
        } else {
            catchUp(book, group, l2, c);
        }
        group.members.add(s);
        s.books.add(b.instrument());
        reshape(book, b);
        if (!s.stale) {
            // A conflated subscriber gets this book's snapshot with its resync instead.
            FeedEncoder.snapshot(text.clear(), b.snapshot(), b.depth(), c.timestamp, book.format);
            frame.clear().textFrame(text);
            fanout.offerOwn(s, frame);
        }
    }

    /**
     * The book's windows after its groups changed: kept as deep as the deepest group, from {@code b} (a snapshot taken
     * at this point of the stream) when deeper than before.
     */
    private static void reshape(BookStream book, Control.Book b) {
        int deepest = book.groups.get(book.groups.size() - 1).depth;
        if (deepest > book.windows.capacity()) {
            book.windows.reset(b.snapshot(), deepest);
        } else if (deepest < book.windows.capacity()) {
            book.windows.shrink(deepest);
        }
        book.windows.depths(book.depths());
    }

    /**
     * Brings a group's members to l2 sequence {@code l2} with an empty delta when its last message is older (the
     * commands since changed nothing in its window), so a member joining with a snapshot at {@code l2} and the others
     * expect the same {@code prev} next. Handed out at once, before the joining member is added.
     */
    private void catchUp(BookStream book, Group group, long l2, Control c) {
        if (group.lastSent < l2) {
            empty.clear();
            FeedEncoder.delta(text.clear(), book.instrument, c.sequence, c.timestamp, l2, group.lastSent, empty,
                    book.format);
            append(group);
            group.lastSent = l2;
            flush(group);
        }
    }

    private void subscribeChannel(Subscriber s, Control c) {
        long key = Channels.key(c.channel, c.instrument);
        ChannelStream stream = channels.get(key);
        if (stream == null) {
            FeedFormats.Instrument format = formats.of(c.instrument);
            if (format == null) {
                return;
            }
            stream = new ChannelStream(c.channel, c.instrument, format);
            channels.put(key, stream);
        }
        flush(stream);
        if (!stream.members.contains(s)) {
            stream.members.add(s);
            s.channels.add(key);
        }
        FeedEncoder.subscribed(text.clear(), Channels.name(c.channel), "instrument", c.instrument, null, c.requestId,
                c.sequence, c.timestamp);
        frame.clear().textFrame(text);
        if (c.state != null) {
            encodeState(text.clear(), c.state, stream);
            stream.state.clear().bytes(text.array(), 0, text.length());
            frame.textFrame(text);
        }
        fanout.offerOwn(s, frame);
    }

    private void removeBook(Subscriber s, int instrument) {
        BookStream book = books.get(instrument);
        if (book == null) {
            return;
        }
        flushBook(book);
        Group group = book.groupOf(s);
        if (group != null) {
            group.members.remove(s);
            s.books.remove(instrument);
            if (group.members.isEmpty()) {
                book.groups.remove(group);
            }
        }
        if (book.groups.isEmpty()) {
            // The engine stops sending its events; a later subscription starts again from its snapshot.
            books.remove(instrument);
            inCommand.remove(book);
            discardCommand(book);
        } else {
            reshape(book, null);
        }
    }

    private void removeChannel(Subscriber s, long key) {
        ChannelStream stream = channels.get(key);
        if (stream == null) {
            return;
        }
        flush(stream);
        if (stream.members.remove(s)) {
            s.channels.remove(key);
        }
        if (stream.members.isEmpty()) {
            channels.remove(key);
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

    /**
     * A conflated subscriber caught up: per book stream a resync message and a fresh snapshot, then the deltas; per
     * other public stream a resync message saying what was dropped, and for the ticker and funding their last state.
     */
    private void resyncSubscriber(Subscriber s, Control c) {
        if (!s.stale || s.episodes != c.episode) {
            return;
        }
        frame.clear();
        for (Control.Book b : c.books) {
            BookStream book = books.get(b.instrument());
            Group group = book == null ? null : book.groupOf(s);
            if (group == null) {
                continue;
            }
            flushBook(book);
            catchUp(book, group, b.snapshot().l2Sequence(), c);
            FeedEncoder.resyncBook(text.clear(), b.instrument(), SLOW_CONSUMER, "slow consumer: messages of this"
                    + " stream were dropped while the connection could not keep up; a fresh snapshot follows",
                    c.sequence, c.timestamp);
            frame.textFrame(text);
            FeedEncoder.snapshot(text.clear(), b.snapshot(), group.depth, c.timestamp, book.format);
            frame.textFrame(text);
        }
        for (Long key : s.channels) {
            ChannelStream stream = channels.get(key);
            if (stream == null) {
                continue;
            }
            flush(stream);
            FeedEncoder.resyncChannel(text.clear(), stream.channel, stream.instrument, SLOW_CONSUMER,
                    lostMessage(stream.channel, "slow consumer"), c.sequence, c.timestamp);
            frame.textFrame(text);
            if (stream.state.length() > 0) {
                frame.textFrame(stream.state);
            }
        }
        s.stale = false;
        s.resolved = c.episode;
        stats.resyncs.incrementAndGet();
        if (frame.length() > 0) {
            fanout.offerOwn(s, frame);
        }
    }

    /** After an overflow: every subscriber of the book gets a resync message and a fresh snapshot. */
    private void resyncBook(Control.Book b, Control c) {
        BookStream book = books.get(b.instrument());
        if (book == null) {
            return;
        }
        inCommand.remove(book);
        book.inCommand = false;
        book.windows.reset(b.snapshot(), Math.max(b.depth(), book.groups.get(book.groups.size() - 1).depth));
        book.windows.depths(book.depths());
        flushBook(book);
        for (int g = 0; g < book.groups.size(); g++) {
            Group group = book.groups.get(g);
            group.lastSent = b.snapshot().l2Sequence();
            for (int i = 0; i < group.members.size(); i++) {
                Subscriber member = group.members.get(i);
                if (member.stale) {
                    continue;
                }
                FeedEncoder.resyncBook(text.clear(), b.instrument(), FEED_OVERFLOW, "the node's market-data queue"
                        + " overflowed and messages of this stream were lost; a fresh snapshot follows",
                        c.sequence, c.timestamp);
                frame.clear().textFrame(text);
                FeedEncoder.snapshot(text.clear(), b.snapshot(), group.depth, c.timestamp, book.format);
                frame.textFrame(text);
                fanout.offerOwn(member, frame);
            }
        }
        stats.resyncs.incrementAndGet();
    }
}
