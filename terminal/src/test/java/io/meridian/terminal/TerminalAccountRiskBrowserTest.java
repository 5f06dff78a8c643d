package io.meridian.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.model.SystemAccounts;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static io.meridian.terminal.TerminalBrowserTest.browser;
import static io.meridian.terminal.TerminalBrowserTest.count;
import static io.meridian.terminal.TerminalBrowserTest.number;
import static io.meridian.terminal.TerminalBrowserTest.screenshot;
import static io.meridian.terminal.TerminalBrowserTest.text;
import static io.meridian.terminal.TerminalBrowserTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Account and Risk pages' figures that come from the node's history and queues, in a real browser against a real
 * node without a chain (TerminalBrowserTest has the rest of the pages; it starts Chromium the same way): the ADL light
 * of a position as {@code GET /v1/positions} gives it, a withdrawal signed on the page listed beside the form with its
 * settlement said plainly ("no chain"), and the insurance fund's chart starting from the node's history of it, from
 * before the page was opened.
 */
class TerminalAccountRiskBrowserTest {
    private static final ObjectMapperHolder JSON = new ObjectMapperHolder();

    /** Jackson, made once. */
    private static final class ObjectMapperHolder {
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

        JsonNode get(String url) throws Exception {
            return mapper.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    /** A dev-mode node that takes only signed requests, its perpetuals operator-marked (as TerminalBrowserTest's). */
    private static NodeConfig signedNode(Path dir) {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(dir.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536, true,
                d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed());
    }

    @Test
    void theAccountPageShowsTheAdlLightAndTheWithdrawalsSettlement(@TempDir Path dir) throws Exception {
        java.security.SecureRandom random = java.security.SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(2222);
        byte[] ownerKey = new byte[32];
        random.nextBytes(ownerKey);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.of(ownerKey);
        Secp256k1PrivateKey seller = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(signedNode(dir))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient anonymous = new MeridianClient(base);
            anonymous.devDeposit(owner.address(), 0, "10000");
            anonymous.devDeposit(seller.address(), 0, "100000");
            MeridianClient asOwner = anonymous.signedBy(Signer.owner(owner, anonymous.domain()));
            MeridianClient asSeller = anonymous.signedBy(Signer.owner(seller, anonymous.domain()));
            asSeller.place(MeridianClient.Order.limit(0, 1, "sell", "50000", "0.5"));
            asOwner.place(MeridianClient.Order.market(0, 1, "buy", "0.5"));
            anonymous.devMark(1, "50500");
            JsonNode position = asOwner.positions(owner.address()).get(0);
            assertEquals(5, position.get("adlRank").asInt(), "the only long, in profit, heads its queue: " + position);
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                browser.get(base + "/#/market/BTC-PERP");
                js.executeScript("localStorage.setItem('meridian.terminal.devKey', arguments[0]);",
                        "0x" + HexFormat.of().formatHex(ownerKey));
                browser.get(base + "/#/account/BTC-PERP");
                browser.navigate().refresh();
                String cell = "#positions-table tr[data-instrument='1'] td[data-field='%s']";
                waitFor("the position", Duration.ofSeconds(5), () -> count(js, String.format(cell, "adlRank")) == 1);
                assertEquals("●●●●● 5/5", text(js, String.format(cell, "adlRank"), 0), "the API's adlRank 5");

                // A withdrawal to another address signed on the page: listed beside the form, no chain said plainly.
                String destination = "0x00000000000000000000000000000000000000bb";
                browser.findElement(By.id("withdraw-amount")).sendKeys("25");
                browser.findElement(By.id("withdraw-destination")).sendKeys(destination);
                browser.findElement(By.id("withdraw")).click();
                waitFor("the withdrawal accepted", Duration.ofSeconds(5),
                        () -> text(js, "#withdraw-status", 0).startsWith("accepted"));
                String sequence = text(js, "#withdraw-status", 0).replaceAll(".*sequence ", "");
                String row = "#withdrawals-table tr[data-sequence='" + sequence + "'] td[data-field='%s']";
                waitFor("the withdrawal listed", Duration.ofSeconds(5), () -> count(js, String.format(row, "state")) == 1);
                assertEquals("no chain: taken off the balance, not paid out by this venue",
                        text(js, String.format(row, "state"), 0));
                assertEquals("25.000000", text(js, String.format(row, "amount"), 0));
                assertEquals("0x00000000…0000bb", text(js, String.format(row, "destination"), 0));
                assertEquals("", text(js, "#withdrawal-proof", 0), "no proof without a payment");
                screenshot(browser, "account-withdrawals.png");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void theRiskPageDrawsTheFundsHistoryFromBeforeItOpened(@TempDir Path dir) throws Exception {
        try (Node node = Node.start(signedNode(dir))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient venue = new MeridianClient(base);
            venue.devDeposit(SystemAccounts.INSURANCE_FUND, 0, "20000");
            venue.devDeposit(SystemAccounts.INSURANCE_FUND, 0, "5000");
            JsonNode history = JSON.get(base + "/v1/insurance-fund/history?asset=USDC&interval=1m");
            assertEquals(1, history.get("entries").size(), history.toString());
            long openedSeconds = System.currentTimeMillis() / 1000;
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                browser.get(base + "/#/risk/BTC-PERP");
                waitFor("the history drawn", Duration.ofSeconds(5),
                        () -> number(js, "return window.meridian.page.points.length;") >= 1
                                && text(js, "#fund-history-note", 0).contains("history"));
                long first = number(js, "return window.meridian.page.points[0].time;");
                assertEquals(history.get("entries").get(0).get("time").asLong() / 1000, first,
                        "the chart starts at the history's first minute");
                assertTrue(first <= openedSeconds, "from before the page opened");
                assertEquals(25_000, number(js, "return window.meridian.page.points[0].value;"));
                assertTrue(text(js, "#fund-history-note", 0).startsWith("USDC balance: 1 minute(s)"),
                        text(js, "#fund-history-note", 0));
                // The live reads extend it: a deposit now shows as the newest point within a poll or two.
                venue.devDeposit(SystemAccounts.INSURANCE_FUND, 0, "1000");
                waitFor("the live read", Duration.ofSeconds(12), () -> number(js,
                        "const p = window.meridian.page.points; return p[p.length - 1].value;") == 26_000);
                assertTrue(number(js, "return document.querySelectorAll('#fund-chart canvas').length;") > 0, "drawn");
                screenshot(browser, "risk-history.png");
            } finally {
                browser.quit();
            }
        }
    }
}
