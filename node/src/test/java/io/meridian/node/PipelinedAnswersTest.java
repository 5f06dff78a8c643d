package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: answers to pipelined requests left in the order they were done, not asked (a deposit waits for its
 * journal batch, {@code GET /v1/assets} is answered at once on the I/O thread), and a pipelined
 * {@code Connection: close} request answered at once closed the connection before the answers owed before it. Now
 * every answer leaves in request order and a closing request closes only after its own answer, all earlier ones
 * delivered. Over raw sockets against a real node.
 */
class PipelinedAnswersTest extends NodeHttpTest {
    private static final String HOST = "Host: 127.0.0.1\r\n";
    private static final String DEPOSIT_BODY = "{\"account\":7,\"asset\":0,\"amount\":\"1000.5\"}";
    private static final String DEPOSIT = "POST /v1/dev/deposit HTTP/1.1\r\n" + HOST
            + "Content-Type: application/json\r\nContent-Length: " + DEPOSIT_BODY.length() + "\r\n\r\n"
            + DEPOSIT_BODY;
    private static final String ASSETS = "GET /v1/assets HTTP/1.1\r\n" + HOST + "\r\n";
    private static final String HEALTH = "GET /health HTTP/1.1\r\n" + HOST + "\r\n";
    private static final String AUTH_CLOSE = "GET /v1/auth HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n";

    @Test
    void pipelinedAnswersLeaveInRequestOrder() throws Exception {
        try (Node node = Node.start(config())) {
            int port = node.httpPort();
            for (int round = 0; round < 10; round++) {
                // Slow (engine, after the journal's fsync), fast (I/O thread), engine query, fast: six times over.
                StringBuilder requests = new StringBuilder();
                List<String> kinds = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    requests.append(DEPOSIT).append(ASSETS).append(HEALTH).append(ASSETS);
                    kinds.addAll(List.of("deposit", "assets", "health", "assets"));
                }
                try (RawClient client = RawClient.connect(port)) {
                    client.send(requests.toString());
                    long lastSequence = 0;
                    for (int i = 0; i < kinds.size(); i++) {
                        RawClient.Answer answer = client.next();
                        assertEquals(200, answer.status(), answer.body());
                        assertEquals(kinds.get(i), kind(answer.body()), "answer " + i + " of round " + round + ": "
                                + answer.body());
                        if (kinds.get(i).equals("deposit")) {
                            long sequence = JSON.readTree(answer.body()).get("sequence").asLong();
                            assertTrue(sequence > lastSequence, "deposits sequenced in request order");
                            lastSequence = sequence;
                        }
                    }
                }
            }
        }
    }

    @Test
    void aClosingRequestClosesAfterItsOwnAnswerWithEveryEarlierOneDelivered() throws Exception {
        try (Node node = Node.start(config())) {
            int port = node.httpPort();
            base = "http://127.0.0.1:" + port;
            for (int round = 0; round < 20; round++) {
                try (RawClient client = RawClient.connect(port)) {
                    // The closing request is answered at once; the two before it wait for the engine. A request after
                    // it is never served.
                    client.send(DEPOSIT + HEALTH + AUTH_CLOSE + ASSETS);
                    List<RawClient.Answer> answers = client.allUntilClosed();
                    assertEquals(3, answers.size(), "round " + round + ": " + answers);
                    assertEquals("deposit", kind(answers.get(0).body()));
                    assertEquals("health", kind(answers.get(1).body()));
                    assertEquals("auth", kind(answers.get(2).body()));
                    assertEquals("close", answers.get(2).header("connection"));
                }
            }
            assertEquals(200, get("/health").statusCode());
        }
    }

    @Test
    void manyPipelinedRequestsAreAllAnsweredInOrderThoughReadingPauses() throws Exception {
        try (Node node = Node.start(config())) {
            int port = node.httpPort();
            // 200 requests in one write: far more than maxPipelinedRequests (16), so the node stops and resumes
            // reading the connection many times; every answer comes, in order.
            StringBuilder requests = new StringBuilder();
            List<String> kinds = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                requests.append(HEALTH).append(ASSETS).append(DEPOSIT).append(ASSETS);
                kinds.addAll(List.of("health", "assets", "deposit", "assets"));
            }
            try (RawClient client = RawClient.connect(port)) {
                client.send(requests.toString());
                for (int i = 0; i < kinds.size(); i++) {
                    RawClient.Answer answer = client.next();
                    assertEquals(kinds.get(i), kind(answer.body()), "answer " + i + ": " + answer.body());
                }
                // Still a keep-alive connection afterwards.
                client.send(HEALTH);
                assertEquals("health", kind(client.next().body()));
            }
        }
    }

    @Test
    void anOversizedBodyIsRefusedInItsTurnAndOneHundredContinueIsSentWhenNothingIsOwed() throws Exception {
        try (Node node = Node.start(config())) {
            int port = node.httpPort();
            // The config's maxBodyBytes is 4096: the third request's body is refused 413 after the two answers
            // owed before it (Netty's aggregator answered it at once), and the connection closes.
            try (RawClient client = RawClient.connect(port)) {
                client.send(DEPOSIT + HEALTH + "POST /v1/orders HTTP/1.1\r\n" + HOST
                        + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000) + ASSETS);
                List<RawClient.Answer> answers = client.allUntilClosed();
                assertEquals(3, answers.size(), answers.toString());
                assertEquals("deposit", kind(answers.get(0).body()));
                assertEquals("health", kind(answers.get(1).body()));
                assertEquals(413, answers.get(2).status());
                assertEquals("{\"code\":413,\"message\":\"request body too large: at most 4096 bytes\"}",
                        answers.get(2).body());
            }
            // Expect: 100-continue on an idle connection: the interim answer, then the body, then the answer.
            try (RawClient client = RawClient.connect(port)) {
                client.send("POST /v1/dev/deposit HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                        + "Expect: 100-continue\r\nContent-Length: " + DEPOSIT_BODY.length() + "\r\n\r\n");
                assertEquals(100, client.next().status());
                client.send(DEPOSIT_BODY);
                assertEquals("deposit", kind(client.next().body()));
            }
        }
    }

    /** Which request an answer is for, by its shape. */
    private static String kind(String body) {
        if (body.contains("\"status\":\"ok\"")) {
            return "health";
        }
        if (body.startsWith("[") && body.contains("USDC")) {
            return "assets";
        }
        if (body.contains("\"mode\"")) {
            return "auth";
        }
        if (body.contains("\"sequence\"")) {
            return "deposit";
        }
        return "unknown: " + body;
    }
}
