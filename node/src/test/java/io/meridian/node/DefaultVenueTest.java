package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.InstrumentSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in demo venue ({@link NodeConfig#defaults()}): BTC options on a dev-fed index beside the perpetuals, with
 * expiries that are in the future whatever the day it starts, series that keep their ids across restarts, and a
 * journal whose series the config would change refused at start.
 */
class DefaultVenueTest extends NodeHttpTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void everyDayTheDefaultsListThreeFutureMonthlyExpiriesWhoseIdsNeverChangeTheirSeries() throws Exception {
        // Every day of two years, at times either side of 08:00 UTC (the expiry time).
        for (int day = 0; day < 2 * 366; day++) {
            for (int hour : new int[] {0, 7, 8, 9, 23}) {
                Instant now = START.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plusSeconds(59);
                NodeConfig config = NodeConfig.defaults(now);
                config.validate();
                List<NodeConfig.OptionChain> chains = config.markets().optionChains();
                assertEquals(3, chains.size(), now.toString());
                ZonedDateTime previous = null;
                for (NodeConfig.OptionChain chain : chains) {
                    ZonedDateTime expiry = Instant.parse(chain.expiries().get(0)).atZone(ZoneOffset.UTC);
                    assertTrue(expiry.toInstant().isAfter(now.plus(Duration.ofDays(1))), now + ": " + expiry);
                    assertEquals(DayOfWeek.FRIDAY, expiry.getDayOfWeek(), expiry.toString());
                    assertEquals(8, expiry.getHour(), expiry.toString());
                    assertTrue(expiry.plusDays(7).getMonth() != expiry.getMonth(), "the month's last Friday: " + expiry);
                    if (previous != null) {
                        assertEquals(previous.plusMonths(1).getMonth(), expiry.getMonth(), "consecutive months");
                    }
                    previous = expiry;
                }
                Map<Integer, InstrumentSpec> specs = config.allSpecs();
                assertEquals(2 + 3 * 5 * 2, specs.size(), now.toString());
            }
        }
        // A restart within eight months may list other expiries, never another series under an id listed before (the
        // ids repeat yearly, and three months are listed ahead: about nine months is the first clash).
        for (int day = 0; day < 400; day += 3) {
            Map<Integer, String> before = symbols(NodeConfig.defaults(START.plus(Duration.ofDays(day))));
            for (int later = 1; later <= 245; later += 4) {
                Map<Integer, String> after = symbols(NodeConfig.defaults(START.plus(Duration.ofDays(day + later))));
                for (Map.Entry<Integer, String> series : after.entrySet()) {
                    String listed = before.get(series.getKey());
                    assertTrue(listed == null || listed.equals(series.getValue()),
                            "day " + day + " +" + later + ": id " + series.getKey() + " " + listed + " -> " + series);
                }
            }
        }
    }

    private static Map<Integer, String> symbols(NodeConfig config) {
        Map<Integer, String> symbols = new HashMap<>();
        config.allSpecs().forEach((id, spec) -> symbols.put(id, spec.symbol()));
        return symbols;
    }

    private NodeConfig defaultsIn(Instant now) {
        return NodeConfig.defaults(now).withDataDirAndPort(temp.resolve("data").toString(), 0);
    }

    @Test
    void theDefaultVenueListsOptionsPricedFromTheDevOracleAndKeepsThemAcrossRestarts() throws Exception {
        Instant now = Instant.now();
        List<Integer> firstIds = new ArrayList<>();
        try (Node node = Node.start(defaultsIn(now))) {
            base = "http://127.0.0.1:" + node.httpPort();
            JsonNode instruments = ok("/v1/instruments");
            assertEquals(2 + 30, instruments.size(), instruments.toString());
            assertEquals("BTC-PERP", instruments.get(0).get("symbol").asText());
            assertEquals("ETH-PERP", instruments.get(1).get("symbol").asText());
            for (int i = 2; i < instruments.size(); i++) {
                JsonNode option = instruments.get(i);
                assertEquals("option", option.get("kind").asText(), option.toString());
                assertEquals(NodeConfig.DEFAULT_BTC_INDEX, option.get("index").asInt());
                assertTrue(option.get("expiry").asLong() > System.currentTimeMillis(), option.toString());
                assertTrue(NodeConfig.DEFAULT_STRIKES.contains(option.get("strike").asText()), option.toString());
                if (i % 10 == 2) {
                    firstIds.add(option.get("id").asInt());
                }
            }
            int call = instruments.get(2 + 4).get("id").asInt();
            assertEquals("50000", instruments.get(2 + 4).get("strike").asText());
            for (int source = 0; source < 3; source++) {
                postOk("/v1/dev/oracle", "{\"index\":" + NodeConfig.DEFAULT_BTC_INDEX + ",\"source\":" + source
                        + ",\"price\":\"50000\"}");
            }
            // The index prices the chain at the listing's 80% volatility: an at-the-money call is worth a few thousand.
            JsonNode ticker = ok("/v1/ticker/" + call);
            assertNotNull(ticker.get("mark"), ticker.toString());
            BigDecimal mark = new BigDecimal(ticker.get("mark").asText());
            assertTrue(mark.compareTo(new BigDecimal("500")) > 0 && mark.compareTo(new BigDecimal("15000")) < 0,
                    "mark " + mark);
            // BTC-PERP is priced from the same index: its mark is the index plus at most the funding basis (0.01%).
            BigDecimal perpMark = new BigDecimal(ok("/v1/ticker/1").get("mark").asText());
            assertTrue(perpMark.compareTo(new BigDecimal("50000")) >= 0
                    && perpMark.compareTo(new BigDecimal("50005")) <= 0, "BTC-PERP follows the index: " + perpMark);
        }
        // Two months later the nearest expiries have rolled: the new month's series join under new ids.
        try (Node node = Node.start(defaultsIn(now.plus(Duration.ofDays(62))))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(2 + 30, ok("/v1/instruments").size());
            List<Integer> listed = node.engine().query(e -> e.view().instrumentIds()).get();
            assertTrue(listed.containsAll(firstIds), "the series listed before stay in the engine: " + listed);
        }
        // A year on, the month's ids would name other series than the journal's: refused, with the reason.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Node.start(defaultsIn(now.plus(Duration.ofDays(365)))));
        assertTrue(refused.getMessage().contains("cannot change"), refused.getMessage());
        // Nothing was written by the refused start: the venue still starts with the first config.
        try (Node node = Node.start(defaultsIn(now))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertFalse(ok("/v1/instruments").isEmpty());
        }
    }
}
