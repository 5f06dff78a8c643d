package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: two connections pipelining full-depth book reads made another client's {@code /health} wait about a
 * second, behind every one of their reads in the engine's queue. Now a connection has one request in the gateway at
 * a time, so another client's request waits for at most one read per busy connection: here {@code /health} is
 * answered while most of the 600 pipelined reads are still to come. Over raw sockets against a real node.
 */
class PipelinedFairnessTest extends NodeHttpTest {
    private static final int LEVELS = 500;
    private static final int READS = 300;

    @Test
    void pipelinedBookReadsDoNotStarveAnotherClient() throws Exception {
        try (Node node = Node.start(config())) {
            int port = node.httpPort();
            base = "http://127.0.0.1:" + port;
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000000\"}");
            // A deep book: LEVELS resting bids at distinct prices, sent over ten connections at once.
            List<RawClient> makers = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                StringBuilder orders = new StringBuilder();
                for (int i = c; i < LEVELS; i += 10) {
                    String body = "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + (40_000 + i)
                            + ".5\",\"quantity\":\"0.001\"}";
                    orders.append("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
                }
                makers.add(RawClient.connect(port).send(orders.toString()));
            }
            for (RawClient maker : makers) {
                for (int i = 0; i < LEVELS / 10; i++) {
                    RawClient.Answer placed = maker.next();
                    assertEquals(200, placed.status(), placed.body());
                }
                maker.close();
            }

            // Two greedy clients pipeline READS full-depth reads each; a third asks for /health right after.
            String read = "GET /v1/book/1?depth=1000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            List<RawClient> greedy = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                RawClient client = RawClient.connect(port).send(read.repeat(READS));
                greedy.add(client);
                Thread reader = new Thread(() -> {
                    try {
                        for (int i = 0; i < READS; i++) {
                            RawClient.Answer book = client.next();
                            if (book.status() != 200 || !book.body().contains("\"bids\"")) {
                                throw new AssertionError(book.body());
                            }
                            arrivals.add(System.nanoTime());
                        }
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            long healthAnswered;
            try (RawClient other = RawClient.connect(port)) {
                other.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertEquals(200, other.next().status());
                healthAnswered = System.nanoTime();
            }
            for (Thread reader : readers) {
                reader.join(60_000);
            }
            for (RawClient client : greedy) {
                client.close();
            }
            assertEquals(2 * READS, arrivals.size(), "every pipelined read is answered");
            long before = arrivals.stream().filter(t -> t < healthAnswered).count();
            assertTrue(before < READS / 2, "/health was answered after " + before + " of the " + 2 * READS
                    + " pipelined reads; it should overtake nearly all of them");
        }
    }
}
