package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public history routes (trades, candles) of a real node on a free port, driven over HTTP by seeded random
 * trading, checked against an independent record of the same trades: the taker fills that {@code /v1/fills} reports
 * for every account. Then every kind of bad parameter, and a restart that must rebuild the same history from the
 * journal.
 */
class MarketHistoryTest extends NodeHttpTest {
    private static final long[] INTERVAL_NANOS = {60_000_000_000L, 300_000_000_000L, 900_000_000_000L,
        3_600_000_000_000L, 14_400_000_000_000L, 86_400_000_000_000L};
    private static final String[] INTERVALS = {"1m", "5m", "15m", "1h", "4h", "1d"};
    private static final int ACCOUNTS = 4;

    /** One trade as the taker's fill reports it. */
    private record Tape(long sequence, long timestamp, long tradeId, String side, BigDecimal price, BigDecimal quantity) {
    }

    @Test
    void tradesAndCandlesMatchTheFillsAndSurviveARestart() throws Exception {
        long seed = 20_240_607L;
        String trades;
        String[] candles = new String[INTERVALS.length];
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals("[]", get("/v1/trades/1").body(), "no trades yet");
            assertEquals("[]", get("/v1/candles/1?interval=1m").body(), "no candles yet");
            for (int account = 1; account <= ACCOUNTS; account++) {
                assertEquals(200, post("/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,"
                        + "\"amount\":\"1000000\"}").statusCode());
            }
            // Seeded random trading: a resting order, then an IOC from another account that crosses it (and maybe
            // older resting orders too).
            Random random = new Random(seed);
            for (int round = 0; round < 20; round++) {
                int maker = 1 + random.nextInt(ACCOUNTS);
                int taker = 1 + (maker + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                boolean makerSells = random.nextBoolean();
                String price = BigDecimal.valueOf(499_900 + random.nextInt(200), 1).toPlainString();
                String makerQty = new BigDecimal(1 + random.nextInt(5)).movePointLeft(3).toPlainString();
                String takerQty = new BigDecimal(1 + random.nextInt(5)).movePointLeft(3).toPlainString();
                HttpResponse<String> rest = post("/v1/orders", "{\"account\":" + maker + ",\"instrument\":1,\"side\":\""
                        + (makerSells ? "sell" : "buy") + "\",\"price\":\"" + price + "\",\"quantity\":\"" + makerQty
                        + "\"}");
                assertEquals(200, rest.statusCode(), "seed " + seed + ": " + rest.body());
                HttpResponse<String> take = post("/v1/orders", "{\"account\":" + taker + ",\"instrument\":1,"
                        + "\"side\":\"" + (makerSells ? "buy" : "sell") + "\",\"price\":\"" + price
                        + "\",\"quantity\":\"" + takerQty + "\",\"timeInForce\":\"ioc\"}");
                assertEquals(200, take.statusCode(), "seed " + seed + ": " + take.body());
            }

            List<Tape> expected = takerFills(seed);
            assertTrue(expected.size() >= 20, "seed " + seed + ": every IOC met its resting order: " + expected.size());
            JsonNode tape = ok("/v1/trades/1?limit=1000");
            assertEquals(expected.size(), tape.size(), "seed " + seed + ": " + tape);
            for (int i = 0; i < expected.size(); i++) {
                Tape want = expected.get(i);
                JsonNode got = tape.get(i);
                String at = "seed " + seed + ", trade " + i + ": " + got;
                assertEquals(want.sequence(), got.get("sequence").asLong(), at);
                assertEquals(want.timestamp(), got.get("timestamp").asLong(), at);
                assertEquals(1, got.get("instrument").asInt(), at);
                assertEquals(want.tradeId(), got.get("tradeId").asLong(), at);
                assertEquals(want.side(), got.get("side").asText(), "the taker's side: " + at);
                assertEquals(0, want.price().compareTo(new BigDecimal(got.get("price").asText())), at);
                assertEquals(0, want.quantity().compareTo(new BigDecimal(got.get("quantity").asText())), at);
            }
            JsonNode two = ok("/v1/trades/1?limit=2");
            assertEquals(2, two.size());
            assertEquals(tape.get(0), two.get(0), "newest first");
            assertEquals(tape.get(1), two.get(1));
            assertEquals(tape.get(0).get("price").asText(), ok("/v1/ticker/1").get("last").asText());

            for (int i = 0; i < INTERVALS.length; i++) {
                JsonNode got = ok("/v1/candles/1?interval=" + INTERVALS[i] + "&limit=1000");
                assertEquals(candles(expected, INTERVAL_NANOS[i]), got, "seed " + seed + ", " + INTERVALS[i]);
                candles[i] = get("/v1/candles/1?interval=" + INTERVALS[i] + "&limit=1000").body();
            }
            // from, to and limit select by open time; the newest candle is the bucket of the last trade.
            JsonNode minutes = ok("/v1/candles/1?interval=1m");
            JsonNode newest = minutes.get(minutes.size() - 1);
            long open = Long.parseLong(newest.get("openTimeNanos").asText());
            assertEquals(Math.floorDiv(expected.get(0).timestamp(), INTERVAL_NANOS[0]) * INTERVAL_NANOS[0], open);
            assertEquals(newest, ok("/v1/candles/1?interval=1m&from=" + open).get(0));
            assertEquals(1, ok("/v1/candles/1?interval=1m&from=" + open).size());
            assertEquals(minutes.size() - 1, ok("/v1/candles/1?interval=1m&to=" + (open - 1)).size());
            assertEquals(newest, ok("/v1/candles/1?interval=1m&limit=1").get(0));
            assertEquals(0, ok("/v1/candles/1?interval=1m&from=" + (open + 1)).size());
            assertEquals("[]", get("/v1/trades/2").body(), "no trades in ETH-PERP");
            assertEquals("[]", get("/v1/candles/2?interval=1h").body());

            assertError(get("/v1/trades/1?limit=0"), 400, "limit: must be 1..1000");
            assertError(get("/v1/trades/1?limit=-5"), 400, "limit: must be 1..1000");
            assertError(get("/v1/trades/1?limit=1001"), 400, "limit: must be 1..1000");
            assertError(get("/v1/trades/1?limit=ten"), 400, "limit: not a whole number");
            assertError(get("/v1/trades/9"), 404, "no instrument 9");
            assertError(get("/v1/trades/x"), 404, "no instrument x");
            assertError(get("/v1/candles/1"), 400, "interval: required, one of 1m, 5m, 15m, 1h, 4h, 1d");
            assertError(get("/v1/candles/1?interval=2m"), 400, "interval: must be one of 1m, 5m, 15m, 1h, 4h, 1d, "
                    + "was '2m'");
            assertError(get("/v1/candles/1?interval=1M"), 400, "was '1M'");
            assertError(get("/v1/candles/1?interval=1m&limit=1001"), 400, "limit: must be 1..1000");
            assertError(get("/v1/candles/1?interval=1m&from=-1"), 400, "from: must be 0..");
            assertError(get("/v1/candles/1?interval=1m&from=10&to=9"), 400, "to: must not be before from");
            assertError(get("/v1/candles/1?interval=1m&from=10&endTime=9"), 400, "not both");
            long openMs = newest.get("openTime").asLong();
            assertEquals(ok("/v1/candles/1?interval=1m&from=" + open + "&to=" + (open + 999_999)),
                    ok("/v1/candles/1?interval=1m&startTime=" + openMs + "&endTime=" + openMs),
                    "startTime and endTime are milliseconds, both ends inclusive");
            assertError(get("/v1/candles/7?interval=1m"), 404, "no instrument 7");
            assertError(post("/v1/trades/1", "{}"), 405, "use GET");
            trades = get("/v1/trades/1?limit=1000").body();
        }

        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertTrue(node.engine().startReport().replayed() > 0, "recovered from the journal");
            assertEquals(trades, get("/v1/trades/1?limit=1000").body(), "the tape is rebuilt from the journal");
            for (int i = 0; i < INTERVALS.length; i++) {
                assertEquals(candles[i], get("/v1/candles/1?interval=" + INTERVALS[i] + "&limit=1000").body(),
                        "candles are rebuilt from the journal: " + INTERVALS[i]);
            }
        }
    }

    /** Every account's taker fills: one per trade, with the taker's side; newest first. */
    private List<Tape> takerFills(long seed) throws IOException, InterruptedException {
        List<Tape> tape = new ArrayList<>();
        for (int account = 1; account <= ACCOUNTS; account++) {
            JsonNode fills = ok("/v1/fills?account=" + account + "&limit=100");
            assertTrue(fills.size() < 100, "seed " + seed + ": account " + account + " has more fills than are kept");
            for (JsonNode f : fills) {
                if (f.get("liquidity").asText().equals("taker")) {
                    tape.add(new Tape(f.get("sequence").asLong(), f.get("timestamp").asLong(),
                            f.get("tradeId").asLong(), f.get("side").asText(), new BigDecimal(f.get("price").asText()),
                            new BigDecimal(f.get("quantity").asText())));
                }
            }
        }
        tape.sort(Comparator.comparingLong(Tape::tradeId).reversed());
        return tape;
    }

    /** The reference candles of a tape (newest first) for one interval: oldest first, as the API answers. */
    private static ArrayNode candles(List<Tape> newestFirst, long nanos) {
        TreeMap<Long, List<Tape>> buckets = new TreeMap<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Tape t = newestFirst.get(i);
            buckets.computeIfAbsent(Math.floorDiv(t.timestamp(), nanos) * nanos, k -> new ArrayList<>()).add(t);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        buckets.forEach((open, list) -> {
            ObjectNode c = out.addObject();
            // Nanoseconds as a string, and the same instant in milliseconds (docs/api.md, "Conventions").
            c.put("openTime", open / 1_000_000);
            c.put("openTimeNanos", Long.toString(open));
            c.put("open", plain(list.get(0).price()));
            c.put("high", plain(list.stream().map(Tape::price).max(BigDecimal::compareTo).orElseThrow()));
            c.put("low", plain(list.stream().map(Tape::price).min(BigDecimal::compareTo).orElseThrow()));
            c.put("close", plain(list.get(list.size() - 1).price()));
            c.put("volume", plain(list.stream().map(Tape::quantity).reduce(BigDecimal.ZERO, BigDecimal::add)));
            c.put("trades", list.size());
        });
        return out;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
