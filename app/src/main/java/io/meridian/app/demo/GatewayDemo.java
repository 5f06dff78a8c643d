package io.meridian.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.LocalBook;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.client.StreamClient;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code meridian demo}: starts a node (journal in {@code data/demo}, REST and WebSocket on 127.0.0.1), the built-in
 * venue (BTC-PERP, ETH-PERP and BTC options) in auth mode signed, funds the demo wallets the first time (dev deposits to
 * their addresses), and runs seeded agents that trade through the real gateway with the client library as a venue's
 * users would: market makers, each logged in to a WebSocket session with its owner key, quote around a random-walk
 * fair price (cancel and replace); takers send IOC orders each signed by an agent key their owner approved; a price
 * feed moves each mark once a second. On the options ({@link GatewayOptions}) the dev oracle feeds the BTC index from
 * the same fair price, a volatility surface marks the chain, an option maker quotes six series that the takers trade,
 * and a hedger in portfolio margin holds a call spread. Wallet keys are fixed (derived from their names), so a rerun
 * finds the same accounts. It prints the URLs, a summary every second and, at the end, an options summary. Ctrl-C (or
 * the end of {@code --seconds}) stops the agents, then the node, which flushes its journal; running it again recovers
 * the state and carries on, and {@code meridian verify --journal DIR/... --signatures} proves every order in it.
 */
public final class GatewayDemo {
    private static final int[] INSTRUMENTS = {1, 2};
    private static final long[] START_TICKS = {500_000, 300_000};
    private static final BigDecimal[] TICK = {new BigDecimal("0.1"), new BigDecimal("0.01")};
    /** Taker order sizes; makers quote ten times as much per level so the book stays two-sided. */
    private static final String[] QUANTITY = {"0.005", "0.05"};
    private static final String[] QUOTE_QUANTITY = {"0.05", "0.5"};
    private static final int MAKERS = 2;
    private static final int TAKERS = 20;
    /** BTC index cents per BTC-PERP tick (0.1). */
    private static final long CENTS_PER_TICK = 10;
    /** One taker step in this many sends an option order: about four a second at 100 steps a second. */
    private static final int OPTION_ORDER_ODDS = 25;

    private GatewayDemo() {
    }

    public static int run(long seconds, long seed, long rate, int port, String dataDir, boolean onChain,
                          PrintStream out) {
        DemoChain chain = null;
        if (onChain) {
            try {
                chain = DemoChain.start(java.nio.file.Path.of(dataDir), out);
            } catch (java.io.IOException | RuntimeException e) {
                out.println("demo: cannot start the local chain: " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        try {
            return run(seconds, seed, rate, port, dataDir, chain, out);
        } finally {
            if (chain != null) {
                chain.close();
            }
        }
    }

    private static int run(long seconds, long seed, long rate, int port, String dataDir, DemoChain chain,
                           PrintStream out) {
        Node node = startNode(port, dataDir, chain, out);
        if (node == null) {
            return 1;
        }
        DemoFunding funding = new DemoFunding(chain, node.settlement(), out);
        String base = announce(node, dataDir, out);
        MeridianClient client = new MeridianClient(base);
        Eip712Domain domain = client.domain();
        Secp256k1PrivateKey[] makers = makerKeys();
        long approvedUntil = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
        MeridianClient[] takers = fundAgents(client, domain, makers, approvedUntil, funding, out);
        if (takers == null) {
            node.close();
            return 1;
        }
        AtomicLong trades = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] stop = {false};
        Thread hook = new Thread(() -> {
            stop[0] = true;
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meridian-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SplittableRandom random = new SplittableRandom(seed);
        long[] fair = START_TICKS.clone();
        Map<Long, long[]> quotes = new ConcurrentHashMap<>();
        AtomicReference<GatewayOptions> desk = new AtomicReference<>();
        GatewayOptions options = null;
        // A session socket per maker, one socket per taker (signing each order with its agent key), and one for market
        // data, so a burst of acknowledgements never delays the stream.
        List<StreamClient> sockets = new ArrayList<>();
        try (StreamClient market = new StreamClient(client, m -> {
                 if (m.path("type").asText().equals("trade")) {
                     trades.incrementAndGet();
                     GatewayOptions o = desk.get();
                     if (o != null) {
                         o.onTrade(m);
                     }
                 }
             })) {
            StreamClient[] makerSockets = new StreamClient[MAKERS];
            for (int m = 0; m < MAKERS; m++) {
                makerSockets[m] = new StreamClient(client, message -> { });
                sockets.add(makerSockets[m]);
                makerSockets[m].login(Signer.owner(makers[m], domain), approvedUntil).get(10, TimeUnit.SECONDS);
            }
            StreamClient[] takerSockets = new StreamClient[TAKERS];
            for (int t = 0; t < TAKERS; t++) {
                takerSockets[t] = new StreamClient(takers[t], message -> { });
                sockets.add(takerSockets[t]);
            }
            for (int instrument : INSTRUMENTS) {
                market.subscribeBook(instrument, 50);
            }
            // A random stream of its own, split from the demo's seed.
            options = GatewayOptions.open(client, domain, random.split(), fair[0] * CENTS_PER_TICK, approvedUntil,
                    sockets, funding, out);
            if (options != null) {
                for (int instrument : options.series()) {
                    market.subscribeBook(instrument, 20);
                }
                desk.set(options);
                options.openSpread(out);
            } else {
                out.println("demo: options: the venue lists no BTC options a week or more from expiry; perpetuals only");
            }
            long begin = System.nanoTime();
            long nextSummary = begin + TimeUnit.SECONDS.toNanos(1);
            long nextMark = begin;
            long nextQuote = begin;
            long nextOptionQuote = begin + TimeUnit.SECONDS.toNanos(1);
            long step = TimeUnit.MILLISECONDS.toNanos(10);
            double perStep = rate / 100.0;
            double owed = 0;
            long lastAcked = 0;
            int second = 0;
            while (!stop[0] && (seconds == 0 || System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(seconds))) {
                long now = System.nanoTime();
                for (int i = 0; i < INSTRUMENTS.length; i++) {
                    fair[i] = Math.max(1, fair[i] + random.nextInt(-3, 4));
                }
                if (now >= nextMark) {
                    feedPrices(client, options, random, fair, second);
                    nextMark = now + TimeUnit.SECONDS.toNanos(1);
                }
                if (now >= nextQuote) {
                    requote(makerSockets, quotes, fair, acked, rejected);
                    nextQuote = now + TimeUnit.MILLISECONDS.toNanos(250);
                }
                if (options != null && now >= nextOptionQuote) {
                    options.requote();
                    nextOptionQuote = now + TimeUnit.SECONDS.toNanos(1);
                }
                owed += perStep;
                while (owed >= 1) {
                    owed -= 1;
                    int i = random.nextInt(INSTRUMENTS.length);
                    boolean buy = random.nextBoolean();
                    long ticks = fair[i] + (buy ? 1 : -1) * (2 + random.nextInt(8));
                    StreamClient taker = takerSockets[random.nextInt(TAKERS)];
                    track(taker.place(MeridianClient.Order.limit(0, INSTRUMENTS[i], buy ? "buy" : "sell",
                            price(ticks, i), QUANTITY[i]).withTimeInForce("ioc")), acked, rejected, null, null);
                }
                // About four option orders a second, whatever the perpetuals' rate.
                if (options != null && random.nextInt(OPTION_ORDER_ODDS) == 0) {
                    track(options.takerOrder(takerSockets[random.nextInt(TAKERS)]), acked, rejected, null, null);
                }
                if (now >= nextSummary) {
                    second++;
                    long a = acked.get();
                    out.println(summaryLine(second, a - lastAcked, trades.get(), rejected.get(), market, options));
                    lastAcked = a;
                    nextSummary += TimeUnit.SECONDS.toNanos(1);
                }
                long sleep = step - (System.nanoTime() - now);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            out.println("demo: a maker could not log in or quote: " + e);
        } finally {
            sockets.forEach(StreamClient::close);
            if (options != null) {
                try {
                    options.summary(out);
                } catch (RuntimeException e) {
                    out.println("demo: options: no summary: " + e);
                }
            }
            if (chain != null) {
                settleOnChain(chain, client.signedBy(Signer.owner(makers[0], domain)), node, out);
            }
            JsonNode health = client.health();
            node.close();
            out.println("demo: stopped at sequence " + health.get("sequence").asLong() + "; journal flushed; run again"
                    + " to continue from there");
            stopped.countDown();
            if (!stop[0]) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    /** Prints where the node listens and what it recovered; returns its base URL. */
    private static String announce(Node node, String dataDir, PrintStream out) {
        var start = node.engine().startReport();
        String base = "http://127.0.0.1:" + node.httpPort();
        out.println("demo: node at " + base + " (REST, GET /health) and ws://127.0.0.1:" + node.httpPort() + "/ws");
        out.println("demo: terminal at " + base + "/ (open it in a browser: the live book, trades and chart)");
        out.println("demo: data in " + dataDir + ": " + (start.lastSequence() == 0 ? "a new venue"
                : "recovered at sequence " + start.lastSequence() + " (" + start.replayed() + " journal records replayed"
                + (start.snapshot() == null ? "" : " after snapshot " + start.snapshot().sequence()) + ")"));
        return base;
    }

    /** With {@code --chain}: a maker's closing withdrawal, paid on chain, and its proof checked there. */
    private static void settleOnChain(DemoChain chain, MeridianClient maker, Node node, PrintStream out) {
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        try {
            chain.settleAndProve(maker, node.settlement(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.println("demo: chain: the closing withdrawal failed: " + e.getMessage());
        }
    }

    /**
     * Once a second: BTC-PERP is priced from the BTC index (with funding), which its sources report at the fair price;
     * ETH-PERP's mark is the operator's; every fifth second a new surface marks the option chain.
     */
    private static void feedPrices(MeridianClient client, GatewayOptions options, SplittableRandom random, long[] fair,
                                   int second) {
        for (int i = 1; i < INSTRUMENTS.length; i++) {
            client.devMark(INSTRUMENTS[i], price(fair[i], i));
        }
        if (options != null) {
            options.feedIndex(fair[0] * CENTS_PER_TICK);
            if (second % 5 == 4) {
                options.mark();
            }
        } else {
            GatewayOptions.feedIndex(client, random, fair[0] * CENTS_PER_TICK);
        }
    }

    /** Starts the demo's node: the built-in venue, signed requests only, journal in {@code dataDir}; null if it cannot. */
    private static Node startNode(int port, String dataDir, DemoChain chain, PrintStream out) {
        NodeConfig d = NodeConfig.defaults();
        // Every agent of the demo signs from this machine's one address: its budget of signature checks (1,000 a
        // second by default, against floods of forged signatures from one address) is opened up for them.
        NodeConfig.Auth dev = NodeConfig.Auth.signed();
        NodeConfig.Auth auth = new NodeConfig.Auth(dev.mode(), dev.chainId(), dev.verifyingContract(), 1_000_000,
                dev.maxReadTokenSeconds());
        NodeConfig config = new NodeConfig(dataDir, "127.0.0.1", port, "group_commit", 1_000_000, 65_536, true,
                d.assets(), d.instruments(), NodeConfig.DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT,
                NodeConfig.DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION, auth, false, d.markets());
        if (chain != null) {
            config = config.withChain(chain.settings());
        }
        try {
            return Node.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            // A data directory the venue cannot start on (say, one whose option series the config would change).
            out.println("demo: cannot start on " + dataDir + ": " + e.getMessage());
            return null;
        }
    }

    /** The makers' owner keys, fixed by their names. */
    private static Secp256k1PrivateKey[] makerKeys() {
        Secp256k1PrivateKey[] makers = new Secp256k1PrivateKey[MAKERS];
        for (int m = 0; m < MAKERS; m++) {
            makers[m] = Secp256k1PrivateKey.of(sha256("meridian demo maker " + m));
        }
        return makers;
    }

    /** Funds the makers and the takers' owners; the takers, or null (said why) when the money did not arrive. */
    private static MeridianClient[] fundAgents(MeridianClient client, Eip712Domain domain, Secp256k1PrivateKey[] makers,
                                               long approvedUntil, DemoFunding funding, PrintStream out) {
        try {
            for (Secp256k1PrivateKey maker : makers) {
                funding.fund(client.signedBy(Signer.owner(maker, domain)), "10000000");
            }
            return takers(client, domain, approvedUntil, funding);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            out.println("demo: cannot fund the wallets: " + e.getMessage());
            return null;
        }
    }

    /** The takers: funded owners whose orders are signed by an agent key approved until {@code approvedUntil}. */
    private static MeridianClient[] takers(MeridianClient client, Eip712Domain domain, long approvedUntil,
                                           DemoFunding funding) throws InterruptedException {
        MeridianClient[] takers = new MeridianClient[TAKERS];
        for (int t = 0; t < TAKERS; t++) {
            funding.fund(client.signedBy(Signer.owner(Secp256k1PrivateKey.of(sha256("meridian demo taker " + t)), domain)),
                    "100000");
        }
        // Every wallet funded so far (the makers too) has its money before an agent is approved for it.
        funding.settle();
        for (int t = 0; t < TAKERS; t++) {
            Secp256k1PrivateKey owner = Secp256k1PrivateKey.of(sha256("meridian demo taker " + t));
            AgentSigner agent = AgentSigner.of(sha256("meridian demo taker agent " + t));
            // Re-approved at every start (a newer nonce replaces the approval), so it never runs out mid-demo.
            client.signedBy(Signer.owner(owner, domain)).approveAgent(agent, "demo-taker", approvedUntil);
            takers[t] = client.signedBy(Signer.agent(owner.address(), agent, domain));
        }
        return takers;
    }

    /** The once-a-second line: rates, counts, each perpetual's top of book, and the options desk's part. */
    private static String summaryLine(int second, long acksPerSecond, long trades, long rejected, StreamClient market,
                                      GatewayOptions options) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "[%3ds] %,6d acks/s, %,d trades, %,d rejected, %d book resyncs", second, acksPerSecond, trades, rejected,
                market.resyncs()));
        for (int i = 0; i < INSTRUMENTS.length; i++) {
            LocalBook book = market.book(INSTRUMENTS[i]);
            if (book != null && !book.bids().isEmpty() && !book.asks().isEmpty()) {
                line.append(String.format(Locale.ROOT, " | %s %s / %s", INSTRUMENTS[i] == 1 ? "BTC" : "ETH",
                        book.bids().firstKey().toPlainString(), book.asks().firstKey().toPlainString()));
            }
        }
        if (options != null) {
            line.append(options.line(market));
        }
        return line.toString();
    }

    /** Each maker cancels its quotes and quotes again around the fair prices, in its session. */
    private static void requote(StreamClient[] makers, Map<Long, long[]> quotes, long[] fair, AtomicLong acked,
                                AtomicLong rejected) {
        for (Map.Entry<Long, long[]> quote : quotes.entrySet()) {
            makers[(int) quote.getValue()[0]].cancel(0, (int) quote.getValue()[1], quote.getKey());
        }
        quotes.clear();
        for (int maker = 0; maker < MAKERS; maker++) {
            for (int i = 0; i < INSTRUMENTS.length; i++) {
                for (int level = 1; level <= 5; level++) {
                    long spread = level * 3L + maker + 1;
                    for (boolean buy : new boolean[] {true, false}) {
                        long ticks = buy ? fair[i] - spread : fair[i] + spread;
                        track(makers[maker].place(MeridianClient.Order.limit(0, INSTRUMENTS[i], buy ? "buy" : "sell",
                                price(ticks, i), QUOTE_QUANTITY[i])), acked, rejected, quotes,
                                new long[] {maker, INSTRUMENTS[i]});
                    }
                }
            }
        }
    }

    private static void track(java.util.concurrent.CompletableFuture<JsonNode> answer, AtomicLong acked,
                              AtomicLong rejected, Map<Long, long[]> quotes, long[] owner) {
        answer.whenComplete((ack, failure) -> {
            if (failure != null) {
                rejected.incrementAndGet();
                return;
            }
            acked.incrementAndGet();
            if (quotes != null && !ack.path("restingQuantity").asText("0").equals("0")) {
                // A quote still resting: the next requote cancels it.
                quotes.put(ack.get("orderId").asLong(), owner);
            }
        });
    }

    /** A fixed 32-byte key from a name: demo wallets are the same on every run. */
    static byte[] sha256(String name) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String price(long ticks, int instrument) {
        return BigDecimal.valueOf(ticks).multiply(TICK[instrument]).setScale(TICK[instrument].scale(),
                RoundingMode.UNNECESSARY).toPlainString();
    }
}
