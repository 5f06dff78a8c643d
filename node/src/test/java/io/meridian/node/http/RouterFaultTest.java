package io.meridian.node.http;

import io.meridian.node.NodeConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's answer to a fault of a handler (a bug: an unchecked exception): 500 with an opaque error id and a
 * fixed message, the exception's text and stack only in the log under that id; the same fault repeated within a second
 * is logged once and its clients get the logged id. Before, the 500 said {@code "internal error: " + e}.
 */
class RouterFaultTest {
    private static final Pattern ERROR_ID = Pattern.compile("error id ([0-9a-f]{16})");

    @Test
    void aHandlersFaultIsA500WithAnIdThatOnlyTheLogExplains() {
        Gateway gateway = new Gateway(NodeConfig.defaults(), null, Map.of());
        Route boom = Route.of(HttpMethod.GET, "/boom/{n}", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, x -> {
            throw new IllegalStateException("secret detail " + x.parameter("n"));
        });
        Router router = new Router(List.of(boom), true, new AccessPolicy(true, null), new RatePolicy(gateway), gateway);
        EmbeddedChannel channel = new EmbeddedChannel(new RestHandler(router));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        String first;
        String second;
        String other;
        try {
            first = answer(channel, "/boom/1");
            second = answer(channel, "/boom/1");
            other = answer(channel, "/boom/2");
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        for (String body : List.of(first, second, other)) {
            assertTrue(body.startsWith("{\"code\":500,\"message\":\"internal error (error id "), body);
            assertFalse(body.contains("secret") || body.contains("Exception"), body);
            Matcher id = ERROR_ID.matcher(body);
            assertTrue(id.find(), body);
            assertTrue(logged.contains("error id " + id.group(1) + " serving GET /boom/{n}"), logged);
        }
        assertTrue(logged.contains("java.lang.IllegalStateException: secret detail 1"), logged);
        assertTrue(logged.contains("java.lang.IllegalStateException: secret detail 2"), logged);
        assertEquals(id(first), id(second), "a repeat within the window is the logged fault");
        assertFalse(id(first).equals(id(other)), "another fault, another id");
        assertEquals(1, count(logged, "secret detail 1\n"), "logged once: " + logged);
        channel.finishAndReleaseAll();
    }

    private static String answer(EmbeddedChannel channel, String path) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER));
        FullHttpResponse response = channel.readOutbound();
        assertEquals(500, response.status().code());
        String body = response.content().toString(StandardCharsets.UTF_8);
        response.release();
        return body;
    }

    private static String id(String body) {
        Matcher id = ERROR_ID.matcher(body);
        assertTrue(id.find(), body);
        return id.group(1);
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            count++;
        }
        return count;
    }
}
