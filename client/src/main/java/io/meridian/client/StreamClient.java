package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.ClientOrderIds;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket to a node: order entry whose acknowledgements complete futures, and public or private streams
 * delivered to a handler (docs/api.md, "WebSocket"). Subscribing to a book keeps a {@link LocalBook} of the top N
 * levels in sync (the node sends only the changes of that window), resubscribing by itself, at the same depth, when a
 * delta shows a gap. The other channels (trades, ticker, funding, liquidations, an account by id or address) are
 * delivered to the handler as they come; every stream message carries the command's {@code sequence} and its time
 * {@code ts} in milliseconds. The socket is a {@link WebSocketConnection} on this client's own {@link Reactor} thread;
 * sends may come from any thread, and handlers run on the reactor thread and must not block.
 */
public final class StreamClient implements AutoCloseable {
    private final Reactor reactor;
    private final WebSocketConnection socket;
    private final AtomicLong ids = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, LocalBook> books = new ConcurrentHashMap<>();
    /** The depth each book was subscribed at (a resubscription after a gap keeps it). */
    private final Map<Integer, Integer> depths = new ConcurrentHashMap<>();
    private final Consumer<JsonNode> handler;
    private final MeridianClient client;
    /** Whether the connection logged in: orders and cancels then go unsigned, made in the session. */
    private volatile boolean session;
    private long resyncs;

    /**
     * @param client  the node (its base URL gives the WebSocket address)
     * @param handler every stream message (snapshots, deltas, trades, marks, private messages), after books are updated
     */
    public StreamClient(MeridianClient client, Consumer<JsonNode> handler) {
        this.handler = handler;
        this.client = client;
        URI uri = URI.create(client.baseUrl().replaceFirst("^http", "ws") + "/ws");
        this.reactor = new Reactor("meridian-stream");
        try {
            this.socket = WebSocketConnection.open(uri, reactor, new Listener());
        } catch (RuntimeException e) {
            reactor.close();
            throw e;
        }
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

    /**
     * Cancels the account's order in {@code instrument} that has {@code clientOrderId}; the future completes with the
     * acknowledgement (whose {@code orderId} is the order's) or fails with {@link ApiException}. Signed as the
     * {@code Cancel} struct with {@code orderId} 0 when this client signs; in a session, unsigned.
     */
    public CompletableFuture<JsonNode> cancelByClientOrderId(long account, int instrument, long clientOrderId) {
        return cancelByClientOrderId(account, instrument, MeridianClient.JSON.createObjectNode()
                .put("clientOrderId", clientOrderId), clientOrderId);
    }

    /**
     * As above, for a client order id given as text (a UUID, say): sent as text, signed as its key
     * ({@link ClientOrderIds#key}).
     */
    public CompletableFuture<JsonNode> cancelByClientOrderId(long account, int instrument, String clientOrderId) {
        return cancelByClientOrderId(account, instrument, MeridianClient.JSON.createObjectNode()
                .put("clientOrderId", clientOrderId), ClientOrderIds.key(clientOrderId));
    }

    private CompletableFuture<JsonNode> cancelByClientOrderId(long account, int instrument, ObjectNode message,
                                                              long key) {
        long id = ids.getAndIncrement();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        message.put("instrument", instrument);
        if (!session && client.signer() == null) {
            message.put("account", account);
        } else if (!session) {
            Command c = new Command().cancel(0, instrument, 0);
            c.clientOrderId = key;
            Signer.fields(message, client.signer().sign(c));
        }
        send(message.put("op", "cancel").put("id", id).toString());
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

    /**
     * Subscribes to an instrument's book at {@code depth} (1..1000; also its trades, marks and other public events);
     * {@link #book} is kept in sync and holds the top {@code depth} levels of each side.
     */
    public void subscribeBook(int instrument, int depth) {
        books.computeIfAbsent(instrument, k -> new LocalBook());
        depths.put(instrument, depth);
        send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument + ",\"depth\":" + depth + "}");
    }

    /**
     * Subscribes to one of an instrument's other public channels: {@code trades}, {@code ticker}, {@code funding} or
     * {@code liquidations} (docs/api.md). A {@code subscribed} message comes first, then for the ticker and funding
     * their state now.
     */
    public void subscribe(String channel, int instrument) {
        send("{\"op\":\"subscribe\",\"channel\":" + MeridianClient.JSON.getNodeFactory().textNode(channel)
                + ",\"instrument\":" + instrument + "}");
    }

    /** Stops one of the instrument's streams ({@code book}, {@code trades}, ...); an {@code unsubscribed} follows. */
    public void unsubscribe(String channel, int instrument) {
        if (channel.equals("book")) {
            books.remove(instrument);
            depths.remove(instrument);
        }
        send("{\"op\":\"unsubscribe\",\"channel\":" + MeridianClient.JSON.getNodeFactory().textNode(channel)
                + ",\"instrument\":" + instrument + "}");
    }

    /**
     * Subscribes to the private stream of the account {@code address} owns ({@code 0x...}); its {@code subscribed}
     * message names the account id. As {@link #subscribeAccount(long)}: on a node in signed mode log in first, or use
     * {@link #subscribeAccount(String, Signer)}.
     */
    public void subscribeAccount(String address) {
        send("{\"op\":\"subscribe\",\"channel\":\"account\",\"address\":"
                + MeridianClient.JSON.getNodeFactory().textNode(address) + "}");
    }

    /** Subscribes to the private stream of the account {@code address} owns with the signer's read token. */
    public void subscribeAccount(String address, Signer signer) {
        send("{\"op\":\"subscribe\",\"channel\":\"account\",\"address\":"
                + MeridianClient.JSON.getNodeFactory().textNode(address) + ",\"token\":\"" + signer.readToken() + "\"}");
    }

    /**
     * Subscribes to an account's private stream. On a node in signed mode the connection must have logged in as the
     * account's owner (or one of its agents) first, or use {@link #subscribeAccount(long, Signer)}.
     */
    public void subscribeAccount(long account) {
        send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + account + "}");
    }

    /** Subscribes to an account's private stream with the signer's read token (docs/api.md, "Private reads"). */
    public void subscribeAccount(long account, Signer signer) {
        send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + account + ",\"token\":\""
                + signer.readToken() + "\"}");
    }

    /** The local book of a subscribed instrument (null before {@link #subscribeBook}). */
    public LocalBook book(int instrument) {
        return books.get(instrument);
    }

    /** Times a book fell out of sync and was subscribed again. */
    public synchronized long resyncs() {
        return resyncs;
    }

    private void send(String text) {
        socket.send(text);
    }

    /** Closes the connection (normal closure) and stops its reactor thread; unanswered futures fail. */
    @Override
    public void close() {
        socket.close();
        reactor.execute(reactor::close);
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
            int instrument = message.get("instrument").asInt();
            LocalBook book = books.get(instrument);
            if (book != null) {
                book.snapshot(message);
                if (message.has("depth")) {
                    // The depth served (deeper than asked when the node serves the book at many depths already).
                    depths.put(instrument, message.get("depth").asInt());
                }
            }
        } else if (type.equals("book")) {
            int instrument = message.get("instrument").asInt();
            LocalBook book = books.get(instrument);
            if (book != null && !book.apply(message) && book.sequence() >= 0) {
                synchronized (this) {
                    resyncs++;
                }
                send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument + ",\"depth\":"
                        + depths.getOrDefault(instrument, 1000) + "}");
            }
        }
        handler.accept(message);
    }

    private final class Listener implements WebSocketConnection.Listener {
        @Override
        public void onText(byte[] buffer, int offset, int length) {
            JsonNode message;
            try {
                message = MeridianClient.JSON.readTree(buffer, offset, length);
            } catch (IOException e) {
                // A frame that is not JSON: nothing to route it to.
                return;
            }
            onMessage(message);
        }

        @Override
        public void onClose(Throwable cause) {
            ApiException closed = new ApiException(503, -1, "connection closed" + (cause == null ? "" : ": " + cause));
            for (Long id : pending.keySet()) {
                CompletableFuture<JsonNode> answer = pending.remove(id);
                if (answer != null) {
                    answer.completeExceptionally(closed);
                }
            }
        }
    }
}
