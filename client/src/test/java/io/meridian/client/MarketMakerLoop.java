package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * docs/market-makers.md's loop in Java, with the client module: an agent key the owner approved logs in to a
 * WebSocket session (one signature), takes the account's stream, quotes both sides of one instrument around the mark
 * post-only, waits for a fill from the stream, cancel-replaces its quotes each round, then reads its fills and order
 * history page by page over REST (the client signs read tokens itself) and cancels everything. {@code
 * MarketMakerGuideTest} runs it against a real node; the guide shows this file's text.
 */
public final class MarketMakerLoop {
    private static final String SIZE = "0.010";
    private static final int SPREAD_TICKS = 20;

    /** What a run did: fills seen on the stream and in the history, orders in the history, orders left open. */
    public record Result(int streamedFills, int historyFills, int historyOrders, int openAtEnd) {
    }

    private MarketMakerLoop() {
    }

    public static Result run(String url, Address owner, AgentSigner agentKey, String symbol, int rounds,
                             Consumer<String> log) throws Exception {
        MeridianClient venue = new MeridianClient(url);
        Signer agent = Signer.agent(owner, agentKey, venue.domain());   // the domain from GET /v1/auth
        MeridianClient rest = venue.signedBy(agent);                     // signs requests and read tokens
        JsonNode spec = rest.send("GET", "/v1/instruments?instrument=" + symbol, null).get(0);
        int instrument = spec.get("id").asInt();
        BigDecimal tick = new BigDecimal(spec.get("tickSize").asText());

        BlockingQueue<JsonNode> fills = new LinkedBlockingQueue<>();
        int streamed = 0;
        try (StreamClient ws = new StreamClient(venue, m -> {
            if (m.path("type").asText().equals("fill")) {
                fills.add(m);                                            // on the client's I/O thread: hand over
            }
        })) {
            ws.login(agent, System.currentTimeMillis() + 3_600_000).get(10, TimeUnit.SECONDS);
            ws.subscribeAccount(owner.toChecksumHex(), agent);           // orders, fills, balances of the account
            String run = "mm-" + Long.toString(System.currentTimeMillis(), 36); // client order ids are texts
            long bid = 0;
            long ask = 0;
            for (int round = 1; round <= rounds; round++) {
                BigDecimal mark = new BigDecimal(rest.ticker(instrument).get("mark").asText());
                cancelIfOpen(ws, instrument, bid);                       // cancel-replace: the old pair goes first
                cancelIfOpen(ws, instrument, ask);
                int ticks = SPREAD_TICKS + round - 1;                    // each round a tick wider, to show it moves
                bid = quote(ws, instrument, "buy", price(mark, tick, -ticks), run + "-bid-" + round);
                ask = quote(ws, instrument, "sell", price(mark, tick, ticks), run + "-ask-" + round);
                log.accept("round " + round + ": bid " + price(mark, tick, -ticks) + " ask " + price(mark, tick, ticks));
                if (round == 1) {                                        // wait for the market to trade with us
                    JsonNode fill = fills.poll(60, TimeUnit.SECONDS);
                    if (fill == null) {
                        throw new IllegalStateException("no fill within 60 s");
                    }
                    streamed++;
                    log.accept("fill: " + fill.get("side").asText() + " " + fill.get("quantity").asText() + " at "
                            + fill.get("price").asText() + " (order " + fill.get("orderId").asLong() + ")");
                }
            }
            streamed += fills.size();
        }
        int historyFills = countPages(query -> rest.fills(0, query), "limit=2");     // pages of 2, to show cursors
        int historyOrders = countPages(query -> rest.orderHistory(0, query), "limit=2");
        rest.cancelAll(0);                                               // a signed cancel-all: nothing left behind
        int open = rest.send("GET", "/v1/orders?address=" + owner.toChecksumHex(), null).size();
        log.accept("fills " + historyFills + ", orders " + historyOrders + ", open after cancel-all " + open);
        return new Result(streamed, historyFills, historyOrders, open);
    }

    /** A post-only limit order in the session (no signature of its own); its order id. */
    private static long quote(StreamClient ws, int instrument, String side, String price, String clientOrderId)
            throws Exception {
        MeridianClient.Order order = MeridianClient.Order.limit(0, instrument, side, price, SIZE)
                .withPostOnly("reject").withClientOrderId(clientOrderId);
        return ws.place(order).get(10, TimeUnit.SECONDS).get("orderId").asLong();
    }

    /** Cancels an order unless it has ended (filled in full: the engine answers 2019 UNKNOWN_ORDER, which is fine). */
    private static void cancelIfOpen(StreamClient ws, int instrument, long orderId) throws Exception {
        if (orderId == 0) {
            return;
        }
        try {
            ws.cancel(0, instrument, orderId).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ApiException refused) || refused.code() != 2019) {
                throw e;
            }
        }
    }

    /** Every item of every page a query gives, following the next-page cursor. */
    private static int countPages(Function<String, MeridianClient.Page> pages, String query) {
        int items = 0;
        String cursor = null;
        do {
            MeridianClient.Page page = pages.apply(query + (cursor == null ? "" : "&cursor=" + cursor));
            items += page.items().size();
            cursor = page.next();
        } while (cursor != null);
        return items;
    }

    /** The mark moved by {@code ticks} ticks, on the tick grid. */
    private static String price(BigDecimal mark, BigDecimal tick, int ticks) {
        BigDecimal onGrid = mark.divide(tick, 0, RoundingMode.HALF_UP).add(BigDecimal.valueOf(ticks));
        return onGrid.multiply(tick).toPlainString();
    }
}
