package io.meridian.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.ApiException;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import static io.meridian.terminal.TerminalBrowserTest.browser;
import static io.meridian.terminal.TerminalBrowserTest.count;
import static io.meridian.terminal.TerminalBrowserTest.number;
import static io.meridian.terminal.TerminalBrowserTest.screenshot;
import static io.meridian.terminal.TerminalBrowserTest.signedNode;
import static io.meridian.terminal.TerminalBrowserTest.text;
import static io.meridian.terminal.TerminalBrowserTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal's trading features in a real browser against a real node (issue 22), with TerminalBrowserTest's
 * Chromium and helpers: amending an open order from the Trade page (price, then a stop's trigger; a price outside the
 * band shows the engine's refusal), revoking the agent key from the page (after which the node refuses that key), an
 * order placed from the options chain's ask, and the Operator page's history of its figures. Screenshots go to
 * {@code target/terminal/}.
 */
class TerminalTradingBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The browser's dev key, as the node's client signs with it. */
    private static Secp256k1PrivateKey devKey(JavascriptExecutor js) {
        String key = (String) js.executeScript("return localStorage.getItem('meridian.terminal.devKey');");
        return Secp256k1PrivateKey.of(HexFormat.of().parseHex(key.substring(2)));
    }

    /** Opens the Trade page, makes a dev key there and funds it (development venues only). */
    private static void devKeyWithMoney(ChromeDriver browser, String base, String symbol) throws InterruptedException {
        JavascriptExecutor js = browser;
        browser.get(base + "/#/trade/" + symbol);
        waitFor("the ticket", Duration.ofSeconds(5), () -> count(js, "#place") == 1);
        browser.findElement(By.id("dev-key")).click();
        waitFor("a dev key", Duration.ofSeconds(5), () -> text(js, "#who", 0).startsWith("0x"));
        browser.findElement(By.id("dev-deposit")).click();
        waitFor("the deposit", Duration.ofSeconds(5), () -> text(js, "#status", 0).startsWith("deposited"));
    }

    private static void type(ChromeDriver browser, String name, String value) {
        WebElement input = browser.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    /** The open order's row's Amend button, then the amend control's fields and its Sign button. */
    private static void amend(ChromeDriver browser, long orderId, String field, String value) {
        browser.findElement(By.cssSelector("#open-orders .row[data-order-id='" + orderId + "'] button.amend-open"))
                .click();
        type(browser, field, value);
        browser.findElement(By.id("send-amend")).click();
    }

    /**
     * A resting limit order placed from the ticket is amended from its row: a new price signed over what
     * {@code POST /v1/typed-data/amend} says ({@code Amend}) reaches the node, as {@code GET /v1/orders} shows; a price
     * outside the band is refused with the engine's code and reason on the page, the order unchanged; a stop's trigger
     * is moved the same way ({@code AmendTrigger}).
     */
    @Test
    void anOpenOrderIsAmendedFromThePage(@TempDir Path dir) throws Exception {
        try (Node node = Node.start(signedNode(dir))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                devKeyWithMoney(browser, base, "BTC-PERP");
                type(browser, "price", "49000");
                type(browser, "quantity", "0.010");
                browser.findElement(By.id("place")).click();
                waitFor("the order in open orders", Duration.ofSeconds(5), () -> count(js, "#open-orders .row") == 1);
                Secp256k1PrivateKey owner = devKey(js);
                MeridianClient client = new MeridianClient(base);
                MeridianClient asOwner = client.signedBy(Signer.owner(owner, client.domain()));
                long orderId = asOwner.openOrders(owner.address()).get(0).get("orderId").asLong();

                amend(browser, orderId, "amendPrice", "49100");
                waitFor("the amend accepted", Duration.ofSeconds(5), () -> text(js, "#status", 0).startsWith("amended"));
                JsonNode open = asOwner.openOrders(owner.address());
                assertEquals(1, open.size(), open.toString());
                assertEquals(0, new BigDecimal("49100").compareTo(new BigDecimal(open.get(0).get("price").asText())),
                        "the node has the new price: " + open);
                waitFor("the row shows it", Duration.ofSeconds(5), () -> text(js, "#open-orders .row .price", 0)
                        .equals("49,100.0"));

                // 40,000 is further than the band (5%) from the mark (50,000): the engine refuses it, the page says why.
                amend(browser, orderId, "amendPrice", "40000");
                waitFor("the refusal", Duration.ofSeconds(5), () -> text(js, "#status", 0).startsWith("amend refused"));
                assertTrue(text(js, "#status", 0).contains("2008 PRICE_OUTSIDE_BAND"), text(js, "#status", 0));
                assertEquals(0, new BigDecimal("49100").compareTo(new BigDecimal(asOwner.openOrders(owner.address())
                        .get(0).get("price").asText())), "the order as it was");
                screenshot(browser, "trade-amend-refused.png");

                // A sell stop's trigger moves (AmendTrigger).
                new Select(browser.findElement(By.name("side"))).selectByValue("sell");
                new Select(browser.findElement(By.name("type"))).selectByValue("stop_market");
                type(browser, "triggerPrice", "45000");
                type(browser, "quantity", "0.020");
                browser.findElement(By.id("place")).click();
                waitFor("the stop in open orders", Duration.ofSeconds(5), () -> count(js, "#open-orders .row") == 2);
                long stopId = stopOrderId(asOwner.openOrders(owner.address()));
                assertTrue(stopId > 0, "the stop at the node");
                amend(browser, stopId, "amendTrigger", "44500");
                waitFor("the trigger amended", Duration.ofSeconds(5), () -> text(js, "#status", 0)
                        .startsWith("amended order " + stopId + ": triggerPrice 44500"));
                for (JsonNode o : asOwner.openOrders(owner.address())) {
                    if (o.get("orderId").asLong() == stopId) {
                        assertEquals(0, new BigDecimal("44500").compareTo(new BigDecimal(o.get("triggerPrice")
                                .asText())), o.toString());
                    }
                }
                screenshot(browser, "trade-amend.png");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * An agent key approved on the page (by the dev key) trades for the owner; "Revoke the agent key" has the dev key
     * sign {@code RevokeAgent} over what {@code POST /v1/typed-data/revoke-agent} says, the page forgets the key, and
     * the node refuses an order signed by it (8005), where the same key's order was taken before.
     */
    @Test
    void theAgentKeyIsRevokedFromThePageAndTheNodeRefusesIt(@TempDir Path dir) throws Exception {
        try (Node node = Node.start(signedNode(dir))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                devKeyWithMoney(browser, base, "BTC-PERP");
                browser.findElement(By.id("approve-agent")).click();
                waitFor("the agent approved", Duration.ofSeconds(5), () -> text(js, "#status", 0).startsWith("agent key"));
                waitFor("the agent signs", Duration.ofSeconds(5), () -> text(js, "#who", 0).contains("agent key"));
                // The agent's key as the browser keeps it (PKCS#8: its last 32 bytes are the Ed25519 seed).
                JsonNode kept = JSON.readTree((String) js.executeScript(
                        "return localStorage.getItem('meridian.terminal.agentKey');"));
                byte[] pkcs8 = Base64.getDecoder().decode(kept.get("pkcs8").asText());
                AgentSigner agent = AgentSigner.of(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
                assertEquals(kept.get("publicKey").asText(), agent.publicKey().toHex(), "the browser's key");
                MeridianClient client = new MeridianClient(base);
                Address owner = Address.parseOrThrow(kept.get("owner").asText());
                MeridianClient asAgent = client.signedBy(Signer.agent(owner, agent, client.domain()));
                asAgent.place(MeridianClient.Order.limit(0, 1, "buy", "48000", "0.010"));   // taken while approved

                browser.findElement(By.id("revoke-agent")).click();
                waitFor("the agent revoked", Duration.ofSeconds(5), () -> text(js, "#status", 0).contains("revoked"));
                assertTrue(text(js, "#who", 0).contains("dev key"), "the owner signs again: " + text(js, "#who", 0));
                assertEquals(null, js.executeScript("return localStorage.getItem('meridian.terminal.agentKey');"),
                        "the page forgot the key");
                ApiException refused = assertThrows(ApiException.class,
                        () -> asAgent.place(MeridianClient.Order.limit(0, 1, "buy", "48000", "0.010")));
                assertEquals(8005, refused.code(), refused.getMessage());
                // The page's own lists go on with the owner's token: the agent's first order is still open.
                waitFor("open orders read by the owner", Duration.ofSeconds(5), () -> count(js, "#open-orders .row") == 1);
                screenshot(browser, "trade-agent-revoked.png");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * The options chain's ask opens the Trade page's ticket on that series (buy, at the ask): the order is signed and
     * placed from there, takes the resting ask and rests its remainder at that price, in open orders.
     */
    @Test
    void anOptionsAskOpensTheTicketAndTheOrderIsPlaced(@TempDir Path dir) throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig options = new NodeConfig(dir.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.open(), false,
                d.markets());
        try (Node node = Node.start(options)) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient venue = new MeridianClient(base);
            int index = NodeConfig.DEFAULT_BTC_INDEX;
            for (int source = 0; source < 3; source++) {
                venue.devOracle(index, source, "50000");
            }
            TreeSet<Long> expiries = new TreeSet<>();
            JsonNode call = null;
            for (JsonNode in : venue.instruments()) {
                if (in.path("kind").asText().equals("option")) {
                    expiries.add(in.get("expiryNanos").asLong());
                }
            }
            List<MeridianClient.VolQuote> quotes = new java.util.ArrayList<>();
            for (long expiry : expiries) {
                for (int i = 0; i < 7; i++) {
                    quotes.add(new MeridianClient.VolQuote(expiry, String.valueOf(35_000 + 5_000 * i), 0.6 + 0.01 * i));
                }
            }
            venue.devSurface(index, quotes);
            JsonNode chain = JSON.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(base + "/v1/options?index=" + index)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode s : chain.get("series")) {
                if (s.get("right").asText().equals("call") && !s.get("mark").isNull() && call == null) {
                    call = s;
                }
            }
            assertTrue(call != null, "a marked call in " + chain);
            JsonNode spec = null;
            for (JsonNode in : venue.instruments()) {
                if (in.get("id").asInt() == call.get("instrument").asInt()) {
                    spec = in;
                }
            }
            BigDecimal tick = new BigDecimal(spec.get("tickSize").asText());
            BigDecimal lot = new BigDecimal(spec.get("lotSize").asText());
            String ask = new BigDecimal(call.get("mark").asText()).divide(tick, 0, RoundingMode.CEILING).multiply(tick)
                    .toPlainString();
            venue.devDeposit(1, 0, "10000000");
            venue.place(MeridianClient.Order.limit(1, call.get("instrument").asInt(), "sell", ask, lot.toPlainString()));

            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                devKeyWithMoney(browser, base, "BTC-PERP");
                browser.get(base + "/#/options/BTC-PERP");
                String askCell = "#chain td.quote[data-quote='ask'][data-instrument='" + call.get("instrument").asInt()
                        + "']";
                waitFor("the series' ask", Duration.ofSeconds(8), () -> count(js, askCell) == 1);
                screenshot(browser, "options-ask.png");
                browser.findElement(By.cssSelector(askCell)).click();
                String symbol = call.get("symbol").asText();
                waitFor("the Trade page of the series", Duration.ofSeconds(5), () -> ("#/trade/" + symbol).equals(
                        js.executeScript("return location.hash;")) && count(js, "#place") == 1);
                // The ticket takes the ask as the chain shows it (the node's decimals), the test computed it in the tick's.
                String ticketPrice = (String) js.executeScript("return document.querySelector('[name=price]').value;");
                assertEquals(0, new BigDecimal(ask).compareTo(new BigDecimal(ticketPrice)), ask + " vs " + ticketPrice);
                assertEquals("buy", js.executeScript("return document.querySelector('[name=side]').value;"));
                assertEquals("limit", js.executeScript("return document.querySelector('[name=type]').value;"));
                assertTrue(text(js, ".ticket-panel .panel-bar", 0).endsWith(symbol), text(js, ".ticket-panel .panel-bar", 0));
                String quantity = lot.multiply(BigDecimal.valueOf(3)).toPlainString();
                type(browser, "quantity", quantity);
                waitFor("the signer", Duration.ofSeconds(5), () -> text(js, "#who", 0).startsWith("0x"));
                browser.findElement(By.id("place")).click();
                waitFor("the order accepted", Duration.ofSeconds(5), () -> text(js, "#status", 0).startsWith("accepted"));
                waitFor("its remainder in open orders", Duration.ofSeconds(5), () -> count(js, "#open-orders .row") == 1);
                assertEquals(grouped(ask, tick.scale()), text(js, "#open-orders .row .price", 0));
                waitFor("the fill of the ask", Duration.ofSeconds(5), () -> count(js, "#fills .row") == 1);
                Secp256k1PrivateKey owner = devKey(js);
                JsonNode open = venue.signedBy(Signer.owner(owner, venue.domain())).openOrders(owner.address());
                assertEquals(1, open.size(), open.toString());
                assertEquals(call.get("instrument").asInt(), open.get(0).get("instrument").asInt(), open.toString());
                assertEquals(0, new BigDecimal(ask).compareTo(new BigDecimal(open.get(0).get("price").asText())));
                screenshot(browser, "options-trade.png");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * The Operator page keeps its figures' recent history and draws it: after a few reads every figure's line has as
     * many points as reads, and a reject made between two reads shows as an increase; a single node lists no members.
     */
    @Test
    void theOperatorPageDrawsAHistoryOfItsFigures(@TempDir Path dir) throws Exception {
        try (Node node = Node.start(NodeConfig.defaults().withDataDirAndPort(dir.resolve("data").toString(), 0))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient venue = new MeridianClient(base);
            venue.devDeposit(1, 0, "1000");
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                browser.get(base + "/#/operator");
                String depth = "#history .spark[data-figure='Engine queue depth']";
                waitFor("a first read", Duration.ofSeconds(5), () -> number(js, "return Number(document.querySelector("
                        + "arguments[0])?.dataset.points ?? 0);", depth) >= 1);
                assertThrows(ApiException.class, () -> venue.cancel(1, 1, 987_654));   // a reject: UNKNOWN_ORDER
                waitFor("three reads", Duration.ofSeconds(10), () -> number(js, "return Number(document.querySelector("
                        + "arguments[0]).dataset.points);", depth) >= 3);
                // Gauges have a point per read; a counter's increase too (0 at the first); a latency only where commands ran.
                assertEquals(0L, number(js, "const p = window.meridian.page; return p.reads - p.history[0].size;"),
                        "a point per read");
                for (String figure : List.of("Engine queue depth", "Engine rejects / read", "Connections")) {
                    String points = (String) js.executeScript("return document.querySelector(\"#history .spark[data-figure='"
                            + figure + "'] polyline\").getAttribute('points');");
                    assertTrue(points.split(" ").length >= 2, figure + ": " + points);
                }
                waitFor("the reject drawn as an increase", Duration.ofSeconds(5), () -> number(js,
                        "return Math.max(...window.meridian.page.history[2].points().map(p => p[1]));") >= 1);
                assertTrue(text(js, "#members", 0).startsWith("not a cluster gateway"), text(js, "#members", 0));
                screenshot(browser, "operator-history.png");
            } finally {
                browser.quit();
            }
        }
    }

    private static long stopOrderId(JsonNode open) {
        for (JsonNode o : open) {
            if (o.get("type").asText().equals("stop_market")) {
                return o.get("orderId").asLong();
            }
        }
        return -1;
    }

    /** A price as the page writes it: thousands grouped, the tick's decimals. */
    private static String grouped(String plain, int decimals) {
        return TerminalBrowserTest.grouped(new BigDecimal(plain).setScale(Math.max(0, decimals), RoundingMode.UNNECESSARY)
                .toPlainString());
    }
}
