package io.meridian.node.marketdata;

import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;

import java.util.List;

/**
 * The JSON text of every market-data message (docs/api.md, "WebSocket"), written by hand into a {@link JsonBytes} with
 * the fields in the order the node always wrote them. Publisher thread only (stateless apart from its arguments).
 */
final class FeedEncoder {
    private FeedEncoder() {
    }

    /**
     * {@code {"type":"snapshot","instrument","sequence","l2Sequence","bids":[[price,qty]...],"asks":[...]}}, at most
     * {@code depth} levels a side.
     */
    static void snapshot(JsonBytes out, BookSnapshot snapshot, int depth, FeedFormats.Instrument f) {
        out.ascii("{\"type\":\"snapshot\",\"instrument\":").number(snapshot.instrument())
                .ascii(",\"sequence\":").number(snapshot.sequence())
                .ascii(",\"l2Sequence\":").number(snapshot.l2Sequence())
                .ascii(",\"bids\":");
        levels(out, snapshot.bids(), depth, f.tick(), f.lot());
        out.ascii(",\"asks\":");
        levels(out, snapshot.asks(), depth, f.tick(), f.lot());
        out.ascii('}');
    }

    /** {@code [[price,qty],...]}: at most {@code depth} levels. */
    static void levels(JsonBytes out, List<BookSnapshot.Level> levels, int depth, DecimalStep tick, DecimalStep lot) {
        out.ascii('[');
        int n = Math.min(depth, levels.size());
        for (int i = 0; i < n; i++) {
            BookSnapshot.Level level = levels.get(i);
            if (i > 0) {
                out.ascii(',');
            }
            out.ascii('[').decimal(level.price(), tick).ascii(',').decimal(level.quantity(), lot).ascii(']');
        }
        out.ascii(']');
    }

    /** {@code {"type":"book","instrument","first","last","prev","bids":[...],"asks":[...]}}; levels as price, qty. */
    static void delta(JsonBytes out, int instrument, long first, long last, long prev, long[] bids, int bidCount,
                      long[] asks, int askCount, FeedFormats.Instrument f) {
        out.ascii("{\"type\":\"book\",\"instrument\":").number(instrument).ascii(",\"first\":").number(first)
                .ascii(",\"last\":").number(last).ascii(",\"prev\":").number(prev).ascii(",\"bids\":");
        pairs(out, bids, bidCount, f);
        out.ascii(",\"asks\":");
        pairs(out, asks, askCount, f);
        out.ascii('}');
    }

    private static void pairs(JsonBytes out, long[] levels, int count, FeedFormats.Instrument f) {
        out.ascii('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.ascii(',');
            }
            out.ascii('[').decimal(levels[2 * i], f.tick()).ascii(',').decimal(levels[2 * i + 1], f.lot()).ascii(']');
        }
        out.ascii(']');
    }

    /** {@code {"type":"resync","channel":"book","instrument","reason","message"}}: a fresh snapshot follows. */
    static void resyncBook(JsonBytes out, int instrument, String reason, String message) {
        out.ascii("{\"type\":\"resync\",\"channel\":\"book\",\"instrument\":").number(instrument)
                .ascii(",\"reason\":").string(reason).ascii(",\"message\":").string(message).ascii('}');
    }

    /** {@code {"type":"resync","channel":"account","account","reason","message"}}: messages were lost. */
    static void resyncAccount(JsonBytes out, long account, String reason, String message) {
        out.ascii("{\"type\":\"resync\",\"channel\":\"account\",\"account\":").number(account)
                .ascii(",\"reason\":").string(reason).ascii(",\"message\":").string(message).ascii('}');
    }

    /** A public (instrument) event other than a level change. */
    static void instrumentEvent(JsonBytes out, FeedSlot s, FeedFormats.Instrument f) {
        switch (s.kind) {
            case FeedSlot.TRADE -> out.ascii("{\"type\":\"trade\",\"instrument\":").number(s.instrument)
                    .ascii(",\"tradeId\":").number(s.a).ascii(",\"price\":").decimal(s.price, f.tick())
                    .ascii(",\"quantity\":").decimal(s.quantity, f.lot()).ascii(",\"side\":").ascii(side(s.side))
                    .ascii('}');
            case FeedSlot.MARK -> out.ascii("{\"type\":\"mark\",\"instrument\":").number(s.instrument)
                    .ascii(",\"price\":").decimal(s.price, f.tick()).ascii('}');
            case FeedSlot.LIQUIDATION -> {
                out.ascii("{\"type\":\"liquidation\",\"instrument\":").number(s.instrument).ascii(",\"side\":")
                        .ascii(side(s.side)).ascii(",\"price\":").decimal(s.price, f.tick())
                        .ascii(",\"quantity\":").decimal(s.quantity, f.lot());
                if (s.text != null) {
                    out.ascii(",\"via\":").string(s.text);
                }
                out.ascii('}');
            }
            case FeedSlot.EXPIRY -> out.ascii("{\"type\":\"expiry\",\"instrument\":").number(s.instrument)
                    .ascii(",\"expiry\":").number(s.a).ascii('}');
            case FeedSlot.SETTLEMENT -> out.ascii("{\"type\":\"settlement\",\"instrument\":").number(s.instrument)
                    .ascii(",\"settlementPrice\":").decimal(s.a, f.indexUnit())
                    .ascii(",\"intrinsicValue\":").decimal(s.b, f.indexUnit())
                    .ascii(",\"openInterest\":").decimal(s.quantity, f.lot())
                    .ascii(",\"samples\":").number(s.c).ascii('}');
            case FeedSlot.RISK_SCALE -> riskScale(out, s, f);
            case FeedSlot.PROPOSAL -> {
                out.ascii("{\"type\":\"proposal\",\"instrument\":").number(s.instrument).ascii(",\"id\":").number(s.a)
                        .ascii(",\"state\":").ascii(PROPOSAL_STATES[(int) s.c]).ascii(",\"approvals\":")
                        .number(s.quantity).ascii(",\"eta\":");
                nanosOrNull(out, s.b);
                out.ascii('}');
            }
            default -> throw new IllegalArgumentException("not an instrument event: " + s.kind);
        }
    }

    /** The governance event's states, by the engine's numbers (0 pending .. 4 expired), as JSON strings. */
    private static final String[] PROPOSAL_STATES = {"\"pending\"", "\"queued\"", "\"executed\"", "\"canceled\"",
        "\"expired\""};
    /** Parts per million: multipliers, bands and volatilities are written as decimals of it ("1.5", "0.05"). */
    private static final DecimalStep PPM = DecimalStep.of(java.math.BigDecimal.ONE.movePointLeft(6));

    /**
     * {@code {"type":"riskScale","instrument","status":"scheduled","multiplier","effectiveAt","realisedVolatility"}} when
     * a change is announced, {@code {"type":"riskScale","instrument","status":"applied","multiplier","positionLimit",
     * "priceBand"}} when it takes effect (null for none).
     */
    private static void riskScale(JsonBytes out, FeedSlot s, FeedFormats.Instrument f) {
        out.ascii("{\"type\":\"riskScale\",\"instrument\":").number(s.instrument).ascii(",\"status\":")
                .ascii(s.flag ? "\"applied\"" : "\"scheduled\"").ascii(",\"multiplier\":").decimal(s.a, PPM);
        if (s.flag) {
            out.ascii(",\"positionLimit\":");
            if (s.b == 0) {
                out.ascii("null");
            } else {
                out.decimal(s.b, f.lot());
            }
            out.ascii(",\"priceBand\":");
            ppmOrNull(out, s.c);
        } else {
            out.ascii(",\"effectiveAt\":").number(s.b).ascii(",\"realisedVolatility\":");
            ppmOrNull(out, s.c);
        }
        out.ascii('}');
    }

    private static void ppmOrNull(JsonBytes out, long ppm) {
        if (ppm == 0) {
            out.ascii("null");
        } else {
            out.decimal(ppm, PPM);
        }
    }

    private static void nanosOrNull(JsonBytes out, long nanos) {
        if (nanos == 0) {
            out.ascii("null");
        } else {
            out.number(nanos);
        }
    }

    /** A private (account) event; {@code f} is null for a balance, which names an asset instead. */
    static void accountEvent(JsonBytes out, FeedSlot s, FeedFormats.Instrument f, int assetScale) {
        switch (s.kind) {
            case FeedSlot.ORDER_ACCEPTED -> {
                order(out, "order", s);
                out.ascii(",\"status\":\"accepted\",\"side\":").ascii(side(s.side)).ascii(",\"price\":")
                        .decimal(s.price, f.tick()).ascii(",\"quantity\":").decimal(s.quantity, f.lot()).ascii('}');
            }
            case FeedSlot.ORDER_CANCELED -> {
                order(out, "order", s);
                out.ascii(",\"status\":\"canceled\",\"canceledQuantity\":").decimal(s.quantity, f.lot())
                        .ascii(",\"reason\":").string(s.text).ascii('}');
            }
            case FeedSlot.FILL -> {
                order(out, "fill", s);
                out.ascii(",\"tradeId\":").number(s.a).ascii(",\"side\":").ascii(side(s.side))
                        .ascii(",\"price\":").decimal(s.price, f.tick()).ascii(",\"quantity\":")
                        .decimal(s.quantity, f.lot()).ascii(",\"remaining\":").decimal(s.b, f.lot())
                        .ascii(",\"liquidity\":").string(s.text).ascii('}');
            }
            case FeedSlot.BALANCE -> out.ascii("{\"type\":\"balance\",\"sequence\":").number(s.sequence)
                    .ascii(",\"account\":").number(s.account).ascii(",\"asset\":").number(s.asset)
                    .ascii(",\"balance\":").money(s.a, assetScale).ascii(",\"equity\":").money(s.b, assetScale)
                    .ascii(",\"initialMargin\":").money(s.c, assetScale)
                    .ascii(",\"maintenanceMargin\":").money(s.d, assetScale)
                    .ascii(",\"health\":").number(s.e).ascii('}');
            case FeedSlot.POSITION -> {
                header(out, "position", s);
                out.ascii(",\"size\":").decimal(s.quantity, f.lot()).ascii(",\"liquidationPrice\":");
                if (s.price <= 0) {
                    out.ascii("null");
                } else {
                    out.decimal(s.price, f.tick());
                }
                out.ascii('}');
            }
            case FeedSlot.ACCOUNT_LIQUIDATION -> {
                header(out, "liquidation", s);
                out.ascii(",\"side\":").ascii(side(s.side)).ascii(",\"price\":").decimal(s.price, f.tick())
                        .ascii(",\"quantity\":").decimal(s.quantity, f.lot()).ascii(",\"via\":").string(s.text)
                        .ascii('}');
            }
            case FeedSlot.ACCOUNT_SETTLEMENT -> {
                header(out, "settlement", s);
                out.ascii(",\"position\":").decimal(s.quantity, f.lot()).ascii(",\"settlementPrice\":");
                if (s.flag) {
                    out.decimal(s.a, f.indexUnit());
                } else {
                    out.ascii("null");
                }
                out.ascii(",\"settlementValue\":").money(s.b, f.settlementScale())
                        .ascii(",\"amount\":").money(s.c, f.settlementScale())
                        .ascii(",\"settle\":").string(f.settle()).ascii('}');
            }
            default -> throw new IllegalArgumentException("not an account event: " + s.kind);
        }
    }

    private static void header(JsonBytes out, String type, FeedSlot s) {
        out.ascii("{\"type\":\"").ascii(type).ascii("\",\"sequence\":").number(s.sequence).ascii(",\"account\":")
                .number(s.account).ascii(",\"instrument\":").number(s.instrument);
    }

    private static void order(JsonBytes out, String type, FeedSlot s) {
        header(out, type, s);
        out.ascii(",\"orderId\":").number(s.orderId);
        if (s.clientOrderId != 0) {
            out.ascii(",\"clientOrderId\":").number(s.clientOrderId);
        }
        if (s.orderId >= Engine.LIQUIDATION_ORDER_ID_BASE) {
            out.ascii(",\"liquidation\":true");
        }
    }

    private static String side(int side) {
        return side == FeedSlot.BUY ? "\"buy\"" : "\"sell\"";
    }
}
