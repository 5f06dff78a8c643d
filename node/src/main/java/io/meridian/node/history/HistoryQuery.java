package io.meridian.node.history;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * One page asked of an account's history ({@link FillHistory}, {@link OrderHistory}): of one instrument or all
 * ({@code instrument} 0), from an id on ({@code fromId} > 0, oldest first) or the newest first, within a time window
 * (epoch nanoseconds, both ends inclusive), after a {@link Cursor} a previous page gave, at most {@code limit} records.
 * Records are kept in the order of their key (a fill's command sequence and its place among the account's fills of that
 * command; an order's id), so a cursor is the last record's key and the next page starts strictly after it, in the
 * same direction.
 *
 * @param instrument the instrument, or 0 for all
 * @param fromId     the smallest key wanted (oldest first from it), or 0 (newest first)
 * @param startTime  the earliest record time wanted (epoch ns)
 * @param endTime    the latest record time wanted (epoch ns)
 * @param after      where the previous page ended (its direction wins), or null
 * @param limit      at most this many records
 */
public record HistoryQuery(int instrument, long fromId, long startTime, long endTime, Cursor after, int limit) {
    /** Everything of one instrument (or all), newest first, at most {@code limit}. */
    public static HistoryQuery newest(int instrument, int limit) {
        return new HistoryQuery(instrument, 0, Long.MIN_VALUE, Long.MAX_VALUE, null, limit);
    }

    /** Whether the page runs oldest first. */
    public boolean ascending() {
        return after != null ? after.ascending() : fromId > 0;
    }

    /**
     * A position in a history: a record's key and its index among records of the same key, and the direction of the
     * pages. Written {@code a<key>.<index>} (oldest first) or {@code d<key>.<index>} (newest first).
     */
    public record Cursor(boolean ascending, long key, int index) {
        /** The cursor's text, as an answer gives it. */
        public String text() {
            return (ascending ? "a" : "d") + key + "." + index;
        }

        /** A cursor from its text, or null when the text is not one. */
        public static Cursor parse(String text) {
            if (text == null || text.length() < 4 || text.length() > 40
                    || (text.charAt(0) != 'a' && text.charAt(0) != 'd')) {
                return null;
            }
            int dot = text.indexOf('.');
            if (dot < 2 || dot == text.length() - 1) {
                return null;
            }
            String key = text.substring(1, dot);
            String index = text.substring(dot + 1);
            if (!digits(key) || !digits(index) || index.length() > 9) {
                return null;
            }
            try {
                return new Cursor(text.charAt(0) == 'a', Long.parseLong(key), Integer.parseInt(index));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static boolean digits(String s) {
            if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }

    /** A page: the records, and the cursor of the next page (null when this page holds the last of them). */
    public record Page<T>(List<T> items, Cursor next) {
    }

    /**
     * The page of {@code records} (iterated in the page's direction) this query asks for: each record's key and index,
     * its instrument and time read by the functions given, copied out by {@code copy}.
     */
    <S, T> Page<T> page(Iterator<S> records, ToLongFunction<S> key, ToIntFunction<S> index, ToIntFunction<S> instrumentOf,
                        ToLongFunction<S> time, Function<S, T> copy) {
        boolean ascending = ascending();
        List<T> items = new ArrayList<>();
        long lastKey = 0;
        int lastIndex = 0;
        while (records.hasNext()) {
            S record = records.next();
            long k = key.applyAsLong(record);
            int i = index.applyAsInt(record);
            if (after != null) {
                int order = Long.compare(k, after.key()) != 0 ? Long.compare(k, after.key()) : Integer.compare(i,
                        after.index());
                if (ascending ? order <= 0 : order >= 0) {
                    continue;
                }
            }
            if (k < fromId) {
                if (ascending) {
                    continue;
                }
                break;
            }
            long t = time.applyAsLong(record);
            if ((instrument != 0 && instrumentOf.applyAsInt(record) != instrument) || t < startTime || t > endTime) {
                continue;
            }
            if (items.size() == limit) {
                return new Page<>(items, new Cursor(ascending, lastKey, lastIndex));
            }
            items.add(copy.apply(record));
            lastKey = k;
            lastIndex = i;
        }
        return new Page<>(items, null);
    }
}
