package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Option expiry and settlement on the WebSocket streams, on a node whose clock the test sets (the engine's time is an
 * input, so the settlement window passes at once). Two accounts trade a call of the first expiry and a put of the
 * second; the index moves inside the first window, so the first settlement price is a true time-weighted average; the
 * index is left unrefreshed through the second window, so that option expires without a price and settles later, at
 * the average of the next window that has enough samples. The instrument streams get {@code expiry} and
 * {@code settlement}; each account's stream its own {@code settlement}, then its {@code balance} and a
 * {@code position} of size 0.
 */
class OptionStreamsTest extends NodeHttpTest {
    private static final Instant FIRST = Instant.parse("2030-03-01T08:00:00Z");
    private static final Instant SECOND = Instant.parse("2030-03-01T10:00:00Z");
    private static final long SECOND_NANOS = 1_000_000_000L;
    /** Series ids of the chain (one strike, 50,000): the call and put of the first expiry, then of the second. */
    private static final int CALL = 100;
    private static final int PUT = 101;
    private static final int LATE_PUT = 103;

    /** The node's time, epoch nanoseconds; commands are stamped with it. */
    private final AtomicLong clock = new AtomicLong();
    private final TextFrames listener = new TextFrames();
    /** Every frame read so far, in arrival order, for checks on the order of messages. */
    private final List<JsonNode> seen = new ArrayList<>();
    /** The frames {@link #await} has returned (by identity): each is returned once. */
    private final Set<JsonNode> taken = Collections.newSetFromMap(new IdentityHashMap<>());

    private static long nanos(Instant at) {
        return at.getEpochSecond() * SECOND_NANOS + at.getNano();
    }

    private NodeConfig optionsConfig() {
        NodeConfig d = config();
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                true, d.assets(), d.operatorMarkedInstruments(),
                d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("feed-a", "feed-b", "feed-c"))),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1",
                                List.of(FIRST.toString(), SECOND.toString()), List.of("50000"), null, null, null,
                                CALL))));
    }

    /**
     * The first frame not returned before that {@code wanted} accepts: one already read while waiting for another, else
     * the next to arrive (the frames read meanwhile are kept in {@link #seen}).
     */
    private JsonNode await(String what, Predicate<JsonNode> wanted) throws Exception {
        for (JsonNode node : seen) {
            if (!taken.contains(node) && wanted.test(node)) {
                taken.add(node);
                return node;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String frame = listener.frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null) {
                JsonNode node = JSON.readTree(frame);
                seen.add(node);
                if (wanted.test(node)) {
                    taken.add(node);
                    return node;
                }
            }
        }
        return fail("no " + what + " within 10 s; frames: " + seen);
    }

    private static Predicate<JsonNode> is(String type, String field, long value) {
        return n -> n.path("type").asText().equals(type) && n.path(field).asLong() == value;
    }

    /** The frames seen of account {@code account} from the command {@code sequence}, by type. */
    private List<String> privateTypes(long account, long sequence) {
        return seen.stream().filter(n -> n.path("account").asLong() == account && n.path("sequence").asLong() == sequence)
                .map(n -> n.get("type").asText()).toList();
    }

    /** The frames seen of account {@code account} of {@code type} from the command {@code sequence}. */
    private JsonNode privateFrame(long account, long sequence, String type) {
        return seen.stream().filter(n -> n.path("account").asLong() == account && n.path("sequence").asLong() == sequence
                && n.path("type").asText().equals(type)).findFirst().orElseGet(() -> fail(type + " of " + account));
    }

    private long report(int source, String price) throws Exception {
        return postOk("/v1/dev/oracle", "{\"index\":1,\"source\":" + source + ",\"price\":\"" + price + "\"}")
                .get("sequence").asLong();
    }

    private BigDecimal balance(long account) throws Exception {
        return new BigDecimal(ok("/v1/balances?account=" + account).get(0).get("balance").asText());
    }

    @Test
    void expiryAndSettlementReachTheInstrumentAndAccountStreams() throws Exception {
        long first = nanos(FIRST);
        long second = nanos(SECOND);
        clock.set(first - 16 * 60 * SECOND_NANOS);
        try (Node node = Node.start(optionsConfig(), failure -> { }, clock::get)) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (int source = 0; source < 3; source++) {
                report(source, "50000");
            }
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            // Account 1 buys 0.5 BTC of each option from account 2: the call at 20, the late put at 300 (no price band).
            for (String[] trade : new String[][] {{"" + CALL, "20"}, {"" + LATE_PUT, "300"}}) {
                postOk("/v1/orders", "{\"account\":2,\"instrument\":" + trade[0] + ",\"side\":\"sell\",\"price\":\""
                        + trade[1] + "\",\"quantity\":\"0.5\"}");
                JsonNode bought = postOk("/v1/orders", "{\"account\":1,\"instrument\":" + trade[0]
                        + ",\"side\":\"buy\",\"price\":\"" + trade[1] + "\",\"quantity\":\"0.5\"}");
                assertEquals("0.5", bought.get("filledQuantity").asText(), bought.toString());
            }

            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), listener).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}", true).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":2}", true).join();
            for (int instrument : new int[] {CALL, PUT, LATE_PUT}) {
                socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument + "}", true)
                        .join();
            }
            // Subscriptions are registered on the engine thread in the order sent: the last snapshot means all are.
            await("the last snapshot", is("snapshot", "instrument", LATE_PUT));

            // Every minute from 16 minutes before the first expiry, the three sources report (each report counts for
            // the index's 60 s staleness limit): 50,000 until 8 minutes before, then 51,000. The breaker (0.5%/s) lets
            // the index follow a round later: 50,000 for 9 minutes, 51,000 for 7. The expiry command is the next one.
            for (int minute = 16; minute >= 1; minute--) {
                clock.set(first - minute * 60 * SECOND_NANOS);
                for (int source = 0; source < 3; source++) {
                    report(source, minute > 8 ? "50000" : "51000");
                }
            }
            BigDecimal before1 = balance(1);
            BigDecimal before2 = balance(2);
            clock.set(first);
            report(2, "51000");

            // 16 one-minute samples covering 16 of the window's 30 minutes (half is enough, and at least three):
            // (50,000 x 9 + 51,000 x 7) / 16 = 50,437.5.
            assertEquals(50_437.5, (50_000 * 9 + 51_000 * 7) / 16.0);
            JsonNode expired = await("the call's expiry", is("expiry", "instrument", CALL));
            assertEquals("{\"type\":\"expiry\",\"instrument\":100,\"expiry\":" + first / 1_000_000 + ",\"expiryNanos\":\""
                    + first + "\"}", plain(expired));
            JsonNode settled = await("the call's settlement", is("settlement", "instrument", CALL));
            assertEquals("{\"type\":\"settlement\",\"instrument\":100,\"settlementPrice\":\"50437.5\","
                    + "\"intrinsicValue\":\"437.5\",\"openInterest\":\"0.5\",\"samples\":16}", plain(settled));
            // The put of the same expiry, held by nobody, settles out of the money at the same price.
            assertEquals("{\"type\":\"expiry\",\"instrument\":101,\"expiry\":" + first / 1_000_000 + ",\"expiryNanos\":\""
                    + first + "\"}", plain(await("the put's expiry", is("expiry", "instrument", PUT))));
            assertEquals("{\"type\":\"settlement\",\"instrument\":101,\"settlementPrice\":\"50437.5\","
                    + "\"intrinsicValue\":\"0\",\"openInterest\":\"0\",\"samples\":16}",
                    plain(await("the put's settlement", is("settlement", "instrument", PUT))));

            // Series by series, as the engine expires and settles them in one command: expiry, then settlement.
            assertEquals(List.of("expiry 100", "settlement 100", "expiry 101", "settlement 101"), seen.stream()
                    .filter(n -> !n.has("account") && n.get("type").asText().matches("expiry|settlement"))
                    .map(n -> n.get("type").asText() + " " + n.get("instrument").asInt()).toList());

            // Each holder: settlement value = intrinsic x size = 437.5 x 0.5 = 218.75 USDC, paid by the short to the long;
            // amount = value less the cost basis (the premium, 20 x 0.5 = 10), so +208.75 for the long, -208.75 for the
            // short.
            JsonNode long1 = await("account 1's settlement", is("settlement", "account", 1));
            long sequence = long1.get("sequence").asLong();
            assertEquals("{\"type\":\"settlement\",\"sequence\":" + sequence + ",\"account\":1,\"instrument\":100,"
                    + "\"position\":\"0.5\",\"settlementPrice\":\"50437.5\",\"settlementValue\":\"218.750000\","
                    + "\"amount\":\"208.750000\",\"settle\":\"USDC\"}", plain(long1));
            JsonNode short2 = await("account 2's settlement", is("settlement", "account", 2));
            assertEquals("{\"type\":\"settlement\",\"sequence\":" + sequence + ",\"account\":2,\"instrument\":100,"
                    + "\"position\":\"-0.5\",\"settlementPrice\":\"50437.5\",\"settlementValue\":\"-218.750000\","
                    + "\"amount\":\"-208.750000\",\"settle\":\"USDC\"}", plain(short2));
            // Then, from the same command, each account's balance (credited exactly the amount) and its position, gone.
            await("account 2's position", is("position", "account", 2));
            for (long account : new long[] {1, 2}) {
                assertEquals(List.of("settlement", "balance", "position"), privateTypes(account, sequence),
                        "account " + account + ": " + seen);
                BigDecimal before = account == 1 ? before1 : before2;
                BigDecimal amount = new BigDecimal(account == 1 ? "208.75" : "-208.75");
                assertEquals(0, before.add(amount).compareTo(new BigDecimal(privateFrame(account, sequence, "balance")
                        .get("balance").asText())), "account " + account + " from " + before);
                assertEquals("{\"type\":\"position\",\"sequence\":" + sequence + ",\"account\":" + account
                        + ",\"instrument\":100,\"size\":\"0\",\"liquidationPrice\":null}",
                        plain(privateFrame(account, sequence, "position")));
            }
            assertEquals(0, ok("/v1/positions?account=1&instrument=" + CALL).size());

            // The second expiry: nobody refreshed the index for two hours, so its window holds no usable sample. The
            // put expires without a price and does not settle on the first usable index after it: it waits for the
            // next window, [E, E + 30m), to end with enough samples (a round every minute for its first 16 minutes).
            BigDecimal late1 = balance(1);
            clock.set(second);
            report(0, "49000");
            assertEquals("{\"type\":\"expiry\",\"instrument\":103,\"expiry\":" + second / 1_000_000 + ",\"expiryNanos\":\""
                    + second + "\"}", plain(await("the late put's expiry", is("expiry", "instrument", LATE_PUT))));
            for (int minute = 0; minute < 16; minute++) {
                clock.set(second + minute * 60 * SECOND_NANOS);
                for (int source = minute == 0 ? 1 : 0; source < 3; source++) {
                    report(source, "49000");
                }
            }
            assertTrue(seen.stream().noneMatch(n -> n.path("type").asText().equals("settlement")
                    && n.path("instrument").asInt() == LATE_PUT), "no settlement on the first usable prints");
            clock.set(second + 30 * 60 * SECOND_NANOS);
            long usable = report(0, "49000");
            assertEquals("{\"type\":\"settlement\",\"instrument\":103,\"settlementPrice\":\"49000\","
                    + "\"intrinsicValue\":\"1000\",\"openInterest\":\"0.5\",\"samples\":16}",
                    plain(await("the late put's settlement", is("settlement", "instrument", LATE_PUT))));
            // 1,000 x 0.5 = 500 USDC less the 150 premium; settled by the first command after the next window's end.
            JsonNode late = await("account 1's late settlement", is("settlement", "account", 1));
            assertEquals("{\"type\":\"settlement\",\"sequence\":" + usable + ",\"account\":1,\"instrument\":103,"
                    + "\"position\":\"0.5\",\"settlementPrice\":\"49000\",\"settlementValue\":\"500.000000\","
                    + "\"amount\":\"350.000000\",\"settle\":\"USDC\"}", plain(late));
            JsonNode lateBalance = await("account 1's balance after it", n -> n.path("type").asText().equals("balance")
                    && n.path("account").asLong() == 1 && n.path("sequence").asLong() == usable);
            assertEquals(0, late1.add(new BigDecimal("350")).compareTo(new BigDecimal(lateBalance.get("balance").asText())),
                    lateBalance.toString());
            assertNotNull(await("account 2's late settlement", n -> n.path("type").asText().equals("settlement")
                    && n.path("account").asLong() == 2 && n.path("amount").asText().equals("-350.000000")));
            socket.abort();
        }
    }

    /**
     * The message as it was before every message was stamped: without {@code ts} (checked: the command's time in
     * milliseconds, a number), and for a public message without {@code sequence} (checked: positive).
     */
    private static String plain(JsonNode message) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = message.deepCopy();
        assertTrue(copy.path("ts").isIntegralNumber() && copy.get("ts").asLong() > 1_600_000_000_000L,
                message.toString());
        copy.remove("ts");
        if (!copy.has("account")) {
            assertTrue(copy.path("sequence").asLong() > 0, message.toString());
            copy.remove("sequence");
        }
        return copy.toString();
    }
}
