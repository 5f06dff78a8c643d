package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client as a price feed: {@link MeridianClient#reportPrice} and {@link MeridianClient#publishSurface} sign what a
 * node without dev routes accepts, and a key the config does not name is refused.
 */
class FeedClientTest {
    @TempDir
    Path temp;

    private static AgentSigner signer(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return AgentSigner.of(seed);
    }

    @Test
    void aFeedPricesTheIndexAndMarksTheChain() throws Exception {
        AgentSigner[] feeds = {signer(11), signer(12), signer(13)};
        AgentSigner surfaceKey = signer(14);
        Instant expiry = Instant.now().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                false, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.open(), false,
                new NodeConfig.Markets(List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("a", "b", "c"), null,
                        Arrays.stream(feeds).map(f -> f.publicKey().toHex()).toList(), surfaceKey.publicKey().toHex())),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1",
                                List.of(expiry.toString()), List.of("45000", "50000", "55000"), null, null, null, 100))));
        try (Node node = Node.start(config)) {
            MeridianClient client = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            Eip712Domain domain = client.domain();
            // Stamped a millisecond ago by the sources: never ahead of the node's clock.
            long stamped = System.currentTimeMillis() * 1_000_000L - 1_000_000L;
            for (int source = 0; source < 3; source++) {
                client.reportPrice(domain, feeds[source], 1, 2, source, "50000.5", stamped);
            }
            assertEquals(5_000_050L, node.engine().query(e -> e.view().indexPrice(1)).get());
            ApiException wrongKey = assertThrows(ApiException.class,
                    () -> client.reportPrice(domain, feeds[0], 1, 2, 1, "50001", stamped + 1));
            assertEquals(401, wrongKey.status());

            long expiryNanos = expiry.getEpochSecond() * 1_000_000_000L;
            List<MeridianClient.VolQuote> quotes = new ArrayList<>();
            double[] vols = {0.70, 0.64, 0.60, 0.62, 0.66};
            for (int i = 0; i < vols.length; i++) {
                quotes.add(new MeridianClient.VolQuote(expiryNanos, Integer.toString(40_000 + 5_000 * i), vols[i]));
            }
            JsonNode marked = client.publishSurface(domain, surfaceKey, 1, System.currentTimeMillis() * 1_000_000L,
                    quotes);
            assertEquals(6, marked.get("marks").size(), marked.toString());
            marked.get("marks").forEach(m -> assertTrue(!m.has("code"), m.toString()));
            BigDecimal callMark = new BigDecimal(client.ticker(102).get("mark").asText());
            assertTrue(callMark.compareTo(new BigDecimal("1000")) > 0 && callMark.compareTo(new BigDecimal("10000")) < 0,
                    "an at-the-money 20-day call at 60%: " + callMark);
            ApiException foreign = assertThrows(ApiException.class, () -> client.publishSurface(domain, feeds[0], 1,
                    System.currentTimeMillis() * 1_000_000L + 1, quotes));
            assertEquals(401, foreign.status());
        }
    }
}
