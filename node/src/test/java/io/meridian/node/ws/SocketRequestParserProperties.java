package io.meridian.node.ws;

import io.meridian.node.codec.Json;
import io.meridian.node.codec.RequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link SocketRequestParser} against Jackson's mapping as the gateway configures it ({@link Json}: strict scalars,
 * edge decimals): on messages built from the request grammar with near misses (unknown and repeated fields, escapes,
 * control characters, signs, exponents, leading zeros, numbers where strings go and back, truncation, trailing text),
 * whatever the fast reader accepts, Jackson reads to an equal record; what it declines goes to Jackson anyway. Fixed
 * seeds, so a run is repeatable; change them to explore.
 */
class SocketRequestParserProperties {
    private static final String[] NAMES = {"op", "id", "channel", "instrument", "depth", "account", "side", "type",
        "price", "quantity", "timeInForce", "clientOrderId", "postOnly", "reduceOnly", "orderId", "address", "nonce",
        "signature", "agentKey", "validUntil", "triggerPrice", "triggerSource", "displayQuantity", "expireTime",
        "selfTradePrevention", "unknown", "Price", "op "};
    /** How many of {@link #NAMES} are real fields. */
    private static final int FIELDS = 25;

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.of("\"order\"", "\"buy\"", "\"sell\"", "\"limit\"", "\"ioc\"", "\"\"", "\"a\\\"b\"",
                        "\"\\u0041\"", "\"tab\there\"", "\"é\"", "\"del\u007f\"", "\"nul\\u0000\"", "null", "true",
                        "false", "nul", "tru"),
                Arbitraries.of("\"50000.1\"", "\"0.001\"", "\"1\"", "\"00.5\"", "\"-1.5\"", "\"1e3\"", "\"1.\"", "\".5\"",
                        "\" 1.5\"", "\"1.5 \"", "\"12345678901234567890123456789.5\"", "50000.1", "7.0", "1e2"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.longs().between(0, 5).map(v -> "0" + v),
                Arbitraries.of("2147483647", "2147483648", "999999999", "1000000000", "9223372036854775807",
                        "9223372036854775808", "123456789012345678", "1234567890123456789", "-0", "+1", "1.5", "1e5",
                        "\"12\"", "[1]", "{}"),
                // Client order id texts: a UUID, the allowed punctuation, a space, one too long, a plain number.
                Arbitraries.of("\"550e8400-e29b-41d4-a716-446655440000\"", "\"a.b_c:d/e-f\"", "\"a b\"",
                        "\"" + "x".repeat(37) + "\"", "\"x\"", "\"77\"", "\"0\"", "\"slide\"", "\"reject\""));
    }

    /** A field with a value of its own type (edge values included), as clients send them. */
    @Provide
    Arbitrary<String> typedPairs() {
        Arbitrary<String> strings = Arbitraries.of("\"order\"", "\"buy\"", "\"sell\"", "\"limit\"", "\"ioc\"",
                "\"\"", "\"0xabc\"", "\"é\"", "null");
        Arbitrary<String> longs = Arbitraries.oneOf(Arbitraries.longs().between(0, 999_999_999_999_999_999L)
                .map(String::valueOf), Arbitraries.of("0", "null", "123456789012345678"));
        Arbitrary<String> ints = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999).map(String::valueOf),
                Arbitraries.of("0", "null"));
        Arbitrary<String> decimals = Arbitraries.oneOf(net.jqwik.api.Combinators.combine(
                Arbitraries.longs().between(0, 10_000_000_000L), Arbitraries.integers().between(0, 9))
                .as((u, sc) -> "\"" + java.math.BigDecimal.valueOf(u, sc).toPlainString() + "\""),
                Arbitraries.of("null", "\"0\"", "\"007.50\""));
        Arbitrary<String> booleans = Arbitraries.of("true", "false", "null");
        Arbitrary<String> clientOrderIds = Arbitraries.oneOf(longs, Arbitraries.of("\"550e8400-e29b-41d4-a716-44665544\"",
                "\"order:1/a_b.c-d\"", "\"7\"", "\"007\"", "\"\"", "\"a b\"", "\"" + "y".repeat(36) + "\"",
                "\"" + "y".repeat(37) + "\""));
        Arbitrary<String> flagsOrNames = Arbitraries.of("true", "false", "null", "\"reject\"", "\"slide\"",
                "\"none\"", "1");
        return Arbitraries.of(java.util.Arrays.copyOf(NAMES, FIELDS)).flatMap(name -> {
            Arbitrary<String> value = switch (name) {
                case "id", "account", "orderId", "nonce", "validUntil", "expireTime" -> longs;
                case "clientOrderId" -> clientOrderIds;
                case "instrument", "depth" -> ints;
                case "price", "quantity", "triggerPrice", "displayQuantity" -> decimals;
                case "postOnly" -> flagsOrNames;
                case "reduceOnly" -> booleans;
                default -> strings;
            };
            return value.map(v -> "\"" + name + "\":" + v);
        });
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> wild = net.jqwik.api.Combinators.combine(Arbitraries.of(NAMES), values(),
                Arbitraries.of("", " ", "\n\t")).as((name, value, space) -> space + "\"" + name + "\"" + space + ":"
                + space + value + space);
        Arbitrary<String> pair = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, typedPairs()),
                net.jqwik.api.Tuple.of(1, wild));
        return pair.list().ofMaxSize(8).flatMap(pairs -> Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, "{" + String.join(",", pairs) + "}"),
                net.jqwik.api.Tuple.of(2, " {" + String.join(",", pairs) + "} "),
                net.jqwik.api.Tuple.of(1, "{" + String.join(",", pairs) + "},"),
                net.jqwik.api.Tuple.of(1, "{" + String.join(",", pairs) + "}x"),
                net.jqwik.api.Tuple.of(1, "{" + String.join(",", pairs) + ",}"),
                net.jqwik.api.Tuple.of(1, "{" + String.join(",", pairs)),
                net.jqwik.api.Tuple.of(1, "[" + String.join(",", pairs) + "]")));
    }

    @Property(tries = 5000, seed = "20261125")
    void whatItAcceptsJacksonReadsTheSameAndItAcceptsMany(@ForAll("messages") String text) {
        SocketRequest fast = SocketRequestParser.parse(text);
        Statistics.collect(fast != null ? "accepted" : "declined");
        // Not vacuous: a good share of the generated messages take the fast path.
        Statistics.coverage(coverage -> coverage.check("accepted").percentage(p -> p > 10));
        whatItAcceptsJacksonReadsTheSame(text);
    }

    private static void whatItAcceptsJacksonReadsTheSame(String text) {
        SocketRequest fast = SocketRequestParser.parse(text);
        if (fast == null) {
            return;
        }
        SocketRequest jackson;
        try {
            jackson = Json.parse(text, SocketRequest.class);
        } catch (RequestException e) {
            throw new AssertionError("accepted what the edge's Jackson refuses: " + text + " (" + e.getMessage() + ")");
        }
        assertEquals(jackson, fast, text);
    }

    @Property(tries = 2000, seed = "20261126")
    void truncationsAndBitFlipsNeverAcceptWhatJacksonRefuses(@ForAll("messages") String text,
                                                              @ForAll("cuts") int cut, @ForAll char replacement) {
        String broken = text.isEmpty() ? text : text.substring(0, Math.floorMod(cut, text.length())) + replacement
                + text.substring(Math.floorMod(cut, text.length()) + 1);
        whatItAcceptsJacksonReadsTheSame(broken);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 400);
    }

    @Example
    void readsTheOrderMessagesClientsSend() {
        List<String> common = new ArrayList<>(List.of(
                "{\"op\":\"order\",\"id\":17,\"instrument\":1,\"side\":\"buy\",\"price\":\"49998.0\","
                        + "\"quantity\":\"0.005\"}",
                "{\"op\":\"order\",\"id\":18,\"account\":3,\"instrument\":1,\"side\":\"sell\",\"price\":\"50002\","
                        + "\"quantity\":\"0.012\",\"timeInForce\":\"ioc\"}",
                "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"type\":\"limit\",\"quantity\":\"0.01\","
                        + "\"price\":\"49999.5\",\"timeInForce\":\"gtc\",\"clientOrderId\":7,\"op\":\"order\",\"id\":2}",
                "{\"op\":\"cancel\",\"id\":9,\"instrument\":1,\"orderId\":123456}",
                "{ \"op\" : \"order\" , \"postOnly\" : true , \"reduceOnly\" : false , \"address\" : null }",
                "{\"op\":\"order\",\"instrument\":1,\"side\":\"sell\",\"type\":\"stop_limit\",\"price\":\"49000\","
                        + "\"triggerPrice\":\"49500\",\"triggerSource\":\"mark\",\"quantity\":\"0.01\","
                        + "\"clientOrderId\":\"550e8400-e29b-41d4-a716-446655440000\",\"postOnly\":\"slide\"}",
                "{\"op\":\"order\",\"instrument\":1,\"side\":\"buy\",\"price\":\"49000\",\"quantity\":\"1\","
                        + "\"displayQuantity\":\"0.1\",\"timeInForce\":\"gtd\",\"expireTime\":1767225600000,"
                        + "\"selfTradePrevention\":\"expire_maker\"}",
                "{\"op\":\"cancel\",\"id\":9,\"instrument\":1,\"clientOrderId\":\"a/b:c\"}"));
        for (String text : common) {
            SocketRequest fast = SocketRequestParser.parse(text);
            assertNotNull(fast, text);
            whatItAcceptsJacksonReadsTheSame(text);
        }
        assertNull(SocketRequestParser.parse("{\"op\":\"order\",\"price\":50000.5}"));
        assertNull(SocketRequestParser.parse("{\"op\":\"order\",\"op\":\"order\"}"));
        assertNull(SocketRequestParser.parse("{\"op\":\"order\",\"colour\":\"red\"}"));
        // A text that is not a client order id goes to Jackson, which names the rule.
        assertNull(SocketRequestParser.parse("{\"op\":\"cancel\",\"clientOrderId\":\"a b\"}"));
        assertEquals(new io.meridian.node.codec.ClientOrderId(io.meridian.auth.ClientOrderIds.key("a/b:c"), "a/b:c"),
                SocketRequestParser.parse("{\"op\":\"cancel\",\"clientOrderId\":\"a/b:c\"}").clientOrderId());
    }
}
