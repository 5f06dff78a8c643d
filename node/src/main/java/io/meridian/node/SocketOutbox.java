package io.meridian.node;

import io.meridian.model.RejectReason;
import io.meridian.node.codec.Decimals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;

import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket answers to one connection's orders and cancels, sent once per engine batch instead of one
 * {@code writeAndFlush} per answer from the engine thread. The engine thread only records each result
 * ({@link #add}); at the end of the batch ({@link EngineLoop#atBatchEnd}) the outbox hands itself to the connection's
 * I/O thread once, which encodes every answer (hand-written JSON, the fields and order that the generic path writes:
 * {@code {"type":"ack","id","sequence","orderId","clientOrderId","status","filledQuantity","restingQuantity"}} or
 * {@code {"type":"reject","id","sequence","orderId","clientOrderId","code","message","reason"}}; the client order id as
 * given: a text as a string, a number as a number, absent for none), writes them and flushes once. So the
 * engine thread neither builds JSON nor wakes an I/O thread per answer, and a batch of answers leaves in one syscall.
 *
 * <p>Threads: {@link #add} and {@link #batchEnd} on the engine thread; {@link #run} on the channel's I/O thread; the
 * queue between them is guarded by this object's lock (taken once per batch on each side).
 */
final class SocketOutbox implements Runnable, EngineLoop.BatchEnd {
    private static final AttributeKey<SocketOutbox> KEY = AttributeKey.valueOf("meridian.outbox");

    /**
     * One answer: the request's id (null when it had none), the result, the instrument for quantities, and the client
     * order id to echo (a String or a Long; null for none).
     */
    private record Answer(Long id, EngineLoop.Result result, Decimals.Step lots, Object clientOrderId) {
    }

    private final Channel channel;
    private List<Answer> queue = new ArrayList<>();
    private List<Answer> spare = new ArrayList<>();
    /** Engine thread only: whether this outbox is registered for the end of the current batch. */
    private boolean registered;
    /** Guarded by this: whether a drain is scheduled on the I/O thread. */
    private boolean scheduled;
    private final StringBuilder text = new StringBuilder(256);

    private SocketOutbox(Channel channel) {
        this.channel = channel;
    }

    /** The channel's outbox (made on first use; any thread). */
    static SocketOutbox of(Channel channel) {
        SocketOutbox outbox = channel.attr(KEY).get();
        if (outbox == null) {
            SocketOutbox made = new SocketOutbox(channel);
            outbox = channel.attr(KEY).setIfAbsent(made);
            if (outbox == null) {
                outbox = made;
            }
        }
        return outbox;
    }

    /**
     * Engine thread: queues an answer. {@code lots} is the instrument's lot size for an order's filled and resting
     * quantities, or null for a cancel.
     */
    void add(EngineLoop engine, Long id, EngineLoop.Result result, Decimals.Step lots, Object clientOrderId) {
        synchronized (this) {
            queue.add(new Answer(id, result, lots, clientOrderId));
        }
        if (!registered) {
            registered = true;
            engine.atBatchEnd(this);
        }
    }

    /** Engine thread, after the batch whose answers were added: one hand-off to the I/O thread. */
    @Override
    public void batchEnd() {
        registered = false;
        synchronized (this) {
            if (scheduled || queue.isEmpty()) {
                return;
            }
            scheduled = true;
        }
        channel.eventLoop().execute(this);
    }

    /** I/O thread: encodes, writes and flushes what is queued. */
    @Override
    public void run() {
        List<Answer> batch;
        synchronized (this) {
            batch = queue;
            queue = spare;
            spare = batch;
            scheduled = false;
        }
        if (channel.isActive()) {
            for (int i = 0; i < batch.size(); i++) {
                text.setLength(0);
                encode(text, batch.get(i));
                ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), text);
                channel.write(new TextWebSocketFrame(buf), channel.voidPromise());
            }
            channel.flush();
        }
        batch.clear();
    }

    static void encode(StringBuilder out, Answer a) {
        EngineLoop.Result r = a.result();
        RejectReason reject = r.reject();
        out.append(reject == null ? "{\"type\":\"ack\"" : "{\"type\":\"reject\"");
        if (a.id() != null) {
            out.append(",\"id\":").append(a.id().longValue());
        }
        out.append(",\"sequence\":").append(r.sequence());
        if (r.orderId() != 0) {
            out.append(",\"orderId\":").append(r.orderId());
        }
        if (a.clientOrderId() instanceof String text) {
            out.append(",\"clientOrderId\":");
            string(out, text);
        } else if (a.clientOrderId() != null) {
            out.append(",\"clientOrderId\":").append(((Long) a.clientOrderId()).longValue());
        }
        if (reject != null) {
            out.append(",\"code\":").append(reject.code()).append(",\"message\":");
            string(out, reject.message());
            out.append(",\"reason\":");
            string(out, reject.name());
            out.append('}');
            return;
        }
        out.append(",\"status\":\"accepted\"");
        if (a.lots() != null) {
            out.append(",\"filledQuantity\":\"");
            Decimals.append(out, r.filledQuantity(), a.lots());
            out.append("\",\"restingQuantity\":\"");
            Decimals.append(out, r.restingQuantity(), a.lots());
            out.append('"');
        }
        out.append('}');
    }

    /** Test hook: the JSON for one answer. */
    static String encode(Long id, EngineLoop.Result result, Decimals.Step lots, Object clientOrderId) {
        StringBuilder out = new StringBuilder();
        encode(out, new Answer(id, result, lots, clientOrderId));
        return out.toString();
    }

    /** A JSON string as Jackson writes it (quotes, backslashes and control characters escaped). */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
