package io.meridian.node.marketdata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;
import io.meridian.model.InstrumentSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The market-data messages written by hand ({@link JsonBytes}, {@link FeedEncoder}) are exactly the text the node
 * wrote before through maps and Jackson, decimals through {@link BigDecimal} (the references below are that code):
 * clients see the same bytes, only made once. jqwik prints the seed of a failing run.
 */
class FeedEncodingProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<BigDecimal> steps() {
        return Arbitraries.of(new BigDecimal("0.001"), new BigDecimal("0.1"), new BigDecimal("0.01"), BigDecimal.ONE,
                new BigDecimal("10"), new BigDecimal("1E+2"), new BigDecimal("0.5"), new BigDecimal("0.000000001"),
                new BigDecimal("25"), new BigDecimal("0.0010"), new BigDecimal("0.00000001"));
    }

    static String decimal(long units, BigDecimal unit) {
        return unit.multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString();
    }

    @Property(tries = 3000)
    void decimalsMatchTheBigDecimalReference(@ForAll long units, @ForAll("steps") BigDecimal step) {
        assertEquals(decimal(units, step), new JsonBytes(4).plainDecimal(units, DecimalStep.of(step)).toString());
    }

    @Property(tries = 2000)
    void moneyKeepsEveryDecimalOfTheAsset(@ForAll long minor, @ForAll @IntRange(min = 0, max = 18) int scale) {
        assertEquals("\"" + BigDecimal.ONE.movePointLeft(scale).multiply(BigDecimal.valueOf(minor)).toPlainString()
                + "\"", new JsonBytes(4).money(minor, scale).toString());
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(30);
    }

    @Property(tries = 1000)
    void stringsAreEscapedAsJacksonEscapesThem(@ForAll("texts") String s) throws Exception {
        assertEquals(JSON.writeValueAsString(s), new JsonBytes(4).string(s).toString());
    }

    @Property(tries = 300)
    void framesCarryTheirLength(@ForAll @IntRange(min = 0, max = 70_000) int length) {
        JsonBytes payload = new JsonBytes(16);
        for (int i = 0; i < length; i++) {
            payload.ascii('x');
        }
        byte[] frame = java.util.Arrays.copyOf(new JsonBytes(16).textFrame(payload).array(), length + 10);
        assertEquals((byte) 0x81, frame[0]);
        int header;
        long n;
        if (length < 126) {
            n = frame[1];
            header = 2;
        } else if (length < 65_536) {
            assertEquals(126, frame[1]);
            n = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
            header = 4;
        } else {
            assertEquals(127, frame[1]);
            n = 0;
            for (int i = 2; i < 10; i++) {
                n = (n << 8) | (frame[i] & 0xff);
            }
            header = 10;
        }
        assertEquals(length, n);
        assertEquals(length + header, new JsonBytes(16).textFrame(payload).length());
    }

    private static final InstrumentSpec SPEC = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");

    private static FeedFormats.Instrument format() {
        FeedFormats formats = new FeedFormats();
        formats.instrument(SPEC, 2);
        return formats.of(1);
    }

    private static String text(JsonBytes out) {
        return out.toString();
    }

    /** {@code type}, then the channel when named, the instrument, the engine sequence and the time in milliseconds. */
    private static Map<String, Object> head(String type, String channel, FeedSlot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (channel != null) {
            m.put("channel", channel);
        }
        m.put("instrument", s.instrument);
        m.put("sequence", s.sequence);
        m.put("ts", Math.floorDiv(s.timestamp, 1_000_000L));
        return m;
    }

    @Property(tries = 500)
    void publicMessagesMatchTheGenericEncoding(@ForAll long price, @ForAll @LongRange(min = 0) long quantity,
                                               @ForAll long tradeId, @ForAll boolean buy, @ForAll boolean via,
                                               @ForAll @IntRange(min = 0, max = 1000) int samples,
                                               @ForAll @LongRange(min = 1) long sequence,
                                               @ForAll @LongRange(min = 0) long timestamp) throws Exception {
        FeedFormats.Instrument f = format();
        FeedSlot s = new FeedSlot();
        s.instrument = 1;
        s.sequence = sequence;
        s.timestamp = timestamp;
        s.price = price;
        s.quantity = quantity;
        s.a = tradeId;
        s.side = buy ? FeedSlot.BUY : FeedSlot.SELL;
        for (String channel : new String[] {null, "trades"}) {
            s.kind = FeedSlot.TRADE;
            Map<String, Object> m = head("trade", channel, s);
            m.put("tradeId", tradeId);
            m.put("price", decimal(price, SPEC.tickSize()));
            m.put("quantity", decimal(quantity, SPEC.lotSize()));
            m.put("side", buy ? "buy" : "sell");
            assertEquals(JSON.writeValueAsString(m), encode(s, f, channel));
        }

        s.kind = FeedSlot.MARK;
        Map<String, Object> m = head("mark", null, s);
        m.put("price", decimal(price, SPEC.tickSize()));
        assertEquals(JSON.writeValueAsString(m), encode(s, f));

        s.kind = FeedSlot.EXPIRY;
        s.a = Math.abs(tradeId % 4_000_000_000_000_000_000L);
        m = head("expiry", null, s);
        m.put("expiry", Math.floorDiv(s.a, 1_000_000L));
        m.put("expiryNanos", String.valueOf(s.a));
        assertEquals(JSON.writeValueAsString(m), encode(s, f));
        s.a = tradeId;

        s.kind = FeedSlot.LIQUIDATION;
        s.text = via ? "insurance-fund" : null;
        m = head("liquidation", via ? "liquidations" : null, s);
        m.put("side", buy ? "buy" : "sell");
        m.put("price", decimal(price, SPEC.tickSize()));
        m.put("quantity", decimal(quantity, SPEC.lotSize()));
        if (via) {
            m.put("via", "insurance-fund");
        }
        assertEquals(JSON.writeValueAsString(m), encode(s, f, via ? "liquidations" : null));

        s.kind = FeedSlot.SETTLEMENT;
        s.a = price;
        s.b = tradeId;
        s.c = samples;
        m = head("settlement", null, s);
        m.put("settlementPrice", decimal(price, new BigDecimal("0.01")));
        m.put("intrinsicValue", decimal(tradeId, new BigDecimal("0.01")));
        m.put("openInterest", decimal(quantity, SPEC.lotSize()));
        m.put("samples", samples);
        assertEquals(JSON.writeValueAsString(m), encode(s, f));
    }

    private static String encode(FeedSlot s, FeedFormats.Instrument f) {
        return encode(s, f, null);
    }

    private static String encode(FeedSlot s, FeedFormats.Instrument f, String channel) {
        JsonBytes out = new JsonBytes(16);
        FeedEncoder.instrumentEvent(out, s, f, channel);
        return text(out);
    }

    private static Object priceOrNull(long price) {
        return price <= 0 ? null : decimal(price, SPEC.tickSize());
    }

    @Property(tries = 500)
    void tickerAndFundingMatchTheGenericEncoding(@ForAll long bid, @ForAll @LongRange(min = 0) long bidSize,
                                                 @ForAll long ask, @ForAll @LongRange(min = 0) long askSize,
                                                 @ForAll long last, @ForAll long mark,
                                                 @ForAll @LongRange(min = -5, max = 1L << 50) long index,
                                                 @ForAll @LongRange(min = 1, max = 1000) long unitsPerTick,
                                                 @ForAll long rate, @ForAll @LongRange(min = 0) long nanos,
                                                 @ForAll boolean applied) throws Exception {
        FeedFormats.Instrument f = format();
        FeedSlot s = new FeedSlot();
        s.kind = FeedSlot.TICKER;
        s.instrument = 1;
        s.sequence = 7;
        s.timestamp = nanos;
        s.a = bid;
        s.b = bidSize;
        s.c = ask;
        s.d = askSize;
        s.e = last;
        s.f = mark;
        s.g = index;
        s.h = unitsPerTick;
        Map<String, Object> m = head("ticker", null, s);
        m.put("bestBid", priceOrNull(bid));
        m.put("bestBidSize", bid <= 0 ? null : decimal(bidSize, SPEC.lotSize()));
        m.put("bestAsk", priceOrNull(ask));
        m.put("bestAskSize", ask <= 0 ? null : decimal(askSize, SPEC.lotSize()));
        m.put("last", priceOrNull(last));
        m.put("mark", priceOrNull(mark));
        // The REST ticker's index: index units of the tick over the units per tick.
        m.put("index", index <= 0 ? null : decimal(index, SPEC.tickSize().divide(BigDecimal.valueOf(unitsPerTick),
                java.math.MathContext.DECIMAL128)));
        DecimalStep step = DecimalStep.of(SPEC.tickSize().divide(BigDecimal.valueOf(unitsPerTick),
                java.math.MathContext.DECIMAL128).stripTrailingZeros());
        JsonBytes out = new JsonBytes(16);
        FeedEncoder.ticker(out, s, f, step);
        assertEquals(JSON.writeValueAsString(m), text(out));

        s.kind = FeedSlot.FUNDING;
        s.flag = applied;
        s.a = rate;
        s.b = nanos;
        s.c = -rate / 3;
        s.d = 480;
        s.price = mark;
        BigDecimal unit = BigDecimal.ONE.movePointLeft(9);
        m = head("funding", null, s);
        m.put("status", applied ? "applied" : "predicted");
        m.put("rate", decimal(rate, unit));
        if (applied) {
            m.put("averagePremium", decimal(nanos, unit));
            m.put("interestRate", decimal(-rate / 3, unit));
            m.put("samples", 480L);
            m.put("mark", priceOrNull(mark));
        } else {
            m.put("nextFundingTime", Math.floorDiv(nanos, 1_000_000L));
        }
        out.clear();
        FeedEncoder.funding(out, s, f);
        assertEquals(JSON.writeValueAsString(m), text(out));
    }

    @Property(tries = 500)
    void privateMessagesMatchTheGenericEncoding(@ForAll @LongRange(min = 1) long sequence,
                                                @ForAll @LongRange(min = 1) long account, @ForAll long orderId,
                                                @ForAll @LongRange(min = 0, max = 99) long clientOrderId,
                                                @ForAll long price, @ForAll long quantity, @ForAll long remaining,
                                                @ForAll boolean buy, @ForAll long balance, @ForAll long equity,
                                                @ForAll @IntRange(min = 0, max = 100) int health) throws Exception {
        FeedFormats.Instrument f = format();
        FeedSlot s = new FeedSlot();
        s.sequence = sequence;
        s.timestamp = sequence * 1_000_003L;
        s.account = account;
        s.instrument = 1;
        s.orderId = orderId;
        s.clientOrderId = clientOrderId;
        s.price = price;
        s.quantity = quantity;
        s.side = buy ? FeedSlot.BUY : FeedSlot.SELL;

        s.kind = FeedSlot.ORDER_ACCEPTED;
        Map<String, Object> m = order("order", s);
        m.put("status", "accepted");
        m.put("side", buy ? "buy" : "sell");
        m.put("price", decimal(price, SPEC.tickSize()));
        m.put("quantity", decimal(quantity, SPEC.lotSize()));
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.ORDER_CANCELED;
        s.text = "cancel_all";
        m = order("order", s);
        m.put("status", "canceled");
        m.put("canceledQuantity", decimal(quantity, SPEC.lotSize()));
        m.put("reason", "cancel_all");
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.ORDER_AMENDED;
        s.b = remaining;
        m = order("order", s);
        m.put("status", "amended");
        m.put("price", decimal(price, SPEC.tickSize()));
        m.put("quantity", decimal(quantity, SPEC.lotSize()));
        m.put("remaining", decimal(remaining, SPEC.lotSize()));
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.ORDER_EXPIRED;
        m = order("order", s);
        m.put("status", "expired");
        m.put("expiredQuantity", decimal(quantity, SPEC.lotSize()));
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.FILL;
        s.a = 77;
        s.b = remaining;
        s.text = "maker";
        m = order("fill", s);
        m.put("tradeId", 77L);
        m.put("side", buy ? "buy" : "sell");
        m.put("price", decimal(price, SPEC.tickSize()));
        m.put("quantity", decimal(quantity, SPEC.lotSize()));
        m.put("remaining", decimal(remaining, SPEC.lotSize()));
        m.put("liquidity", "maker");
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.BALANCE;
        s.asset = 0;
        s.a = balance;
        s.b = equity;
        s.c = 5;
        s.d = 3;
        s.e = health;
        m = new LinkedHashMap<>();
        m.put("type", "balance");
        m.put("sequence", sequence);
        m.put("ts", Math.floorDiv(s.timestamp, 1_000_000L));
        m.put("account", account);
        m.put("asset", "USDC");
        m.put("assetId", 0);
        BigDecimal unit = BigDecimal.ONE.movePointLeft(6);
        m.put("balance", unit.multiply(BigDecimal.valueOf(balance)).toPlainString());
        m.put("equity", unit.multiply(BigDecimal.valueOf(equity)).toPlainString());
        m.put("initialMargin", unit.multiply(BigDecimal.valueOf(5)).toPlainString());
        m.put("maintenanceMargin", unit.multiply(BigDecimal.valueOf(3)).toPlainString());
        m.put("health", health);
        assertEquals(JSON.writeValueAsString(m), encode(s, null, 6));

        s.kind = FeedSlot.POSITION;
        m = new LinkedHashMap<>();
        m.put("type", "position");
        m.put("sequence", sequence);
        m.put("ts", Math.floorDiv(s.timestamp, 1_000_000L));
        m.put("account", account);
        m.put("instrument", 1);
        m.put("size", decimal(quantity, SPEC.lotSize()));
        m.put("liquidationPrice", price <= 0 ? null : decimal(price, SPEC.tickSize()));
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));

        s.kind = FeedSlot.ACCOUNT_SETTLEMENT;
        s.flag = buy;
        s.a = price;
        s.b = balance;
        s.c = equity;
        m = new LinkedHashMap<>();
        m.put("type", "settlement");
        m.put("sequence", sequence);
        m.put("ts", Math.floorDiv(s.timestamp, 1_000_000L));
        m.put("account", account);
        m.put("instrument", 1);
        m.put("position", decimal(quantity, SPEC.lotSize()));
        m.put("settlementPrice", buy ? decimal(price, new BigDecimal("0.01")) : null);
        m.put("settlementValue", BigDecimal.valueOf(balance, 6).toPlainString());
        m.put("amount", BigDecimal.valueOf(equity, 6).toPlainString());
        m.put("settle", "USDC");
        assertEquals(JSON.writeValueAsString(m), encode(s, f, 6));
    }

    private static Map<String, Object> order(String type, FeedSlot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("sequence", s.sequence);
        m.put("ts", Math.floorDiv(s.timestamp, 1_000_000L));
        m.put("account", s.account);
        m.put("instrument", 1);
        m.put("orderId", s.orderId);
        if (s.clientOrderId != 0) {
            m.put("clientOrderId", s.clientOrderId);
        }
        if (s.orderId >= Engine.LIQUIDATION_ORDER_ID_BASE) {
            m.put("liquidation", true);
        }
        return m;
    }

    private static String encode(FeedSlot s, FeedFormats.Instrument f, int assetScale) {
        JsonBytes out = new JsonBytes(16);
        FeedEncoder.accountEvent(out, s, f, assetScale, "USDC");
        return text(out);
    }

    @Property(tries = 200)
    void booksMatchTheGenericEncoding(@ForAll @IntRange(min = 0, max = 40) int levels,
                                      @ForAll @IntRange(min = 1, max = 50) int depth,
                                      @ForAll @LongRange(min = 0, max = 1L << 40) long l2) throws Exception {
        List<BookSnapshot.Level> bids = new ArrayList<>();
        List<BookSnapshot.Level> asks = new ArrayList<>();
        long[] pairs = new long[2 * levels];
        for (int i = 0; i < levels; i++) {
            bids.add(new BookSnapshot.Level(500_000 - i, 1 + i * 7L, 1));
            asks.add(new BookSnapshot.Level(500_001 + i, 3 + i * 5L, 2));
            pairs[2 * i] = 500_000 - i;
            pairs[2 * i + 1] = i * 7L;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "snapshot");
        m.put("instrument", 1);
        m.put("sequence", 9L);
        m.put("ts", 1_767_225_600_123L);
        m.put("l2Sequence", l2);
        m.put("depth", depth);
        m.put("bids", levels(bids.subList(0, Math.min(depth, levels))));
        m.put("asks", levels(asks.subList(0, Math.min(depth, levels))));
        JsonBytes out = new JsonBytes(16);
        FeedEncoder.snapshot(out, new BookSnapshot(1, 9, l2, bids, asks), depth, 1_767_225_600_123_456_789L, format());
        assertEquals(JSON.writeValueAsString(m), out.toString());

        m.clear();
        m.put("type", "book");
        m.put("instrument", 1);
        m.put("sequence", 10L);
        m.put("ts", 1_767_225_600_124L);
        m.put("first", l2 + 1);
        m.put("last", l2 + levels);
        m.put("prev", l2);
        List<List<String>> delta = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            delta.add(List.of(decimal(pairs[2 * i], SPEC.tickSize()), decimal(pairs[2 * i + 1], SPEC.lotSize())));
        }
        m.put("bids", delta);
        m.put("asks", List.of());
        out.clear();
        BookWindows.Delta d = new BookWindows.Delta();
        for (int i = 0; i < levels; i++) {
            d.add(BookWindows.BIDS, pairs[2 * i], pairs[2 * i + 1]);
        }
        FeedEncoder.delta(out, 1, 10, 1_767_225_600_124_000_000L, l2 + levels, l2, d, format());
        assertEquals(JSON.writeValueAsString(m), out.toString());
    }

    @Property(tries = 200)
    void theRestBookMatchesTheGenericEncoding(@ForAll @IntRange(min = 0, max = 60) int levels,
                                              @ForAll @LongRange(min = 0) long sequence,
                                              @ForAll @LongRange(min = 0) long l2) throws Exception {
        List<BookSnapshot.Level> bids = new ArrayList<>();
        List<BookSnapshot.Level> asks = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            bids.add(new BookSnapshot.Level(500_000 - 3L * i, 1 + i * 11L, 1));
            asks.add(new BookSnapshot.Level(500_001 + 7L * i, 10_000 + i, 2));
        }
        // HttpGateway's map before BookText.
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instrument", 1);
        m.put("sequence", sequence);
        m.put("l2Sequence", l2);
        m.put("bids", levels(bids));
        m.put("asks", levels(asks));
        String text = BookText.rest(new BookSnapshot(1, sequence, l2, bids, asks), SPEC);
        assertEquals(JSON.writeValueAsString(m), text);
        assertEquals(text, JSON.writeValueAsString(new com.fasterxml.jackson.databind.util.RawValue(text)),
                "the gateway's mapper writes it as it is");
    }

    private static List<List<String>> levels(List<BookSnapshot.Level> levels) {
        List<List<String>> out = new ArrayList<>();
        for (BookSnapshot.Level level : levels) {
            out.add(List.of(decimal(level.price(), SPEC.tickSize()), decimal(level.quantity(), SPEC.lotSize())));
        }
        return out;
    }
}
