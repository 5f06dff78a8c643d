package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.PricingSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A perpetual priced from an index by the node config alone: listed with its index, its mark follows the oracle, it
 * pays funding on the node's own time ticks, and a restart that would change how it is priced is refused. Bad
 * pricing settings are refused at start with the field named.
 */
class PricedPerpetualNodeTest extends NodeHttpTest {
    private static final int PERP = 3;
    private static final long SECOND = 1_000_000_000L;

    private NodeConfig config(boolean priced) {
        NodeConfig d = config();
        List<NodeConfig.Instrument> instruments = new ArrayList<>(d.operatorMarkedInstruments());
        NodeConfig.Instrument perp = new NodeConfig.Instrument(PERP, "BTC-IDX-PERP", "BTC", "USDC", "0.1", "0.001",
                "50000");
        // Funding every 2 s, sampled every second: a test-sized interval.
        instruments.add(priced ? new NodeConfig.Instrument(PERP, "BTC-IDX-PERP", "BTC", "USDC", "0.1", "0.001", "50000",
                1, new NodeConfig.Pricing(null, 2 * SECOND, SECOND, "5000", null, null, null, null)) : perp);
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                true, d.assets(), instruments, d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, new NodeConfig.Markets(List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("a"))),
                        List.of()));
    }

    @Test
    void thePerpetualFollowsItsIndexAndPaysFunding() throws Exception {
        try (Node node = Node.start(config(true))) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode instruments = ok("/v1/instruments");
            for (JsonNode in : instruments) {
                if (in.get("id").asInt() == PERP) {
                    assertEquals(1, in.get("index").asInt(), in.toString());
                } else if (in.get("id").asInt() == 1) {
                    assertFalse(in.has("index"), "BTC-PERP keeps its operator mark: " + in);
                }
            }
            postOk("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"51000\"}");
            BigDecimal mark = new BigDecimal(ok("/v1/ticker/" + PERP).get("mark").asText());
            // The index plus the funding basis (docs/pricing.md: at most the 0.01% interest rate of the index), far
            // from the configured starting mark of 50,000.
            assertTrue(mark.compareTo(new BigDecimal("51000")) >= 0 && mark.compareTo(new BigDecimal("51005.1")) <= 0,
                    "mark " + mark);

            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/orders", "{\"account\":2,\"instrument\":" + PERP + ",\"side\":\"sell\",\"price\":\"51000\","
                    + "\"quantity\":\"0.01\"}");
            JsonNode taken = postOk("/v1/orders", "{\"account\":1,\"instrument\":" + PERP + ",\"side\":\"buy\","
                    + "\"price\":\"51000\",\"quantity\":\"0.01\"}");
            assertEquals("0.01", taken.get("filledQuantity").asText());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            JsonNode funding = ok("/v1/funding/" + PERP);
            while (funding.size() == 0 && System.nanoTime() < deadline) {
                // The source keeps reporting, as a feed does; the node's time ticks settle funding when due.
                postOk("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"51000\"}");
                Thread.sleep(200);
                funding = ok("/v1/funding/" + PERP);
            }
            assertTrue(funding.size() > 0, "funding settled on the node's own clock: " + funding);
            assertEquals(0, ok("/v1/funding/1").size(), "the operator-marked perpetual pays none");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Node.start(config(false)));
        assertTrue(e.getMessage().contains("how an instrument is priced cannot change"), e.getMessage());
    }

    @Test
    void badPricingIsRefusedAtStartWithTheFieldNamed() {
        String index = "\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\"]}]";
        String perp = "{\"id\":1,\"symbol\":\"P\",\"base\":\"BTC\",\"settle\":\"USDC\",\"lotSize\":\"0.001\","
                + "\"markPrice\":\"50000\",";
        String[][] cases = {
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":2}]," + index + "}",
                "instruments[0].index: no index 2"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.001\",\"index\":1}]," + index + "}",
                "instruments[0].tickSize: 0.001 must be a whole number of the index's price units"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"pricing\":{}}]," + index + "}",
                "instruments[0].pricing: only for a perpetual priced from an index"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"impactNotional\":\"0.0000001\"}}],"
                    + index + "}", "instruments[0].pricing.impactNotional"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"premiumSampleNanos\":0}}],"
                    + index + "}", "instruments[0].pricing: pricing specification is invalid"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"markBandPpm\":0}}],"
                    + index + "}", "instruments[0].pricing.markBandPpm: must be 1 to 100000 (10%), was 0"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"markBandPpm\":100001}}],"
                    + index + "}", "instruments[0].pricing.markBandPpm: must be 1 to 100000 (10%), was 100001"},
            // Rates are per 8 hours now; the old per-interval names are refused, never read with the new meaning.
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"interestRatePerInterval\":1}}],"
                    + index + "}", "interestRatePerInterval"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"index\":1,\"pricing\":{\"fundingClamp\":1}}],"
                    + index + "}", "fundingClamp"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"priceBandPpm\":-1}]," + index + "}",
                "instruments[0].priceBandPpm: must be 0 (no band) to 1000000 (100%), was -1"},
            {"{\"instruments\":[" + perp + "\"tickSize\":\"0.1\",\"priceBandPpm\":1000001}]," + index + "}",
                "instruments[0].priceBandPpm: must be 0 (no band) to 1000000 (100%), was 1000001"},
        };
        assertConfigsRefused(cases);
    }

    @Test
    void thePriceBandIsOnByDefaultAndConfigurablePerInstrument() throws Exception {
        String index = "\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\"]}]";
        String perp = "{\"symbol\":\"P%d\",\"base\":\"BTC\",\"settle\":\"USDC\",\"lotSize\":\"0.001\","
                + "\"markPrice\":\"50000\",\"tickSize\":\"0.1\",\"id\":%d";
        NodeConfig parsed = NodeConfig.parse("{\"devMode\":true,\"instruments\":[" + String.format(perp, 1, 1) + "},"
                + String.format(perp, 2, 2) + ",\"priceBandPpm\":0}," + String.format(perp, 3, 3)
                + ",\"index\":1,\"priceBandPpm\":20000,\"pricing\":{\"markBandPpm\":10000}}]," + index + "}");
        assertEquals(NodeConfig.DEFAULT_PRICE_BAND_PPM, NodeConfig.spec(parsed.instruments().get(0)).priceBandPpm());
        assertEquals(0, NodeConfig.spec(parsed.instruments().get(1)).priceBandPpm(), "0 turns it off");
        assertEquals(20_000, NodeConfig.spec(parsed.instruments().get(2)).priceBandPpm());
        assertEquals(10_000, NodeConfig.pricingSpec(parsed.instruments().get(2), 6).markBandPpm());
        NodeConfig hourly = NodeConfig.parse("{\"devMode\":true,\"instruments\":[" + String.format(perp, 1, 1) + ",\"index\":1,"
                + "\"pricing\":{\"fundingIntervalNanos\":3600000000000,\"interestRate8h\":50000,"
                + "\"fundingClamp8h\":400000,\"maxFundingRate8h\":20000000}}]," + index + "}");
        PricingSpec rates = NodeConfig.pricingSpec(hourly.instruments().get(0), 6);
        assertEquals(List.of(50_000L, 400_000L, 20_000_000L),
                List.of(rates.interestRate8h(), rates.fundingClamp8h(), rates.maxFundingRate8h()));
        assertEquals(PricingSpec.DEFAULT_MARK_BAND_PPM,
                NodeConfig.pricingSpec(parsed.instruments().get(0).pricedFrom(1), 6).markBandPpm());
        // The built-in venue's perpetuals have the default band too.
        for (NodeConfig.Instrument in : NodeConfig.defaults().instruments()) {
            assertEquals(NodeConfig.DEFAULT_PRICE_BAND_PPM, NodeConfig.spec(in).priceBandPpm(), in.symbol());
        }
    }
}
