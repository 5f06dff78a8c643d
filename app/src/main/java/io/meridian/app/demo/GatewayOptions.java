package io.meridian.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.ApiException;
import io.meridian.client.LocalBook;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.client.StreamClient;
import io.meridian.node.NodeConfig;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The options part of {@link GatewayDemo}, on the built-in venue's BTC options, all through the gateway:
 * <ul>
 *   <li>the index BTC-USD is fed through the dev oracle ({@code POST /v1/dev/oracle}) from its three sources, each
 *       reporting the demo's BTC fair price with its own small noise;</li>
 *   <li>the chain is marked from a volatility smile ({@code POST /v1/dev/surface}): a skew (higher vols below the
 *       money) over a rising term structure, its level drifting a little at every post;</li>
 *   <li>an option market maker (its own key, in a WebSocket session it logged in to) quotes two levels a side around
 *       the marks of six series, the 45,000, 50,000 and 55,000 calls and puts of the first expiry at least a week
 *       away, and the demo's takers send IOC orders on them, each signed by the taker's agent key;</li>
 *   <li>a hedger opts into portfolio margin ({@code POST /v1/settings}, owner-signed) and holds a call spread, short
 *       the 50,000 call and long the 55,000 call: its loss is capped at the strikes' distance, which portfolio margin
 *       sees and standard margin (the short leg alone) does not. The summary prints its margin in both regimes and its
 *       greeks from {@code GET /v1/greeks}.</li>
 * </ul>
 * Seeded like the rest of the demo; what it sends is bounded per second.
 */
final class GatewayOptions {
    private static final String[] STRIKES = {"45000", "50000", "55000"};
    /** Strikes quoted to the surface and their vols above the at-the-money level: the smile's skew. */
    private static final int[] SMILE_STRIKES = {35_000, 40_000, 45_000, 50_000, 55_000, 60_000, 65_000};
    private static final double[] SKEW = {0.15, 0.08, 0.02, 0.0, 0.01, 0.04, 0.09};
    private static final double ATM_VOL = 0.60;
    /** Extra vol per later expiry: a rising term structure (more total variance later, so no calendar arbitrage). */
    private static final double TERM_SLOPE = 0.02;
    /** Only expiries at least this far away are quoted to the surface (and traded); nearer ones take its first smile. */
    private static final long MIN_TTE_NANOS = TimeUnit.DAYS.toNanos(7);
    private static final String QUOTE_QUANTITY = "0.2";
    private static final String SPREAD_QUANTITY = "0.2";
    private static final int LEVELS = 2;

    private final MeridianClient client;
    private final SplittableRandom random;
    private final int index = NodeConfig.DEFAULT_BTC_INDEX;
    private final List<Long> expiries;
    private final int[] series;
    private final String[] symbols;
    private final BigDecimal tick;
    private final BigDecimal lot;
    private final StreamClient maker;
    private final MeridianClient hedger;
    private final Map<Integer, BigDecimal> marks = new ConcurrentHashMap<>();
    private final Map<Long, Integer> quotes = new ConcurrentHashMap<>();
    private final AtomicLong trades = new AtomicLong();
    private final AtomicLong tradedLots = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** The surface's at-the-money vol offset: a bounded walk. */
    private double level;
    private String surfaceRefused;

    private GatewayOptions(MeridianClient client, SplittableRandom random, List<Long> expiries, int[] series,
                           String[] symbols, BigDecimal tick, BigDecimal lot, StreamClient maker, MeridianClient hedger) {
        this.client = client;
        this.random = random;
        this.expiries = expiries;
        this.series = series;
        this.symbols = symbols;
        this.tick = tick;
        this.lot = lot;
        this.maker = maker;
        this.hedger = hedger;
    }

    /**
     * Finds the series to trade, funds the maker and the hedger the first time, feeds the index, marks the chain and
     * quotes; null when the venue lists no BTC options a week or more from expiry. The maker's session is added to
     * {@code sockets} (the caller closes them). Then {@link #openSpread}, once the caller listens to the series' trades.
     */
    static GatewayOptions open(MeridianClient client, Eip712Domain domain, SplittableRandom random, long indexCents,
                               long approvedUntil, List<StreamClient> sockets, DemoFunding funding, PrintStream out)
            throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.currentTimeMillis() * 1_000_000L;
        TreeSet<Long> future = new TreeSet<>();
        List<JsonNode> options = new ArrayList<>();
        for (JsonNode in : client.instruments()) {
            if (in.path("kind").asText().equals("option") && in.path("index").asInt() == NodeConfig.DEFAULT_BTC_INDEX
                    && in.path("expiryNanos").asLong() > now + MIN_TTE_NANOS) {
                future.add(in.get("expiryNanos").asLong());
                options.add(in);
            }
        }
        if (future.isEmpty()) {
            return null;
        }
        long traded = future.first();
        int[] series = new int[2 * STRIKES.length];
        String[] symbols = new String[series.length];
        BigDecimal tick = null;
        BigDecimal lot = null;
        for (JsonNode in : options) {
            int strike = List.of(STRIKES).indexOf(in.get("strike").asText());
            if (in.get("expiryNanos").asLong() == traded && strike >= 0) {
                int at = 2 * strike + (in.get("right").asText().equals("call") ? 0 : 1);
                series[at] = in.get("id").asInt();
                symbols[at] = in.get("symbol").asText();
                tick = new BigDecimal(in.get("tickSize").asText());
                lot = new BigDecimal(in.get("lotSize").asText());
            }
        }
        for (int id : series) {
            if (id == 0) {
                return null;
            }
        }
        Secp256k1PrivateKey makerKey = Secp256k1PrivateKey.of(GatewayDemo.sha256("meridian demo option maker"));
        Secp256k1PrivateKey hedgerKey = Secp256k1PrivateKey.of(GatewayDemo.sha256("meridian demo options hedger"));
        funding.fund(client.signedBy(Signer.owner(makerKey, domain)), "10000000");
        funding.fund(client.signedBy(Signer.owner(hedgerKey, domain)), "100000");
        funding.settle();
        StreamClient maker = new StreamClient(client, message -> { });
        sockets.add(maker);
        maker.login(Signer.owner(makerKey, domain), approvedUntil).get(10, TimeUnit.SECONDS);
        GatewayOptions desk = new GatewayOptions(client, random, List.copyOf(future), series, symbols, tick, lot, maker,
                client.signedBy(Signer.owner(hedgerKey, domain)));
        desk.feedIndex(indexCents);
        desk.mark();
        desk.requote().get(10, TimeUnit.SECONDS);
        out.println("demo: options: index BTC-USD fed by the dev oracle, the chain marked from an SVI surface; the option"
                + " maker quotes " + String.join(", ", symbols));
        return desk;
    }

    /** The series traded (ids), to subscribe to. */
    int[] series() {
        return series.clone();
    }

    /** One report per source: the fair price in cents with up to 50 cents of its own noise. */
    void feedIndex(long fairCents) {
        feedIndex(client, random, fairCents);
    }

    /**
     * One report per source of the venue's BTC index (which also prices BTC-PERP), the fair price in cents with up to
     * 50 cents of noise each; for a venue with or without options to trade.
     */
    static void feedIndex(MeridianClient client, SplittableRandom random, long fairCents) {
        for (int source = 0; source < 3; source++) {
            long cents = fairCents + random.nextInt(-50, 51);
            client.devOracle(NodeConfig.DEFAULT_BTC_INDEX, source, BigDecimal.valueOf(cents, 2).toPlainString());
        }
    }

    /** Posts the smile of every expiry a week or more away; the at-the-money level drifts by up to half a vol point. */
    void mark() {
        level = Math.max(-0.05, Math.min(0.05, level + 0.005 * random.nextInt(-1, 2)));
        List<MeridianClient.VolQuote> quotes = new ArrayList<>();
        // A demo left running for days outlives its nearest expiries: quotes only for those still a day away.
        long soon = (System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1)) * 1_000_000L;
        for (int e = 0; e < expiries.size(); e++) {
            for (int k = 0; k < SMILE_STRIKES.length && expiries.get(e) > soon; k++) {
                quotes.add(new MeridianClient.VolQuote(expiries.get(e), String.valueOf(SMILE_STRIKES[k]),
                        ATM_VOL + level + TERM_SLOPE * e + SKEW[k]));
            }
        }
        try {
            client.devSurface(index, quotes);
        } catch (ApiException e) {
            // The engine keeps the last marks; the summary says why the surface was refused.
            surfaceRefused = e.getMessage();
        }
    }

    /**
     * The maker cancels its option quotes and quotes again around each series' mark: two levels a side, 1.5% and 3%
     * of the mark (at least one and two ticks) away. Completes when every new quote is acknowledged.
     */
    CompletableFuture<Void> requote() {
        for (Map.Entry<Long, Integer> quote : quotes.entrySet()) {
            maker.cancel(0, quote.getValue(), quote.getKey());
        }
        quotes.clear();
        List<CompletableFuture<JsonNode>> placed = new ArrayList<>();
        for (int id : series) {
            JsonNode mark = client.ticker(id).get("mark");
            if (mark == null || mark.isNull()) {
                continue;
            }
            BigDecimal price = new BigDecimal(mark.asText());
            marks.put(id, price);
            for (int rung = 1; rung <= LEVELS; rung++) {
                BigDecimal away = price.multiply(BigDecimal.valueOf(15L * rung, 3)).max(tick.multiply(BigDecimal.valueOf(
                        rung)));
                for (boolean buy : new boolean[] {true, false}) {
                    BigDecimal quote = buy ? down(price.subtract(away)) : up(price.add(away));
                    if (quote.signum() <= 0) {
                        continue;
                    }
                    CompletableFuture<JsonNode> ack = maker.place(MeridianClient.Order.limit(0, id, buy ? "buy" : "sell",
                            quote.toPlainString(), QUOTE_QUANTITY));
                    placed.add(ack.whenComplete((answer, failure) -> {
                        if (failure != null) {
                            rejected.incrementAndGet();
                        } else if (!answer.path("restingQuantity").asText("0").equals("0")) {
                            quotes.put(answer.get("orderId").asLong(), id);
                        }
                    }));
                }
            }
        }
        return CompletableFuture.allOf(placed.stream().map(f -> f.exceptionally(failure -> null))
                .toArray(CompletableFuture[]::new));
    }

    /** A taker's IOC order on a random series, 1 to 5 lots, priced 4% through the mark: it meets the maker's quotes. */
    CompletableFuture<JsonNode> takerOrder(StreamClient taker) {
        int id = series[random.nextInt(series.length)];
        boolean buy = random.nextBoolean();
        String quantity = lot.multiply(BigDecimal.valueOf(1 + random.nextInt(5))).toPlainString();
        BigDecimal mark = marks.get(id);
        if (mark == null) {
            return CompletableFuture.completedFuture(null);
        }
        BigDecimal through = mark.multiply(new BigDecimal(buy ? "1.04" : "0.96"));
        BigDecimal price = (buy ? up(through) : down(through)).max(tick);
        CompletableFuture<JsonNode> ack = taker.place(MeridianClient.Order.limit(0, id, buy ? "buy" : "sell",
                price.toPlainString(), quantity).withTimeInForce("ioc"));
        return ack.whenComplete((answer, failure) -> {
            if (failure != null) {
                rejected.incrementAndGet();
            }
        });
    }

    /** Counts a trade message of the market stream if it is one of the series'. */
    void onTrade(JsonNode trade) {
        int instrument = trade.path("instrument").asInt();
        for (int id : series) {
            if (id == instrument) {
                trades.incrementAndGet();
                tradedLots.addAndGet(new BigDecimal(trade.path("quantity").asText("0")).divide(lot).longValue());
                return;
            }
        }
    }

    /** The per-second line's part: option trades and the at-the-money call's book. */
    String line(StreamClient market) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, " | options %,d trades", trades.get()));
        LocalBook book = market.book(series[2]);
        if (book != null && !book.bids().isEmpty() && !book.asks().isEmpty()) {
            line.append(String.format(Locale.ROOT, ", %s %s / %s", symbols[2], book.bids().firstKey().toPlainString(),
                    book.asks().firstKey().toPlainString()));
        }
        return line.toString();
    }

    /**
     * The hedger's spread, unless it holds options already (a rerun keeps its book): portfolio margin on, then short
     * the 50,000 call into the maker's bids and long the 55,000 call from its asks. Prints how it went.
     */
    void openSpread(PrintStream out) {
        out.println("demo: options: hedger " + hedger.signer().address().toChecksumHex() + ": " + spread());
    }

    private String spread() {
        try {
            if (!hedger.greeks(0).path("positions").isEmpty()) {
                return "holds its book from an earlier run";
            }
            if (marks.get(series[2]) == null || marks.get(series[4]) == null) {
                return "no marks to trade at yet";
            }
            hedger.setAccountMarginMode(0, "portfolio");
            JsonNode sold = hedger.place(MeridianClient.Order.limit(0, series[2], "sell",
                    down(marks.get(series[2]).multiply(new BigDecimal("0.95"))).max(tick).toPlainString(),
                    SPREAD_QUANTITY).withTimeInForce("ioc"));
            JsonNode bought = hedger.place(MeridianClient.Order.limit(0, series[4], "buy",
                    up(marks.get(series[4]).multiply(new BigDecimal("1.05"))).toPlainString(), SPREAD_QUANTITY)
                    .withTimeInForce("ioc"));
            return "portfolio margin on; sold " + sold.path("filledQuantity").asText() + " " + symbols[2] + " and bought "
                    + bought.path("filledQuantity").asText() + " " + symbols[4] + " (a call spread)";
        } catch (ApiException e) {
            return "could not open its spread: " + e.getMessage();
        }
    }

    /** The options section of the final summary. */
    void summary(PrintStream out) {
        BigDecimal contracts = lot.multiply(BigDecimal.valueOf(tradedLots.get())).stripTrailingZeros();
        String expiry = symbols[0].substring(0, symbols[0].indexOf('-', symbols[0].indexOf('-') + 1));
        out.printf(Locale.ROOT, "demo: options: %,d trades, %s contracts on %d series of %s; %,d option orders"
                        + " rejected%s%n", trades.get(), contracts.toPlainString(), series.length, expiry, rejected.get(),
                surfaceRefused == null ? "" : "; a surface was refused: " + surfaceRefused);
        JsonNode greeks = hedger.greeks(0);
        StringBuilder book = new StringBuilder();
        for (JsonNode position : greeks.path("positions")) {
            book.append(book.length() == 0 ? "" : ", ").append(position.path("size").asText()).append(' ')
                    .append(position.path("symbol").asText());
        }
        out.println("demo: options: hedger (account " + greeks.path("account").asLong() + ") holds "
                + (book.length() == 0 ? "no options" : book));
        for (JsonNode margin : greeks.path("margin")) {
            String other = margin.path("mode").asText().equals("portfolio") ? "standard" : "portfolio";
            out.printf(Locale.ROOT, "demo: options: hedger's option margin (%s mode): initial %s, maintenance %s %s;"
                            + " %s margin would need %s and %s%n",
                    margin.path("mode").asText(), money(margin, "initialMargin"), money(margin, "maintenanceMargin"),
                    margin.path("settle").asText(), other, money(margin, other + "InitialMargin"),
                    money(margin, other + "MaintenanceMargin"));
        }
        for (JsonNode net : greeks.path("net")) {
            out.printf(Locale.ROOT, "demo: options: hedger's greeks: delta %.4f BTC, gamma %.7f per USD, vega %.2f USD per"
                            + " vol point, theta %.2f USD a day%n", net.path("delta").asDouble(),
                    net.path("gamma").asDouble(), net.path("vega").asDouble() / 100, net.path("thetaPerDay").asDouble());
        }
    }

    private static String money(JsonNode margin, String field) {
        return String.format(Locale.ROOT, "%,.2f", new BigDecimal(margin.path(field).asText("0")));
    }

    private BigDecimal down(BigDecimal price) {
        return price.divide(tick, 0, RoundingMode.FLOOR).multiply(tick);
    }

    private BigDecimal up(BigDecimal price) {
        return price.divide(tick, 0, RoundingMode.CEILING).multiply(tick);
    }
}
