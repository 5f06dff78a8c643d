package io.meridian.node.marketdata;

import io.meridian.engine.Engine;
import io.meridian.model.Side;
import io.meridian.node.codec.Codes;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The engine thread's side of the two channels that carry a state rather than events (docs/api.md, "WebSocket"):
 * the {@code ticker} and the predicted {@code funding} rate. What was last sent per instrument is kept here; at the end
 * of a command the instruments it may have changed are read from the engine and a message goes out when the state
 * differs from the last one sent.
 *
 * <p><b>Ticker.</b> Best bid and ask with their sizes, the last trade, the mark and the index. Read after a command
 * that changed a level, traded or moved the mark of the instrument, or moved any index; sent when it differs from the
 * last ticker sent, at most once per {@link #TICKER_INTERVAL_NANOS} of command time per instrument; a change within
 * the interval waits and goes at the first command after it (the node's time tick comes every second, so at most
 * about a second later on a quiet venue).
 *
 * <p><b>Predicted funding.</b> The rate the current interval would settle at now and the interval's end, read after a
 * premium sample or a funding of the instrument, sent when either changed. (The applied rates are events, sent by
 * {@code MarketData} as they come.)
 *
 * <p>A subscription gets the state now after its {@code subscribed} message; after an overflow of the hand-off ring
 * every ticker and funding stream gets its state again ({@link #publishAll}). Engine thread only.
 */
public final class StateChannels {
    /** The shortest command-time interval between two ticker messages of one instrument. */
    public static final long TICKER_INTERVAL_NANOS = 100_000_000L;
    /** The ticker's values: best bid, its size, best ask, its size, last, mark, index (units), index units per tick. */
    private static final int TICKER_FIELDS = 8;

    private final FeedProducer producer;
    private final Subscriptions subscriptions;
    private final Supplier<Engine> engine;
    /** Per instrument with ticker subscribers: the last ticker sent and when, and whether a change waits. */
    private final Map<Integer, Ticker> tickers = new TreeMap<>();
    /** Instruments whose ticker the command may have changed; whether an index moved (every ticker may have). */
    private final Set<Integer> tickerTouched = new TreeSet<>();
    private boolean indexMoved;
    private int tickersPending;
    private final long[] scratch = new long[TICKER_FIELDS];
    /** Per instrument with funding subscribers: the predicted rate and interval end last sent. */
    private final Map<Integer, long[]> fundingSent = new TreeMap<>();
    private final Set<Integer> fundingTouched = new TreeSet<>();

    private static final class Ticker {
        final long[] values = new long[TICKER_FIELDS];
        long sentAt;
        boolean pending;
    }

    public StateChannels(FeedProducer producer, Supplier<Engine> engine) {
        this.producer = producer;
        this.subscriptions = producer.subscriptions();
        this.engine = engine;
    }

    /** The command changed a level, traded or moved the mark of {@code instrument}. */
    public void touched(int instrument) {
        if (subscriptions.has(Channels.TICKER, instrument)) {
            tickerTouched.add(instrument);
        }
    }

    /** The command moved an index. */
    public void indexMoved() {
        if (!tickers.isEmpty()) {
            indexMoved = true;
        }
    }

    /** The command sampled the premium of, or settled funding for, {@code instrument}. */
    public void fundingTouched(int instrument) {
        if (subscriptions.has(Channels.FUNDING, instrument)) {
            fundingTouched.add(instrument);
        }
    }

    /** At the end of each command: the tickers and predicted rates that changed. */
    public void commandCompleted(long sequence, long timestamp) {
        if (tickersPending > 0 || indexMoved || !tickerTouched.isEmpty()) {
            publishTickers(sequence, timestamp);
        }
        if (!fundingTouched.isEmpty()) {
            publishFunding(sequence, timestamp);
        }
    }

    private FeedSlot claim(int kind, long sequence, long timestamp) {
        FeedSlot s = producer.claim(kind);
        if (s != null) {
            s.sequence = sequence;
            s.timestamp = timestamp;
        }
        return s;
    }

    /** The instrument's ticker now into {@code out} (see {@link #TICKER_FIELDS}). */
    private static void readTicker(Engine e, int instrument, long[] out) {
        var book = e.view().book(instrument);
        boolean bid = book.depth(Side.BUY) > 0;
        boolean ask = book.depth(Side.SELL) > 0;
        out[0] = bid ? book.levelPrice(Side.BUY, 0) : 0;
        out[1] = bid ? book.levelQuantity(Side.BUY, 0) : 0;
        out[2] = ask ? book.levelPrice(Side.SELL, 0) : 0;
        out[3] = ask ? book.levelQuantity(Side.SELL, 0) : 0;
        out[4] = book.lastTradePrice();
        out[5] = book.markPrice();
        var pricing = e.view().pricing(instrument);
        out[6] = pricing == null ? 0 : e.view().indexPrice(pricing.indexId());
        out[7] = pricing == null ? 0 : pricing.unitsPerTick();
    }

    private static void tickerSlot(FeedSlot s, int instrument, long[] v) {
        s.instrument = instrument;
        s.a = v[0];
        s.b = v[1];
        s.c = v[2];
        s.d = v[3];
        s.e = v[4];
        s.f = v[5];
        s.g = v[6];
        s.h = v[7];
    }

    /** Tickers that changed, each at most once per {@link #TICKER_INTERVAL_NANOS}; later ones wait (pending). */
    private void publishTickers(long sequence, long timestamp) {
        Engine e = engine.get();
        for (Iterator<Map.Entry<Integer, Ticker>> it = tickers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Ticker> entry = it.next();
            int instrument = entry.getKey();
            Ticker t = entry.getValue();
            if (!subscriptions.has(Channels.TICKER, instrument) || e == null) {
                tickersPending -= t.pending ? 1 : 0;
                it.remove();
                continue;
            }
            if (!t.pending && !indexMoved && !tickerTouched.contains(instrument)) {
                continue;
            }
            readTicker(e, instrument, scratch);
            boolean changed = !Arrays.equals(scratch, t.values);
            boolean due = timestamp - t.sentAt >= TICKER_INTERVAL_NANOS;
            boolean pending = changed && !due;
            tickersPending += (pending ? 1 : 0) - (t.pending ? 1 : 0);
            t.pending = pending;
            if (changed && due) {
                FeedSlot s = claim(FeedSlot.TICKER, sequence, timestamp);
                if (s != null) {
                    tickerSlot(s, instrument, scratch);
                }
                System.arraycopy(scratch, 0, t.values, 0, TICKER_FIELDS);
                t.sentAt = timestamp;
            }
        }
        tickerTouched.clear();
        indexMoved = false;
    }

    /** The predicted funding of instruments whose funding subscribers have not seen its latest rate or interval end. */
    private void publishFunding(long sequence, long timestamp) {
        Engine e = engine.get();
        for (int instrument : fundingTouched) {
            var pricing = e == null ? null : e.view().pricing(instrument);
            if (pricing == null || !pricing.hasFunding() || !subscriptions.has(Channels.FUNDING, instrument)) {
                fundingSent.remove(instrument);
                continue;
            }
            long[] now = {pricing.predictedRate(), pricing.nextFundingTime()};
            if (!Arrays.equals(now, fundingSent.get(instrument))) {
                fundingSent.put(instrument, now);
                FeedSlot s = claim(FeedSlot.FUNDING, sequence, timestamp);
                if (s != null) {
                    s.instrument = instrument;
                    s.a = now[0];
                    s.b = now[1];
                }
            }
        }
        fundingTouched.clear();
    }

    /**
     * After an overflow's resync: the current ticker and predicted funding of every instrument someone holds those
     * channels of (their changes of the gap were lost).
     */
    public void publishAll() {
        Engine e = engine.get();
        if (e == null) {
            return;
        }
        long sequence = e.lastSequence();
        long timestamp = e.view().lastTimestamp();
        for (int instrument : subscriptions.instrumentsWith(Channels.TICKER)) {
            FeedSlot s = claim(FeedSlot.TICKER, sequence, timestamp);
            if (s != null) {
                readTicker(e, instrument, scratch);
                tickerSlot(s, instrument, scratch);
            }
        }
        for (int instrument : subscriptions.instrumentsWith(Channels.FUNDING)) {
            var pricing = e.view().pricing(instrument);
            FeedSlot s = pricing == null ? null : claim(FeedSlot.FUNDING, sequence, timestamp);
            if (s != null) {
                s.instrument = instrument;
                s.a = pricing.predictedRate();
                s.b = pricing.nextFundingTime();
            }
        }
    }

    /**
     * Engine thread (a query, between commands): subscribes {@code s} to a public channel other than the book. The
     * ticker and funding channels start with their state now (after the {@code subscribed} message); the funding
     * channel of an instrument without funding is refused (an error frame, code 460,
     * {@link io.meridian.node.codec.Codes#BAD_FIELD}). False when refused.
     */
    public boolean subscribe(Engine e, Subscriber s, int channel, int instrument, Long requestId) {
        FeedSlot state = null;
        long timestamp = e.view().lastTimestamp();
        if (channel == Channels.TICKER) {
            state = new FeedSlot();
            state.kind = FeedSlot.TICKER;
            readTicker(e, instrument, scratch);
            tickerSlot(state, instrument, scratch);
        } else if (channel == Channels.FUNDING) {
            var pricing = e.view().pricing(instrument);
            if (pricing == null || !pricing.hasFunding()) {
                s.refuse(Codes.BAD_FIELD, "channel funding: instrument " + instrument
                        + " pays no funding (it is not a perpetual priced from an index)", requestId);
                return false;
            }
            state = new FeedSlot();
            state.kind = FeedSlot.FUNDING;
            state.instrument = instrument;
            state.a = pricing.predictedRate();
            state.b = pricing.nextFundingTime();
        }
        if (state != null) {
            state.sequence = e.lastSequence();
            state.timestamp = timestamp;
        }
        if (!producer.subscribeChannel(e, s, channel, instrument, state, requestId)) {
            return false;
        }
        if (channel == Channels.TICKER && !tickers.containsKey(instrument)) {
            Ticker t = new Ticker();
            System.arraycopy(scratch, 0, t.values, 0, TICKER_FIELDS);
            t.sentAt = timestamp;
            tickers.put(instrument, t);
        } else if (channel == Channels.FUNDING) {
            fundingSent.putIfAbsent(instrument, new long[] {state.a, state.b});
        }
        return true;
    }
}
