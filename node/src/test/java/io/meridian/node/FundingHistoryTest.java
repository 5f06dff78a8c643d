package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Command;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funding history and the ticker's index and funding fields on a real node. The config prices a perpetual from an
 * index with a two-second funding interval; a price report comes through the node's journal. The node's own
 * once-a-second time ticks settle funding, whose history must carry the engine's rate and mark, match the long's
 * balance going down by exactly the payment, and be rebuilt after a restart.
 */
class FundingHistoryTest extends NodeHttpTest {
    private static final int PERP = 3;
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = 2 * SECOND;
    /**
     * Priced from index 0 with a two-second funding interval, sampled every second: a test-sized interval. Rates are
     * per 8 hours and a two-second interval pays 2 / 28,800 of them, so the interest (and the clamp that would cut it)
     * is 1.44% per 8 hours: each interval pays 0.0001% (1,000 in 1e-9), large enough to see in a balance.
     */
    private static final NodeConfig.Instrument INDEXED = new NodeConfig.Instrument(PERP, "BTC-IDX-PERP", "BTC", "USDC",
            "0.1", "0.001", "50000", 0, new NodeConfig.Pricing(null, INTERVAL, SECOND, null, 14_400_000L, 14_400_000L,
                    null, null));

    private NodeConfig fundingConfig() {
        NodeConfig d = NodeConfig.defaults();
        List<NodeConfig.Instrument> instruments = new ArrayList<>(d.operatorMarkedInstruments());
        instruments.add(INDEXED);
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 1_000_000, 4096, true,
                d.assets(), instruments, d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                NodeConfig.Auth.open(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(0, "BTC-USD", 2, List.of("feed"))), List.of()));
    }

    /** Submits a command through the node's journal and waits until it is applied; it must not be rejected. */
    private static void submit(Node node, Command c) throws Exception {
        CompletableFuture<EngineLoop.Result> done = new CompletableFuture<>();
        assertTrue(node.engine().submit(c, done::complete), "queued");
        EngineLoop.Result result = done.get(10, TimeUnit.SECONDS);
        assertNull(result.reject(), c.type + " rejected: " + result.reject());
    }

    /** One report from the index's single source, stamped now (the sequencer stamps the command later). */
    private static Command report(long cents) {
        return new Command().oracleReport(0, 0, cents, System.currentTimeMillis() * 1_000_000L);
    }

    private JsonNode fundingWhenAtLeast(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode list = ok("/v1/funding/" + PERP + "?limit=1000");
            if (list.size() >= count) {
                return list;
            }
            assertTrue(System.nanoTime() < deadline, "no funding after 20 s: " + list);
            Thread.sleep(50);
        }
    }

    private BigDecimal balance(long account) throws Exception {
        return new BigDecimal(ok("/v1/balances?account=" + account).get(0).get("balance").asText());
    }

    @Test
    void fundingSettledByTimeTicksIsListedWithItsRateAndMark() throws Exception {
        List<JsonNode> before;
        try (Node node = Node.start(fundingConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            submit(node, report(5_000_000));
            JsonNode ticker = ok("/v1/ticker/" + PERP);
            assertEquals("50000", ticker.get("index").asText(), ticker.toString());
            // No book: every premium sample is 0, so the predicted rate is the interest rate scaled to the interval:
            // 1.44% x 2 s / 8 h = 0.0001% per interval.
            assertEquals("0.000001", ticker.get("fundingRate").asText(), ticker.toString());
            assertTrue(ticker.get("nextFundingTimeNanos").asLong() % INTERVAL == 0, "aligned to the epoch: " + ticker);
            JsonNode plain = ok("/v1/ticker/1");
            assertTrue(plain.get("index").isNull() && plain.get("fundingRate").isNull()
                    && plain.get("nextFundingTime").isNull(), "an instrument with an operator mark: " + plain);

            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/orders", "{\"account\":1,\"instrument\":" + PERP + ",\"side\":\"sell\",\"price\":\"50000\","
                    + "\"quantity\":\"0.01\"}");
            JsonNode bought = postOk("/v1/orders", "{\"account\":2,\"instrument\":" + PERP + ",\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"0.01\",\"timeInForce\":\"ioc\"}");
            assertEquals("0.01", bought.get("filledQuantity").asText());
            long traded = bought.get("sequence").asLong();

            // The long (account 2) pays each interval: ceil(10 lots x mark x 100 minor units per tick-lot x rate).
            // Read its balance between two settlements (the count must not move meanwhile), then after the next.
            JsonNode first = fundingWhenAtLeast(1);
            BigDecimal paid0;
            while (true) {
                paid0 = balance(2);
                JsonNode still = ok("/v1/funding/" + PERP + "?limit=1000");
                if (still.size() == first.size()) {
                    break;
                }
                first = still;
            }
            JsonNode next = fundingWhenAtLeast(first.size() + 1);
            BigDecimal paid1 = balance(2);
            assertEquals(next.size(), ok("/v1/funding/" + PERP + "?limit=1000").size(), "no settlement meanwhile");
            JsonNode latest = next.get(0);
            assertEquals(first.size() + 1, next.size(), "one settlement per two seconds: " + next);
            assertTrue(latest.get("sequence").asLong() > traded, latest.toString());
            assertEquals("0.000001", latest.get("rate").asText(), latest.toString());
            assertEquals("0", latest.get("averagePremium").asText(), latest.toString());
            assertEquals("0.0144", latest.get("interestRate").asText(), "the 8-hour interest: " + latest);
            assertTrue(latest.get("samples").asInt() >= 1, "sampled every second: " + latest);
            long markTicks = new BigDecimal(latest.get("mark").asText()).movePointRight(1).longValueExact();
            assertTrue(Math.abs(markTicks - 500_000) <= 100, "the mark follows the index: " + latest);
            long payment = (10 * markTicks * 100 * 1_000 + 999_999_999) / 1_000_000_000;
            assertEquals(0, BigDecimal.valueOf(payment, 6).compareTo(paid0.subtract(paid1)),
                    "the long paid exactly the listed rate at the listed mark: " + paid0 + " -> " + paid1);
            for (int i = 1; i < next.size(); i++) {
                assertTrue(next.get(i - 1).get("timestamp").asLong() - next.get(i).get("timestamp").asLong()
                        >= INTERVAL / 2, "newest first, an interval apart: " + next);
            }
            assertEquals(1, ok("/v1/funding/" + PERP + "?limit=1").size());
            assertEquals(next.get(0), ok("/v1/funding/" + PERP + "?limit=1").get(0));
            ticker = ok("/v1/ticker/" + PERP);
            assertEquals("0.000001", ticker.get("lastFundingRate").asText(), ticker.toString());
            assertTrue(ticker.get("nextFundingTimeNanos").asLong() > latest.get("timestamp").asLong(), ticker.toString());
            assertEquals("0.01", ticker.get("openInterest").asText(), ticker.toString());

            assertEquals("[]", get("/v1/funding/1").body(), "an instrument without funding has no history");
            HttpResponse<String> bad = get("/v1/funding/" + PERP + "?limit=0");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("limit: must be 1..1000"), bad.body());
            assertEquals(404, get("/v1/funding/12").statusCode());
            before = new ArrayList<>();
            ok("/v1/funding/" + PERP + "?limit=1000").forEach(before::add);
        }

        try (Node node = Node.start(fundingConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            // Time went on while the node was down, so the first tick after the restart may settle once more; the
            // history from before the restart must be there, unchanged, under anything new.
            JsonNode after = ok("/v1/funding/" + PERP + "?limit=1000");
            assertTrue(after.size() >= before.size(), after.toString());
            List<JsonNode> tail = new ArrayList<>();
            for (int i = after.size() - before.size(); i < after.size(); i++) {
                tail.add(after.get(i));
            }
            assertEquals(before, tail, "funding history is rebuilt from the journal");
        }
    }
}
