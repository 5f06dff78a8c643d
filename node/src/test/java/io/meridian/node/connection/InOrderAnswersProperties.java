package io.meridian.node.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InOrderAnswers} under random interleavings of pipelined requests (answered at once or later, keep-alive or
 * closing), answers completing later, read timeouts and the I/O thread's queued tasks: answers leave in request
 * order (a timeout's 408 after every answer owed before it), the gateway
 * never holds more than one request of the connection, reading is paused exactly while {@code maxPipelined} answers
 * are owed (or after a closing request), nothing after a closing request is served, and the connection closes right
 * after that request's answer. Fixed seed, so a run is repeatable; change it to explore.
 */
class InOrderAnswersProperties {
    private static final int SEND_NOW = 0;
    private static final int SEND_LATER = 1;
    private static final int SEND_CLOSING = 2;
    private static final int COMPLETE = 3;
    private static final int TASKS = 4;
    private static final int TIMEOUT = 5;
    /** What {@link #drain} records for the 408 of a timeout. */
    private static final int TIMED_OUT = -408;

    @Provide
    Arbitrary<List<Integer>> scripts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(SEND_NOW)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(SEND_LATER)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(SEND_CLOSING)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(COMPLETE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(TASKS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(TIMEOUT))).list().ofMinSize(1).ofMaxSize(80);
    }

    /** The gateway stand-in: answers a request at once or keeps it for later, and counts what it holds. */
    private static final class Gateway extends ChannelInboundHandlerAdapter {
        final ArrayDeque<Object[]> later = new ArrayDeque<>();
        final List<Integer> dispatched = new ArrayList<>();
        int holding;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest request = (FullHttpRequest) msg;
            int id = Integer.parseInt(request.uri().substring(1));
            boolean now = request.headers().contains("x-now");
            request.release();
            holding++;
            assertEquals(1, holding, "the gateway holds one request of a connection at a time");
            dispatched.add(id);
            if (now) {
                answer(ctx, id);
            } else {
                later.add(new Object[] {ctx, id});
            }
        }

        void answer(ChannelHandlerContext ctx, int id) {
            holding--;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.EMPTY_BUFFER);
            response.headers().set("x-id", id).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(response);
        }

        boolean completeOne() {
            Object[] next = later.poll();
            if (next == null) {
                return false;
            }
            answer((ChannelHandlerContext) next[0], (Integer) next[1]);
            return true;
        }
    }

    @Property(tries = 1000, seed = "20261206")
    void answersLeaveInRequestOrderAndReadingIsBounded(@ForAll("scripts") List<Integer> script,
                                                        @ForAll @IntRange(min = 1, max = 5) int maxPipelined) {
        Gateway gateway = new Gateway();
        InOrderAnswers answers = new InOrderAnswers(maxPipelined, 1 << 20, pipeline -> { });
        EmbeddedChannel channel = new EmbeddedChannel(answers, gateway);
        int sent = 0;
        int closingId = -1;
        int timeoutAt = -1;
        List<Integer> received = new ArrayList<>();
        for (int action : script) {
            switch (action) {
                case SEND_NOW, SEND_LATER, SEND_CLOSING -> {
                    if (!channel.isOpen()) {
                        continue;
                    }
                    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                            "/" + sent, Unpooled.EMPTY_BUFFER);
                    if (action == SEND_NOW) {
                        request.headers().set("x-now", "1");
                    }
                    if (action == SEND_CLOSING) {
                        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        if (closingId < 0) {
                            closingId = sent;
                        }
                    }
                    sent++;
                    channel.writeInbound(request);
                }
                case COMPLETE -> gateway.completeOne();
                case TIMEOUT -> {
                    if (channel.isOpen() && closingId < 0 && timeoutAt < 0) {
                        timeoutAt = sent;
                    }
                    channel.pipeline().fireUserEventTriggered(new RequestReader.RequestTimeout("late"));
                }
                default -> channel.runPendingTasks();
            }
            drain(channel, received, closingId);
            checkReading(channel, answers, gateway, received, sent, closingId, timeoutAt, maxPipelined);
        }
        // Finish: every owed answer completes.
        for (int guard = 0; guard < 10_000; guard++) {
            channel.runPendingTasks();
            if (!gateway.completeOne() && !channel.hasPendingTasks()) {
                break;
            }
            drain(channel, received, closingId);
        }
        channel.runPendingTasks();
        drain(channel, received, closingId);
        int expected = timeoutAt >= 0 ? timeoutAt : closingId >= 0 ? closingId + 1 : sent;
        List<Integer> answered = new ArrayList<>(received);
        if (timeoutAt >= 0) {
            assertEquals(TIMED_OUT, answered.remove(answered.size() - 1), "the 408 comes last: " + received);
        }
        assertEquals(expected, answered.size(), "every request up to a closing one is answered: " + received);
        for (int i = 0; i < answered.size(); i++) {
            assertEquals(i, answered.get(i), "answers in request order: " + received);
        }
        assertEquals(gateway.dispatched, answered, "nothing after a closing request or a timeout reaches the gateway");
        assertEquals(closingId < 0 && timeoutAt < 0, channel.isOpen(),
                "closed exactly after a closing request's answer or a timeout's 408");
        channel.finishAndReleaseAll();
    }

    private static void drain(EmbeddedChannel channel, List<Integer> received, int closingId) {
        for (Object o; (o = channel.readOutbound()) != null; ) {
            FullHttpResponse response = (FullHttpResponse) o;
            if (response.status().code() == 408) {
                assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
                received.add(TIMED_OUT);
                response.release();
                continue;
            }
            int id = Integer.parseInt(response.headers().get("x-id"));
            received.add(id);
            if (id == closingId) {
                assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
            } else {
                assertFalse(response.headers().contains(HttpHeaderNames.CONNECTION), "keep-alive answer " + id);
            }
            response.release();
        }
    }

    /**
     * While open: reading exactly while fewer than maxPipelined answers are owed and no closing request or timeout is
     * queued; idle exactly when nothing is owed; the gateway holds at most one request.
     */
    private static void checkReading(EmbeddedChannel channel, InOrderAnswers answers, Gateway gateway,
                                     List<Integer> received, int sent, int closingId, int timeoutAt, int maxPipelined) {
        if (!channel.isOpen()) {
            return;
        }
        boolean ended = closingId >= 0 || timeoutAt >= 0;
        int end = timeoutAt >= 0 ? timeoutAt : closingId >= 0 ? closingId + 1 : sent;
        int answeredRequests = (int) received.stream().filter(id -> id >= 0).count();
        int owedRequests = end - answeredRequests;
        boolean timeoutOwed = timeoutAt >= 0 && !received.contains(TIMED_OUT);
        assertEquals(!ended && owedRequests < maxPipelined, channel.config().isAutoRead(), "reading with "
                + owedRequests + " answers owed, max " + maxPipelined + (ended ? ", input ended" : ""));
        assertTrue(gateway.holding <= 1);
        assertEquals(owedRequests == 0 && !timeoutOwed, answers.idle(), "idle exactly when nothing is owed");
    }
}
