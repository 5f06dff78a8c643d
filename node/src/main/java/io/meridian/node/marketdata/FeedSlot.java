package io.meridian.node.marketdata;

/**
 * One market-data event handed from the engine thread to the publisher thread through the {@link FeedRing}: raw
 * numbers as the engine emitted them (ticks, lots, minor units), encoded to JSON once by the publisher. Slots are
 * preallocated and reused, so the engine thread allocates nothing to publish. Every slot carries the {@link #sequence}
 * and {@link #timestamp} (epoch nanoseconds) of the command that made it. Fields by {@link #kind}:
 *
 * <table>
 * <caption>fields per kind</caption>
 * <tr><th>kind</th><th>fields</th></tr>
 * <tr><td>{@link #LEVEL}</td><td>instrument, a = l2 sequence, side, price, quantity (0 removes the level)</td></tr>
 * <tr><td>{@link #EDGE}</td><td>instrument, side, price, quantity: a level at a rank the book windows need after the
 *     command (see {@link BookWindows}), after the command's level changes</td></tr>
 * <tr><td>{@link #COMMAND_END}</td><td>the level changes since the last one form one delta</td></tr>
 * <tr><td>{@link #TRADE}</td><td>instrument, a = trade id, side (the taker's), price, quantity</td></tr>
 * <tr><td>{@link #MARK}</td><td>instrument, price</td></tr>
 * <tr><td>{@link #LIQUIDATION}</td><td>instrument, side, price, quantity, text = via (null for a book fill)</td></tr>
 * <tr><td>{@link #EXPIRY}</td><td>instrument, a = the listed expiry (epoch nanoseconds)</td></tr>
 * <tr><td>{@link #SETTLEMENT}</td><td>instrument, a = settlement price, b = intrinsic value (index units),
 *     quantity = open interest, c = samples</td></tr>
 * <tr><td>{@link #RISK_SCALE}</td><td>instrument, flag = applied (else announced), a = multiplier (ppm); announced:
 *     b = effective at (epoch nanoseconds), c = realised volatility (ppm, 0 = none); applied: b = position limit
 *     (lots, 0 = none), c = price band (ppm, 0 = none)</td></tr>
 * <tr><td>{@link #PROPOSAL}</td><td>instrument, a = proposal id, c = state (0 pending .. 4 expired), quantity =
 *     approvals, b = eta (epoch nanoseconds, 0 = none)</td></tr>
 * <tr><td>{@link #TICKER}</td><td>instrument, a = best bid, b = its size, c = best ask, d = its size (prices 0: none),
 *     e = last trade price (0: none), f = mark (0: none), g = index price in index units (0: none), h = index units per
 *     tick</td></tr>
 * <tr><td>{@link #FUNDING}</td><td>instrument, flag = applied (else the predicted rate changed); applied: a = rate,
 *     b = average premium, c = interest rate (1e-9), d = samples, price = mark (0: none); predicted: a = rate,
 *     b = next funding time (epoch nanoseconds)</td></tr>
 * <tr><td>{@link #ORDER_ACCEPTED}</td><td>sequence, account, instrument, orderId, clientOrderId, side, price,
 *     quantity</td></tr>
 * <tr><td>{@link #ORDER_CANCELED}</td><td>sequence, account, instrument, orderId, clientOrderId, quantity (canceled),
 *     text = reason</td></tr>
 * <tr><td>{@link #ORDER_AMENDED}</td><td>sequence, account, instrument, orderId, clientOrderId, price, quantity,
 *     b = remaining</td></tr>
 * <tr><td>{@link #ORDER_EXPIRED}</td><td>sequence, account, instrument, orderId, clientOrderId, quantity
 *     (expired)</td></tr>
 * <tr><td>{@link #FILL}</td><td>sequence, account, instrument, orderId, clientOrderId, a = trade id, side, price,
 *     quantity, b = remaining, text = liquidity</td></tr>
 * <tr><td>{@link #BALANCE}</td><td>sequence, account, asset, a = balance, b = equity, c = initial margin,
 *     d = maintenance margin, e = health</td></tr>
 * <tr><td>{@link #POSITION}</td><td>sequence, account, instrument, quantity = signed size, price = liquidation price
 *     (0 or less: none)</td></tr>
 * <tr><td>{@link #ACCOUNT_LIQUIDATION}</td><td>sequence, account, instrument, side (the account's own), price,
 *     quantity, text = via</td></tr>
 * <tr><td>{@link #ACCOUNT_SETTLEMENT}</td><td>sequence, account, instrument, quantity = signed position, flag = the
 *     settlement price is known, a = settlement price, b = settlement value, c = amount</td></tr>
 * </table>
 *
 * <p>The order kinds carry {@link #clientOrderText} too: the client order id as the client wrote it, when it was given
 * as text (its key is {@code clientOrderId}), else null.
 *
 * <p>Sides are {@link #BUY} or {@link #SELL}. Written by the engine thread between claiming and publishing, read by
 * the publisher thread after the publication (the ring's release and acquire order them).
 */
public final class FeedSlot {
    public static final int LEVEL = 1;
    public static final int COMMAND_END = 2;
    public static final int TRADE = 3;
    public static final int MARK = 4;
    public static final int LIQUIDATION = 5;
    public static final int EXPIRY = 6;
    public static final int SETTLEMENT = 7;
    public static final int RISK_SCALE = 8;
    public static final int PROPOSAL = 9;
    public static final int ORDER_ACCEPTED = 10;
    public static final int ORDER_CANCELED = 11;
    public static final int FILL = 12;
    public static final int BALANCE = 13;
    public static final int POSITION = 14;
    public static final int ACCOUNT_LIQUIDATION = 15;
    public static final int ACCOUNT_SETTLEMENT = 16;
    public static final int EDGE = 17;
    public static final int TICKER = 18;
    public static final int FUNDING = 19;
    public static final int ORDER_AMENDED = 20;
    public static final int ORDER_EXPIRED = 21;

    public static final int BUY = 0;
    public static final int SELL = 1;

    public int kind;
    public int instrument;
    public int asset;
    public int side;
    public boolean flag;
    public long sequence;
    /** The command's time, epoch nanoseconds. */
    public long timestamp;
    public long account;
    public long orderId;
    public long clientOrderId;
    /** The client order id's text (the engine's own string: no copy), or null. */
    public String clientOrderText;
    public long price;
    public long quantity;
    public long a;
    public long b;
    public long c;
    public long d;
    public long e;
    public long f;
    public long g;
    public long h;
    public String text;

    /** Whether the event belongs to an account's private stream (else to an instrument's public one). */
    public boolean isPrivate() {
        return kind >= ORDER_ACCEPTED && kind <= ACCOUNT_SETTLEMENT || kind == ORDER_AMENDED || kind == ORDER_EXPIRED;
    }

    void clear() {
        kind = 0;
        instrument = 0;
        asset = 0;
        side = 0;
        flag = false;
        sequence = 0;
        timestamp = 0;
        account = 0;
        orderId = 0;
        clientOrderId = 0;
        clientOrderText = null;
        price = 0;
        quantity = 0;
        a = 0;
        b = 0;
        c = 0;
        d = 0;
        e = 0;
        f = 0;
        g = 0;
        h = 0;
        text = null;
    }
}
