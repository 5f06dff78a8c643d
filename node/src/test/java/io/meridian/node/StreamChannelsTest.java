package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.ReadAccess;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.codec.Codes;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket channels besides the book, on real nodes (docs/api.md, "WebSocket"): trades, ticker, liquidations and
 * funding, each stamped with the command's sequence and time; requests with a field they do not take refused; the
 * account stream addressed by address under the same rules as by id; cancel by client order id (by account id, in a
 * session, and signed).
 */
class StreamChannelsTest extends NodeHttpTest {
    private static final long SEED = 20261221L;

    /** Asserts the stamp every stream message carries and returns the message. */
    private static JsonNode stamped(JsonNode message) {
        assertTrue(message.path("sequence").isIntegralNumber() && message.get("sequence").asLong() > 0,
                "sequence: " + message);
        assertTrue(message.path("ts").isIntegralNumber() && message.get("ts").asLong() > 1_600_000_000_000L,
                "ts in milliseconds: " + message);
        return message;
    }

    private static boolean is(JsonNode message, String type) {
        return message.path("type").asText().equals(type);
    }

    @Test
    void tradesTickerAndLiquidationsHaveTheirOwnChannels() throws Exception {
        try (Node node = Node.start(config()); JsonSocket channels = new JsonSocket(http, node.httpPort());
             JsonSocket book = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":9,\"asset\":0,\"amount\":\"10000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":5,\"asset\":0,\"amount\":\"1000\"}");

            channels.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":1,\"id\":11}");
            JsonNode subscribed = stamped(channels.next());
            assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
            assertEquals("trades", subscribed.get("channel").asText());
            assertEquals(1, subscribed.get("instrument").asInt());
            assertEquals(11, subscribed.get("id").asInt());
            channels.send("{\"op\":\"subscribe\",\"channel\":\"ticker\",\"instrument\":1,\"id\":12}");
            assertEquals("ticker", stamped(channels.next()).get("channel").asText());
            JsonNode first = stamped(channels.next());
            assertEquals("ticker", first.get("type").asText(), "the ticker now follows its subscription: " + first);
            assertTrue(first.get("bestBid").isNull() && first.get("bestBidSize").isNull() && first.get("last").isNull(),
                    first.toString());
            assertEquals("50000", first.get("mark").asText(), first.toString());
            assertTrue(first.get("index").isNull(), "an operator-marked perpetual has no index: " + first);
            channels.send("{\"op\":\"subscribe\",\"channel\":\"liquidations\",\"instrument\":1}");
            assertEquals("liquidations", channels.next("subscribed").get("channel").asText());
            book.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}");
            stamped(book.next("snapshot"));

            // Account 5 buys 0.3 BTC at 50,000 with 1,000 USDC; the market maker then bids 46,800 (inside the gap
            // between its liquidation and bankruptcy prices, as WebSocketTest's liquidation).
            postOk("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"sell\",\"price\":\"50000\","
                    + "\"quantity\":\"0.3\"}");
            JsonNode bought = postOk("/v1/orders", "{\"account\":5,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"0.3\",\"timeInForce\":\"ioc\"}");
            JsonNode trade = stamped(channels.next(m -> is(m, "trade")));
            assertEquals("trades", trade.get("channel").asText(), trade.toString());
            assertEquals(bought.get("sequence").asLong(), trade.get("sequence").asLong(), trade.toString());
            assertEquals("50000", trade.get("price").asText());
            assertEquals("0.3", trade.get("quantity").asText());
            assertEquals("buy", trade.get("side").asText(), "the taker's side");
            JsonNode listed = ok("/v1/trades/1?limit=1").get(0);
            assertEquals(listed.get("tradeId").asLong(), trade.get("tradeId").asLong());
            assertEquals(listed.get("timestamp").asLong() / 1_000_000, trade.get("ts").asLong(),
                    "ts is the trade's command time in milliseconds");
            JsonNode bookTrade = stamped(book.next(m -> is(m, "trade")));
            assertFalse(bookTrade.has("channel"), "the book channel's trade, as before: " + bookTrade);
            assertEquals(trade.get("tradeId"), bookTrade.get("tradeId"));

            postOk("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"buy\",\"price\":\"46800\","
                    + "\"quantity\":\"5\"}");
            JsonNode ticker = stamped(channels.next(m -> is(m, "ticker") && m.path("bestBid").asText().equals("46800")));
            assertEquals("5", ticker.get("bestBidSize").asText(), ticker.toString());
            assertTrue(ticker.get("bestAsk").isNull() && ticker.get("bestAskSize").isNull(), ticker.toString());
            assertEquals("50000", ticker.get("last").asText(), ticker.toString());

            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"46850\"}");
            JsonNode liquidation = stamped(channels.next(m -> is(m, "liquidation")));
            assertEquals("liquidations", liquidation.get("channel").asText(), liquidation.toString());
            assertEquals("sell", liquidation.get("side").asText(), "the long is sold");
            assertFalse(liquidation.has("account"), "the liquidated account is not published");
            assertFalse(stamped(book.next(m -> is(m, "liquidation"))).has("channel"));
            assertEquals("46850", stamped(channels.next(m -> is(m, "ticker")
                    && m.path("mark").asText().equals("46850"))).get("mark").asText());

            channels.send("{\"op\":\"unsubscribe\",\"channel\":\"trades\",\"instrument\":1,\"id\":13}");
            JsonNode unsubscribed = channels.next("unsubscribed");
            assertEquals("trades", unsubscribed.get("channel").asText(), unsubscribed.toString());
            assertEquals(13, unsubscribed.get("id").asInt());

            // Thirty commands in a burst, each a better bid: the ticker goes out at most once per 100 ms of command
            // time, and the last one shows the last bid (a change held back goes at the next command or time tick).
            List<JsonNode> tickers = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                postOk("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + (46800 + i)
                        + "\",\"quantity\":\"0.001\"}");
            }
            JsonNode last;
            do {
                last = stamped(channels.next(m -> is(m, "ticker")));
                tickers.add(last);
            } while (!last.get("bestBid").asText().equals("46830"));
            for (int i = 1; i < tickers.size(); i++) {
                assertTrue(tickers.get(i).get("ts").asLong() - tickers.get(i - 1).get("ts").asLong() >= 99,
                        "at most one ticker per 100 ms: " + tickers);
            }
            assertEquals("0.001", last.get("bestBidSize").asText(), last.toString());
            assertEquals(ok("/v1/ticker/1").get("bestBid").asText(), last.get("bestBid").asText());
            JsonNode more = channels.poll(300);
            assertTrue(more == null || !is(more, "trade"), "no trade after the unsubscribe: " + more);
        }
    }

    /** A perpetual priced from an index with a two-second funding interval (FundingHistoryTest's). */
    private NodeConfig fundingConfig() {
        NodeConfig d = NodeConfig.defaults();
        List<NodeConfig.Instrument> instruments = new ArrayList<>(d.operatorMarkedInstruments());
        instruments.add(new NodeConfig.Instrument(3, "BTC-IDX-PERP", "BTC", "USDC", "0.1", "0.001", "50000", 0,
                new NodeConfig.Pricing(null, 2_000_000_000L, 1_000_000_000L, null, 14_400_000L, 14_400_000L, null,
                        null)));
        return new NodeConfig(temp.resolve("funding").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), instruments, d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                NodeConfig.Auth.open(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(0, "BTC-USD", 2, List.of("feed"))), List.of()));
    }

    @Test
    void theFundingChannelHasEachAppliedRateAndThePredictedOne() throws Exception {
        try (Node node = Node.start(fundingConfig()); JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            CompletableResult.submit(node, new Command().oracleReport(0, 0, 5_000_000,
                    System.currentTimeMillis() * 1_000_000L));
            socket.send("{\"op\":\"subscribe\",\"channel\":\"funding\",\"instrument\":1,\"id\":3}");
            JsonNode refused = socket.next();
            assertEquals("error", refused.get("type").asText(), refused.toString());
            assertEquals(Codes.BAD_FIELD, refused.get("code").asInt(), refused.toString());
            assertEquals(3, refused.get("id").asInt(), refused.toString());
            assertTrue(refused.get("message").asText().contains("pays no funding"), refused.toString());

            socket.send("{\"op\":\"subscribe\",\"channel\":\"funding\",\"instrument\":3}");
            assertEquals("funding", stamped(socket.next()).get("channel").asText());
            JsonNode predicted = stamped(socket.next());
            assertEquals("funding", predicted.get("type").asText(), predicted.toString());
            assertEquals("predicted", predicted.get("status").asText(), predicted.toString());
            assertEquals("0.000001", predicted.get("rate").asText(), "the interest part alone: " + predicted);
            JsonNode ticker = ok("/v1/ticker/3");
            assertEquals(ticker.get("nextFundingTime").asLong(), predicted.get("nextFundingTime").asLong(),
                    "the interval's end in milliseconds: " + predicted + " " + ticker);
            assertEquals(0, predicted.get("nextFundingTime").asLong() % 2_000, predicted.toString());

            // The node's time ticks settle funding every two seconds: the applied rate, then the next prediction.
            JsonNode applied = stamped(socket.next(m -> m.path("status").asText().equals("applied")));
            assertEquals("0.000001", applied.get("rate").asText(), applied.toString());
            assertEquals("0", applied.get("averagePremium").asText(), applied.toString());
            assertEquals("0.0144", applied.get("interestRate").asText(), applied.toString());
            assertTrue(applied.get("samples").asInt() >= 1, applied.toString());
            JsonNode listed = ok("/v1/funding/3?limit=1000");
            boolean found = false;
            for (JsonNode f : listed) {
                found |= f.get("sequence").asLong() == applied.get("sequence").asLong()
                        && f.get("rate").asText().equals(applied.get("rate").asText())
                        && f.get("timestamp").asLong() / 1_000_000 == applied.get("ts").asLong();
            }
            assertTrue(found, "the applied rate is the history's: " + applied + " " + listed);
            JsonNode next = stamped(socket.next(m -> m.path("status").asText().equals("predicted")));
            assertTrue(next.get("nextFundingTime").asLong() > predicted.get("nextFundingTime").asLong(),
                    predicted + " then " + next);
            assertEquals(applied.get("sequence").asLong(), next.get("sequence").asLong(),
                    "the new interval's prediction comes from the command that settled the last: " + next);
        }
    }

    /** Submits a command through the node's journal and waits until it is applied. */
    private static final class CompletableResult {
        static void submit(Node node, Command c) throws Exception {
            java.util.concurrent.CompletableFuture<EngineLoop.Result> done = new java.util.concurrent.CompletableFuture<>();
            assertTrue(node.engine().submit(c, done::complete), "queued");
            assertNull(done.get(10, java.util.concurrent.TimeUnit.SECONDS).reject());
        }
    }

    @Test
    void requestsWithAFieldTheyDoNotTakeAreRefused() throws Exception {
        try (Node node = Node.start(config()); JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            String[][] cases = {
                {"{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"price\":\"5\"}",
                    "unknown field price for op subscribe, channel book"},
                {"{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":1,\"depth\":5}",
                    "unknown field depth for op subscribe, channel trades"},
                {"{\"op\":\"subscribe\",\"instrument\":1,\"account\":3}", "unknown field account for op subscribe"},
                {"{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3,\"instrument\":1}",
                    "unknown field instrument for op subscribe, channel account"},
                {"{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3,\"address\":\"0x"
                    + "00".repeat(20) + "\"}", "account or address: one of them"},
                {"{\"op\":\"subscribe\",\"channel\":\"foo\",\"instrument\":1}", "channel: must be book, trades,"},
                {"{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"foo\":1}", "unknown field 'foo'"},
                {"{\"op\":\"unsubscribe\",\"instrument\":1}", "unknown field instrument for op unsubscribe"},
                {"{\"op\":\"order\",\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"1\","
                    + "\"quantity\":\"1\",\"depth\":3}", "unknown field depth for op order"},
                {"{\"op\":\"cancel\",\"account\":1,\"instrument\":1,\"orderId\":5,\"side\":\"buy\"}",
                    "unknown field side for op cancel"},
                {"{\"op\":\"cancel\",\"account\":1,\"instrument\":1,\"orderId\":5,\"clientOrderId\":7}",
                    "orderId or clientOrderId: one of them, not both"},
                {"{\"op\":\"cancel\",\"account\":1,\"instrument\":1}", "orderId or clientOrderId: required"},
                {"{\"op\":\"login\",\"channel\":\"book\",\"validUntil\":1}", "unknown field channel for op login"},
            };
            for (String[] c : cases) {
                socket.send(c[0]);
                JsonNode error = socket.next();
                assertEquals("error", error.get("type").asText(), c[0] + " -> " + error);
                assertEquals(Codes.BAD_FIELD, error.get("code").asInt(), c[0] + " -> " + error);
                assertTrue(error.get("message").asText().contains(c[1]), c[0] + " -> " + error);
            }
            // The connection stays.
            socket.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":5}");
            assertEquals(5, socket.next("snapshot").get("depth").asInt());
        }
    }

    @Test
    void anOrderIsCanceledByItsClientOrderId() throws Exception {
        try (Node node = Node.start(config()); JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            socket.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}");
            assertEquals(1, socket.next("subscribed").get("account").asInt());
            socket.send("{\"op\":\"order\",\"id\":1,\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.01\",\"clientOrderId\":77}");
            long orderId = socket.next("ack").get("orderId").asLong();
            socket.send("{\"op\":\"cancel\",\"id\":2,\"account\":1,\"instrument\":1,\"clientOrderId\":77}");
            JsonNode ack = socket.next(m -> is(m, "ack") || is(m, "reject"));
            assertEquals("ack", ack.get("type").asText(), ack.toString());
            assertEquals(2, ack.get("id").asInt());
            assertEquals(orderId, ack.get("orderId").asLong(), "the order the client order id named: " + ack);
            JsonNode canceled = stamped(socket.next(m -> is(m, "order") && m.path("status").asText().equals("canceled")));
            assertEquals(77, canceled.get("clientOrderId").asInt(), canceled.toString());
            assertEquals(0, ok("/v1/orders?account=1").size());
            socket.send("{\"op\":\"cancel\",\"id\":3,\"account\":1,\"instrument\":1,\"clientOrderId\":77}");
            JsonNode again = socket.next(m -> is(m, "ack") || is(m, "reject"));
            assertEquals("reject", again.get("type").asText(), again.toString());
            assertEquals("UNKNOWN_ORDER", again.get("reason").asText(), again.toString());
        }
    }

    private NodeConfig signedConfig() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("signed").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), unbandedInstruments(d), 1_000, 50_000, NodeConfig.Auth.signed());
    }

    private final AtomicLong nonces = new AtomicLong(System.currentTimeMillis());

    private static String token(Secp256k1PrivateKey owner) {
        long now = System.currentTimeMillis();
        return ReadAccess.signAsOwner(MeridianTypes.devDomain(), owner, now + 60_000, now).text();
    }

    @Test
    void theAccountStreamByAddressAndSignedCancelsByClientOrderId() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        Secp256k1PrivateKey alice = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey bob = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey carol = Secp256k1PrivateKey.random(random);
        String aliceAddress = alice.address().toChecksumHex();
        try (Node node = Node.start(signedConfig()); JsonSocket session = new JsonSocket(http, node.httpPort());
             JsonSocket other = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (Secp256k1PrivateKey owner : new Secp256k1PrivateKey[] {alice, bob}) {
                postOk("/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex()
                        + "\",\"asset\":0,\"amount\":\"100000\"}");
            }
            String byAlice = "{\"op\":\"subscribe\",\"channel\":\"account\",\"address\":\""
                    + aliceAddress.toLowerCase(Locale.ROOT) + "\"";
            // The rules of the stream by id: no login and no token, another's token, an address without an account.
            other.send(byAlice + "}");
            assertEquals(440, other.next().get("code").asInt());
            other.send(byAlice + ",\"token\":\"" + token(bob) + "\"}");
            JsonNode forbidden = other.next();
            assertEquals(443, forbidden.get("code").asInt(), forbidden.toString());
            other.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"address\":\""
                    + carol.address().toChecksumHex() + "\",\"token\":\"" + token(alice) + "\"}");
            assertEquals(forbidden.toString(), other.next().toString(), "one answer for another's and for none");
            other.send(byAlice + ",\"token\":\"" + token(alice) + "\",\"id\":4}");
            JsonNode byToken = stamped(other.next());
            assertEquals("subscribed", byToken.get("type").asText(), byToken.toString());
            assertEquals(aliceAddress, byToken.get("address").asText(), "the address in its checksum form");
            long account = byToken.get("account").asLong();
            assertEquals(account, JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    base + "/v1/accounts/" + aliceAddress)).header("X-Meridian-Read-Token", token(alice)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("account").asLong());

            // A session of Alice's: its stream by address without a token, and a cancel by client order id in it.
            Command login = new Command().reset();
            login.type = CommandType.OPEN_SESSION;
            login.validUntil = System.currentTimeMillis() + 3_600_000L;
            login.nonce = nonces.incrementAndGet();
            SignedCommands.signAsOwner(login, MeridianTypes.devDomain(), alice);
            session.send("{\"op\":\"login\",\"id\":1,\"address\":\"" + aliceAddress + "\",\"nonce\":" + login.nonce
                    + ",\"validUntil\":" + login.validUntil + ",\"signature\":\"" + Hex.encode0x(login.signature) + "\"}");
            assertEquals("ack", session.next().get("type").asText());
            session.send(byAlice + "}");
            assertEquals(account, session.next("subscribed").get("account").asLong());
            session.send("{\"op\":\"order\",\"id\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":5}");
            long five = session.next("ack").get("orderId").asLong();
            session.send("{\"op\":\"cancel\",\"id\":3,\"instrument\":1,\"clientOrderId\":5}");
            JsonNode canceled = session.next(m -> is(m, "ack") || is(m, "reject"));
            assertEquals("ack", canceled.get("type").asText(), canceled.toString());
            assertEquals(five, canceled.get("orderId").asLong(), canceled.toString());

            // Signed on a connection without a session: the Cancel struct with orderId 0 and the client order id.
            session.send("{\"op\":\"order\",\"id\":4,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":6}");
            long six = session.next("ack").get("orderId").asLong();
            Command cancel = new Command().cancel(0, 1, 0);
            cancel.clientOrderId = 6;
            cancel.nonce = nonces.incrementAndGet();
            SignedCommands.signAsOwner(cancel, MeridianTypes.devDomain(), alice);
            other.send("{\"op\":\"cancel\",\"id\":9,\"address\":\"" + aliceAddress + "\",\"nonce\":" + cancel.nonce
                    + ",\"signature\":\"" + Hex.encode0x(cancel.signature) + "\",\"instrument\":1,\"clientOrderId\":6}");
            JsonNode signed = other.next(m -> is(m, "ack") || is(m, "reject") || is(m, "error"));
            assertEquals("ack", signed.get("type").asText(), signed.toString());
            assertEquals(six, signed.get("orderId").asLong(), signed.toString());
            // Both streams saw both orders come and go.
            for (JsonSocket socket : new JsonSocket[] {session, other}) {
                for (long id : new long[] {five, six}) {
                    JsonNode gone = stamped(socket.find(m -> is(m, "order") && m.path("orderId").asLong() == id
                            && m.path("status").asText().equals("canceled")));
                    assertEquals(account, gone.get("account").asLong());
                }
            }
            // A signature over another client order id does not cancel this one.
            Command forged = new Command().cancel(0, 1, 0);
            forged.clientOrderId = 7;
            forged.nonce = nonces.incrementAndGet();
            SignedCommands.signAsOwner(forged, MeridianTypes.devDomain(), alice);
            other.send("{\"op\":\"cancel\",\"id\":10,\"address\":\"" + aliceAddress + "\",\"nonce\":" + forged.nonce
                    + ",\"signature\":\"" + Hex.encode0x(forged.signature) + "\",\"instrument\":1,\"clientOrderId\":6}");
            JsonNode refused = other.next(m -> m.path("id").asInt() == 10);
            assertFalse(is(refused, "ack"), refused.toString());

            other.send("{\"op\":\"unsubscribe\",\"channel\":\"account\",\"address\":\"" + aliceAddress + "\"}");
            JsonNode unsubscribed = other.next("unsubscribed");
            assertEquals(account, unsubscribed.get("account").asLong(), unsubscribed.toString());
        }
    }
}
