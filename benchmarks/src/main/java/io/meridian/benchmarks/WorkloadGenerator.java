package io.meridian.benchmarks;

import io.meridian.matching.NetPositions;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.util.Arrays;
import java.util.Locale;

/**
 * Builds the synthetic workloads, deterministically from a seed, after exchange-core's single-symbol throughput
 * test: pre-filled books, then a stream of about 9% new GTC limit orders, 3% IOC limit orders, 6% cancels and 82%
 * amends that move an order to a new price at the same quantity.
 *
 * <p>Generation drives real {@link OrderBook}s (not timed) and listens to their L3 events to know which orders are
 * open at every point, so each cancel and amend targets an order that is really open when it is applied, and no
 * command of the workload is rejected (generation fails loudly if one is).
 *
 * <p>Prices: each instrument has a centre that random-walks one tick at a time. Passive orders and passive moves go
 * to a uniformly random price within {@value #DEPTH_TICKS} ticks behind the centre (never through the opposite
 * best); aggressive ones to the opposite best plus 0-2 ticks, so they trade. IOC orders (1-5 lots) are always
 * aggressive. The share of aggressive GTC orders and moves follows the book size (1% at the target size, 0% at 95%
 * of it, more above it), which keeps each book near its target number of resting orders (1-10 lots each).
 */
public final class WorkloadGenerator {
    /** Per-mille shares of the stream; amends take the rest. */
    static final int GTC_PER_MILLE = 90;
    static final int IOC_PER_MILLE = 30;
    static final int CANCEL_PER_MILLE = 60;

    static final int DEPTH_TICKS = 100;
    static final long BASE_PRICE = 100_000;
    static final long CENTRE_RANGE = 5_000;
    static final int MAX_RESTING_QUANTITY = 10;
    static final double AGGRESSIVE_AT_TARGET = 0.01;
    static final double AGGRESSIVE_GAIN = 0.2;
    static final int MAX_IOC_QUANTITY = 5;

    private WorkloadGenerator() {
    }

    /**
     * What to generate.
     *
     * @param seed          names the workload: same seed and sizes, same commands
     * @param instruments   number of instruments, ids 0..instruments-1
     * @param accounts      account ids 1..accounts
     * @param restingOrders pre-filled resting orders over all instruments, and the book size the stream keeps
     * @param commands      length of the measured stream
     */
    public record Config(long seed, int instruments, int accounts, int restingOrders, int commands) {
        public Config {
            if (instruments < 1 || accounts < 1 || restingOrders < instruments * 2 || commands < 0) {
                throw new IllegalArgumentException("bad workload size: " + instruments + " instruments, " + accounts
                        + " accounts, " + restingOrders + " resting orders, " + commands + " commands");
            }
        }

        /** exchange-core's single-symbol shape: 1 instrument, 1,000 accounts, 1,000 resting orders. */
        public static Config singleInstrument(long seed, int commands) {
            return new Config(seed, 1, 1_000, 1_000, commands);
        }

        /** 128 instruments, 10,000 accounts, 100,000 resting orders in total, commands spread evenly. */
        public static Config multiInstrument(long seed, int commands) {
            return new Config(seed, 128, 10_000, 100_000, commands);
        }
    }

    /** The instrument spec benchmarks use: tick 1, lot 1, no price band, 90% market protection. */
    public static InstrumentSpec spec(int id, String symbol) {
        // Tick 1 and lot 1 make one lot at one tick worth 1 USD (1e6 minor units): limits sized to stay within the
        // per-order notional cap while leaving the generated prices (around 100,000) and sizes (at most 10) room.
        return InstrumentSpec.perpetual(id, symbol, "BASE", "USD", "1", "1")
                .withQuantityLimits(1, 10_000)
                .withMaxPrice(400_000)
                .withPriceBandPpm(0)
                .withMarketProtectionPpm(900_000);
    }

    public static Workload generate(Config config) {
        return new Generation(config).run();
    }

    /** One generation run: the books, the open-order tracking and the random choices. */
    private static final class Generation implements EngineEvents {
        private final Config config;
        private final Rng rng;
        private final OrderBook[] books;
        private final long[] centres;
        private final int[] targets;
        /** Open order ids per instrument, unordered, with each id's slot in {@link #slotOf}. */
        private final long[][] open;
        private final int[] openCount;
        private long totalOpen;
        private final int[] slotOf;
        private final int[] accountOf;
        private final long[] priceOf;
        private final boolean[] buyOf;
        private long nextOrderId = 1;
        private long sequence;
        private long timestamp;
        private int rejects;
        private String firstReject;
        private long trades;
        private final long[] mix = new long[4];

        Generation(Config config) {
            this.config = config;
            this.rng = new Rng(config.seed());
            int n = config.instruments();
            this.books = new OrderBook[n];
            this.centres = new long[n];
            this.targets = new int[n];
            this.open = new long[n][];
            this.openCount = new int[n];
            for (int i = 0; i < n; i++) {
                books[i] = new OrderBook(spec(i, symbol(i, n)), this, new NetPositions(), 4096, 10_000_000);
                centres[i] = BASE_PRICE + 1_000L * i;
                targets[i] = config.restingOrders() / n + (i < config.restingOrders() % n ? 1 : 0);
                open[i] = new long[targets[i] * 2];
            }
            int ids = config.restingOrders() + config.commands() + 1;
            this.slotOf = new int[ids];
            this.accountOf = new int[ids];
            this.priceOf = new long[ids];
            this.buyOf = new boolean[ids];
            this.sequence = n;
            this.timestamp = Workload.FIRST_TIMESTAMP - Workload.TIMESTAMP_STEP;
        }

        Workload run() {
            int n = config.instruments();
            Command[] prefill = new Command[config.restingOrders()];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < targets[i]; j++) {
                    Side side = rng.nextBoolean() ? Side.BUY : Side.SELL;
                    Command c = newOrder(i, side, passivePrice(i, side), rng.between(1, MAX_RESTING_QUANTITY),
                            TimeInForce.GTC);
                    prefill[k++] = apply(c);
                }
            }
            long tradesBeforeStream = trades;
            Command[] commands = new Command[config.commands()];
            long restingSum = 0;
            for (int j = 0; j < commands.length; j++) {
                commands[j] = apply(next());
                restingSum += totalOpen;
            }
            long[] accounts = new long[config.accounts()];
            for (int a = 0; a < accounts.length; a++) {
                accounts[a] = a + 1;
            }
            int resting = 0;
            for (int i = 0; i < n; i++) {
                resting += openCount[i];
            }
            double total = Math.max(1, commands.length);
            String description = String.format(Locale.ROOT,
                    "%s, seed %d: %.1f%% GTC / %.1f%% IOC / %.1f%% cancel / %.1f%% amend, %d trades in the stream,"
                            + " %.0f resting orders on average, %d at the end",
                    n == 1 ? "single-instrument mix" : "multi-instrument mix", config.seed(), mix[0] * 100 / total,
                    mix[1] * 100 / total, mix[2] * 100 / total, mix[3] * 100 / total, trades - tradesBeforeStream,
                    restingSum / total, resting);
            return new Workload(description, specs(), prefill, commands, accounts);
        }

        private InstrumentSpec[] specs() {
            InstrumentSpec[] specs = new InstrumentSpec[books.length];
            for (int i = 0; i < specs.length; i++) {
                specs[i] = books[i].spec();
            }
            return specs;
        }

        private Command next() {
            int instrument = books.length == 1 ? 0 : rng.nextInt(books.length);
            walkCentre(instrument);
            int roll = rng.nextInt(1000);
            if (openCount[instrument] == 0 || roll < GTC_PER_MILLE) {
                mix[0]++;
                Side side = rng.nextBoolean() ? Side.BUY : Side.SELL;
                long price = aggressive(instrument) ? aggressivePrice(instrument, side) : passivePrice(instrument, side);
                return newOrder(instrument, side, price, rng.between(1, MAX_RESTING_QUANTITY), TimeInForce.GTC);
            }
            if (roll < GTC_PER_MILLE + IOC_PER_MILLE) {
                mix[1]++;
                Side side = rng.nextBoolean() ? Side.BUY : Side.SELL;
                return newOrder(instrument, side, aggressivePrice(instrument, side), rng.between(1, MAX_IOC_QUANTITY),
                        TimeInForce.IOC);
            }
            long orderId = open[instrument][rng.nextInt(openCount[instrument])];
            if (roll < GTC_PER_MILLE + IOC_PER_MILLE + CANCEL_PER_MILLE) {
                mix[2]++;
                return new Command().cancel(accountOf[(int) orderId], instrument, orderId);
            }
            mix[3]++;
            Side side = buyOf[(int) orderId] ? Side.BUY : Side.SELL;
            long current = priceOf[(int) orderId];
            long price = aggressive(instrument) ? aggressivePrice(instrument, side) : passivePrice(instrument, side);
            if (price == current) {
                price = side == Side.BUY ? price - 1 : price + 1;
            }
            return new Command().amend(accountOf[(int) orderId], instrument, orderId, price, 0);
        }

        private Command newOrder(int instrument, Side side, long price, int quantity, TimeInForce tif) {
            long orderId = nextOrderId++;
            int account = rng.between(1, config.accounts());
            accountOf[(int) orderId] = account;
            return new Command().limit(account, instrument, orderId, side, price, quantity, tif);
        }

        /** Aggressive with a probability that grows with the book: 1% at the target size, 0% at 95% of it. */
        private boolean aggressive(int instrument) {
            double ratio = (double) openCount[instrument] / targets[instrument];
            double p = Math.max(0, Math.min(0.5, AGGRESSIVE_AT_TARGET + AGGRESSIVE_GAIN * (ratio - 1)));
            return rng.nextDouble() < p;
        }

        private long passivePrice(int instrument, Side side) {
            OrderBook book = books[instrument];
            long offset = 1 + rng.nextInt(DEPTH_TICKS);
            if (side == Side.BUY) {
                long price = centres[instrument] - offset;
                long ask = book.bestAsk();
                return Math.max(1, ask > 0 ? Math.min(price, ask - 1) : price);
            }
            long price = centres[instrument] + offset;
            long bid = book.bestBid();
            return bid > 0 ? Math.max(price, bid + 1) : price;
        }

        /** The opposite best plus 0-2 ticks of slippage; the centre when the opposite side is empty. */
        private long aggressivePrice(int instrument, Side side) {
            OrderBook book = books[instrument];
            long best = side == Side.BUY ? book.bestAsk() : book.bestBid();
            if (best == 0) {
                return centres[instrument];
            }
            long slippage = rng.nextInt(3);
            return side == Side.BUY ? best + slippage : Math.max(1, best - slippage);
        }

        private void walkCentre(int instrument) {
            if (rng.nextInt(50) == 0) {
                long base = BASE_PRICE + 1_000L * instrument;
                long centre = centres[instrument] + (rng.nextBoolean() ? 1 : -1);
                centres[instrument] = Math.max(base - CENTRE_RANGE, Math.min(base + CENTRE_RANGE, centre));
            }
        }

        private Command apply(Command c) {
            c.sequence = ++sequence;
            timestamp += Workload.TIMESTAMP_STEP;
            c.timestamp = timestamp;
            MatchingTarget.applyTo(books[c.instrument], c);
            if (rejects > 0) {
                throw new IllegalStateException("generator bug: a generated command was rejected: " + firstReject);
            }
            return c;
        }

        // ---------------------------------------------------------------------------------------- open-order tracking

        @Override
        public void bookOrderChanged(long seq, long ts, int instrument, long l3Sequence, L3Action action, long orderId,
                                     Side side, long price, long visibleQuantity) {
            if (action == L3Action.ADD) {
                int id = (int) orderId;
                long[] ids = open[instrument];
                if (openCount[instrument] == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2);
                    open[instrument] = ids;
                }
                slotOf[id] = openCount[instrument];
                ids[openCount[instrument]++] = orderId;
                totalOpen++;
                priceOf[id] = price;
                buyOf[id] = side == Side.BUY;
            } else if (action == L3Action.REMOVE) {
                long[] ids = open[instrument];
                int slot = slotOf[(int) orderId];
                long last = ids[--openCount[instrument]];
                totalOpen--;
                ids[slot] = last;
                slotOf[(int) last] = slot;
            }
        }

        @Override
        public void tradeExecuted(long seq, long ts, int instrument, long tradeId, Side takerSide, long price,
                                  long quantity) {
            trades++;
        }

        @Override
        public void commandRejected(long seq, long ts, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            if (rejects++ == 0) {
                firstReject = command + " of order " + orderId + " on instrument " + instrument + ": " + reason;
            }
        }
    }

    static String symbol(int instrument, int instruments) {
        return instruments == 1 ? "BENCH-PERP" : String.format(Locale.ROOT, "BENCH%03d-PERP", instrument);
    }
}
