package io.meridian.node;

import io.meridian.node.codec.Decimals;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.RejectReason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The WebSocket answers written by {@link SocketOutbox} and {@link Decimals} are the text the generic path (a map
 * through Jackson, quantities through {@link MarketData#decimal}) writes for the same result. jqwik prints the seed of
 * a failing run.
 */
class AnswerEncodingProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<BigDecimal> steps() {
        return Arbitraries.of(new BigDecimal("0.001"), new BigDecimal("0.1"), new BigDecimal("0.01"), BigDecimal.ONE,
                new BigDecimal("10"), new BigDecimal("1E+2"), new BigDecimal("0.5"), new BigDecimal("0.000000001"),
                new BigDecimal("25"), new BigDecimal("0.0010"));
    }

    @Property(tries = 3000)
    void decimalsMatchTheBigDecimalReference(@ForAll long units, @ForAll("steps") BigDecimal step) {
        assertEquals(MarketData.decimal(units, step), Decimals.format(units, Decimals.Step.of(step)));
    }

    @Property(tries = 1000)
    void answersMatchTheGenericEncoding(@ForAll @IntRange(min = 0, max = 3) int idKind, @ForAll long id,
                                        @ForAll("results") EngineLoop.Result result, @ForAll boolean order,
                                        @ForAll("steps") BigDecimal step,
                                        @ForAll("clientOrderIds") Object clientOrderId) throws Exception {
        Long requestId = idKind == 0 ? null : id;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sequence", result.sequence());
        if (result.orderId() != 0) {
            body.put("orderId", result.orderId());
        }
        if (clientOrderId != null) {
            body.put("clientOrderId", clientOrderId);
        }
        Map<String, Object> tagged = new LinkedHashMap<>();
        if (result.reject() != null) {
            body.put("code", result.reject().code());
            body.put("message", result.reject().message());
            body.put("reason", result.reject().name());
            tagged.put("type", "reject");
        } else {
            body.put("status", "accepted");
            if (order) {
                body.put("filledQuantity", MarketData.decimal(result.filledQuantity(), step));
                body.put("restingQuantity", MarketData.decimal(result.restingQuantity(), step));
            }
            tagged.put("type", "ack");
        }
        if (requestId != null) {
            tagged.put("id", requestId);
        }
        tagged.putAll(body);
        assertEquals(JSON.writeValueAsString(tagged),
                SocketOutbox.encode(requestId, result, order ? Decimals.Step.of(step) : null, clientOrderId));
    }

    /** A client order id to echo: none, a number, or a text (any string: the encoding escapes what it must). */
    @Provide
    Arbitrary<Object> clientOrderIds() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.longs().between(1, (1L << 62) - 1).map(l -> l),
                Arbitraries.strings().ofMaxLength(36).map(t -> t));
    }

    @Provide
    Arbitrary<EngineLoop.Result> results() {
        Arbitrary<RejectReason> rejects = Arbitraries.of(RejectReason.values()).injectNull(0.5);
        return net.jqwik.api.Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs()
                        .between(0, Long.MAX_VALUE).edgeCases(e -> e.includeOnly(0L)), rejects,
                Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, 1L << 40), Arbitraries.of(true,
                        false)).as(EngineLoop.Result::new);
    }

    @Property(tries = 500)
    void stringsAreEscapedAsJacksonDoes(@ForAll String s) throws Exception {
        StringBuilder out = new StringBuilder();
        SocketOutbox.string(out, s);
        assertEquals(JSON.writeValueAsString(s), out.toString());
    }
}
