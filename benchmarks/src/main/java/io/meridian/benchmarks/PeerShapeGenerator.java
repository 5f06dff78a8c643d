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
 * A workload with the shape of exchange-core's published order-book benchmark (its {@code TestOrdersGenerator} at
 * 1,000 resting orders, 1,000 users; studied, not copied): one book around a slowly moving last-trade price, about
 * 71% of the stream moving a resting order a little towards the last trade, the rest new limit orders, IOC sweeps at
 * the price limit, cancels and size reductions. The share of each follows how far each side is below its target size,
 * as in the original:
 *
 * <ul>
 *   <li>a side short of orders (more than 3/4 of its half-target, or at start): half new GTC orders;</li>
 *   <li>a side a little short: 20% new GTC orders, 10% cancels, 10% reductions, 60% moves;</li>
 *   <li>a full side: 5% IOC sweeps (1 in 32 of them fill-or-kill), 2.5% cancels, 2.5% reductions, 90% moves.</li>
 * </ul>
 *
 * <p>New GTC orders sit within a deviation of 5% of the starting price on their own side of the last trade
 * (a sum of four uniform draws over a range that is itself random, so most are near it); sizes are
 * {@code 1 + a*b*c} with a, b, c uniform in 0..5; a move goes 1% of the way to the last trade, at least one tick. IOC
 * sweeps are limits at the edge of the allowed range (5 deviations from the starting price), so they take what the
 * book has at every price. A reduction of a resting order's size below what is left of it cancels it instead,
 * as exchange-core's reduce does.
 *
 * <p>Like {@link WorkloadGenerator}, generation drives a real {@link OrderBook} (not timed) and follows its events, so
 * every cancel, move and reduction targets an open order and no command is rejected.
 */
public final class PeerShapeGenerator {
    static final long START_PRICE = 30_000;
    static final long DEVIATION = START_PRICE / 20;
    static final long MIN_PRICE = START_PRICE - 5 * DEVIATION;
    static final long MAX_PRICE = START_PRICE + 5 * DEVIATION;
    /** Moves and cancels pick among the first open orders of the generator's list, as the original's map walk. */
    static final int PICK_WINDOW = 512;

    private PeerShapeGenerator() {
    }

    /** Seed, 1,000 resting orders (the pre-fill), 1,000 accounts, {@code commands} after the pre-fill. */
    public static Workload generate(long seed, int commands) {
        return new Generation(seed, 1_000, 1_000, commands).run();
    }

    private static final class Generation implements EngineEvents {
        private final long seed;
        private final Rng rng;
        private final OrderBook book;
        private final int targetHalf;
        private final int accounts;
        private final int commandCount;
        private final long[] open;
        private int openCount;
        private final int[] slotOf;
        private final int[] accountOf;
        private final long[] priceOf;
        private final long[] quantityOf;
        private final long[] leftOf;
        private final boolean[] buyOf;
        private int bids;
        private int asks;
        private long lastTrade = START_PRICE;
        private long nextOrderId = 1;
        private long sequence;
        private long timestamp = Workload.FIRST_TIMESTAMP - Workload.TIMESTAMP_STEP;
        private int rejects;
        private String firstReject;
        private long trades;
        private final long[] mix = new long[6];

        Generation(long seed, int resting, int accounts, int commands) {
            this.seed = seed;
            this.rng = new Rng(seed);
            this.book = new OrderBook(WorkloadGenerator.spec(0, "PEER-PERP"), this, new NetPositions(), 4096,
                    10_000_000);
            this.targetHalf = resting / 2;
            this.accounts = accounts;
            this.commandCount = commands;
            int ids = resting + commands + 1;
            this.open = new long[ids];
            this.slotOf = new int[ids];
            this.accountOf = new int[ids];
            this.priceOf = new long[ids];
            this.quantityOf = new long[ids];
            this.leftOf = new long[ids];
            this.buyOf = new boolean[ids];
        }

        Workload run() {
            Command[] prefill = new Command[targetHalf * 2];
            for (int i = 0; i < prefill.length; i++) {
                prefill[i] = apply(gtc(rng.nextBoolean() ? Side.BUY : Side.SELL));
            }
            long tradesBefore = trades;
            Arrays.fill(mix, 0);
            Command[] commands = new Command[commandCount];
            for (int i = 0; i < commands.length; i++) {
                commands[i] = apply(next());
            }
            long[] accountIds = new long[accounts];
            for (int a = 0; a < accountIds.length; a++) {
                accountIds[a] = a + 1;
            }
            double total = Math.max(1, commands.length);
            String description = String.format(Locale.ROOT,
                    "exchange-core's order-book shape, seed %d: %.1f%% GTC / %.1f%% IOC / %.1f%% cancel / %.1f%% move /"
                            + " %.1f%% reduce, %d trades in the stream, %d resting orders at the end",
                    seed, mix[0] * 100 / total, mix[1] * 100 / total, mix[2] * 100 / total,
                    mix[3] * 100 / total, mix[4] * 100 / total, trades - tradesBefore, openCount);
            return new Workload(description, new InstrumentSpec[] {book.spec()}, prefill, commands,
                    accountIds);
        }

        private Command next() {
            Side side = rng.nextInt(2) == 0 ? Side.BUY : Side.SELL;
            int lack = targetHalf - (side == Side.BUY ? bids : asks);
            boolean fastFill = lack > Math.min(512, targetHalf * 3 / 4);
            int q = rng.nextInt(lack > 0 ? (fastFill ? 2 : 10) : 40);
            if (q < 2 || openCount == 0) {
                return lack > 0 ? gtc(side) : sweep(side);
            }
            long orderId = open[rng.nextInt(Math.min(openCount, PICK_WINDOW))];
            int id = (int) orderId;
            if (q == 2) {
                mix[2]++;
                return new Command().cancel(accountOf[id], 0, orderId);
            }
            if (q == 3) {
                long reduceBy = 1 + rng.nextInt((int) Math.min(Integer.MAX_VALUE - 1, leftOf[id]));
                if (reduceBy >= leftOf[id]) {
                    mix[2]++;
                    return new Command().cancel(accountOf[id], 0, orderId);
                }
                mix[4]++;
                return new Command().amend(accountOf[id], 0, orderId, 0, quantityOf[id] - reduceBy);
            }
            mix[3]++;
            long price = priceOf[id];
            double towards = (lastTrade - price) * 0.01;
            long move;
            if (price > lastTrade) {
                move = (long) Math.floor(towards);
            } else if (price < lastTrade) {
                move = (long) Math.ceil(towards);
            } else {
                move = rng.nextBoolean() ? 1 : -1;
            }
            long newPrice = Math.max(MIN_PRICE, Math.min(MAX_PRICE, price + move));
            if (newPrice == price) {
                newPrice = price + (price == MAX_PRICE ? -1 : 1);
            }
            return new Command().amend(accountOf[id], 0, orderId, newPrice, 0);
        }

        private Command gtc(Side side) {
            mix[0]++;
            long spread = 1 + (long) (Math.pow(rng.nextDouble(), 2) * DEVIATION);
            long offset = 0;
            for (int i = 0; i < 4; i++) {
                offset += rng.nextInt((int) spread);
            }
            offset = Math.abs(offset / 4 * 2 - spread);
            long price = side == Side.BUY ? lastTrade - offset : lastTrade + offset;
            return order(side, Math.max(MIN_PRICE, Math.min(MAX_PRICE, price)), size(), TimeInForce.GTC);
        }

        private Command sweep(Side side) {
            mix[1]++;
            TimeInForce tif = rng.nextInt(32) == 0 ? TimeInForce.FOK : TimeInForce.IOC;
            long size = tif == TimeInForce.FOK ? 1 + (long) rng.nextInt(8) * rng.nextInt(8) * rng.nextInt(8) : size();
            return order(side, side == Side.BUY ? MAX_PRICE : MIN_PRICE, size, tif);
        }

        private long size() {
            return 1 + (long) rng.nextInt(6) * rng.nextInt(6) * rng.nextInt(6);
        }

        private Command order(Side side, long price, long size, TimeInForce tif) {
            long orderId = nextOrderId++;
            int account = 1 + rng.nextInt(accounts);
            accountOf[(int) orderId] = account;
            quantityOf[(int) orderId] = size;
            return new Command().limit(account, 0, orderId, side, price, size, tif);
        }

        private Command apply(Command c) {
            c.sequence = ++sequence;
            timestamp += Workload.TIMESTAMP_STEP;
            c.timestamp = timestamp;
            if (c.type == CommandType.AMEND_ORDER && c.quantity != 0) {
                quantityOf[(int) c.orderId] = c.quantity;
            }
            MatchingTarget.applyTo(book, c);
            if (rejects > 0) {
                throw new IllegalStateException("generator bug: a generated command was rejected: " + firstReject);
            }
            return c;
        }

        @Override
        public void bookOrderChanged(long seq, long ts, int instrument, long l3Sequence, L3Action action, long orderId,
                                     Side side, long price, long visibleQuantity) {
            int id = (int) orderId;
            if (action == L3Action.ADD) {
                slotOf[id] = openCount;
                open[openCount++] = orderId;
                priceOf[id] = price;
                buyOf[id] = side == Side.BUY;
                leftOf[id] = visibleQuantity;
                if (side == Side.BUY) {
                    bids++;
                } else {
                    asks++;
                }
            } else if (action == L3Action.REMOVE) {
                int slot = slotOf[id];
                long last = open[--openCount];
                open[slot] = last;
                slotOf[(int) last] = slot;
                if (buyOf[id]) {
                    bids--;
                } else {
                    asks--;
                }
            } else {
                leftOf[id] = visibleQuantity;
            }
        }

        @Override
        public void tradeExecuted(long seq, long ts, int instrument, long tradeId, Side takerSide, long price,
                                  long quantity) {
            trades++;
            lastTrade = Math.max(MIN_PRICE, Math.min(MAX_PRICE, price));
        }

        @Override
        public void commandRejected(long seq, long ts, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            if (rejects++ == 0) {
                firstReject = command + " of order " + orderId + ": " + reason;
            }
        }
    }
}
