package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket to a node: order entry whose acknowledgements complete futures, and public or private streams
 * delivered to a handler. Subscribing to a book keeps a {@link LocalBook} in sync, resubscribing by itself when a
 * delta shows a gap. Sends are serialised (the JDK socket takes one at a time); handlers run on the socket's thread
 * and must not block.
 */
public final class StreamClient implements AutoCloseable {
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, LocalBook> books = new ConcurrentHashMap<>();
    private final Consumer<JsonNode> handler;
    private final MeridianClient client;
    /** Whether the connection logged in: orders and cancels then go unsigned, made in the session. */
    private volatile boolean session;
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
    private long resyncs;

    /**
     * @param client  the node (its base URL gives the WebSocket address)
     * @param handler every stream message (snapshots, deltas, trades, marks, private messages), after books are updated
     */
    public StreamClient(MeridianClient client, Consumer<JsonNode> handler) {
        this.handler = handler;
        this.client = client;
        URI uri = URI.create(client.baseUrl().replaceFirst("^http", "ws") + "/ws");
        this.socket = client.http().newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    /**
     * Sends an order; the future completes with the acknowledgement ({@code type} ack) or fails with
     * {@link ApiException} (a reject or an error frame).
     */
    public CompletableFuture<JsonNode> place(MeridianClient.Order order) {
        long id = ids.getAndIncrement();
        ObjectNode message = (session ? withoutAccount(order.json()) : client.orderJson(order)).put("op", "order")
                .put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        send(message.toString());
        return answer;
    }

    /** Cancels an order; the future completes with the acknowledgement or fails with {@link ApiException}. */
    public CompletableFuture<JsonNode> cancel(long account, int instrument, long orderId) {
        long id = ids.getAndIncrement();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = session
                ? MeridianClient.JSON.createObjectNode().put("instrument", instrument).put("orderId", orderId)
                : client.cancelJson(account, instrument, orderId);
        send(message.put("op", "cancel").put("id", id).toString());
        return answer;
    }

    /**
     * Logs this connection in: {@code signer} (the owner or an approved agent) signs one EIP-712 Session message, and
     * from the acknowledgement on, orders and cancels sent here are made in that session, without a signature each
     * (docs/auth.md; the engine checks the session, which ends at {@code validUntilMillis}, at most a day away, or when
     * an agent's approval ends). Wait for the returned future before sending orders.
     */
    public CompletableFuture<JsonNode> login(Signer signer, long validUntilMillis) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = validUntilMillis;
        ObjectNode message = Signer.fields(MeridianClient.JSON.createObjectNode(), signer.sign(c))
                .put("validUntil", validUntilMillis);
        long id = ids.getAndIncrement();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        send(message.put("op", "login").put("id", id).toString());
        return answer.thenApply(ack -> {
            session = true;
            return ack;
        });
    }

    private static ObjectNode withoutAccount(ObjectNode order) {
        order.remove("account");
        return order;
    }

    /** Subscribes to an instrument's book, trades and marks; {@link #book} is kept in sync. */
    public void subscribeBook(int instrument, int depth) {
        books.computeIfAbsent(instrument, k -> new LocalBook());
        send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument + ",\"depth\":" + depth + "}");
    }

    /** Subscribes to an account's private stream. */
    public void subscribeAccount(long account) {
        send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + account + "}");
    }

    /** The local book of a subscribed instrument (null before {@link #subscribeBook}). */
    public LocalBook book(int instrument) {
        return books.get(instrument);
    }

    /** Times a book fell out of sync and was subscribed again. */
    public synchronized long resyncs() {
        return resyncs;
    }

    private synchronized void send(String text) {
        sending = sending.thenCompose(ws -> socket.sendText(text, true));
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    private void onMessage(JsonNode message) {
        String type = message.path("type").asText();
        if (message.has("id") && (type.equals("ack") || type.equals("reject") || type.equals("error"))) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asLong());
            if (answer != null) {
                if (type.equals("ack")) {
                    answer.complete(message);
                } else {
                    answer.completeExceptionally(new ApiException(type.equals("reject") ? 422 : 400,
                            message.path("code").asInt(), message.path("message").asText()));
                }
                return;
            }
        }
        if (type.equals("snapshot")) {
            LocalBook book = books.get(message.get("instrument").asInt());
            if (book != null) {
                book.snapshot(message);
            }
        } else if (type.equals("book")) {
            int instrument = message.get("instrument").asInt();
            LocalBook book = books.get(instrument);
            if (book != null && !book.apply(message) && book.sequence() >= 0) {
                synchronized (this) {
                    resyncs++;
                }
                send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument + ",\"depth\":1000}");
            }
        }
        handler.accept(message);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    onMessage(MeridianClient.JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    // A frame that is not JSON: nothing to route it to.
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
