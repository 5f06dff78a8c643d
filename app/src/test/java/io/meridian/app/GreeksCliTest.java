package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.client.MeridianClient;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian greeks}: an account's option greeks and margin from a running node, as a table or as JSON. */
class GreeksCliTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return GreeksCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheGreeksOfAnAccountsOptions() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.instruments(), 1_000, 50_000, NodeConfig.Auth.open(), false, d.markets());
        try (Node node = Node.start(config)) {
            String url = "http://127.0.0.1:" + node.httpPort();
            MeridianClient client = new MeridianClient(url);
            for (int source = 0; source < 3; source++) {
                client.devOracle(NodeConfig.DEFAULT_BTC_INDEX, source, "50000");
            }
            client.devDeposit(1, 0, "1000000");
            client.devDeposit(2, 0, "1000000");
            JsonNode call = null;
            for (JsonNode in : client.instruments()) {
                if (in.path("kind").asText().equals("option") && in.path("strike").asText().equals("50000")
                        && in.path("right").asText().equals("call")) {
                    call = in;
                    break;
                }
            }
            assertTrue(call != null, "the default venue lists a 50,000 call");
            int id = call.get("id").asInt();
            String price = new BigDecimal(client.ticker(id).get("mark").asText()).setScale(0, RoundingMode.DOWN)
                    .toPlainString();
            client.place(MeridianClient.Order.limit(2, id, "sell", price, "0.5"));
            client.place(MeridianClient.Order.limit(1, id, "buy", price, "0.5").withTimeInForce("ioc"));

            assertEquals(0, run("--url", url, "--account", "1"), err.toString(StandardCharsets.UTF_8));
            String table = out.toString(StandardCharsets.UTF_8);
            assertTrue(table.contains(call.get("symbol").asText()), table);
            assertTrue(table.contains("net, index " + NodeConfig.DEFAULT_BTC_INDEX), table);
            assertTrue(table.contains("margin, index " + NodeConfig.DEFAULT_BTC_INDEX), table);

            assertEquals(0, run("--url", url, "--account", "1", "--json"));
            JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals(1, json.get("positions").size(), json.toString());
            assertEquals("0.5", json.get("positions").get(0).get("size").asText());
            double delta = json.get("net").get(0).get("delta").asDouble();
            assertTrue(delta > 0.2 && delta < 0.4, "0.5 of an at-the-money call: " + delta);

            assertEquals(2, run("--url", url));
            assertEquals(2, run("--url", url, "--account", "x"));
            assertEquals(2, run("--url", url, "--address", "0x12"));
            assertEquals(1, run("--url", "http://127.0.0.1:1", "--account", "1"));
        }
    }
}
