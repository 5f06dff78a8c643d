package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.Order;
import io.meridian.matching.OrderBook;
import io.meridian.model.EngineEvents;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.Position;
import io.meridian.risk.PositionBook;

import java.util.ArrayList;
import java.util.List;

/**
 * Expiry and cash settlement of options (docs/options.md, "Instruments, chains and expiry"): when a settlement window
 * ends, its options close to trading (their orders canceled) and, once the window holds enough evidence, every
 * position settles at the window's time-weighted index through {@link Clearing#closeAtValue}. Owns no state: the
 * windows and the options' life states are the underlyings' ({@link OptionUnderlying}, {@link OptionSeries}), which
 * {@link Options} keeps, hashes and snapshots.
 *
 * <p>Engine thread only; runs on the expiry timer, never on the fill or mark path.
 */
final class OptionExpiry {
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final Ledger ledger;
    private final EngineEvents events;

    OptionExpiry(OrderBook[] books, Clearing[] clearings, Ledger ledger, EngineEvents events) {
        this.books = books;
        this.clearings = clearings;
        this.ledger = ledger;
        this.events = events;
    }

    /** The earliest expiry not yet reached of any option of the underlyings (null where none), or Long.MAX_VALUE. */
    private static long nextExpiry(OptionUnderlying[] underlyings) {
        long earliest = Long.MAX_VALUE;
        for (OptionUnderlying u : underlyings) {
            if (u != null) {
                earliest = Math.min(earliest, u.nextExpiry());
            }
        }
        return earliest;
    }

    /**
     * Handles every settlement window of the underlyings (by index id, null where none) that ended at or before
     * {@code timestamp} (indexes ascending, then window ends, then instrument ids): an option still trading expires
     * (closed to trading, orders canceled); then, when the window holds enough evidence
     * ({@link SettlementWindow#settle}), its options settle at the window's time-weighted index; otherwise they stay
     * expired awaiting a price and the window rolls forward to the next one. Returns the next window end.
     */
    long expireDue(OptionUnderlying[] underlyings, long sequence, long timestamp) {
        for (OptionUnderlying u : underlyings) {
            if (u == null) {
                continue;
            }
            for (SettlementWindow due = u.pollDue(timestamp); due != null; due = u.pollDue(timestamp)) {
                long price = due.settle();
                boolean awaiting = false;
                for (int i = 0; i < u.seriesCount; i++) {
                    OptionSeries series = u.series[i];
                    if (series.window != due || series.state == OptionSeries.SETTLED) {
                        continue;
                    }
                    if (series.state == OptionSeries.TRADING) {
                        expire(series, sequence, timestamp);
                    }
                    if (price >= 0) {
                        settle(series, price, due.samples(), sequence, timestamp);
                    } else {
                        awaiting = true;
                    }
                }
                if (awaiting && due.rollForward()) {
                    u.insert(due);
                }
            }
        }
        return nextExpiry(underlyings);
    }

    /** Closes the option to trading and cancels its open orders, by account ascending, each account's oldest first. */
    private void expire(OptionSeries series, long sequence, long timestamp) {
        series.state = OptionSeries.AWAITING_PRICE;
        events.optionExpired(sequence, timestamp, series.instrument);
        OrderBook book = books[series.instrument];
        book.setContext(sequence, timestamp);
        for (long account : accountsWithOrders(book)) {
            book.cancelAll(account);
        }
    }

    private static long[] accountsWithOrders(OrderBook book) {
        List<Order> open = new ArrayList<>(book.waitingConditionalOrders());
        for (Side side : Side.values()) {
            for (int depth = 0; depth < book.depth(side); depth++) {
                open.addAll(book.levelOrders(side, depth));
            }
        }
        return open.stream().mapToLong(Order::account).distinct().sorted().toArray();
    }

    /**
     * Settles every position of the option at {@code price} (index units): each closes at its settlement value
     * ({@link OptionSeries#settlementValue}) through {@link Clearing#closeAtValue}, in ascending account order; the
     * rounding residue (what shorts paid beyond what longs received) moves from the clearing account to the fee pool.
     * Events: {@code optionSettled}, then per position its posting and {@code optionPositionSettled}, then the
     * residue's posting.
     */
    private void settle(OptionSeries series, long price, int samples, long sequence, long timestamp) {
        long intrinsic = series.option.right().intrinsic(price, series.strikeUnits);
        Clearing clearing = clearings[series.instrument];
        PositionBook positions = clearing.positions();
        events.optionSettled(sequence, timestamp, series.instrument, price, intrinsic, positions.openInterest(),
                samples);
        long total = 0;
        for (Position position : positions.sortedPositions()) {
            long account = position.account();
            long size = position.size();
            long value = series.settlementValue(intrinsic, size);
            long amount = clearing.closeAtValue(account, value);
            total = Math.addExact(total, value);
            events.optionPositionSettled(sequence, timestamp, series.instrument, account, size, value, amount);
        }
        if (total < 0) {
            ledger.post(PostingType.OPTION_SETTLEMENT, clearing.asset(), SystemAccounts.CLEARING,
                    SystemAccounts.FEE_POOL, -total);
        }
        series.state = OptionSeries.SETTLED;
        series.settlementPrice = price;
        series.underlying.table.retire(series.series);
    }
}
