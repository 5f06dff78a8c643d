package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's REST orders against a real node (auth mode open): every order type and flag the engine has (conditional
 * orders with either trigger source, iceberg, GTD with its expiry, self-trade prevention, post-only slide), instruments
 * by symbol, the order history with final statuses and reasons, pages of fills and orders (by id, by time, by cursor),
 * refused parameters, and the history rebuilt after a restart.
 */
class RestOrdersTest extends NodeHttpTest {
    private static final String BUY = "{\"account\":1,\"instrument\":\"BTC-PERP\",\"side\":\"buy\",";
    private static final String SELL = "{\"account\":2,\"instrument\":1,\"side\":\"sell\",";

    private long place(String body) throws Exception {
        return postOk("/v1/orders", body).get("orderId").asLong();
    }

    /** The account's order as {@code GET /v1/orders/{id}} gives it. */
    private JsonNode order(long account, long orderId) throws Exception {
        return ok("/v1/orders/" + orderId + "?account=" + account);
    }

    @Test
    void everyOrderTypeAndFlagOverRestWithItsHistory() throws Exception {
        Map<String, JsonNode> historyBefore = new HashMap<>();
        long gtd;
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");

            // A trade at 50,000 gives the last price the stops watch.
            long maker = place(SELL + "\"price\":\"50000\",\"quantity\":\"0.003\"}");
            place(BUY + "\"price\":\"50000\",\"quantity\":\"0.001\",\"timeInForce\":\"ioc\"}");
            JsonNode partly = order(2, maker);
            assertEquals("partially_filled", partly.get("status").asText(), partly.toString());

            // Conditional orders rest until their trigger: a sell stop below the last price, a buy take-profit on the
            // mark below it; neither touches the book.
            long stop = place(SELL + "\"type\":\"stop_limit\",\"price\":\"48000\",\"quantity\":\"0.001\","
                    + "\"triggerPrice\":\"49000\"}");
            long takeProfit = place(BUY + "\"type\":\"take_profit_market\",\"quantity\":\"0.001\","
                    + "\"triggerPrice\":\"45000\",\"triggerSource\":\"mark\"}");
            JsonNode stopOrder = order(2, stop);
            assertEquals("stop_limit", stopOrder.get("type").asText(), stopOrder.toString());
            assertEquals("49000", stopOrder.get("triggerPrice").asText());
            assertEquals("new", stopOrder.get("status").asText());
            assertEquals("take_profit_market", order(1, takeProfit).get("type").asText());
            // A buy stop whose trigger is already crossed is the engine's refusal, with its code.
            assertRejected(post("/v1/orders", BUY + "\"type\":\"stop_market\",\"quantity\":\"0.001\","
                    + "\"triggerPrice\":\"49000\"}"), "WOULD_TRIGGER_IMMEDIATELY");
            // The mark falls to 45,000: the take-profit fires and buys the rest of the maker's 50,000 offer.
            postOk("/v1/dev/mark", "{\"instrument\":\"BTC-PERP\",\"price\":\"45000\"}");
            JsonNode fired = order(1, takeProfit);
            assertEquals("filled", fired.get("status").asText(), fired.toString());
            assertEquals("50000", fired.get("averagePrice").asText(), fired.toString());
            assertNotNull(fired.get("triggerTime"), fired.toString());
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"50000\"}");

            // An iceberg shows only its peak; post-only slide rests one tick behind the best offer instead of taking.
            place(SELL + "\"price\":\"50100\",\"quantity\":\"0.010\",\"displayQuantity\":\"0.002\"}");
            assertTrue(get("/v1/book/BTC-PERP").body().contains("[\"50100\",\"0.002\"]"), get("/v1/book/1").body());
            long slid = place(BUY + "\"price\":\"50200\",\"quantity\":\"0.001\",\"postOnly\":\"slide\"}");
            assertEquals("49999.9", order(1, slid).get("price").asText(), "one tick behind the best offer, 50,000");
            assertRejected(post("/v1/orders", BUY + "\"price\":\"50200\",\"quantity\":\"0.001\",\"postOnly\":true}"),
                    "POST_ONLY_WOULD_CROSS");

            // Self-trade prevention: account 2's buy meets its own offer; expire_taker cancels the buy, keeps the offer.
            long own = place(SELL + "\"price\":\"50050\",\"quantity\":\"0.001\"}");
            long stp = place("{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50050\",\"quantity\":\"0.001\","
                    + "\"selfTradePrevention\":\"expire_taker\"}");
            JsonNode taker = order(2, stp);
            assertEquals("canceled", taker.get("status").asText(), taker.toString());
            assertEquals("self_trade", taker.get("cancelReason").asText());
            assertEquals("new", order(2, own).get("status").asText());

            // GTD: the expiry is epoch milliseconds; the node's time ticks expire it within about a second after.
            long now = ok("/v1/time").get("serverTime").asLong();
            assertTrue(Math.abs(now - System.currentTimeMillis()) < 5_000, "serverTime " + now);
            gtd = place(BUY + "\"price\":\"40000\",\"quantity\":\"0.001\",\"timeInForce\":\"gtd\",\"expireTime\":"
                    + (now + 1_500) + ",\"clientOrderId\":31}");
            assertRejected(post("/v1/orders", BUY + "\"price\":\"40000\",\"quantity\":\"0.001\",\"timeInForce\":\"gtd\"}"),
                    "INVALID_EXPIRY");
            assertRejected(post("/v1/orders", BUY + "\"price\":\"40000\",\"quantity\":\"0.001\",\"expireTime\":"
                    + (now + 60_000) + "}"), "EXPIRY_ON_NON_GTD");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!order(1, gtd).get("status").asText().equals("expired") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            JsonNode expired = ok("/v1/orders/by-client-id/31?account=1");
            assertEquals("expired", expired.get("status").asText(), expired.toString());
            assertEquals(gtd, expired.get("orderId").asLong());

            // Canceled by the user, and a refusal by the engine, both in the history with their reasons.
            long canceled = place(BUY + "\"price\":\"41000\",\"quantity\":\"0.001\"}");
            assertEquals(200, delete("/v1/orders/" + canceled + "?account=1&instrument=BTC-PERP").statusCode());
            assertEquals("user", order(1, canceled).get("cancelReason").asText());
            HttpResponse<String> poor = post("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"1\"}");
            assertEquals(422, poor.statusCode(), poor.body());
            JsonNode refused = ok("/v1/orders/history?account=3").get(0);
            assertEquals("rejected", refused.get("status").asText(), refused.toString());
            assertEquals("INSUFFICIENT_MARGIN", refused.get("rejectReason").asText());
            assertEquals(7001, refused.get("rejectCode").asInt());

            // The gateway refuses what does not parse, naming the field.
            String base1 = BUY + "\"price\":\"40000\",\"quantity\":\"0.001\",";
            assertError(post("/v1/orders", base1 + "\"triggerSource\":\"index\"}"), 400,
                    "triggerSource: must be last or mark");
            assertError(post("/v1/orders", base1 + "\"selfTradePrevention\":\"maybe\"}"), 400, "selfTradePrevention");
            assertError(post("/v1/orders", base1 + "\"expireTime\":-5}"), 400, "expireTime: must be epoch milliseconds");
            assertError(post("/v1/orders", base1 + "\"displayQuantity\":\"0.0005\"}"), 400,
                    "displayQuantity: 0.0005 is not a multiple of 0.001");
            assertError(post("/v1/orders", base1 + "\"triggerPrice\":\"1.05\"}"), 400, "triggerPrice");
            assertError(post("/v1/orders", base1 + "\"type\":\"stop\"}"), 400, "type: must be limit, market");
            assertError(post("/v1/orders", BUY + "\"type\":\"stop_market\",\"price\":\"1\",\"quantity\":\"0.001\"}"),
                    400, "price: not allowed on a stop_market order");
            assertError(post("/v1/orders", "{\"account\":1,\"instrument\":\"NOPE-PERP\",\"side\":\"buy\","
                    + "\"price\":\"1\",\"quantity\":\"0.001\"}"), 400, "instrument: no instrument NOPE-PERP");
            assertError(post("/v1/orders", "{\"account\":1,\"instrument\":true,\"side\":\"buy\","
                    + "\"price\":\"1\",\"quantity\":\"0.001\"}"), 400, "instrument: must be an instrument id or symbol");

            // The whole history, newest first, with every final status.
            JsonNode all = ok("/v1/orders/history?account=1&limit=1000");
            List<String> statuses = new ArrayList<>();
            for (JsonNode o : all) {
                statuses.add(o.get("status").asText());
                historyBefore.put(o.get("orderId").asText(), o);
                assertTrue(o.get("timestamp").isTextual() && o.get("time").isNumber(), o.toString());
            }
            assertTrue(statuses.containsAll(List.of("filled", "canceled", "expired", "rejected", "new")), statuses.toString());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).get("orderId").asLong() > all.get(i).get("orderId").asLong(), "newest first");
            }
            // By symbol in the query as well.
            assertEquals(all, ok("/v1/orders/history?account=1&instrument=BTC-PERP&limit=1000"));
        }

        // Rebuilt from the journal at the restart.
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode all = ok("/v1/orders/history?account=1&limit=1000");
            assertEquals(historyBefore.size(), all.size());
            for (JsonNode o : all) {
                assertEquals(historyBefore.get(o.get("orderId").asText()), o, "the same after a restart");
            }
            assertEquals("expired", order(1, gtd).get("status").asText());
        }
    }

    @Test
    void fillsAndOrdersComeInPagesByCursorByIdAndByTime() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            // Five offers swept by one buy (five fills of one command for the buyer), then four single fills.
            for (int i = 0; i < 5; i++) {
                place(SELL + "\"price\":\"" + (50000 + i) + "\",\"quantity\":\"0.001\"}");
            }
            place(BUY + "\"price\":\"50010\",\"quantity\":\"0.005\",\"timeInForce\":\"ioc\"}");
            long firstSingle = 0;
            for (int i = 0; i < 4; i++) {
                place(SELL + "\"price\":\"50000\",\"quantity\":\"0.001\"}");
                long id = place(BUY + "\"price\":\"50000\",\"quantity\":\"0.001\",\"timeInForce\":\"ioc\"}");
                firstSingle = firstSingle == 0 ? id : firstSingle;
            }
            JsonNode all = ok("/v1/fills?account=1&limit=1000");
            assertEquals(9, all.size(), all.toString());
            assertTrue(all.get(0).get("timestamp").isTextual() && all.get(0).get("time").isNumber(), all.toString());

            // Newest first, two at a time, following the cursor: every fill once, in the same order.
            List<JsonNode> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                HttpResponse<String> page = get("/v1/fills?account=1&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
                assertEquals(200, page.statusCode(), page.body());
                JsonNode items = JSON.readTree(page.body());
                items.forEach(walked::add);
                cursor = page.headers().firstValue("X-Meridian-Next-Cursor").orElse(null);
                pages++;
            } while (cursor != null && pages < 20);
            assertEquals(5, pages);
            assertEquals(toList(all), walked);

            // Oldest first from an id (a command sequence), three at a time: the same fills, reversed.
            List<JsonNode> forward = new ArrayList<>();
            HttpResponse<String> page = get("/v1/fills?account=1&limit=3&fromId=1");
            JSON.readTree(page.body()).forEach(forward::add);
            cursor = page.headers().firstValue("X-Meridian-Next-Cursor").orElseThrow();
            assertTrue(cursor.startsWith("a"), cursor);
            while (cursor != null) {
                page = get("/v1/fills?account=1&limit=3&cursor=" + cursor);
                JSON.readTree(page.body()).forEach(forward::add);
                cursor = page.headers().firstValue("X-Meridian-Next-Cursor").orElse(null);
            }
            List<JsonNode> reversed = toList(all);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, forward);
            // From the first single fill's command on: the four single fills.
            assertEquals(4, ok("/v1/fills?account=1&fromId=" + firstSingle).size());

            // By time: the window of the newest fill's millisecond holds it; a window before the first holds none.
            long newest = all.get(0).get("time").asLong();
            JsonNode window = ok("/v1/fills?account=1&startTime=" + newest + "&endTime=" + newest);
            assertTrue(window.size() >= 1 && window.get(0).equals(all.get(0)), window.toString());
            long oldest = all.get(all.size() - 1).get("time").asLong();
            assertEquals(0, ok("/v1/fills?account=1&endTime=" + (oldest - 1)).size());

            // Orders page the same way, by order id.
            JsonNode orders = ok("/v1/orders/history?account=1&limit=1000");
            assertEquals(5, orders.size());
            HttpResponse<String> first = get("/v1/orders/history?account=1&limit=2");
            String next = first.headers().firstValue("X-Meridian-Next-Cursor").orElseThrow();
            JsonNode second = ok("/v1/orders/history?account=1&limit=2&cursor=" + next);
            assertEquals(orders.get(2), second.get(0));
            assertEquals(orders.get(4), ok("/v1/orders/history?account=1&fromId=1&limit=1").get(0));

            // Nothing is silently ignored; every bound holds.
            assertError(get("/v1/fills?account=1&since=5"), 400, "unknown query parameter 'since'");
            assertError(get("/v1/fills?account=1&limit=1&limit=2"), 400, "limit: given more than once");
            assertError(get("/v1/fills?account=1&limit=1001"), 400, "limit: must be 1..1000");
            assertError(get("/v1/fills?account=1&limit=0"), 400, "limit: must be 1..1000");
            assertError(get("/v1/fills?account=1&fromId=0"), 400, "fromId: must be 1..");
            assertError(get("/v1/fills?account=1&fromId=x"), 400, "fromId: not a whole number");
            assertError(get("/v1/fills?account=1&startTime=-1"), 400, "startTime: must be 0..");
            assertError(get("/v1/fills?account=1&startTime=5&endTime=4"), 400, "endTime: must not be before startTime");
            assertError(get("/v1/fills?account=1&cursor=zz"), 400, "cursor: not a cursor this node gave");
            assertError(get("/v1/fills?account=1&cursor=" + next + "&fromId=3"), 400, "cursor: not with fromId");
            assertError(get("/v1/orders/history?account=1&status=filled"), 400, "unknown query parameter 'status'");
            assertError(get("/v1/book/1?dpeth=5"), 400, "unknown query parameter 'dpeth': this route takes depth");
            assertError(get("/v1/assets?x=1"), 400, "this route takes none");
        }
    }

    @Test
    void serverTimeRateHeadersInstrumentLimitsAndTheDayTicker() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> time = get("/v1/time");
            JsonNode t = JSON.readTree(time.body());
            assertEquals(t.get("serverTime").asLong(), t.get("time").asLong());
            assertEquals(t.get("serverTime").asLong(), Long.parseLong(t.get("timestamp").asText()) / 1_000_000);
            // Every answer carries the connection's quota; the remaining count falls with each request.
            long limit = Long.parseLong(time.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertEquals(100_000, limit, "twice requestsPerSecondPerConnection");
            long remaining = Long.parseLong(time.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertTrue(remaining >= 0 && remaining < limit, "one taken: " + remaining);
            assertTrue(Long.parseLong(time.headers().firstValue("X-RateLimit-Reset").orElseThrow()) >= 0);
            HttpResponse<String> refused = get("/v1/nowhere");
            assertEquals(404, refused.statusCode());
            assertTrue(refused.headers().firstValue("X-RateLimit-Remaining").isPresent(), "a refusal carries it too");

            JsonNode instruments = ok("/v1/instruments");
            JsonNode btc = instruments.get(0);
            assertEquals("BTC-PERP", btc.get("symbol").asText());
            for (String field : List.of("minQuantity", "maxQuantity", "maxPrice", "makerFee", "takerFee",
                    "maxLeverage")) {
                assertFalse(btc.get(field).isNull(), field + " in " + btc);
            }
            assertTrue(btc.get("priceBand").isNull(), "the test venue's band is off: " + btc);
            assertEquals(btc, ok("/v1/instruments?instrument=BTC-PERP").get(0));
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            JsonNode quiet = ok("/v1/ticker/BTC-PERP");
            assertEquals(0, quiet.get("count").asLong());
            assertNull(quiet.get("open").textValue());
            place(SELL + "\"price\":\"50000\",\"quantity\":\"0.004\"}");
            place(BUY + "\"price\":\"50000\",\"quantity\":\"0.001\",\"timeInForce\":\"ioc\"}");
            place(SELL + "\"price\":\"49000\",\"quantity\":\"0.001\"}");
            place(BUY + "\"price\":\"49000\",\"quantity\":\"0.001\",\"timeInForce\":\"ioc\"}");
            place(BUY + "\"price\":\"48000\",\"quantity\":\"0.002\"}");
            JsonNode ticker = ok("/v1/ticker/BTC-PERP");
            assertEquals(2, ticker.get("count").asLong(), ticker.toString());
            assertEquals("50000", ticker.get("open").asText());
            assertEquals("50000", ticker.get("high").asText());
            assertEquals("49000", ticker.get("low").asText());
            assertEquals("49000", ticker.get("last").asText());
            assertEquals("0.002", ticker.get("volume").asText());
            assertEquals("99", ticker.get("quoteVolume").asText());
            assertEquals("-1000", ticker.get("priceChange").asText());
            assertEquals("-2", ticker.get("priceChangePercent").asText());
            assertEquals("0.003", ticker.get("bestAskSize").asText());
            assertEquals("0.002", ticker.get("bestBidSize").asText());
            assertTrue(ticker.get("timestamp").isTextual() && ticker.get("time").isNumber(), ticker.toString());
            JsonNode tickers = ok("/v1/ticker");
            assertEquals(instruments.size(), tickers.size());
            assertEquals(ticker.get("count"), tickers.get(0).get("count"));
            JsonNode trade = ok("/v1/trades/BTC-PERP").get(0);
            assertTrue(trade.get("timestamp").isTextual(), trade.toString());
            assertEquals(Long.parseLong(trade.get("timestamp").asText()) / 1_000_000, trade.get("time").asLong());
        }
    }

    /** The engine's refusal: 422 with its reason. */
    private static void assertRejected(HttpResponse<String> response, String reason) {
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"reason\":\"" + reason + "\""), response.body());
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
