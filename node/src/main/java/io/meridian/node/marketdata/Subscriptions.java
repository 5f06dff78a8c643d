package io.meridian.node.marketdata;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who is subscribed to what, as the engine thread decides it: the authority for the caps (per connection, per IP
 * address) and for which events the engine hands over at all (an instrument's or account's events only while someone
 * holds a stream that carries them), and the deepest book subscribed per instrument (the depth of the edge the engine
 * sends after a command, see {@link BookWindows}). The publisher keeps its own copy, changed by the same
 * {@link Control}s at the same places in the stream. Engine thread only.
 */
public final class Subscriptions {
    /** The error code of a refused subscription (a cap, or snapshots in flight), as the rate limits use. */
    public static final int REFUSED = 429;
    /**
     * Different depths one instrument's book is served at, at most (beyond, a new depth is served at the next deeper
     * one served, or at {@link #DEEPEST}): each depth costs the publisher a window and a delta per command, so a crowd
     * asking for every depth from 1 to 1000 cannot make it do a thousand.
     */
    public static final int MAX_DEPTHS = 32;
    /** The deepest book subscription. */
    public static final int DEEPEST = 1000;

    private final StreamLimits limits;
    /** Per connection: its book streams (instrument to depth) and account streams. */
    private final Map<Subscriber, Holdings> holdings = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    /**
     * Per instrument: subscribers per channel ({@link Channels}), and the book subscribers' depths (depth to count).
     * Primitive-keyed, like {@link #accountCounts}: the engine thread asks {@link #has} and {@link #hasAccount} for
     * every event of every command, and a boxed key cost a hash of an allocated Long each time.
     */
    private final Int2ObjectHashMap<Interest> instruments = new Int2ObjectHashMap<>();
    /** Streams held per account; absent (0) when none. */
    private final Long2LongHashMap accountCounts = new Long2LongHashMap(0);
    /**
     * Streams held now, per channel ({@link Channels}) and account streams last, and the subscriptions refused since
     * the start: written here (engine thread), read by a metrics scrape on any thread.
     */
    private final java.util.concurrent.atomic.AtomicLongArray held =
            new java.util.concurrent.atomic.AtomicLongArray(Channels.COUNT + 1);
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private static final class Holdings {
        final Map<Integer, Integer> books = new LinkedHashMap<>();
        final Set<Long> accounts = new LinkedHashSet<>();
        /** The other public channels held, as {@link Channels#key}s. */
        final Set<Long> channels = new LinkedHashSet<>();

        int size() {
            return books.size() + accounts.size() + channels.size();
        }
    }

    private static final class Interest {
        final int[] counts = new int[Channels.COUNT];
        final TreeMap<Integer, Integer> depths = new TreeMap<>();

        boolean isEmpty() {
            for (int count : counts) {
                if (count > 0) {
                    return false;
                }
            }
            return true;
        }
    }

    public Subscriptions(StreamLimits limits) {
        this.limits = limits;
    }

    /** Why one more stream for {@code s} is refused (a message for the client), or null when it may have it. */
    public String refusal(Subscriber s) {
        Holdings h = holdings.get(s);
        if (h != null && h.size() >= limits.maxSubscriptionsPerConnection()) {
            return "at most " + limits.maxSubscriptionsPerConnection() + " subscriptions per connection";
        }
        if (s.address() != null && perAddress.getOrDefault(s.address(), 0) >= limits.maxSubscriptionsPerAddress()) {
            return "at most " + limits.maxSubscriptionsPerAddress() + " subscriptions per IP address (all its"
                    + " connections together)";
        }
        return null;
    }

    /**
     * Any thread: the streams held now of channel {@code kind} ({@link Channels}), or account streams for
     * {@code Channels.COUNT}.
     */
    public long held(int kind) {
        return held.get(kind);
    }

    /** Any thread: the subscriptions refused since the start ({@link #countRefusal}). */
    public long refused() {
        return refused.get();
    }

    /**
     * Any thread: a subscription was refused (a cap, snapshots in flight, a full control queue), counted for the
     * metrics.
     */
    public void countRefusal() {
        refused.incrementAndGet();
    }

    /** One more (or, for -1, one fewer) stream of {@code kind} held (single writer: the engine thread). */
    private void countHeld(int kind, int delta) {
        held.lazySet(kind, held.get(kind) + delta);
    }

    public boolean holdsBook(Subscriber s, int instrument) {
        Holdings h = holdings.get(s);
        return h != null && h.books.containsKey(instrument);
    }

    public boolean holdsAccount(Subscriber s, long account) {
        Holdings h = holdings.get(s);
        return h != null && h.accounts.contains(account);
    }

    public boolean holdsChannel(Subscriber s, int channel, int instrument) {
        Holdings h = holdings.get(s);
        return h != null && h.channels.contains(Channels.key(channel, instrument));
    }

    /** Adds (or, when held, re-depths) a book stream. */
    public void addBook(Subscriber s, int instrument, int depth) {
        Holdings h = holdings.computeIfAbsent(s, k -> new Holdings());
        Integer before = h.books.put(instrument, depth);
        Interest interest = instruments.computeIfAbsent(instrument, k -> new Interest());
        if (before == null) {
            interest.counts[Channels.BOOK]++;
            countHeld(Channels.BOOK, 1);
            countAddress(s, 1);
        } else {
            decrement(interest.depths, before);
        }
        interest.depths.merge(depth, 1, Integer::sum);
    }

    /** Adds a stream of another public channel ({@link Channels}, not the book) of the instrument. */
    public void addChannel(Subscriber s, int channel, int instrument) {
        Holdings h = holdings.computeIfAbsent(s, k -> new Holdings());
        if (h.channels.add(Channels.key(channel, instrument))) {
            instruments.computeIfAbsent(instrument, k -> new Interest()).counts[channel]++;
            countHeld(channel, 1);
            countAddress(s, 1);
        }
    }

    public void addAccount(Subscriber s, long account) {
        Holdings h = holdings.computeIfAbsent(s, k -> new Holdings());
        if (h.accounts.add(account)) {
            accountCounts.put(account, accountCounts.get(account) + 1);
            countHeld(Channels.COUNT, 1);
            countAddress(s, 1);
        }
    }

    /** Removes a book stream; false when {@code s} did not hold it. */
    public boolean removeBook(Subscriber s, int instrument) {
        Holdings h = holdings.get(s);
        Integer depth = h == null ? null : h.books.remove(instrument);
        if (depth == null) {
            return false;
        }
        dropBook(instrument, depth);
        countAddress(s, -1);
        forgetIfEmpty(s, h);
        return true;
    }

    /** Removes a stream of another public channel; false when {@code s} did not hold it. */
    public boolean removeChannel(Subscriber s, int channel, int instrument) {
        Holdings h = holdings.get(s);
        if (h == null || !h.channels.remove(Channels.key(channel, instrument))) {
            return false;
        }
        dropChannel(channel, instrument);
        countAddress(s, -1);
        forgetIfEmpty(s, h);
        return true;
    }

    private void dropBook(int instrument, int depth) {
        Interest interest = instruments.get(instrument);
        decrement(interest.depths, depth);
        dropChannel(Channels.BOOK, instrument);
    }

    private void dropChannel(int channel, int instrument) {
        Interest interest = instruments.get(instrument);
        interest.counts[channel]--;
        countHeld(channel, -1);
        if (interest.isEmpty()) {
            instruments.remove(instrument);
        }
    }

    /** Removes an account stream; false when {@code s} did not hold it. */
    public boolean removeAccount(Subscriber s, long account) {
        Holdings h = holdings.get(s);
        if (h == null || !h.accounts.remove(account)) {
            return false;
        }
        dropAccountStream(account);
        countHeld(Channels.COUNT, -1);
        countAddress(s, -1);
        forgetIfEmpty(s, h);
        return true;
    }

    /** Removes every stream of {@code s}; false when it held none. */
    public boolean removeAll(Subscriber s) {
        Holdings h = holdings.remove(s);
        if (h == null) {
            return false;
        }
        for (Map.Entry<Integer, Integer> book : h.books.entrySet()) {
            dropBook(book.getKey(), book.getValue());
        }
        for (long key : h.channels) {
            dropChannel(Channels.channelOf(key), Channels.instrumentOf(key));
        }
        for (Long account : h.accounts) {
            dropAccountStream(account);
            countHeld(Channels.COUNT, -1);
        }
        countAddress(s, -h.size());
        return true;
    }

    /** The book streams {@code s} holds: instrument to depth, in the order subscribed (a copy). */
    public Map<Integer, Integer> booksOf(Subscriber s) {
        Holdings h = holdings.get(s);
        return h == null ? Map.of() : new LinkedHashMap<>(h.books);
    }

    /** The other public channels {@code s} holds, as {@link Channels#key}s (a copy). */
    public List<Long> channelsOf(Subscriber s) {
        Holdings h = holdings.get(s);
        return h == null ? List.of() : new ArrayList<>(h.channels);
    }

    /** Whether anyone holds the instrument's book stream (then the engine hands over its level changes). */
    public boolean hasBook(int instrument) {
        return has(Channels.BOOK, instrument);
    }

    /** Whether anyone holds the channel ({@link Channels}) of the instrument. */
    public boolean has(int channel, int instrument) {
        Interest interest = instruments.get(instrument);
        return interest != null && interest.counts[channel] > 0;
    }

    /** Whether anyone holds the book or {@code channel} of the instrument (events both carry go to either). */
    public boolean hasBookOr(int channel, int instrument) {
        Interest interest = instruments.get(instrument);
        return interest != null && (interest.counts[Channels.BOOK] > 0 || interest.counts[channel] > 0);
    }

    /** The instruments whose {@code channel} someone holds, ascending (a copy). */
    public List<Integer> instrumentsWith(int channel) {
        List<Integer> out = new ArrayList<>();
        instruments.forEachInt((instrument, interest) -> {
            if (interest.counts[channel] > 0) {
                out.add(instrument);
            }
        });
        out.sort(null);
        return out;
    }

    /**
     * The depth a book subscription at {@code depth} is served at: that depth, unless the instrument is served at
     * {@link #MAX_DEPTHS} others already; then the next deeper one served, or {@link #DEEPEST}. So at most
     * {@code MAX_DEPTHS + 1} depths per instrument.
     */
    public int servedDepth(int instrument, int depth) {
        Interest interest = instruments.get(instrument);
        if (interest == null || interest.depths.containsKey(depth) || interest.depths.size() < MAX_DEPTHS) {
            return depth;
        }
        Integer deeper = interest.depths.ceilingKey(depth);
        return deeper != null ? deeper : DEEPEST;
    }

    /** The greatest depth of the instrument's book subscribers (0 when none). */
    public int maxDepth(int instrument) {
        Interest interest = instruments.get(instrument);
        return interest == null || interest.depths.isEmpty() ? 0 : interest.depths.lastKey();
    }

    /** Whether anyone holds the account's private stream. */
    public boolean hasAccount(long account) {
        return accountCounts.containsKey(account);
    }

    public boolean anyAccount() {
        return !accountCounts.isEmpty();
    }

    /**
     * Calls {@code action} with each account someone holds a stream of, without copying them (the engine thread does
     * this for every command that moves a mark); the action must not change the subscriptions.
     */
    public void forEachAccount(java.util.function.LongConsumer action) {
        for (Long2LongHashMap.KeyIterator it = accountCounts.keySet().iterator(); it.hasNext(); ) {
            action.accept(it.nextValue());
        }
    }

    /** The accounts someone holds a stream of (a copy). */
    public List<Long> accounts() {
        return new ArrayList<>(accountCounts.keySet());
    }

    /** The subscribed instruments with the greatest depth any subscriber holds (for a resync after an overflow). */
    public Map<Integer, Integer> booksWithDepth() {
        Map<Integer, Integer> depths = new TreeMap<>();
        instruments.forEachInt((instrument, interest) -> {
            if (!interest.depths.isEmpty()) {
                depths.put(instrument, interest.depths.lastKey());
            }
        });
        return depths;
    }

    private void forgetIfEmpty(Subscriber s, Holdings h) {
        if (h.size() == 0) {
            holdings.remove(s);
        }
    }

    private void countAddress(Subscriber s, int delta) {
        if (s.address() != null && delta != 0) {
            int now = perAddress.getOrDefault(s.address(), 0) + delta;
            if (now <= 0) {
                perAddress.remove(s.address());
            } else {
                perAddress.put(s.address(), now);
            }
        }
    }

    private void dropAccountStream(long account) {
        long held = accountCounts.get(account);
        if (held > 1) {
            accountCounts.put(account, held - 1);
        } else {
            accountCounts.remove(account);
        }
    }

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        Integer n = counts.get(key);
        if (n != null && n > 1) {
            counts.put(key, n - 1);
        } else {
            counts.remove(key);
        }
    }
}
