package io.meridian.node.marketdata;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is subscribed to what, as the engine thread decides it: the authority for the caps (per connection, per IP
 * address) and for which events the engine hands over at all (an instrument's or account's events only while someone
 * holds its stream). The publisher keeps its own copy, changed by the same {@link Control}s at the same places in
 * the stream. Engine thread only.
 */
public final class Subscriptions {
    /** The error code of a refused subscription (a cap, or snapshots in flight), as the rate limits use. */
    public static final int REFUSED = 429;

    private final StreamLimits limits;
    /** Per connection: its book streams (instrument to depth) and account streams. */
    private final Map<Subscriber, Holdings> holdings = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final Map<Integer, Integer> bookCounts = new HashMap<>();
    private final Map<Long, Integer> accountCounts = new HashMap<>();

    private static final class Holdings {
        final Map<Integer, Integer> books = new LinkedHashMap<>();
        final Set<Long> accounts = new LinkedHashSet<>();

        int size() {
            return books.size() + accounts.size();
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

    public boolean holdsBook(Subscriber s, int instrument) {
        Holdings h = holdings.get(s);
        return h != null && h.books.containsKey(instrument);
    }

    public boolean holdsAccount(Subscriber s, long account) {
        Holdings h = holdings.get(s);
        return h != null && h.accounts.contains(account);
    }

    /** Adds (or, when held, re-depths) a book stream. */
    public void addBook(Subscriber s, int instrument, int depth) {
        Holdings h = holdings.computeIfAbsent(s, k -> new Holdings());
        if (h.books.put(instrument, depth) == null) {
            bookCounts.merge(instrument, 1, Integer::sum);
            countAddress(s, 1);
        }
    }

    public void addAccount(Subscriber s, long account) {
        Holdings h = holdings.computeIfAbsent(s, k -> new Holdings());
        if (h.accounts.add(account)) {
            accountCounts.merge(account, 1, Integer::sum);
            countAddress(s, 1);
        }
    }

    /** Removes a book stream; false when {@code s} did not hold it. */
    public boolean removeBook(Subscriber s, int instrument) {
        Holdings h = holdings.get(s);
        if (h == null || h.books.remove(instrument) == null) {
            return false;
        }
        decrement(bookCounts, instrument);
        countAddress(s, -1);
        forgetIfEmpty(s, h);
        return true;
    }

    /** Removes an account stream; false when {@code s} did not hold it. */
    public boolean removeAccount(Subscriber s, long account) {
        Holdings h = holdings.get(s);
        if (h == null || !h.accounts.remove(account)) {
            return false;
        }
        decrement(accountCounts, account);
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
        for (Integer instrument : h.books.keySet()) {
            decrement(bookCounts, instrument);
        }
        for (Long account : h.accounts) {
            decrement(accountCounts, account);
        }
        countAddress(s, -h.size());
        return true;
    }

    /** The book streams {@code s} holds: instrument to depth, in the order subscribed (a copy). */
    public Map<Integer, Integer> booksOf(Subscriber s) {
        Holdings h = holdings.get(s);
        return h == null ? Map.of() : new LinkedHashMap<>(h.books);
    }

    /** Whether anyone holds the instrument's book stream (then the engine hands over its events). */
    public boolean hasBook(int instrument) {
        return bookCounts.containsKey(instrument);
    }

    /** Whether anyone holds the account's private stream. */
    public boolean hasAccount(long account) {
        return accountCounts.containsKey(account);
    }

    public boolean anyAccount() {
        return !accountCounts.isEmpty();
    }

    /** The accounts someone holds a stream of (a copy). */
    public List<Long> accounts() {
        return new ArrayList<>(accountCounts.keySet());
    }

    /** The subscribed instruments with the greatest depth any subscriber holds (for a resync after an overflow). */
    public Map<Integer, Integer> booksWithDepth() {
        Map<Integer, Integer> depths = new LinkedHashMap<>();
        for (Holdings h : holdings.values()) {
            for (Map.Entry<Integer, Integer> e : h.books.entrySet()) {
                depths.merge(e.getKey(), e.getValue(), Math::max);
            }
        }
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

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        Integer n = counts.get(key);
        if (n != null && n > 1) {
            counts.put(key, n - 1);
        } else {
            counts.remove(key);
        }
    }
}
