package io.meridian.node.marketdata;

import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;

import java.util.List;

/**
 * The JSON text of every market-data message (docs/api.md, "WebSocket"), written by hand into a {@link JsonBytes}.
 * Every message is stamped with the engine {@code sequence} and the command time {@code ts} (epoch milliseconds, a
 * JSON number) of the command it comes from; times that need nanoseconds are strings ({@code "expiryNanos"}).
 * Publisher thread only (stateless apart from its arguments).
 */
final class FeedEncoder {
    private FeedEncoder() {
    }

    /** Epoch nanoseconds as epoch milliseconds (rounded down). */
    static long millis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    /** {@code ,"sequence":S,"ts":T}. */
    private static JsonBytes stamp(JsonBytes out, long sequence, long timestamp) {
        return out.ascii(",\"sequence\":").number(sequence).ascii(",\"ts\":").number(millis(timestamp));
    }

    /**
     * {@code {"type":"snapshot","instrument","sequence","ts","l2Sequence","depth","bids":[[price,qty]...],"asks":[...]}},
     * at most {@code depth} levels a side; {@code sequence} is the last command applied to the book, {@code ts} the
     * engine's time when the snapshot was taken.
     */
    static void snapshot(JsonBytes out, BookSnapshot snapshot, int depth, long timestamp, FeedFormats.Instrument f) {
        out.ascii("{\"type\":\"snapshot\",\"instrument\":").number(snapshot.instrument());
        stamp(out, snapshot.sequence(), timestamp)
                .ascii(",\"l2Sequence\":").number(snapshot.l2Sequence())
                .ascii(",\"depth\":").number(depth)
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

    /**
     * {@code {"type":"book","instrument","sequence","ts","first","last","prev","bids":[...],"asks":[...]}}; levels as
     * price, qty; {@code first} is {@code prev + 1}.
     */
    static void delta(JsonBytes out, int instrument, long sequence, long timestamp, long last, long prev,
                      BookWindows.Delta delta, FeedFormats.Instrument f) {
        out.ascii("{\"type\":\"book\",\"instrument\":").number(instrument);
        stamp(out, sequence, timestamp).ascii(",\"first\":").number(prev + 1)
                .ascii(",\"last\":").number(last).ascii(",\"prev\":").number(prev).ascii(",\"bids\":");
        pairs(out, delta.bids, delta.bidCount, f);
        out.ascii(",\"asks\":");
        pairs(out, delta.asks, delta.askCount, f);
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

    /** {@code {"type":"resync","channel":"book","instrument","sequence","ts","reason","message"}}: a snapshot follows. */
    static void resyncBook(JsonBytes out, int instrument, String reason, String message, long sequence,
                           long timestamp) {
        resyncChannel(out, Channels.BOOK, instrument, reason, message, sequence, timestamp);
    }

    /** {@code {"type":"resync","channel",...,"instrument","sequence","ts","reason","message"}} for a public channel. */
    static void resyncChannel(JsonBytes out, int channel, int instrument, String reason, String message,
                              long sequence, long timestamp) {
        out.ascii("{\"type\":\"resync\",\"channel\":\"").ascii(Channels.name(channel)).ascii("\",\"instrument\":")
                .number(instrument);
        stamp(out, sequence, timestamp).ascii(",\"reason\":").string(reason).ascii(",\"message\":").string(message)
                .ascii('}');
    }

    /** {@code {"type":"resync","channel":"account","account","sequence","ts","reason","message"}}: messages were lost. */
    static void resyncAccount(JsonBytes out, long account, String reason, String message, long sequence,
                              long timestamp) {
        out.ascii("{\"type\":\"resync\",\"channel\":\"account\",\"account\":").number(account);
        stamp(out, sequence, timestamp).ascii(",\"reason\":").string(reason).ascii(",\"message\":").string(message)
                .ascii('}');
    }

    /**
     * {@code {"type":"subscribed","channel",("instrument"|"account"[,"address"]),["id",]"sequence","ts"}}: the stream
     * starts after the command {@code sequence}.
     */
    static void subscribed(JsonBytes out, String channel, String key, long value, String address, Long requestId,
                           long sequence, long timestamp) {
        out.ascii("{\"type\":\"subscribed\",\"channel\":\"").ascii(channel).ascii("\",\"").ascii(key).ascii("\":")
                .number(value);
        if (address != null) {
            out.ascii(",\"address\":").string(address);
        }
        if (requestId != null) {
            out.ascii(",\"id\":").number(requestId);
        }
        stamp(out, sequence, timestamp).ascii('}');
    }

    private static JsonBytes head(JsonBytes out, String type, String channel, FeedSlot s) {
        out.ascii("{\"type\":\"").ascii(type).ascii('"');
        if (channel != null) {
            out.ascii(",\"channel\":\"").ascii(channel).ascii('"');
        }
        out.ascii(",\"instrument\":").number(s.instrument);
        return stamp(out, s.sequence, s.timestamp);
    }

    /**
     * A public (instrument) event other than a level change, as the book channel carries it ({@code channel} null), or
     * as the trades or liquidations channel does ({@code channel} named in the message).
     */
    static void instrumentEvent(JsonBytes out, FeedSlot s, FeedFormats.Instrument f, String channel) {
        switch (s.kind) {
            case FeedSlot.TRADE -> head(out, "trade", channel, s).ascii(",\"tradeId\":").number(s.a)
                    .ascii(",\"price\":").decimal(s.price, f.tick())
                    .ascii(",\"quantity\":").decimal(s.quantity, f.lot()).ascii(",\"side\":").ascii(side(s.side))
                    .ascii('}');
            case FeedSlot.MARK -> head(out, "mark", channel, s).ascii(",\"price\":").decimal(s.price, f.tick())
                    .ascii('}');
            case FeedSlot.LIQUIDATION -> {
                head(out, "liquidation", channel, s).ascii(",\"side\":")
                        .ascii(side(s.side)).ascii(",\"price\":").decimal(s.price, f.tick())
                        .ascii(",\"quantity\":").decimal(s.quantity, f.lot());
                if (s.text != null) {
                    out.ascii(",\"via\":").string(s.text);
                }
                out.ascii('}');
            }
            case FeedSlot.EXPIRY -> {
                head(out, "expiry", channel, s).ascii(",\"expiry\":").number(millis(s.a));
                out.ascii(",\"expiryNanos\":\"").number(s.a).ascii("\"}");
            }
            case FeedSlot.SETTLEMENT -> head(out, "settlement", channel, s)
                    .ascii(",\"settlementPrice\":").decimal(s.a, f.indexUnit())
                    .ascii(",\"intrinsicValue\":").decimal(s.b, f.indexUnit())
                    .ascii(",\"openInterest\":").decimal(s.quantity, f.lot())
                    .ascii(",\"samples\":").number(s.c).ascii('}');
            case FeedSlot.RISK_SCALE -> riskScale(out, s, f);
            case FeedSlot.PROPOSAL -> {
                head(out, "proposal", channel, s).ascii(",\"id\":").number(s.a)
                        .ascii(",\"state\":").ascii(PROPOSAL_STATES[(int) s.c]).ascii(",\"approvals\":")
                        .number(s.quantity);
                nanosOrNull(out, "eta", s.b);
                out.ascii('}');
            }
            default -> throw new IllegalArgumentException("not an instrument event: " + s.kind);
        }
    }

    /**
     * {@code {"type":"ticker","instrument","sequence","ts","bestBid","bestBidSize","bestAsk","bestAskSize","last",
     * "mark","index"}}: null for what there is none of. {@code index} is in units of {@code indexStep} (the tick over
     * the index units per tick), null without an index.
     */
    static void ticker(JsonBytes out, FeedSlot s, FeedFormats.Instrument f, DecimalStep indexStep) {
        head(out, "ticker", null, s).ascii(",\"bestBid\":");
        priceOrNull(out, s.a, f);
        out.ascii(",\"bestBidSize\":");
        quantityOrNull(out, s.a, s.b, f);
        out.ascii(",\"bestAsk\":");
        priceOrNull(out, s.c, f);
        out.ascii(",\"bestAskSize\":");
        quantityOrNull(out, s.c, s.d, f);
        out.ascii(",\"last\":");
        priceOrNull(out, s.e, f);
        out.ascii(",\"mark\":");
        priceOrNull(out, s.f, f);
        out.ascii(",\"index\":");
        if (s.g <= 0 || indexStep == null) {
            out.ascii("null");
        } else {
            out.decimal(s.g, indexStep);
        }
        out.ascii('}');
    }

    private static void priceOrNull(JsonBytes out, long price, FeedFormats.Instrument f) {
        if (price <= 0) {
            out.ascii("null");
        } else {
            out.decimal(price, f.tick());
        }
    }

    private static void quantityOrNull(JsonBytes out, long price, long quantity, FeedFormats.Instrument f) {
        if (price <= 0) {
            out.ascii("null");
        } else {
            out.decimal(quantity, f.lot());
        }
    }

    /** Rates are integers in 1e-9; the API shows them as decimal fractions ("0.0001"). */
    private static final DecimalStep RATE = DecimalStep.of(java.math.BigDecimal.ONE.movePointLeft(9));

    /**
     * {@code {"type":"funding","instrument","sequence","ts","status":"applied","rate","averagePremium","interestRate",
     * "samples","mark"}} when a funding interval settles, {@code {"type":"funding","instrument","sequence","ts",
     * "status":"predicted","rate","nextFundingTime"}} when the rate the current interval would settle at changes
     * ({@code nextFundingTime} in epoch milliseconds).
     */
    static void funding(JsonBytes out, FeedSlot s, FeedFormats.Instrument f) {
        head(out, "funding", null, s);
        if (s.flag) {
            out.ascii(",\"status\":\"applied\",\"rate\":").decimal(s.a, RATE)
                    .ascii(",\"averagePremium\":").decimal(s.b, RATE)
                    .ascii(",\"interestRate\":").decimal(s.c, RATE)
                    .ascii(",\"samples\":").number(s.d).ascii(",\"mark\":");
            priceOrNull(out, s.price, f);
        } else {
            out.ascii(",\"status\":\"predicted\",\"rate\":").decimal(s.a, RATE)
                    .ascii(",\"nextFundingTime\":").number(millis(s.b));
        }
        out.ascii('}');
    }

    /** The governance event's states, by the engine's numbers (0 pending .. 4 expired), as JSON strings. */
    private static final String[] PROPOSAL_STATES = {"\"pending\"", "\"queued\"", "\"executed\"", "\"canceled\"",
        "\"expired\""};
    /** Parts per million: multipliers, bands and volatilities are written as decimals of it ("1.5", "0.05"). */
    private static final DecimalStep PPM = DecimalStep.of(java.math.BigDecimal.ONE.movePointLeft(6));

    /**
     * {@code {"type":"riskScale","instrument","sequence","ts","status":"scheduled","multiplier","effectiveAt",
     * "effectiveAtNanos","realisedVolatility"}} when a change is announced, {@code {"type":"riskScale","instrument",
     * "sequence","ts","status":"applied","multiplier","positionLimit","priceBand"}} when it takes effect (null for
     * none).
     */
    private static void riskScale(JsonBytes out, FeedSlot s, FeedFormats.Instrument f) {
        head(out, "riskScale", null, s).ascii(",\"status\":")
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
            nanosOrNull(out, "effectiveAt", s.b);
            out.ascii(",\"realisedVolatility\":");
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

    /** {@code ,"name":millis,"nameNanos":"nanos"}, or both null for 0 (none). */
    private static void nanosOrNull(JsonBytes out, String name, long nanos) {
        out.ascii(",\"").ascii(name).ascii("\":");
        if (nanos == 0) {
            out.ascii("null,\"").ascii(name).ascii("Nanos\":null");
        } else {
            out.number(millis(nanos)).ascii(",\"").ascii(name).ascii("Nanos\":\"").number(nanos).ascii('"');
        }
    }

    /**
     * A private (account) event; {@code f} is null for a balance, which names an asset instead: {@code asset} its
     * symbol and {@code assetId} its id, as {@code GET /v1/balances} names them.
     */
    static void accountEvent(JsonBytes out, FeedSlot s, FeedFormats.Instrument f, int assetScale, String assetSymbol) {
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
            case FeedSlot.ORDER_AMENDED -> {
                order(out, "order", s);
                out.ascii(",\"status\":\"amended\",\"price\":").decimal(s.price, f.tick())
                        .ascii(",\"quantity\":").decimal(s.quantity, f.lot())
                        .ascii(",\"remaining\":").decimal(s.b, f.lot()).ascii('}');
            }
            case FeedSlot.ORDER_EXPIRED -> {
                order(out, "order", s);
                out.ascii(",\"status\":\"expired\",\"expiredQuantity\":").decimal(s.quantity, f.lot()).ascii('}');
            }
            case FeedSlot.FILL -> {
                order(out, "fill", s);
                out.ascii(",\"tradeId\":").number(s.a).ascii(",\"side\":").ascii(side(s.side))
                        .ascii(",\"price\":").decimal(s.price, f.tick()).ascii(",\"quantity\":")
                        .decimal(s.quantity, f.lot()).ascii(",\"remaining\":").decimal(s.b, f.lot())
                        .ascii(",\"liquidity\":").string(s.text).ascii('}');
            }
            case FeedSlot.BALANCE -> {
                out.ascii("{\"type\":\"balance\"");
                stamp(out, s.sequence, s.timestamp)
                        .ascii(",\"account\":").number(s.account).ascii(",\"asset\":").string(assetSymbol)
                        .ascii(",\"assetId\":").number(s.asset)
                        .ascii(",\"balance\":").money(s.a, assetScale).ascii(",\"equity\":").money(s.b, assetScale)
                        .ascii(",\"initialMargin\":").money(s.c, assetScale)
                        .ascii(",\"maintenanceMargin\":").money(s.d, assetScale)
                        .ascii(",\"health\":").number(s.e).ascii('}');
            }
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

    /** {@code {"type","sequence","ts","account","instrument"}} of a private message. */
    private static void header(JsonBytes out, String type, FeedSlot s) {
        out.ascii("{\"type\":\"").ascii(type).ascii('"');
        stamp(out, s.sequence, s.timestamp).ascii(",\"account\":").number(s.account).ascii(",\"instrument\":")
                .number(s.instrument);
    }

    private static void order(JsonBytes out, String type, FeedSlot s) {
        header(out, type, s);
        out.ascii(",\"orderId\":").number(s.orderId);
        if (s.clientOrderText != null) {
            out.ascii(",\"clientOrderId\":").string(s.clientOrderText);
        } else if (s.clientOrderId != 0) {
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
