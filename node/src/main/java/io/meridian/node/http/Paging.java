package io.meridian.node.http;

import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.RequestException;
import io.meridian.node.history.HistoryQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Pages of an account's history ({@code /v1/fills}, {@code /v1/orders/history}; docs/api.md, "Pages of history"): the
 * query parameters {@code limit} (1..{@link #MAX_LIMIT}), {@code fromId} (oldest first from that id), {@code startTime}
 * and {@code endTime} (epoch milliseconds, inclusive), {@code cursor} (where the previous page ended), and the answer's
 * {@value Responses#NEXT_CURSOR} header, absent on the last page. Stateless.
 */
final class Paging {
    /** The most records one page holds. */
    static final int MAX_LIMIT = 1_000;
    /** The query parameters of a page. */
    static final String[] PARAMETERS = {"limit", "fromId", "startTime", "endTime", "cursor"};
    /** The latest time in epoch milliseconds whose nanoseconds fit a long. */
    static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000L;

    private Paging() {
    }

    /** The page a request asks for, of one instrument (or 0 for all); 400 naming a parameter that does not fit. */
    static HistoryQuery query(Exchange x, int instrument, int defaultLimit) throws RequestException {
        int limit = (int) x.number("limit", defaultLimit, 1, MAX_LIMIT);
        long fromId = x.hasQuery("fromId") ? x.number("fromId", 0, 1, Long.MAX_VALUE) : 0;
        long start = x.number("startTime", 0, 0, MAX_MILLIS);
        long end = x.number("endTime", MAX_MILLIS, 0, MAX_MILLIS);
        if (end < start) {
            throw RequestException.badField("endTime: must not be before startTime");
        }
        HistoryQuery.Cursor after = null;
        String cursor = x.query("cursor");
        if (cursor != null) {
            after = HistoryQuery.Cursor.parse(cursor);
            if (after == null) {
                throw RequestException.badField("cursor: not a cursor this node gave: " + EdgeDecimals.echo(cursor));
            }
            if (x.hasQuery("fromId")) {
                throw RequestException.badField("cursor: not with fromId (the cursor says where the page starts)");
            }
        }
        return new HistoryQuery(instrument, fromId, start * 1_000_000L, endOfMilli(end), after, limit);
    }

    /** The last nanosecond of an epoch millisecond (the latest long for the last one). */
    static long endOfMilli(long millis) {
        return millis >= MAX_MILLIS ? Long.MAX_VALUE : millis * 1_000_000L + 999_999L;
    }

    /** Answers a page's records as JSON, with the next page's cursor in its header when there is one. */
    static <T> void reply(Exchange x, CompletableFuture<HistoryQuery.Page<T>> page,
                          Function<T, Map<String, Object>> json) {
        page.whenCompleteAsync((p, failure) -> {
            if (failure != null) {
                x.failed(failure);
                return;
            }
            List<Map<String, Object>> out = new ArrayList<>(p.items().size());
            for (T item : p.items()) {
                out.add(json.apply(item));
            }
            x.send(200, out, p.next() == null ? Map.of() : Map.of(Responses.NEXT_CURSOR, p.next().text()));
        }, x.executor());
    }
}
