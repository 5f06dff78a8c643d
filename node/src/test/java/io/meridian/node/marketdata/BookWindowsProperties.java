package io.meridian.node.marketdata;

import io.meridian.model.BookSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential: a reference book (a sorted map per side, every level) is changed by random commands (levels added,
 * resized, removed, sweeps that remove several best levels at once, changes far below the windows); the level events
 * and the edge each command produces are made as the engine thread makes them ({@code MarketData}), fed to
 * {@link BookWindows}, and for every subscribed depth a client book applies the deltas. After every command each
 * client book must equal the top N of the reference, and no delta may carry a level outside the window. Depths join
 * (deeper than the capacity: a reset from a snapshot) and leave (the capacity shrinks) along the way. Seeded; the seed
 * is printed and named in every failure.
 */
class BookWindowsProperties {
    private static final class RefBook {
        final NavigableMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
        final NavigableMap<Long, Long> asks = new TreeMap<>();

        NavigableMap<Long, Long> side(int side) {
            return side == BookWindows.BIDS ? bids : asks;
        }

        List<BookSnapshot.Level> levels(int side, int depth) {
            List<BookSnapshot.Level> out = new ArrayList<>();
            for (Map.Entry<Long, Long> e : side(side).entrySet()) {
                if (out.size() == depth) {
                    break;
                }
                out.add(new BookSnapshot.Level(e.getKey(), e.getValue(), 1));
            }
            return out;
        }

        BookSnapshot snapshot(int depth) {
            return new BookSnapshot(1, 0, 0, levels(BookWindows.BIDS, depth), levels(BookWindows.ASKS, depth));
        }

        Map<Long, Long> top(int side, int depth) {
            Map<Long, Long> out = new TreeMap<>();
            for (BookSnapshot.Level level : levels(side, depth)) {
                out.put(level.price(), level.quantity());
            }
            return out;
        }
    }

    /** One subscriber's local book at one depth. */
    private static final class Client {
        final int depth;
        final Map<Long, Long> bids = new TreeMap<>();
        final Map<Long, Long> asks = new TreeMap<>();

        Client(int depth, RefBook book) {
            this.depth = depth;
            bids.putAll(book.top(BookWindows.BIDS, depth));
            asks.putAll(book.top(BookWindows.ASKS, depth));
        }

        void apply(BookWindows.Delta delta) {
            apply(bids, delta.bids, delta.bidCount);
            apply(asks, delta.asks, delta.askCount);
        }

        private static void apply(Map<Long, Long> side, long[] pairs, int count) {
            for (int i = 0; i < count; i++) {
                if (pairs[2 * i + 1] == 0) {
                    side.remove(pairs[2 * i]);
                } else {
                    side.put(pairs[2 * i], pairs[2 * i + 1]);
                }
            }
        }
    }

    @Test
    void clientsHoldExactlyTheTopNAfterEveryCommand() {
        long base = Long.getLong("meridian.seed", System.nanoTime());
        for (int run = 0; run < 40; run++) {
            long seed = base + run;
            try {
                run(seed, 400);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dmeridian.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
        System.out.println("BookWindowsProperties: 40 runs from seed " + base);
    }

    private static void run(long seed, int commands) {
        SplittableRandom random = new SplittableRandom(seed);
        RefBook book = new RefBook();
        for (int i = 0; i < 20; i++) {
            book.bids.put(1000L - random.nextInt(60), 1L + random.nextInt(9));
            book.asks.put(1001L + random.nextInt(60), 1L + random.nextInt(9));
        }
        List<Client> clients = new ArrayList<>();
        BookWindows windows = new BookWindows();
        int[] pool = {1, 2, 3, 5, 8, 13, 40};
        clients.add(new Client(pool[random.nextInt(pool.length)], book));
        resetOrShrink(windows, clients, book, true);
        BookWindows.Delta delta = new BookWindows.Delta();
        for (int c = 0; c < commands; c++) {
            // Subscribers come and go between commands.
            if (random.nextInt(25) == 0) {
                Client joined = new Client(pool[random.nextInt(pool.length)], book);
                boolean deeper = joined.depth > windows.capacity();
                clients.add(joined);
                resetOrShrink(windows, clients, book, deeper);
            } else if (clients.size() > 1 && random.nextInt(25) == 0) {
                clients.remove(random.nextInt(clients.size()));
                resetOrShrink(windows, clients, book, false);
            }
            int m = windows.capacity();
            int[] removals = new int[2];
            List<long[]> events = new ArrayList<>();
            int changes = 1 + random.nextInt(random.nextInt(10) == 0 ? 12 : 3);
            for (int i = 0; i < changes; i++) {
                int side = random.nextInt(2);
                NavigableMap<Long, Long> levels = book.side(side);
                int what = random.nextInt(10);
                long price;
                if (what < 3 || levels.isEmpty()) {
                    // A new or resized level near the top, or far below.
                    long offset = random.nextInt(10) == 0 ? 80 + random.nextInt(40) : random.nextInt(50);
                    price = side == BookWindows.BIDS ? 1000 - offset : 1001 + offset;
                    levels.merge(price, 1L + random.nextInt(9), Long::sum);
                } else if (what < 8) {
                    // Remove a level among the best (a cancel or a sweep's step).
                    List<Long> prices = new ArrayList<>(levels.keySet());
                    price = prices.get(random.nextInt(Math.min(prices.size(), 1 + random.nextInt(m + 2))));
                    levels.remove(price);
                } else {
                    // Reduce a level.
                    List<Long> prices = new ArrayList<>(levels.keySet());
                    price = prices.get(random.nextInt(prices.size()));
                    long q = levels.get(price);
                    if (q > 1) {
                        levels.put(price, q - 1);
                    } else {
                        levels.remove(price);
                    }
                }
                long quantity = levels.getOrDefault(price, 0L);
                if (quantity == 0) {
                    removals[side]++;
                }
                events.add(new long[] {side, price, quantity});
            }
            for (long[] e : events) {
                windows.change((int) e[0], e[1], e[2]);
            }
            // The edge, as the engine thread sends it: ranks [M - r, M) of each side after the command.
            for (int side = 0; side < 2; side++) {
                if (removals[side] == 0) {
                    continue;
                }
                List<BookSnapshot.Level> levels = book.levels(side, m);
                for (int rank = Math.max(0, m - removals[side]); rank < levels.size(); rank++) {
                    windows.change(side, levels.get(rank).price(), levels.get(rank).quantity());
                }
            }
            int[] depths = depths(clients);
            for (int d = 0; d < depths.length; d++) {
                windows.window(d, delta);
                for (int i = 0; i < delta.bidCount; i++) {
                    assertTrue(delta.bids[2 * i + 1] == 0 || book.top(BookWindows.BIDS, depths[d])
                            .containsKey(delta.bids[2 * i]), "a bid outside the window of " + depths[d]);
                }
                for (Client client : clients) {
                    if (client.depth == depths[d]) {
                        client.apply(delta);
                    }
                }
            }
            windows.endCommand();
            for (Client client : clients) {
                assertEquals(book.top(BookWindows.BIDS, client.depth), client.bids,
                        "bids at depth " + client.depth + " after command " + c);
                assertEquals(book.top(BookWindows.ASKS, client.depth), client.asks,
                        "asks at depth " + client.depth + " after command " + c);
            }
            for (int side = 0; side < 2; side++) {
                assertEquals(Math.min(m, book.side(side).size()), windows.size(side), "what is held, side " + side);
            }
        }
    }

    private static int[] depths(List<Client> clients) {
        return clients.stream().mapToInt(c -> c.depth).distinct().sorted().toArray();
    }

    /** The publisher's step when subscribers change: a reset from a snapshot when deeper, else a shrink. */
    private static void resetOrShrink(BookWindows windows, List<Client> clients, RefBook book, boolean deeper) {
        int[] depths = depths(clients);
        int capacity = depths[depths.length - 1];
        if (deeper) {
            windows.reset(book.snapshot(capacity), capacity);
        } else if (capacity < windows.capacity()) {
            windows.shrink(capacity);
        }
        windows.depths(depths);
    }
}
