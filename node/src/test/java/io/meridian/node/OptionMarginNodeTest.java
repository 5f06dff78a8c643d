package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.journal.JournalReader;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OptionMarginSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Option margin parameters per index from the node config: journaled as SET_OPTION_MARGIN at a start where the
 * engine's differ (and only then), applied to the accounts already holding options, shown by
 * {@code GET /v1/option-margin}; bad parameters refused at start with the field named.
 */
class OptionMarginNodeTest extends NodeHttpTest {
    private static final String EXPIRY = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS)
            .plus(8, ChronoUnit.HOURS).toString();
    private static final int CALL = 102;
    private static final int PUT = 101;

    private NodeConfig withMargin(NodeConfig.OptionMargin margin) {
        NodeConfig d = config();
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                true, d.assets(), d.operatorMarkedInstruments(),
                d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("feed-a"), margin)),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1", List.of(EXPIRY),
                                List.of("50000"), null, null, null, 101))));
    }

    private static NodeConfig.OptionMargin grid(long maxMovePpm, int movesEachSide) {
        return new NodeConfig.OptionMargin(null, null, null, null, null, maxMovePpm, movesEachSide, null, null, null,
                null, null, null, null, null, null, null);
    }

    private long initialMargin(Node node, long account) throws Exception {
        return node.engine().query(e -> e.view().marginState(account, 0).initialMargin).get();
    }

    private List<OptionMarginSpec> journaledMarginCommands() {
        List<OptionMarginSpec> found = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(Path.of(config().dataDir()))) {
            Command c = new Command();
            while (reader.next()) {
                if (reader.decode(c).type == CommandType.SET_OPTION_MARGIN) {
                    found.add(c.optionMarginSpec);
                }
            }
        }
        return found;
    }

    @Test
    void configuredParametersAreJournaledAtStartAppliedToHoldersAndShown() throws Exception {
        long before;
        try (Node node = Node.start(withMargin(null))) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode shown = ok("/v1/option-margin");
            assertEquals(1, shown.size(), shown.toString());
            assertEquals("BTC-USD", shown.get(0).get("symbol").asText());
            assertEquals(9, shown.get(0).get("params").get("priceMovesPpm").size(), "defaults: -16% .. +16%");
            assertEquals(150_000, shown.get(0).get("params").get("shortOptionRatePpm").asLong());

            postOk("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"50000\"}");
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/settings", "{\"account\":2,\"marginMode\":\"portfolio\"}");
            // Account 2 sells the at-the-money strangle to account 1.
            for (int option : new int[] {CALL, PUT}) {
                String price = new BigDecimal(ok("/v1/ticker/" + option).get("mark").asText())
                        .setScale(0, RoundingMode.DOWN).toPlainString();
                postOk("/v1/orders", "{\"account\":2,\"instrument\":" + option + ",\"side\":\"sell\",\"price\":\""
                        + price + "\",\"quantity\":\"1\"}");
                JsonNode taken = postOk("/v1/orders", "{\"account\":1,\"instrument\":" + option
                        + ",\"side\":\"buy\",\"price\":\"" + price + "\",\"quantity\":\"1\"}");
                assertEquals("1", taken.get("filledQuantity").asText(), taken.toString());
            }
            before = initialMargin(node, 2);
        }
        assertEquals(List.of(), journaledMarginCommands(), "the defaults need no command");

        NodeConfig.OptionMargin wider = grid(300_000, 6);
        try (Node node = Node.start(withMargin(wider))) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode params = ok("/v1/option-margin").get(0).get("params");
            assertEquals(13, params.get("priceMovesPpm").size(), params.toString());
            assertEquals(-300_000, params.get("priceMovesPpm").get(0).asLong());
            assertEquals(3, params.get("volShocks").size());
            long after = initialMargin(node, 2);
            assertTrue(after > before, "a +/-30% grid needs more for the short strangle: " + after + " > " + before);
        }
        OptionMarginSpec expected = wider.over(OptionMarginSpecs.defaults());
        assertEquals(List.of(expected), journaledMarginCommands(), "journaled once, at the start that changed it");

        try (Node node = Node.start(withMargin(wider))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(expected, node.engine().query(e -> e.view().optionMarginSpec(1)).get(), "recovered from the journal");
        }
        assertEquals(List.of(expected), journaledMarginCommands(), "an unchanged config journals nothing");

        try (Node node = Node.start(withMargin(null))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(9, ok("/v1/option-margin").get(0).get("params").get("priceMovesPpm").size());
            assertEquals(before, initialMargin(node, 2), "back to the defaults when the config drops them");
        }
        assertEquals(List.of(expected, OptionMarginSpecs.defaults()), journaledMarginCommands());
    }

    @Test
    void badParametersAreRefusedAtStartWithTheFieldNamed() {
        String index = "{\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\"],"
                + "\"optionMargin\":";
        String[][] cases = {
            {index + "{\"shortOptionFloorPpm\":200000}}]}", "indexes[0].optionMargin: shortOptionFloorPpm"},
            {index + "{\"priceMovesPpm\":[100000,-100000]}}]}", "indexes[0].optionMargin: priceMovesPpm must be"},
            {index + "{\"maxMovePpm\":200000}}]}", "indexes[0].optionMargin: give either priceMovesPpm or both"},
            {index + "{\"maxMovePpm\":2000000,\"movesEachSide\":4}}]}", "indexes[0].optionMargin: evenMoves"},
            {index + "{\"volShocks\":[{\"relativePpm\":0,\"absolutePpm\":0},{\"relativePpm\":0,\"absolutePpm\":0}]}}]}",
                "indexes[0].optionMargin: volShocks has a duplicate"},
            {index + "{\"portfolioMaintenancePpm\":0}}]}", "indexes[0].optionMargin: maintenanceFractionPpm"},
            {index + "{\"gridPpm\":1}}]}", "unknown field 'gridPpm'"},
        };
        assertConfigsRefused(cases);
    }
}
