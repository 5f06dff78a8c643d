package io.meridian.node.fix;

import io.meridian.engine.Engine;
import io.meridian.matching.BookView;
import io.meridian.matching.Order;
import io.meridian.model.CancelReason;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.EngineLoop;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Decimals;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.UtcTimestampPrecision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FIX sessions' execution reports (docs/api.md, "FIX 4.4"). On the engine thread it hears every account's order
 * events ({@link EngineLoop#orderEvents}) and, for accounts with a FIX session logged in, keeps each open order's
 * cumulative quantity and average price and records what to report; the sender thread formats and sends it (see
 * {@link FixGateway}). An account's orders are tracked from its first FIX logon (seeded from the books, so an order
 * filled before the logon counts those fills at its limit price in AvgPx) until its last FIX session logs out.
 *
 * <p>Thread confinement: {@link #sessions} and {@link #orders} on the engine thread only (the event methods,
 * {@link #add} and {@link #remove}, the latter two through {@link EngineLoop#query}); {@link #pending} is concurrent
 * (FIX session threads put a cancel's or replace's ClOrdID before submitting it, the engine thread takes it); the
 * message methods ({@link #rejected}, {@link #cancelRejected}) may be called from any thread.
 */
final class FixReports implements EngineEvents {
    /** A cancel or replace in flight, by the account and the order id or client order id it names. */
    record Pending(long account, long orderId, long clientOrderId) {
    }

    private record Request(String clOrdId, String origClOrdId) {
    }

    /** What one execution report says; quantities in lots, prices in ticks, formatted on the sender thread. */
    private record Report(String execId, char execType, char ordStatus, long orderId, String clOrdId,
                          String origClOrdId, InstrumentSpec spec, Side side, char ordType, long orderQty, long price,
                          long lastPx, long lastQty, long cumQty, long leavesQty, double avgTicks, String text,
                          long transactNanos) {
    }

    private static final class Tracked {
        final long account;
        final int instrument;
        final Side side;
        /** The order's ClOrdID as FIX shows it: its client order id's text, or the number's digits; null for none. */
        final String clOrdId;
        final char ordType;
        long quantity;
        long price;
        long cum;
        /** Sum of price times quantity of the fills, in ticks times lots (a double: AvgPx is a display value). */
        double notional;

        Tracked(long account, int instrument, Side side, String clOrdId, char ordType, long quantity, long price) {
            this.account = account;
            this.instrument = instrument;
            this.side = side;
            this.clOrdId = clOrdId;
            this.ordType = ordType;
            this.quantity = quantity;
            this.price = price;
        }

        double avgTicks() {
            return cum == 0 ? 0 : notional / cum;
        }
    }

    private final Map<Integer, InstrumentSpec> instruments;
    private final Executor sender;
    private final Map<Long, List<SessionID>> sessions = new HashMap<>();
    private final Map<Long, Tracked> orders = new HashMap<>();
    private final Map<Pending, Request> pending = new ConcurrentHashMap<>();
    /** ExecIDs of reports without an engine sequence (gateway refusals): the node's start time and a counter. */
    private final String refusalPrefix = "G" + System.currentTimeMillis() + "-";
    private final AtomicLong refusals = new AtomicLong();

    FixReports(Map<Integer, InstrumentSpec> instruments, Executor sender) {
        this.instruments = Map.copyOf(instruments);
        this.sender = sender;
    }

    /** Engine thread: {@code session} reports for {@code account}; its open orders are tracked from now on. */
    void add(long account, SessionID session, Engine engine) {
        List<SessionID> list = new ArrayList<>(sessions.getOrDefault(account, List.of()));
        if (list.isEmpty()) {
            for (InstrumentSpec spec : instruments.values()) {
                BookView book = engine.view().book(spec.id());
                if (book == null) {
                    continue;
                }
                for (Order o : book.openOrdersOf(account)) {
                    Tracked t = new Tracked(account, spec.id(), o.side(), ClientOrderId.fixText(o.clientOrderId(),
                            engine.view().clientOrderText(o.orderId())), ordType(o.type()), o.quantity(), o.price());
                    t.cum = o.filled();
                    t.notional = (double) o.filled() * o.price();
                    orders.putIfAbsent(o.orderId(), t);
                }
            }
        }
        if (!list.contains(session)) {
            list.add(session);
        }
        // Immutable, so a report handed to the sender thread keeps the list it was made for.
        sessions.put(account, List.copyOf(list));
    }

    /** Engine thread: {@code session} logged out; the account's orders are forgotten with its last session. */
    void remove(long account, SessionID session) {
        List<SessionID> list = new ArrayList<>(sessions.getOrDefault(account, List.of()));
        list.remove(session);
        if (list.isEmpty()) {
            sessions.remove(account);
            orders.values().removeIf(t -> t.account == account);
        } else {
            sessions.put(account, List.copyOf(list));
        }
    }

    /** Any thread, before submitting a cancel or replace: its report carries this ClOrdID and OrigClOrdID. */
    void expect(Pending key, String clOrdId, String origClOrdId) {
        pending.put(key, new Request(clOrdId, origClOrdId));
    }

    /** Any thread: the cancel or replace is done (or was not queued). */
    void forget(Pending key) {
        pending.remove(key);
    }

    /** The text the engine told for the next order event ({@link #clientOrderText}), kept for that one event. */
    private long textOrder;
    private String text;

    /** Engine thread: the client order id text of the order the next event is about. */
    @Override
    public void clientOrderText(long orderId, String clientOrderText) {
        textOrder = orderId;
        text = clientOrderText;
    }

    /** The event's ClOrdID: the text told for its order (then forgotten), else the number's digits, or null. */
    private String clOrdId(long orderId, long clientOrderId) {
        String told = text != null && textOrder == orderId ? text : null;
        text = null;
        return ClientOrderId.fixText(clientOrderId, told);
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                              long quantity, long triggerPrice) {
        String clOrdId = clOrdId(orderId, clientOrderId);
        List<SessionID> to = sessions.get(account);
        if (to == null) {
            return;
        }
        Tracked t = new Tracked(account, instrument, side, clOrdId, ordType(type), quantity, price);
        orders.put(orderId, t);
        report(to, new Report(sequence + "-" + orderId + "-N", '0', '0', orderId, clOrdId, null,
                instruments.get(instrument), side, t.ordType, quantity, price, 0, 0, 0, quantity, 0,
                liquidationText(orderId), timestamp));
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        String clOrdId = clOrdId(orderId, clientOrderId);
        List<SessionID> to = sessions.get(account);
        if (to == null) {
            return;
        }
        Tracked t = orders.computeIfAbsent(orderId, id -> new Tracked(account, instrument, side, clOrdId, '2',
                quantity + remaining, price));
        t.cum += quantity;
        t.notional += (double) price * quantity;
        if (remaining == 0) {
            orders.remove(orderId);
        }
        report(to, new Report(sequence + "-" + orderId + "-F" + tradeId, 'F', remaining == 0 ? '2' : '1', orderId,
                clOrdId, null, instruments.get(instrument), side, t.ordType, t.quantity, t.price,
                price, quantity, t.cum, remaining, t.avgTicks(), liquidationText(orderId), timestamp));
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        closed(sequence, timestamp, instrument, orderId, clientOrderId, account, '4', "canceled: " + reason);
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        closed(sequence, timestamp, instrument, orderId, clientOrderId, account, 'C', "expired");
    }

    private void closed(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                        char status, String reason) {
        String clOrdId = clOrdId(orderId, clientOrderId);
        List<SessionID> to = sessions.get(account);
        if (to == null) {
            return;
        }
        Tracked t = orders.remove(orderId);
        Request request = take(account, orderId, clientOrderId);
        report(to, new Report(sequence + "-" + orderId + "-" + status, status, status, orderId,
                request != null ? request.clOrdId() : clOrdId,
                request != null ? request.origClOrdId() : null, instruments.get(instrument),
                t == null ? Side.BUY : t.side, t == null ? '2' : t.ordType, t == null ? 0 : t.quantity,
                t == null ? 0 : t.price, 0, 0, t == null ? 0 : t.cum, 0, t == null ? 0 : t.avgTicks(), reason,
                timestamp));
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        String clOrdId = clOrdId(orderId, clientOrderId);
        List<SessionID> to = sessions.get(account);
        if (to == null) {
            return;
        }
        Tracked t = orders.get(orderId);
        if (t == null) {
            return;
        }
        t.price = price;
        t.quantity = quantity;
        Request request = take(account, orderId, clientOrderId);
        report(to, new Report(sequence + "-" + orderId + "-R", '5', t.cum > 0 ? '1' : '0', orderId,
                request != null ? request.clOrdId() : clOrdId,
                request != null ? request.origClOrdId() : null, instruments.get(instrument), t.side, t.ordType,
                quantity, price, 0, 0, t.cum, remaining, t.avgTicks(), null, timestamp));
    }

    private Request take(long account, long orderId, long clientOrderId) {
        if (pending.isEmpty()) {
            return null;
        }
        Request request = pending.remove(new Pending(account, orderId, 0));
        return request != null ? request : pending.remove(new Pending(account, 0, clientOrderId));
    }

    /** Engine thread: hands the report to the sender thread, which formats one message per session. */
    private void report(List<SessionID> to, Report r) {
        post(() -> {
            for (SessionID session : to) {
                FixGateway.send(executionReport(r), session);
            }
        });
    }

    /** Any thread: an ExecutionReport REJECTED for a NewOrderSingle the gateway or the engine refused. */
    void rejected(SessionID session, String clOrdId, String symbol, char side, long sequence, long orderId,
                  int ordRejReason, String text) {
        String execId = sequence != 0 ? sequence + "-X" : refusalPrefix + refusals.incrementAndGet();
        post(() -> {
            Message m = new quickfix.fix44.ExecutionReport();
            m.setString(37, orderId != 0 ? Long.toString(orderId) : "NONE");
            m.setString(17, execId);
            m.setChar(150, '8');
            m.setChar(39, '8');
            m.setString(11, clOrdId);
            m.setString(55, symbol);
            m.setChar(54, side);
            m.setString(151, "0");
            m.setString(14, "0");
            m.setString(6, "0");
            m.setInt(103, ordRejReason);
            m.setString(58, text);
            m.setUtcTimeStamp(60, LocalDateTime.now(ZoneOffset.UTC), UtcTimestampPrecision.MILLIS);
            FixGateway.send(m, session);
        });
    }

    /**
     * Any thread: a session-level Reject (3) of a message whose tag {@code tag} has a value the gateway does not take
     * (SessionRejectReason 5, "value is incorrect for this tag"): a ClOrdID(11) or OrigClOrdID(41) that is not a client
     * order id ({@code text}: the code and the rule, as REST answers it).
     */
    void fieldRejected(SessionID session, int refSeqNum, String refMsgType, int tag, String text) {
        post(() -> {
            Message m = new quickfix.fix44.Reject();
            m.setInt(45, refSeqNum);
            m.setInt(371, tag);
            m.setString(372, refMsgType);
            m.setInt(373, 5);
            m.setString(58, text);
            FixGateway.send(m, session);
        });
    }

    /** Any thread: an OrderCancelReject (9) for a cancel (F) or replace (G) that failed. */
    void cancelRejected(SessionID session, String clOrdId, String origClOrdId, String orderId, boolean replace,
                        int cxlRejReason, String text) {
        post(() -> {
            Message m = new quickfix.fix44.OrderCancelReject();
            m.setString(37, orderId != null ? orderId : "NONE");
            m.setString(11, clOrdId);
            m.setString(41, origClOrdId);
            m.setChar(39, '8');
            m.setChar(434, replace ? '2' : '1');
            m.setInt(102, cxlRejReason);
            m.setString(58, text);
            FixGateway.send(m, session);
        });
    }

    /**
     * Hands {@code send} to the sender thread. Once the gateway closed (the executor shut down) a late reply's report is
     * dropped rather than thrown on the engine thread: the sessions are gone with the acceptor anyway.
     */
    private void post(Runnable send) {
        try {
            sender.execute(send);
        } catch (RejectedExecutionException e) {
            // Closed: nobody to send to.
        }
    }

    /** Sender thread: the FIX message for a report. */
    private static Message executionReport(Report r) {
        Message m = new quickfix.fix44.ExecutionReport();
        BigDecimal tick = r.spec().tickSize();
        BigDecimal lot = r.spec().lotSize();
        m.setString(37, Long.toString(r.orderId()));
        m.setString(17, r.execId());
        m.setChar(150, r.execType());
        m.setChar(39, r.ordStatus());
        if (r.clOrdId() != null) {
            m.setString(11, r.clOrdId());
        }
        if (r.origClOrdId() != null) {
            m.setString(41, r.origClOrdId());
        }
        m.setString(55, r.spec().symbol());
        m.setChar(54, r.side() == Side.BUY ? '1' : '2');
        m.setChar(40, r.ordType());
        if (r.orderQty() > 0) {
            m.setString(38, Decimals.decimal(r.orderQty(), lot));
        }
        if (r.price() > 0) {
            m.setString(44, Decimals.decimal(r.price(), tick));
        }
        if (r.lastQty() > 0) {
            m.setString(32, Decimals.decimal(r.lastQty(), lot));
            m.setString(31, Decimals.decimal(r.lastPx(), tick));
        }
        m.setString(14, Decimals.decimal(r.cumQty(), lot));
        m.setString(151, Decimals.decimal(r.leavesQty(), lot));
        m.setString(6, BigDecimal.valueOf(r.avgTicks()).multiply(tick)
                .setScale(tick.stripTrailingZeros().scale() + 4, RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString());
        if (r.text() != null) {
            m.setString(58, r.text());
        }
        m.setUtcTimeStamp(60, transactTime(r.transactNanos()), UtcTimestampPrecision.MILLIS);
        return m;
    }

    /** TransactTime(60): the engine's command time of the event (UTC), to the millisecond. */
    static LocalDateTime transactTime(long epochNanos) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                (int) Math.floorMod(epochNanos, 1_000_000_000L), ZoneOffset.UTC);
    }

    /** Text(58) of a report on the engine's liquidation order for the account; null for the account's own orders. */
    private static String liquidationText(long orderId) {
        return orderId >= Engine.LIQUIDATION_ORDER_ID_BASE ? "liquidation" : null;
    }

    private static char ordType(OrderType type) {
        return switch (type) {
            case MARKET -> '1';
            case LIMIT -> '2';
            case STOP_MARKET, TAKE_PROFIT_MARKET -> '3';
            case STOP_LIMIT, TAKE_PROFIT_LIMIT -> '4';
        };
    }
}
