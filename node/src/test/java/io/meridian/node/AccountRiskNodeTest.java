package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Command;
import io.meridian.model.SystemAccounts;
import io.meridian.node.history.InsuranceFundHistory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the terminal's Account and Risk pages read, on a real node: the ADL indicator of positions (and that ADL then
 * takes the position it shows first), the insurance fund's history (a liquidation paying in and one drawing on it, a
 * restart, the memory bound) and the withdrawals list without a chain (SettlementNodeTest has it with one).
 */
class AccountRiskNodeTest extends NodeHttpTest {
    private void deposit(long account, String amount) throws Exception {
        postOk("/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"" + amount + "\"}");
    }

    private void order(long account, String side, String price, String quantity, boolean ioc) throws Exception {
        JsonNode ack = postOk("/v1/orders", "{\"account\":" + account + ",\"instrument\":1,\"side\":\"" + side
                + "\",\"price\":\"" + price + "\",\"quantity\":\"" + quantity + "\""
                + (ioc ? ",\"timeInForce\":\"ioc\"" : "") + "}");
        assertTrue(!ack.has("reject"), ack.toString());
    }

    private void mark(String price) throws Exception {
        postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"" + price + "\"}");
    }

    /** The account's position in BTC-PERP (instrument 1); it must have one. */
    private JsonNode position(long account) throws Exception {
        JsonNode list = ok("/v1/positions?account=" + account + "&instrument=1");
        assertEquals(1, list.size(), "account " + account + ": " + list);
        return list.get(0);
    }

    /**
     * Three shorts against a long that will fail: 7 in profit on little equity (the most leveraged winner), 9 in the
     * same profit on a deep balance, 8 short from lower down and losing. 7 shows 5, the loser the lowest light, and
     * when the long is liquidated with no bids and an empty fund, ADL closes 7 (and only 7: the lots match).
     */
    @Test
    void theMostProfitableMostLeveragedShortShowsFiveAndIsDeleveragedFirst() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            deposit(6, "1000");
            deposit(7, "1500");
            deposit(9, "10000000");
            deposit(5, "100000");
            deposit(8, "100000");
            order(7, "sell", "50000", "0.3", false);
            order(6, "buy", "50000", "0.3", true);
            order(9, "sell", "50000", "0.3", false);
            order(5, "buy", "50000", "0.3", true);
            order(8, "sell", "45000", "0.3", false);
            order(5, "buy", "45000", "0.3", true);
            mark("49000");

            int seven = position(7).get("adlRank").asInt();
            int nine = position(9).get("adlRank").asInt();
            int eight = position(8).get("adlRank").asInt();
            assertEquals(5, seven, "the most profitable, most leveraged short is first in the queue");
            assertTrue(nine < seven && eight < nine, "9 (same profit, low leverage) then 8 (losing): " + nine + ", "
                    + eight);
            assertTrue(eight >= 1, "a losing position is still a candidate (deleveraged last), not 0: " + eight);
            assertEquals(5, position(5).get("adlRank").asInt(), "5 is the winning long side's head");
            assertTrue(position(6).get("adlRank").asInt() < 5, "6, the losing long, ranks below 5");

            // 6 fails with no bids and an empty fund (floor 0): ADL takes the short ranked first, 7, for all 0.3.
            mark("46850");
            assertEquals(0, ok("/v1/positions?account=6").size(), "6 was closed");
            assertEquals(0, ok("/v1/positions?account=7").size(), "7 took all of it: " + ok("/v1/fills?account=7"));
            assertEquals("adl", ok("/v1/fills?account=7").get(0).get("via").asText());
            assertEquals("-0.3", position(9).get("size").asText(), "9 was not touched");
            assertEquals("-0.3", position(8).get("size").asText(), "8 was not touched");
            // A figure is reused for up to a second while commands flow (the bound on the engine's ranking work);
            // past it the queue is ranked again: 9 now heads the shorts.
            Thread.sleep(1_100);
            assertEquals(5, position(9).get("adlRank").asInt(), "9 now heads the shorts' queue");
        }
    }

    private JsonNode fundHistory(String query) throws Exception {
        JsonNode answer = ok("/v1/insurance-fund/history?asset=USDC" + query);
        assertEquals("USDC", answer.get("asset").asText());
        return answer.get("entries");
    }

    /** Submits through the node's journal and waits for it; it must not be refused. */
    private static void submit(Node node, Command c) throws Exception {
        CompletableFuture<EngineLoop.Result> done = new CompletableFuture<>();
        assertTrue(node.engine().submit(c, done::complete), "queued");
        assertNull(done.get(10, TimeUnit.SECONDS).reject(), c.type + " refused");
    }

    /**
     * The fund's history: an operator's deposit, a liquidation on the book paying its fee in, a takeover whose unwind
     * at a loss draws on it; the same after a restart; and no more than 1,000 entries per series however many changes.
     */
    @Test
    void theInsuranceFundsHistoryShowsLiquidationsSurvivesARestartAndIsBounded() throws Exception {
        List<String> before = new ArrayList<>();
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(0, fundHistory("").size(), "no entries before the fund moves");
            deposit(SystemAccounts.INSURANCE_FUND, "10000");
            deposit(9, "10000000");
            deposit(5, "1000");
            deposit(6, "1000");
            // 5: long 0.3 at 50,000 on 1,000 (liquidation near 46,870, bankruptcy near 46,692); a bid at 46,800
            // inside that gap takes the liquidation on the book, whose fee goes to the fund.
            order(9, "sell", "50000", "0.3", false);
            order(5, "buy", "50000", "0.3", true);
            order(9, "buy", "46800", "0.3", false);
            mark("46850");
            JsonNode changes = fundHistory("&interval=change");
            assertEquals(2, changes.size(), changes.toString());
            assertEquals(0, new BigDecimal("10000").compareTo(new BigDecimal(changes.get(0).get("net").asText())));
            BigDecimal fee = new BigDecimal(changes.get(1).get("net").asText());
            assertTrue(fee.signum() > 0, "the liquidation paid into the fund: " + changes);
            assertEquals(0, new BigDecimal("10000").add(fee).compareTo(new BigDecimal(changes.get(1).get("balance").asText())));

            // 6: long 0.3 at 50,000; the mark gaps below its bankruptcy with no bids: the fund takes it over. Then a
            // bid within the unwind band, and the next mark change unwinds part of it at a loss: a draw on the fund.
            ok("/v1/orders?account=9");
            delete("/v1/orders?account=9");
            mark("50000");
            order(9, "sell", "50000", "0.3", false);
            order(6, "buy", "50000", "0.3", true);
            mark("46000");
            order(9, "buy", "45900", "1", false);
            mark("46001");
            changes = fundHistory("&interval=change");
            boolean drew = false;
            for (JsonNode c : changes) {
                drew |= new BigDecimal(c.get("net").asText()).signum() < 0;
            }
            assertTrue(drew, "the unwind at a loss drew on the fund: " + changes);
            String balance = ok("/v1/insurance-fund").get("assets").get(0).get("balance").asText();
            assertEquals(balance, changes.get(changes.size() - 1).get("balance").asText(),
                    "the newest entry is the fund's balance now");
            JsonNode minutes = fundHistory("");
            long counted = 0;
            for (JsonNode m : minutes) {
                counted += m.get("changes").asLong();
            }
            assertEquals(changes.size(), counted, "the 1m buckets hold every change: " + minutes);
            for (String interval : new String[] {"change", "1m", "1h"}) {
                before.add(fundHistory("&interval=" + interval).toString());
            }
        }
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            List<String> after = new ArrayList<>();
            for (String interval : new String[] {"change", "1m", "1h"}) {
                after.add(fundHistory("&interval=" + interval).toString());
            }
            assertEquals(before, after, "rebuilt from the journal at the restart");

            int more = InsuranceFundHistory.PER_SERIES + 200;
            for (int i = 0; i < more; i++) {
                submit(node, new Command().deposit(SystemAccounts.INSURANCE_FUND, 0, 1_000 + i));
            }
            JsonNode changes = fundHistory("&interval=change&limit=1000");
            assertEquals(InsuranceFundHistory.PER_SERIES, changes.size(), "the newest 1,000 changes only");
            assertEquals("0.002199", changes.get(changes.size() - 1).get("net").asText(),
                    "the last deposit is the newest entry");
            String balance = ok("/v1/insurance-fund").get("assets").get(0).get("balance").asText();
            assertEquals(balance, changes.get(changes.size() - 1).get("balance").asText());
            assertTrue(fundHistory("&interval=1m&limit=1000").size() <= InsuranceFundHistory.PER_SERIES);
            assertError(get("/v1/insurance-fund/history?asset=USDC&limit=1001"), 400, "limit");
            assertError(get("/v1/insurance-fund/history?asset=DOGE"), 400, "no asset");
            assertError(get("/v1/insurance-fund/history"), 400, "asset: required");
            assertError(get("/v1/insurance-fund/history?asset=USDC&interval=1d"), 400, "interval");
        }
    }

    /** Without a chain, a withdrawal is listed with its destination and says plainly that no chain settles it. */
    @Test
    void withdrawalsAreListedNewestFirstWithNoChainAndSurviveARestart() throws Exception {
        String destination = "0x00000000000000000000000000000000000000aa";
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(0, ok("/v1/withdrawals?account=2").size());
            deposit(2, "100");
            postOk("/v1/withdrawals", "{\"account\":2,\"asset\":0,\"amount\":\"1.5\"}");
            JsonNode second = postOk("/v1/withdrawals", "{\"account\":2,\"asset\":0,\"amount\":\"2\",\"destination\":\""
                    + destination + "\"}");
            assertEquals(422, post("/v1/withdrawals", "{\"account\":2,\"asset\":0,\"amount\":\"1000\"}").statusCode(),
                    "a refused withdrawal is not listed");
            JsonNode list = ok("/v1/withdrawals?account=2");
            assertEquals(2, list.size(), list.toString());
            JsonNode newest = list.get(0);
            assertEquals(second.get("sequence").asLong(), newest.get("sequence").asLong());
            assertEquals("USDC", newest.get("asset").asText());
            assertEquals(0, new BigDecimal("2").compareTo(new BigDecimal(newest.get("amount").asText())));
            assertEquals(destination, newest.get("destination").asText());
            assertEquals("no_chain", newest.get("status").asText());
            assertTrue(newest.get("batchId").isNull() && newest.get("txHash").isNull(), newest.toString());
            assertTrue(list.get(1).get("destination").isNull(), "the owner's own: " + list);
            assertEquals(1, ok("/v1/withdrawals?account=2&limit=1").size());
            assertEquals(0, ok("/v1/withdrawals?account=3").size());
            assertError(get("/v1/withdrawals?account=2&limit=0"), 400, "limit");
            assertError(get("/v1/withdrawals?account=x"), 400, "account");
        }
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(2, ok("/v1/withdrawals?account=2").size(), "rebuilt from the journal");
        }
    }

    /** In auth mode signed the list is private, as the other account reads: no token, 401; a token, the owner's. */
    @Test
    void withdrawalsAreAPrivateRead() throws Exception {
        try (Node node = Node.start(signedConfig(100))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertError(get("/v1/withdrawals?account=1"), 401, "read token");
        }
    }
}
