package io.meridian.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Hex;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.MeridianClient;
import io.meridian.client.Reactor;
import io.meridian.client.Signer;
import io.meridian.client.WebSocketConnection;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.HdrHistogram.Histogram;

import io.meridian.app.Cli;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian load --url URL --seconds S [options]}: drives a node's WebSocket order entry with the client library
 * ({@link WebSocketConnection} on one {@link Reactor} thread) and measures it. Loopback only.
 *
 * <p>Each connection keeps {@code --window} orders in flight, drawn from {@code --seed}: half are makers (GTC limit
 * orders 1 to 20 ticks away from the instrument's mark on the passive side, 1 to 9 lots, which rest), half takers
 * (IOC limit orders priced 20 ticks through the mark, 1 to 12 lots, which trade against the best resting orders and
 * cancel the rest). Takers being larger on average keeps the book small without cancels, so a long run measures the
 * same work throughout and never reaches an open-order limit. An answer frees a slot for the next order. Latency is
 * from queueing an order to reading its answer (the node answers after the order is journaled and applied).
 *
 * <p>Authorisation ({@code --auth}): {@code session} (default) funds an address per connection through
 * {@code POST /v1/dev/deposit}, approves an agent key for it (or, with {@code --key owner}, uses the owner key), logs the
 * connection in with one signature and then sends unsigned orders; {@code signed} signs every order with the
 * connection's agent key (Ed25519; {@code --key owner}: secp256k1) inside the timed loop, or with {@code --presign}
 * before it; {@code none} names account ids (the node's auth mode must be open).
 *
 * <p>Beside the orders ({@code --idle-subscribers N}): N WebSocket connections that subscribe to the instrument's book
 * at {@code --idle-depth} and never read again ({@link IdleSubscribers}), the attack of issue 16; and
 * ({@code --health-interval-ms}) {@code GET /health} timed during the measured seconds ({@link HealthSampler}). Both
 * report before the last line.
 *
 * <p>With {@code --protocol binary} the same orders go over the binary (SBE) order entry instead ({@link BinaryLoad}),
 * one {@link io.meridian.client.BinaryOrderEntry} session per connection, with the same output.
 *
 * <p>The last line is {@code orders_per_s=<int> p50_us=<int> p99_us=<int> errors=<int>} (a contract scripts depend
 * on): orders answered per second; errors are error frames and orders never answered. Engine rejects are answers
 * and are reported on the line above.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Options, validated. */
    record Options(String url, int seconds, int warmup, int connections, int window, int accounts, long maxOrders,
                   String auth, String key, boolean presign, int instrument, long seed, int idleSubscribers,
                   int idleDepth, int idlePerAddress, int healthIntervalMs, String protocol, int binaryPort) {
    }

    /** {@code meridian load}. */
    @picocli.CommandLine.Command(name = "load", description = {"WebSocket (or binary) order entry (client library) against a node"
            + " on loopback; the last line is orders_per_s=<int> p50_us=<int> p99_us=<int> errors=<int>.",
            "The node must be in dev mode (and"
            + " in auth mode open for --auth none)."})
    public static final class LoadCommand extends Cli.Command {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "the node's http://127.0.0.1:PORT")
        String url;
        @Option(names = "--protocol", paramLabel = "json|binary", description = "json (default): WebSocket JSON;"
                + " binary: the SBE order entry on --binary-port (docs/binary-protocol.md)")
        String protocol = "json";
        @Option(names = "--binary-port", paramLabel = "PORT", description = "the node's binary.port (with --protocol"
                + " binary)")
        int binaryPort;
        @Option(names = "--seconds", paramLabel = "S", description = "measured seconds, 1..600 (default 10)")
        int seconds = 10;
        @Option(names = "--warmup", paramLabel = "S", description = "unmeasured seconds first, 0..60 (default 0)")
        int warmup;
        @Option(names = "--connections", paramLabel = "N", description = "WebSocket connections, 1..64 (default 4)")
        int connections = 4;
        @Option(names = "--window", paramLabel = "W", description = "orders in flight per connection, 1..10000 (default"
                + " 32)")
        int window = 32;
        @Option(names = "--accounts", paramLabel = "N", description = "accounts, 1..100000 (default: one per connection;"
                + " 100 with --auth none)")
        Integer accounts;
        @Option(names = "--max-orders", paramLabel = "N", description = "stop after this many orders (default"
                + " 50,000,000)")
        long maxOrders = 50_000_000;
        @Option(names = "--auth", paramLabel = "session|signed|none", description = "session (default): a login per"
                + " connection; signed: every order signed; none: account ids (auth mode open)")
        String auth = "session";
        @Option(names = "--key", paramLabel = "agent|owner", description = "the key that signs (default agent)")
        String key = "agent";
        @Option(names = "--presign", description = "with --auth signed: sign the orders before the timed loop")
        boolean presign;
        @Option(names = "--instrument", paramLabel = "ID", description = "the instrument, 1..1023 (default 1)")
        int instrument = 1;
        @Option(names = "--seed", paramLabel = "N", description = "the orders' seed (default 1)")
        long seed = 1;
        @Option(names = "--idle-subscribers", paramLabel = "N", description = "book subscribers that never read,"
                + " 0..10000 (default 0)")
        int idleSubscribers;
        @Option(names = "--idle-depth", paramLabel = "D", description = "their book depth, 1..1000 (default 1000)")
        int idleDepth = 1000;
        @Option(names = "--idle-per-address", paramLabel = "K", description = "idle subscribers per source address,"
                + " 0..10000 (default 100)")
        int idlePerAddress = 100;
        @Option(names = "--health-interval-ms", paramLabel = "M", description = "time GET /health every M ms during the"
                + " run, 0..10000 (0: not at all; default 50)")
        int healthIntervalMs = 50;

        @Override
        public Integer call() {
            Options o;
            try {
                o = options();
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return run(o, out, err);
        }

        /** The options, validated. */
        Options options() {
            bounded(seconds, "--seconds", 1, 600);
            bounded(warmup, "--warmup", 0, 60);
            bounded(connections, "--connections", 1, 64);
            bounded(window, "--window", 1, 10_000);
            if (accounts != null) {
                bounded(accounts, "--accounts", 1, 100_000);
            }
            bounded(maxOrders, "--max-orders", 1, 1_000_000_000);
            bounded(instrument, "--instrument", 1, 1023);
            bounded(idleSubscribers, "--idle-subscribers", 0, 10_000);
            bounded(idleDepth, "--idle-depth", 1, 1000);
            bounded(idlePerAddress, "--idle-per-address", 0, 10_000);
            bounded(healthIntervalMs, "--health-interval-ms", 0, 10_000);
            if (!auth.equals("session") && !auth.equals("signed") && !auth.equals("none")) {
                throw new IllegalArgumentException("--auth must be session, signed or none");
            }
            if (!key.equals("agent") && !key.equals("owner")) {
                throw new IllegalArgumentException("--key must be agent or owner");
            }
        if (url == null) {
            throw new IllegalArgumentException("--url is required (the node's http://127.0.0.1:PORT)");
        }
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (!"http".equals(uri.getScheme())
                || !("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host))) {
            throw new IllegalArgumentException("loopback only (http://127.0.0.1:PORT): " + url);
        }
        if (!protocol.equals("json") && !protocol.equals("binary")) {
            throw new IllegalArgumentException("--protocol must be json or binary");
        }
        if (protocol.equals("binary") && (binaryPort < 1 || binaryPort > 65_535 || !auth.equals("session")
                || idleSubscribers > 0)) {
            throw new IllegalArgumentException("--protocol binary needs --binary-port 1..65535, --auth session (a Logon"
                    + " per connection) and no --idle-subscribers");
        }
        if (presign && !auth.equals("signed")) {
            throw new IllegalArgumentException("--presign goes with --auth signed");
        }
        int defaultAccounts = auth.equals("none") ? 100 : connections;
        return new Options(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, seconds, warmup, connections,
                window, accounts == null ? defaultAccounts : accounts, maxOrders, auth, key, presign, instrument, seed,
                idleSubscribers, idleDepth, idlePerAddress, healthIntervalMs, protocol, binaryPort);
        }
    }

    /** Parses and checks {@code args} (the arguments after {@code load}); a mistake is an IllegalArgumentException. */
    static Options parse(String[] args) {
        LoadCommand command = new LoadCommand();
        try {
            new picocli.CommandLine(command).parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command.options();
    }

    private static void bounded(long value, String option, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return io.meridian.app.Main.run(Cli.with(args, "load"), out, err);
    }

    /** Runs the load with these options; returns the exit code. */
    static int run(Options o, PrintStream out, PrintStream err) {
        MeridianClient client = new MeridianClient(o.url());
        Workload workload;
        List<Identity> identities;
        try {
            client.health();
            workload = Workload.of(client, o.instrument());
            identities = identities(client, o, workload);
        } catch (RuntimeException e) {
            err.println("load: setting up against " + o.url() + " failed: " + e.getMessage()
                    + (o.auth().equals("none") ? " (the node must be in dev mode, auth mode open)"
                    : " (the node must be in dev mode)"));
            return 1;
        }
        Run run = new Run(o);
        if (o.protocol().equals("binary")) {
            return BinaryLoad.run(o, run, workload, identities, out, err);
        }
        URI ws = URI.create(o.url().replaceFirst("^http", "ws") + "/ws");
        List<Sender> senders = new ArrayList<>();
        IdleSubscribers idle;
        try {
            idle = IdleSubscribers.open(ws.getHost(), ws.getPort(), o.idleSubscribers(), o.instrument(), o.idleDepth(),
                    o.idlePerAddress());
        } catch (java.io.IOException | RuntimeException e) {
            err.println("load: opening " + o.idleSubscribers() + " idle subscriber(s) failed: " + e.getMessage()
                    + " (the node's subscription cap per address, or the machine's open files limit?)");
            return 1;
        }
        HealthSampler health = o.healthIntervalMs() == 0 ? null
                : new HealthSampler(ws.getHost(), ws.getPort(), o.healthIntervalMs());
        try (Reactor reactor = new Reactor("meridian-load"); idle) {
            for (int c = 0; c < o.connections(); c++) {
                Sender sender = new Sender(run, workload, o, identities, c, new SplittableRandom(o.seed() + c));
                sender.connect(ws, reactor);
                senders.add(sender);
            }
            for (Sender s : senders) {
                s.awaitReady();
            }
            if (o.presign()) {
                for (Sender s : senders) {
                    s.presign(o.maxOrders() < 50_000_000 ? o.maxOrders() / o.connections() + 1 : 200_000);
                }
            }
            out.printf(Locale.ROOT, "load: seed %d, auth %s%s, %d connection(s), %d in flight each, %d s%s against %s%n",
                    o.seed(), o.auth(), o.auth().equals("none") ? ", " + o.accounts() + " accounts"
                            : " (" + o.key() + " key" + (o.presign() ? ", orders pre-signed" : "") + ")",
                    o.connections(), o.window(), o.seconds(), o.warmup() > 0 ? " after " + o.warmup() + " s warm-up"
                            : "", o.url());
            if (idle.size() > 0) {
                out.println("load: " + idle.describe(o.instrument(), o.idleDepth()));
            }
            long start = System.nanoTime();
            run.measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmup());
            run.end = run.measureFrom + TimeUnit.SECONDS.toNanos(o.seconds());
            if (health != null) {
                health.start(run.measureFrom, run.end);
            }
            reactor.execute(() -> {
                for (Sender s : senders) {
                    s.start();
                }
            });
            boolean drained;
            try {
                drained = run.done.await(o.warmup() + o.seconds() + 30L, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            }
            CountDownLatch collected = new CountDownLatch(1);
            reactor.execute(() -> {
                run.finish(senders);
                collected.countDown();
            });
            try {
                collected.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Sender s : senders) {
                s.close();
            }
            if (!drained) {
                err.println("load: some messages were never answered (counted as errors)");
            }
            if (health != null) {
                health.stop();
                health.report(out);
            }
            if (idle.size() > 0) {
                try {
                    IdleSubscribers.printCensus(out, idle.census(3000));
                } catch (java.io.IOException e) {
                    err.println("load: counting the idle subscribers failed: " + e);
                }
            }
        }
        return run.report(out);
    }

    /** The instrument's scales and starting price. */
    record Workload(int instrument, long markTicks, long tickUnscaled, int tickScale, long lotUnscaled, int lotScale,
                    BigDecimal tick, BigDecimal lot) {
        static Workload of(MeridianClient client, int instrument) {
            JsonNode spec = null;
            for (JsonNode in : client.instruments()) {
                if (in.path("id").asInt() == instrument) {
                    spec = in;
                }
            }
            if (spec == null) {
                throw new IllegalArgumentException("no instrument " + instrument);
            }
            BigDecimal tick = new BigDecimal(spec.path("tickSize").asText());
            BigDecimal lot = new BigDecimal(spec.path("lotSize").asText());
            String mark = client.ticker(instrument).path("mark").asText();
            long markTicks = new BigDecimal(mark).divideToIntegralValue(tick).longValueExact();
            return new Workload(instrument, markTicks, tick.unscaledValue().longValueExact(), tick.scale(),
                    lot.unscaledValue().longValueExact(), lot.scale(), tick, lot);
        }
    }

    /** Who a connection trades as: an account id, or a signer (owner or agent) for an address. */
    record Identity(long account, Signer signer, String addressHex, String agentHex) {
    }

    private static List<Identity> identities(MeridianClient client, Options o, Workload workload) {
        List<Identity> list = new ArrayList<>();
        if (o.auth().equals("none")) {
            for (long account = 1; account <= o.accounts(); account++) {
                client.devDeposit(account, 0, "100000000");
                list.add(new Identity(account, null, null, null));
            }
            return list;
        }
        // Fresh keys each run: a node remembers an agent's nonces, so reusing keys across runs would collide with
        // nonces the last run pushed ahead of the clock. The order stream is what --seed makes repeatable.
        SecureRandom random = new SecureRandom();
        Eip712Domain domain = client.domain();
        long validUntil = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(23);
        for (int a = 0; a < o.accounts(); a++) {
            Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
            client.devDeposit(owner.address(), 0, "100000000");
            Signer ownerSigner = Signer.owner(owner, domain);
            if (o.key().equals("owner")) {
                list.add(new Identity(0, ownerSigner, Hex.encode0x(owner.address().toBytes()), null));
            } else {
                byte[] seed = new byte[32];
                random.nextBytes(seed);
                AgentSigner agent = AgentSigner.of(seed);
                client.signedBy(ownerSigner).approveAgent(agent, "load-" + a, validUntil);
                list.add(new Identity(0, Signer.agent(owner.address(), agent, domain),
                        Hex.encode0x(owner.address().toBytes()), Hex.encode0x(agent.publicKey().toBytes())));
            }
        }
        return list;
    }

    /** State shared by the senders: confined to the reactor thread once the run starts. */
    static final class Run {
        final Options options;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final CountDownLatch done;
        long measureFrom;
        long end;
        long sent;
        long answered;
        long filled;
        long rejects;
        long errors;
        long lastAnswer;
        long unanswered;
        String firstError;
        String firstReject;

        Run(Options options) {
            this.options = options;
            this.done = new CountDownLatch(options.connections());
        }

        void finish(List<Sender> senders) {
            for (Sender s : senders) {
                unanswered += s.inFlight;
            }
        }

        int report(PrintStream out) {
            double seconds = lastAnswer <= end ? options.seconds() : (lastAnswer - measureFrom) / 1e9;
            long totalErrors = errors + unanswered;
            out.printf(Locale.ROOT, "answered %,d orders in %.1f s (%,d traded, %,d engine rejects%s)%n", answered,
                    seconds, filled, rejects, firstReject == null ? "" : "; first: " + firstReject);
            out.printf(Locale.ROOT, "latency from send to answer: p50 %d us, p90 %d us, p99 %d us, p99.9 %d us, max %d us;"
                            + " %d errors%s%n", latency.getValueAtPercentile(50) / 1000,
                    latency.getValueAtPercentile(90) / 1000, latency.getValueAtPercentile(99) / 1000,
                    latency.getValueAtPercentile(99.9) / 1000, latency.getMaxValue() / 1000, totalErrors,
                    firstError == null ? "" : " (first: " + firstError + ")");
            out.println("orders_per_s=" + Math.round(answered / seconds) + " p50_us="
                    + latency.getValueAtPercentile(50) / 1000 + " p99_us=" + latency.getValueAtPercentile(99) / 1000
                    + " errors=" + totalErrors);
            return 0;
        }
    }

    /** One connection with a window of orders in flight. Reactor thread only once connected. */
    static final class Sender implements WebSocketConnection.Listener {
        private static final byte[] ID_FIELD = "\"id\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] FILLED_ZERO = "\"filledQuantity\":\"0\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);

        private final Run run;
        private final Workload workload;
        private final Options options;
        private final Identity identity;
        private final List<Identity> accounts;
        private final SplittableRandom random;
        private final MixedOrder order = new MixedOrder();
        private final int slots;
        private final long[] sentAt;
        private final boolean[] open;
        private final ByteText text = new ByteText(1024);
        private final CountDownLatch ready = new CountDownLatch(1);
        private WebSocketConnection connection;
        private byte[][] presigned;
        private int presignedNext;
        private long nextId = 1;
        int inFlight;
        private boolean finished;
        private volatile String loginFailure;

        Sender(Run run, Workload workload, Options options, List<Identity> identities, int index,
               SplittableRandom random) {
            this.run = run;
            this.workload = workload;
            this.options = options;
            this.accounts = identities;
            this.identity = options.auth().equals("none") ? null : identities.get(index % identities.size());
            this.random = random;
            this.slots = Integer.highestOneBit(Math.max(2, options.window()) * 4 - 1) << 1;
            this.sentAt = new long[slots];
            this.open = new boolean[slots];
        }

        void connect(URI uri, Reactor reactor) {
            connection = WebSocketConnection.open(uri, reactor, this);
            if (!options.auth().equals("session")) {
                ready.countDown();
                return;
            }
            Command c = new Command().reset();
            c.type = CommandType.OPEN_SESSION;
            c.validUntil = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(23);
            ObjectNode login = Signer.fields(JSON.createObjectNode(), identity.signer().sign(c))
                    .put("validUntil", c.validUntil).put("op", "login").put("id", 0);
            connection.send(login.toString());
        }

        void awaitReady() {
            try {
                if (!ready.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no answer to the login");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (loginFailure != null) {
                throw new IllegalStateException("login refused: " + loginFailure);
            }
        }

        /** Signs {@code count} orders (message id 0, replaced when sent) before the timed loop. */
        void presign(long count) {
            presigned = new byte[(int) Math.min(count, 5_000_000)][];
            for (int i = 0; i < presigned.length; i++) {
                encodeOrder(0);
                presigned[i] = text.toBytes();
            }
        }

        /** Reactor thread: fills the window. */
        void start() {
            for (int i = 0; i < options.window(); i++) {
                if (!sendNext()) {
                    break;
                }
            }
            if (inFlight == 0) {
                finish();
            }
        }

        private boolean sendNext() {
            long now = System.nanoTime();
            if (now >= run.end || run.sent >= options.maxOrders() || connection.isClosed()) {
                return false;
            }
            long id = nextId++;
            int slot = (int) (id & (slots - 1));
            if (presigned != null && presignedNext < presigned.length) {
                byte[] order = presigned[presignedNext++];
                // "id":0 -> "id":<id>
                int after = indexOf(order, 0, order.length, ID_FIELD) + ID_FIELD.length;
                text.clear().append(order, 0, after).append(id).append(order, after + 1, order.length - after - 1);
            } else {
                encodeOrder(id);
            }
            connection.send(text.bytes(), 0, text.length());
            open[slot] = true;
            sentAt[slot] = now;
            inFlight++;
            run.sent++;
            return true;
        }

        /** Encodes a new order with message id {@code id} into {@link #text}. */
        private void encodeOrder(long id) {
            MixedOrder o = order.draw(random, workload.markTicks());
            boolean buy = o.buy;
            boolean taker = o.taker;
            long ticks = o.ticks;
            long lots = o.lots;
            text.clear().append("{\"op\":\"order\",\"id\":").append(id);
            if (options.auth().equals("none")) {
                text.append(",\"account\":").append(accounts.get(random.nextInt(accounts.size())).account());
            }
            text.append(",\"instrument\":").append(workload.instrument()).append(",\"side\":\"")
                    .append(buy ? "buy" : "sell").append("\",\"price\":\"")
                    .appendDecimal(ticks * workload.tickUnscaled(), workload.tickScale()).append("\",\"quantity\":\"")
                    .appendDecimal(lots * workload.lotUnscaled(), workload.lotScale()).append('"');
            if (taker) {
                text.append(",\"timeInForce\":\"ioc\"");
            }
            if (options.auth().equals("signed")) {
                Command c = new Command().limit(0, workload.instrument(), 0, buy ? Side.BUY : Side.SELL, ticks, lots,
                        taker ? TimeInForce.IOC : TimeInForce.GTC);
                Command signed = identity.signer().sign(c);
                text.append(",\"address\":\"").append(identity.addressHex()).append("\",\"nonce\":")
                        .append(signed.nonce).append(",\"signature\":\"").append(Hex.encode0x(signed.signature))
                        .append('"');
                if (identity.agentHex() != null) {
                    text.append(",\"agentKey\":\"").append(identity.agentHex()).append('"');
                }
            }
            text.append('}');
        }

        @Override
        public void onText(byte[] b, int offset, int length) {
            long now = System.nanoTime();
            int type = answerType(b, offset, length);
            if (ready.getCount() > 0) {
                if (type != 'a') {
                    loginFailure = new String(b, offset, length, StandardCharsets.UTF_8);
                }
                ready.countDown();
                return;
            }
            long id = number(b, offset, length, ID_FIELD);
            int slot = (int) (id & (slots - 1));
            if (id <= 0 || id >= nextId || type == 0 || !open[slot]) {
                run.errors++;
                if (run.firstError == null) {
                    run.firstError = new String(b, offset, length, StandardCharsets.UTF_8);
                }
                return;
            }
            open[slot] = false;
            inFlight--;
            long sent = sentAt[slot];
            if (sent >= run.measureFrom && sent < run.end) {
                run.latency.recordValue(Math.min(run.latency.getHighestTrackableValue(), Math.max(0, now - sent)));
                run.lastAnswer = now;
                if (type == 'e') {
                    run.errors++;
                } else {
                    run.answered++;
                    if (type == 'r') {
                        run.rejects++;
                    } else if (indexOf(b, offset, length, FILLED_ZERO) < 0) {
                        run.filled++;
                    }
                }
            }
            if (type == 'e' && run.firstError == null) {
                run.firstError = new String(b, offset, length, StandardCharsets.UTF_8);
            }
            if (type == 'r' && run.firstReject == null) {
                run.firstReject = new String(b, offset, length, StandardCharsets.UTF_8);
            }
            if (!sendNext() && inFlight == 0) {
                finish();
            }
        }

        @Override
        public void onClose(Throwable cause) {
            if (ready.getCount() > 0) {
                loginFailure = "connection closed" + (cause == null ? "" : ": " + cause);
                ready.countDown();
            }
            finish();
        }

        private void finish() {
            if (!finished) {
                finished = true;
                run.done.countDown();
            }
        }

        void close() {
            connection.close();
        }

        /** 'a' ack, 'r' reject, 'e' error, 0 anything else. */
        private static int answerType(byte[] b, int offset, int length) {
            if (length < TYPE.length + 1 || indexOf(b, offset, TYPE.length, TYPE) != offset) {
                return 0;
            }
            int c = b[offset + TYPE.length];
            return c == 'a' || c == 'r' || c == 'e' ? c : 0;
        }

        /** The whole number after {@code field}, or -1. */
        static long number(byte[] b, int offset, int length, byte[] field) {
            int at = indexOf(b, offset, length, field);
            if (at < 0) {
                return -1;
            }
            long value = 0;
            int digits = 0;
            for (int i = at + field.length; i < offset + length && b[i] >= '0' && b[i] <= '9' && digits < 18; i++) {
                value = value * 10 + (b[i] - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }

        static int indexOf(byte[] b, int offset, int length, byte[] needle) {
            int last = offset + length - needle.length;
            outer:
            for (int i = offset; i <= last; i++) {
                for (int k = 0; k < needle.length; k++) {
                    if (b[i + k] != needle[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
