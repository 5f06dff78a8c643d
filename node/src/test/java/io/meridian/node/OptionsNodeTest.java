package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node configured with a price index and an option chain on it: the series are listed with their terms, a dev
 * oracle feed publishes the index, the options get marks from it, and an option trades through the gateway into
 * positions; the same after a restart. Bad index and chain settings are refused at start with the field named.
 */
class OptionsNodeTest extends NodeHttpTest {
    private static final String EXPIRY = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS)
            .plus(8, ChronoUnit.HOURS).toString();

    private NodeConfig optionsConfig() {
        NodeConfig d = config();
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                true, d.assets(), d.operatorMarkedInstruments(),
                d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("feed-a", "feed-b", "feed-c"))),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1", List.of(EXPIRY),
                                null, "50000", "5000", 1, 100))));
    }

    @Test
    void aConfiguredChainIsListedPricedFromTheIndexAndTraded() throws Exception {
        try (Node node = Node.start(optionsConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode instruments = ok("/v1/instruments");
            assertEquals(2 + 6, instruments.size(), "two perpetuals and 3 strikes x call/put: " + instruments);
            JsonNode call = instruments.get(2);
            assertEquals(100, call.get("id").asInt());
            assertEquals("option", call.get("kind").asText());
            assertEquals("45000", call.get("strike").asText());
            assertEquals("call", call.get("right").asText());
            assertEquals(1, call.get("index").asInt());
            assertTrue(call.get("symbol").asText().startsWith("BTC-") && call.get("symbol").asText().endsWith("-45000-C"),
                    call.toString());

            for (int source = 0; source < 3; source++) {
                postOk("/v1/dev/oracle", "{\"index\":1,\"source\":" + source + ",\"price\":\"50000\"}");
            }
            // The first usable index prices the chain: the in-the-money call's mark is above its intrinsic 5,000.
            JsonNode ticker = ok("/v1/ticker/100");
            assertNotNull(ticker.get("mark"), ticker.toString());
            BigDecimal mark = new BigDecimal(ticker.get("mark").asText());
            assertTrue(mark.compareTo(new BigDecimal("5000")) > 0 && mark.compareTo(new BigDecimal("20000")) < 0,
                    "mark " + mark);

            // A surface from quotes: every series is marked at Black-76 with the fitted smile's vol at its strike.
            long expiry = Long.parseLong(call.get("expiryNanos").asText());
            // Milliseconds as a number, and the engine's nanoseconds as a string (exact in JavaScript).
            assertEquals(expiry / 1_000_000, call.get("expiry").asLong(), call.toString());
            StringBuilder quotes = new StringBuilder();
            double[] vols = {0.75, 0.68, 0.62, 0.60, 0.61, 0.64, 0.69};
            for (int i = 0; i < vols.length; i++) {
                quotes.append(i == 0 ? "" : ",").append("{\"expiry\":").append(expiry).append(",\"strike\":")
                        .append(35_000 + 5_000 * i).append(",\"vol\":").append(vols[i]).append('}');
            }
            JsonNode surface = postOk("/v1/dev/surface", "{\"index\":1,\"quotes\":[" + quotes + "]}");
            assertEquals(6, surface.get("marks").size(), surface.toString());
            surface.get("marks").forEach(m -> assertTrue(!m.has("code"), "every mark applied: " + m));
            double vol45 = node.engine().query(e -> e.view().optionMarkVolatility(100)).get();
            assertEquals(0.62, vol45, 0.01, "the 45,000 call carries the surface's vol at its strike");
            double vol55 = node.engine().query(e -> e.view().optionMarkVolatility(104)).get();
            assertEquals(0.61, vol55, 0.01);
            assertError(post("/v1/dev/surface", "{\"index\":1,\"quotes\":[{\"expiry\":" + expiry
                    + ",\"strike\":50000,\"vol\":0.6}]}"), 400, "quotes:");
            mark = new BigDecimal(ok("/v1/ticker/100").get("mark").asText());

            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            String price = mark.setScale(0, java.math.RoundingMode.DOWN).toPlainString();
            postOk("/v1/orders", "{\"account\":2,\"instrument\":100,\"side\":\"sell\",\"price\":\"" + price
                    + "\",\"quantity\":\"0.5\"}");
            JsonNode taken = postOk("/v1/orders", "{\"account\":1,\"instrument\":100,\"side\":\"buy\",\"price\":\""
                    + price + "\",\"quantity\":\"0.5\"}");
            assertEquals("0.5", taken.get("filledQuantity").asText());
            JsonNode positions = ok("/v1/positions?account=1&instrument=100");
            assertEquals(1, positions.size(), positions.toString());
            assertEquals("long", positions.get(0).get("side").asText());

            // Greeks of the positions: the long in-the-money call has a delta between 0.5 and 1 per contract.
            JsonNode greeks = ok("/v1/greeks?account=1");
            assertEquals(1, greeks.get("positions").size(), greeks.toString());
            double delta = greeks.get("net").get(0).get("delta").asDouble();
            assertTrue(delta > 0.25 && delta < 0.5, "0.5 contracts of a delta 0.5-1 call: " + greeks);
            assertTrue(greeks.get("net").get(0).get("thetaPerDay").asDouble() < 0, greeks.toString());
            JsonNode shortGreeks = ok("/v1/greeks?account=2");
            assertEquals(-delta, shortGreeks.get("net").get(0).get("delta").asDouble(), 1e-9);
            assertEquals(0, ok("/v1/greeks?account=3").get("positions").size());
            // The option margin of the book in both regimes: standard for now, and what portfolio margin would be.
            JsonNode margin = greeks.get("margin").get(0);
            assertEquals(1, margin.get("index").asInt(), greeks.toString());
            assertEquals("USDC", margin.get("settle").asText());
            assertEquals("standard", margin.get("mode").asText());
            assertEquals(margin.get("standardInitialMargin"), margin.get("initialMargin"));
            assertEquals(margin.get("standardMaintenanceMargin"), margin.get("maintenanceMargin"));
            // A long option's requirement is its value (equity holds it at its mark), as the margin table last priced
            // it (the surface's vol reaches the table at the next reprice): 0.5 contracts, above their intrinsic 2,500.
            BigDecimal held = new BigDecimal(margin.get("standardInitialMargin").asText());
            assertTrue(held.compareTo(new BigDecimal("2500")) > 0 && held.compareTo(new BigDecimal("10000")) < 0,
                    held + " for a mark of " + mark);
            assertTrue(new BigDecimal(margin.get("portfolioInitialMargin").asText()).signum() > 0, margin.toString());
            assertEquals(0, ok("/v1/greeks?account=3").get("margin").size());
            // Portfolio margin, account-wide (no instrument), on and off again.
            postOk("/v1/settings", "{\"account\":1,\"marginMode\":\"portfolio\"}");
            assertTrue(node.engine().query(e -> e.view().isPortfolioMargin(1)).get());
            margin = ok("/v1/greeks?account=1").get("margin").get(0);
            assertEquals("portfolio", margin.get("mode").asText());
            assertEquals(margin.get("portfolioInitialMargin"), margin.get("initialMargin"));
            assertEquals(margin.get("portfolioMaintenanceMargin"), margin.get("maintenanceMargin"));
            postOk("/v1/settings", "{\"account\":1,\"marginMode\":\"standard\"}");
            assertTrue(!node.engine().query(e -> e.view().isPortfolioMargin(1)).get());
            assertError(post("/v1/dev/oracle", "{\"index\":9,\"source\":0,\"price\":\"1\"}"), 400, "index and source");
            assertError(post("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"1.001\"}"), 400, "price");
        }
        try (Node node = Node.start(optionsConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(1, ok("/v1/positions?account=1&instrument=100").size(), "recovered from the journal");
            assertEquals(8, ok("/v1/instruments").size(), "nothing added twice");
        }
    }

    @Test
    void badMarketsAreRefusedWithTheFieldNamed() {
        String[][] cases = {
            {"{\"optionChains\":[{\"underlying\":\"BTC\",\"index\":1,\"settle\":\"USDC\",\"tickSize\":\"0.5\","
                    + "\"lotSize\":\"0.01\",\"expiries\":[\"2030-01-01T08:00:00Z\"],\"strikes\":[\"50000\"],\"firstId\":100}]}",
                "optionChains[0].index: no index 1"},
            {"{\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[]}]}", "indexes[0]"},
            {"{\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\"]}],\"optionChains\":["
                    + "{\"underlying\":\"BTC\",\"index\":1,\"settle\":\"USDC\",\"tickSize\":\"0.5\",\"lotSize\":\"0.01\","
                    + "\"expiries\":[\"tomorrow\"],\"strikes\":[\"50000\"],\"firstId\":100}]}", "optionChains[0]"},
            {"{\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\"]}],\"optionChains\":["
                    + "{\"underlying\":\"BTC\",\"index\":1,\"settle\":\"USDC\",\"tickSize\":\"0.5\",\"lotSize\":\"0.01\","
                    + "\"expiries\":[\"2030-01-01T08:00:00Z\"],\"strikes\":[\"50000\"],\"firstId\":1}]}", "already used"},
        };
        assertConfigsRefused(cases);
    }
}
