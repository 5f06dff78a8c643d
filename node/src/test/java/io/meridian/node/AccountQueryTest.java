package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.MarginMode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-only private routes of a real node (positions, balances, an open order by client order id) after real
 * trades over HTTP: figures computed by hand from the trades (entry price, PnL, fees), cross-checked with
 * {@code /v1/accounts} and with the engine itself, every kind of bad parameter, and the same answers after a restart.
 */
class AccountQueryTest extends NodeHttpTest {
    private static void assertDecimal(String expected, JsonNode actual, String what) {
        assertTrue(actual != null && !actual.isNull(), what + " is missing");
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.asText())),
                what + ": expected " + expected + ", was " + actual.asText());
    }

    private <T> T engine(Node node, java.util.function.Function<io.meridian.engine.Engine, T> query) throws Exception {
        return node.engine().query(query).get(10, TimeUnit.SECONDS);
    }

    @Test
    void positionsBalancesAndOrdersByClientIdAfterTrades() throws Exception {
        String[] answers;
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":0,\"amount\":\"1000\"}");
            postOk("/v1/dev/deposit", "{\"account\":4,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/settings", "{\"account\":1,\"instrument\":1,\"leverage\":10}");
            postOk("/v1/settings", "{\"account\":3,\"instrument\":1,\"marginMode\":\"isolated\"}");

            // Account 1 buys 0.004 at 50000.5 and 0.006 at 50001 from account 2: entry (200.002 + 300.006) / 0.01.
            postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"sell\",\"price\":\"50000.5\","
                    + "\"quantity\":\"0.004\",\"clientOrderId\":11}");
            postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"sell\",\"price\":\"50001\","
                    + "\"quantity\":\"0.006\",\"clientOrderId\":12}");
            JsonNode bought = postOk("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"50001\","
                    + "\"quantity\":\"0.01\",\"timeInForce\":\"ioc\"}");
            assertEquals("0.01", bought.get("filledQuantity").asText());
            // Account 3 (isolated) buys 0.002 at 50002 from account 4.
            postOk("/v1/orders", "{\"account\":4,\"instrument\":1,\"side\":\"sell\",\"price\":\"50002\","
                    + "\"quantity\":\"0.002\"}");
            postOk("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"price\":\"50002\","
                    + "\"quantity\":\"0.002\",\"timeInForce\":\"ioc\"}");
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"51000\"}");

            JsonNode longs = ok("/v1/positions?account=1");
            assertEquals(1, longs.size(), longs.toString());
            JsonNode p = longs.get(0);
            assertEquals(1, p.get("instrument").asInt());
            assertEquals("long", p.get("side").asText());
            assertDecimal("0.01", p.get("size"), "size");
            assertDecimal("50000.8", p.get("entryPrice"), "entry price");
            assertDecimal("51000", p.get("mark"), "mark");
            assertDecimal("9.992", p.get("unrealizedPnl"), "unrealised PnL: 0.01 x 51000 - 500.008");
            assertDecimal("0", p.get("realizedPnl"), "realised PnL of an opening position");
            assertEquals("USDC", p.get("settle").asText());
            assertEquals("cross", p.get("marginMode").asText());
            assertEquals(10, p.get("leverage").asInt());
            long liquidation = engine(node, e -> e.view().liquidationPrice(1, 1));
            assertTrue(liquidation > 0 && liquidation < 500_008, "a long's liquidation price is below its entry");
            assertDecimal(BigDecimal.valueOf(liquidation, 1).toPlainString(), p.get("liquidationPrice"),
                    "liquidation price");
            assertEquals(longs, ok("/v1/positions?account=1&instrument=1"));
            assertEquals("[]", get("/v1/positions?account=1&instrument=2").body());

            JsonNode s = ok("/v1/positions?account=2").get(0);
            assertEquals("short", s.get("side").asText());
            assertDecimal("-0.01", s.get("size"), "short size");
            assertDecimal("50000.8", s.get("entryPrice"), "short entry price");
            assertDecimal("-9.992", s.get("unrealizedPnl"), "short unrealised PnL");
            assertEquals((int) engine(node, e -> e.view().leverage(2, 1)), s.get("leverage").asInt());

            JsonNode isolated = ok("/v1/positions?account=3").get(0);
            assertEquals("isolated", isolated.get("marginMode").asText());
            assertEquals(MarginMode.ISOLATED, engine(node, e -> e.view().marginMode(3, 1)));
            BigDecimal held = new BigDecimal(isolated.get("isolatedMargin").asText());
            assertTrue(held.signum() > 0, "an isolated position holds margin: " + isolated);
            assertDecimal("1.996", isolated.get("unrealizedPnl"), "0.002 x (51000 - 50002)");

            // Balances: the taker paid 0.05% on each fill, rounded up per fill: 0.100001 + 0.150003.
            JsonNode one = ok("/v1/balances?account=1");
            assertEquals(1, one.size(), "one configured asset");
            JsonNode b = one.get(0);
            assertEquals("USDC", b.get("asset").asText());
            assertDecimal("99.749996", b.get("balance"), "balance after taker fees");
            assertDecimal("9.992", b.get("unrealizedPnl"), "unrealised PnL");
            assertDecimal("109.741996", b.get("equity"), "equity = balance + unrealised PnL");
            assertDecimal("0", b.get("isolatedMargin"), "no isolated position");
            JsonNode margin = ok("/v1/accounts/1").get("margin").get(0);
            for (String field : new String[] {"balance", "equity", "initialMargin", "maintenanceMargin"}) {
                assertEquals(margin.get(field), b.get(field), field + " as /v1/accounts shows it");
            }
            assertEquals(margin.get("health"), b.get("health"));
            BigDecimal free = new BigDecimal(b.get("equity").asText()).subtract(new BigDecimal(b.get("initialMargin")
                    .asText())).min(new BigDecimal(b.get("balance").asText())).max(BigDecimal.ZERO);
            assertDecimal(free.toPlainString(), b.get("availableToWithdraw"), "min(balance, equity - initial margin)");
            assertTrue(free.signum() > 0 && free.compareTo(new BigDecimal("99.749996")) < 0, free.toPlainString());

            JsonNode three = ok("/v1/balances?account=3").get(0);
            assertDecimal(held.toPlainString(), three.get("isolatedMargin"), "held by the isolated position");
            // 1000 less the taker fee on 100.004 (0.050002), part of it held apart by the isolated position.
            BigDecimal ledger = new BigDecimal(three.get("balance").asText()).add(held);
            assertEquals(0, new BigDecimal("999.949998").compareTo(ledger), "cross balance + isolated margin: " + ledger);
            assertEquals(999_949_998L, (long) engine(node, e -> e.view().ledger().balance(3, 0)), "the ledger agrees");
            JsonNode nobody = ok("/v1/balances?account=5").get(0);
            assertDecimal("0", nobody.get("balance"), "an unknown account has nothing");
            assertDecimal("0", nobody.get("availableToWithdraw"), "nothing to withdraw");
            assertEquals("[]", get("/v1/positions?account=5").body());

            // An open order by client order id.
            JsonNode placed = postOk("/v1/orders", "{\"account\":2,\"instrument\":2,\"side\":\"sell\",\"price\":\"3100\","
                    + "\"quantity\":\"0.1\",\"clientOrderId\":13}");
            JsonNode order = ok("/v1/orders/by-client-id/13?account=2");
            assertEquals(placed.get("orderId").asLong(), order.get("orderId").asLong());
            assertEquals(13, order.get("clientOrderId").asLong());
            assertEquals(2, order.get("instrument").asInt());
            assertEquals("sell", order.get("side").asText());
            assertDecimal("3100", order.get("price"), "price");
            assertDecimal("0.1", order.get("remaining"), "remaining");
            assertEquals(order, ok("/v1/orders/by-client-id/13?account=2&instrument=2"));
            assertError(get("/v1/orders/by-client-id/13?account=2&instrument=1"), 404,
                    "no order with client order id 13 of account 2");
            assertError(get("/v1/orders/by-client-id/13?account=1"), 404, "no order with client order id 13");
            // Filled, so no longer open: the order history answers for it.
            assertEquals("filled", ok("/v1/orders/by-client-id/11?account=2").get("status").asText());

            assertError(get("/v1/positions"), 400, "account: required");
            assertError(get("/v1/positions?account=0"), 400, "account: must be 1..");
            assertError(get("/v1/positions?account=one"), 400, "account: not a whole number");
            assertError(get("/v1/positions?account=1&instrument=9"), 404, "no instrument 9");
            assertError(get("/v1/balances"), 400, "account: required");
            assertError(get("/v1/balances?account=-3"), 400, "account: must be 1..");
            assertError(get("/v1/orders/by-client-id/13"), 400, "account: required");
            // A client order id is a text (a number's digits among them): "x" and "0" are ids no order has; a space is
            // not one of its characters.
            assertError(get("/v1/orders/by-client-id/x?account=2"), 404, "no order with client order id x");
            assertError(get("/v1/orders/by-client-id/0?account=2"), 404, "no order with client order id 0");
            assertError(get("/v1/orders/by-client-id/x%20y?account=2"), 400,
                    "clientOrderId: character 2 is not allowed: 1 to 36 characters of A-Z a-z 0-9 . _ : / -");
            answers = new String[] {get("/v1/positions?account=1").body(), get("/v1/positions?account=3").body(),
                get("/v1/balances?account=1").body(), get("/v1/balances?account=3").body(),
                get("/v1/orders/by-client-id/13?account=2").body()};
        }

        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            String[] again = {get("/v1/positions?account=1").body(), get("/v1/positions?account=3").body(),
                get("/v1/balances?account=1").body(), get("/v1/balances?account=3").body(),
                get("/v1/orders/by-client-id/13?account=2").body()};
            for (int i = 0; i < answers.length; i++) {
                assertEquals(answers[i], again[i], "the same answer after a restart");
            }
            long orderId = JSON.readTree(again[4]).get("orderId").asLong();
            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders/" + orderId
                    + "?account=2&instrument=2")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, cancel.statusCode(), cancel.body());
            // Canceled, no longer open: the order history answers for it, with its status and reason.
            JsonNode canceled = ok("/v1/orders/by-client-id/13?account=2");
            assertEquals(orderId, canceled.get("orderId").asLong());
            assertEquals("canceled", canceled.get("status").asText());
            assertEquals("user", canceled.get("cancelReason").asText());
            assertEquals(0, JSON.readTree(get("/v1/orders?account=2&instrument=2").body()).size(), "none open");
        }
    }
}
